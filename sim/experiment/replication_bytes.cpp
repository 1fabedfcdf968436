#include "sim/experiment/replication_bytes.hpp"

#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace ehsim::experiment {
namespace {

// Every rank of a job runs the same build on the same kind of machine: numbers travel in the machine's order.
template <typename Number>
void put(std::string& out, Number value) {
    out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

template <typename Number>
Number take(const std::string& in, std::size_t& at) {
    Number value{};
    if (at + sizeof value > in.size()) throw std::runtime_error("a replication's bytes end early");
    std::memcpy(&value, in.data() + at, sizeof value);
    at += sizeof value;
    return value;
}

void put_numbers(std::string& out, const std::vector<double>& values) {
    put<std::uint64_t>(out, values.size());
    out.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(double));
}

std::vector<double> take_numbers(const std::string& in, std::size_t& at) {
    const auto size = take<std::uint64_t>(in, at);
    if (size > (in.size() - at) / sizeof(double)) throw std::runtime_error("a replication's bytes end early");
    std::vector<double> values(size);
    std::memcpy(values.data(), in.data() + at, size * sizeof(double));
    at += size * sizeof(double);
    return values;
}

void append(std::string& out, const model::ReplicationResult& result) {
    put<std::int64_t>(out, result.months);
    put<std::int64_t>(out, result.localities);
    put_numbers(out, result.tallies);
    put_numbers(out, result.locality_tallies);
    put(out, result.families_entered);
    put(out, result.families_left);
    put(out, result.events);
    put(out, result.trajectory_fingerprint);
}

model::ReplicationResult read(const std::string& in, std::size_t& at) {
    model::ReplicationResult result;
    result.months = static_cast<int>(take<std::int64_t>(in, at));
    result.localities = static_cast<int>(take<std::int64_t>(in, at));
    result.tallies = take_numbers(in, at);
    result.locality_tallies = take_numbers(in, at);
    result.families_entered = take<std::uint64_t>(in, at);
    result.families_left = take<std::uint64_t>(in, at);
    result.events = take<std::uint64_t>(in, at);
    result.trajectory_fingerprint = take<std::uint64_t>(in, at);
    return result;
}

}  // namespace

std::string replication_to_bytes(const model::ReplicationResult& result) {
    std::string out;
    append(out, result);
    return out;
}

model::ReplicationResult replication_from_bytes(const std::string& bytes) {
    std::size_t at = 0;
    model::ReplicationResult result = read(bytes, at);
    if (at != bytes.size()) throw std::runtime_error("a replication's bytes run on");
    return result;
}

std::string replications_to_bytes(const std::vector<model::ReplicationResult>& results) {
    std::string out;
    put<std::uint64_t>(out, results.size());
    for (const auto& result : results) append(out, result);
    return out;
}

std::vector<model::ReplicationResult> replications_from_bytes(const std::string& bytes) {
    std::size_t at = 0;
    std::vector<model::ReplicationResult> results(take<std::uint64_t>(bytes, at));
    for (auto& result : results) result = read(bytes, at);
    if (at != bytes.size()) throw std::runtime_error("replications' bytes run on");
    return results;
}

}  // namespace ehsim::experiment
