// Checkpoints of ABC-SMC: everything a generation leaves for the next, in a small binary file written under a
// temporary name and renamed when complete.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>

#include "sim/calibration/abc_smc.hpp"
#include "sim/calibration/abc_smc_state.hpp"
#include "sim/cluster/cluster.hpp"

namespace ehsim::calibration {

namespace {

// Format 2 adds each generation's distinct particles and steps; format 1 (without them) is still read.
constexpr char kCheckpointMagic[8] = {'E', 'H', 'A', 'B', 'C', 'S', 'M', '3'};
constexpr char kCheckpointMagicFormat2[8] = {'E', 'H', 'A', 'B', 'C', 'S', 'M', '2'};  // no screened steps
constexpr char kCheckpointMagicFormat1[8] = {'E', 'H', 'A', 'B', 'C', 'S', 'M', '1'};

class Writer {
public:
    explicit Writer(std::ofstream& out) : out_(out) {}
    template <class T>
    void put(const T& value) {
        out_.write(reinterpret_cast<const char*>(&value), sizeof value);
    }
    void put_doubles(const std::vector<double>& values) {
        put<std::uint64_t>(values.size());
        out_.write(reinterpret_cast<const char*>(values.data()),
                   static_cast<std::streamsize>(values.size() * sizeof(double)));
    }
    void put_text(const std::string& text) {
        put<std::uint64_t>(text.size());
        out_.write(text.data(), static_cast<std::streamsize>(text.size()));
    }

private:
    std::ofstream& out_;
};

// Reads a checkpoint's numbers; every failure names the file.
class Reader {
public:
    Reader(std::ifstream& in, std::string file) : in_(in), file_(std::move(file)) {
        const auto here = in_.tellg();
        in_.seekg(0, std::ios::end);
        end_ = in_.tellg();
        in_.seekg(here);
        if (!in_ || std::streamoff(end_) < std::streamoff(here)) truncated();
    }
    template <class T>
    T get() {
        T value{};
        in_.read(reinterpret_cast<char*>(&value), sizeof value);
        if (!in_) truncated();
        return value;
    }
    // A count of items of at least `bytes_each` bytes: no larger than what the rest of the file can hold, so that
    // a damaged count is refused before anything is allocated for it.
    std::uint64_t get_count(std::uint64_t bytes_each) {
        const auto count = get<std::uint64_t>();
        const std::streamoff left_bytes = end_ - in_.tellg();
        const auto left = static_cast<std::uint64_t>(left_bytes < 0 ? 0 : left_bytes);
        if (count > left / bytes_each) truncated();
        return count;
    }
    std::vector<double> get_doubles() {
        std::vector<double> values(get_count(sizeof(double)));
        const std::uint64_t size = values.size();
        in_.read(reinterpret_cast<char*>(values.data()), static_cast<std::streamsize>(size * sizeof(double)));
        if (!in_) truncated();
        return values;
    }
    std::string get_text() {
        const std::uint64_t size = get_count(1);
        std::string text(size, '\0');
        in_.read(text.data(), static_cast<std::streamsize>(size));
        if (!in_) truncated();
        return text;
    }
    [[noreturn]] void corrupt(const std::string& what) const {
        throw std::runtime_error("the checkpoint '" + file_ + "' is corrupt (" + what +
                                 "): it cannot be resumed; run again without --resume");
    }

private:
    [[noreturn]] void truncated() const {
        throw std::runtime_error("the checkpoint '" + file_ +
                                 "' is truncated: it cannot be resumed; run again without --resume");
    }
    std::ifstream& in_;
    std::string file_;
    std::streampos end_{};
};

}  // namespace

void AbcSmc::save_checkpoint(const State& state) const {
    if (!cluster::is_manager()) return;  // an MPI job's worker: the manager keeps the job's checkpoint
    const std::string temporary = settings_.checkpoint_file + ".tmp-" + std::to_string(::getpid());
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error("cannot write the checkpoint '" + temporary + "'");
        Writer writer(out);
        out.write(kCheckpointMagic, sizeof kCheckpointMagic);
        writer.put(fingerprint());
        writer.put<std::uint64_t>(state.next_generation);
        writer.put(state.elapsed_before);
        const AbcResult& result = state.result;
        writer.put<std::uint64_t>(result.history.size());
        for (const GenerationSummary& summary : result.history) {
            writer.put<std::uint64_t>(summary.generation);
            writer.put(summary.tolerance);
            writer.put(summary.acceptance_rate);
            writer.put(summary.effective_sample_size);
            writer.put(summary.simulations);
            writer.put(summary.proposals_outside_prior);
            writer.put(summary.wall_seconds);
            writer.put<std::uint64_t>(summary.distinct_particles);
            writer.put<std::uint64_t>(summary.moves);
            writer.put(summary.proposals_screened);
        }
        writer.put_doubles(result.scales);
        writer.put_text(result.stop_reason);
        writer.put(result.total_simulations);
        const Population& population = result.population;
        writer.put<std::uint64_t>(population.parameters);
        writer.put<std::uint64_t>(population.figures);
        writer.put_doubles(population.values);
        writer.put_doubles(population.weights);
        writer.put_doubles(population.distances);
        writer.put_doubles(population.simulated);
        out.flush();
        if (!out) {
            std::filesystem::remove(temporary);
            throw std::runtime_error("cannot write the checkpoint '" + temporary + "'");
        }
    }
    std::filesystem::rename(temporary, settings_.checkpoint_file);
}

bool AbcSmc::load_checkpoint(State& state) const {
    std::ifstream in(settings_.checkpoint_file, std::ios::binary);
    if (!in) return false;
    char magic[sizeof kCheckpointMagic];
    in.read(magic, sizeof magic);
    const bool format_1 = in && std::equal(magic, magic + sizeof magic, kCheckpointMagicFormat1);
    const bool format_2 = in && std::equal(magic, magic + sizeof magic, kCheckpointMagicFormat2);
    if (!in || (!format_1 && !format_2 && !std::equal(magic, magic + sizeof magic, kCheckpointMagic)))
        throw std::runtime_error("'" + settings_.checkpoint_file + "' is not an ehsim calibration checkpoint");
    Reader reader(in, settings_.checkpoint_file);
    if (reader.get<std::uint64_t>() != fingerprint())
        throw std::runtime_error("the checkpoint '" + settings_.checkpoint_file +
                                 "' comes from other priors, targets or settings: it cannot be resumed with these");
    state.next_generation = reader.get<std::uint64_t>();
    state.elapsed_before = reader.get<double>();
    AbcResult& result = state.result;
    result.history.resize(reader.get_count(7 * 8));  // seven numbers a generation at least (format 1)
    for (GenerationSummary& summary : result.history) {
        summary.generation = reader.get<std::uint64_t>();
        summary.tolerance = reader.get<double>();
        summary.acceptance_rate = reader.get<double>();
        summary.effective_sample_size = reader.get<double>();
        summary.simulations = reader.get<std::uint64_t>();
        summary.proposals_outside_prior = reader.get<std::uint64_t>();
        summary.wall_seconds = reader.get<double>();
        if (format_1) continue;  // distinct particles are filled in below; no steps were taken
        summary.distinct_particles = reader.get<std::uint64_t>();
        summary.moves = reader.get<std::uint64_t>();
        if (!format_2) summary.proposals_screened = reader.get<std::uint64_t>();
    }
    result.scales = reader.get_doubles();
    result.stop_reason = reader.get_text();
    result.total_simulations = reader.get<std::uint64_t>();
    Population& population = result.population;
    population.parameters = reader.get<std::uint64_t>();
    population.figures = reader.get<std::uint64_t>();
    population.values = reader.get_doubles();
    population.weights = reader.get_doubles();
    population.distances = reader.get_doubles();
    population.simulated = reader.get_doubles();
    // The fingerprint matched, so the set-up is the same: what it fixes must hold, or the bytes were damaged.
    const std::size_t particles = population.weights.size();
    if (population.parameters != priors_.size() || population.figures != observations_.size() ||
        particles != settings_.particles || population.values.size() != particles * population.parameters ||
        population.distances.size() != particles || population.simulated.size() != particles * population.figures ||
        result.history.size() != state.next_generation || result.scales.size() != observations_.size())
        reader.corrupt("its population does not fit the set-up");
    double total_weight = 0;
    for (const double weight : population.weights) {
        if (!(weight >= 0 && weight <= 1)) reader.corrupt("a weight outside [0, 1]");
        total_weight += weight;
    }
    // A population the run could not have made could stall it (the fuzzer found a resumed run drawing for ever
    // from particles outside the prior), so each of these is refused. (Infinite distances and tolerances are
    // legitimate: a figure a run leaves undefined puts it infinitely far.)
    if (!(std::abs(total_weight - 1) < 1e-6)) reader.corrupt("weights that do not sum to 1");
    for (std::size_t i = 0; i < particles; ++i) {
        for (std::size_t p = 0; p < population.parameters; ++p)
            if (!std::isfinite(priors_[p].log_density(population.value(i, p))))
                reader.corrupt("a particle outside the prior");
        if (!(population.distances[i] >= 0)) reader.corrupt("a distance that is not a number >= 0");
    }
    for (const double scale : result.scales)
        if (!(scale > 0)) reader.corrupt("a distance scale that is not a number > 0");
    for (const GenerationSummary& summary : result.history)
        if (!(summary.tolerance >= 0)) reader.corrupt("a tolerance that is not a number >= 0");
    if (format_1)  // each generation had one distinct particle per particle (importance weights' proposals)
        for (GenerationSummary& summary : result.history) summary.distinct_particles = settings_.particles;
    // A run that stopped for a budget or a generation limit may go on with larger ones; one that stopped
    // because it had converged has nothing more to do.
    if (result.stop_reason.find("budget") != std::string::npos ||
        result.stop_reason.find("maximum number") != std::string::npos)
        result.stop_reason.clear();
    return true;
}

}  // namespace ehsim::calibration
