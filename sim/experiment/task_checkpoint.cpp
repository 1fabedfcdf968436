#include "sim/experiment/task_checkpoint.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string_view>

#include "ehsim/version.hpp"
#include "sim/experiment/calibration_results.hpp"
#include "sim/kernel/random_streams.hpp"

namespace ehsim::experiment {
namespace {

constexpr std::string_view kMagic = "ehsim task checkpoint 1\n";

[[noreturn]] void cannot_write(const std::string& path) {
    throw std::runtime_error("cannot write the checkpoint '" + path + "': " + std::strerror(errno));
}

void put(std::string& out, std::uint64_t value) { out.append(reinterpret_cast<const char*>(&value), sizeof value); }

// Reads a number at `at`, or returns false if the data ends first.
bool take(const std::string& data, std::size_t& at, std::uint64_t& value) {
    if (data.size() - at < sizeof value) return false;
    std::memcpy(&value, data.data() + at, sizeof value);
    at += sizeof value;
    return true;
}

std::uint64_t record_checksum(std::uint64_t task, std::string_view bytes) {
    return kernel::mix64(kernel::purpose_id(bytes) ^ kernel::mix64(task) ^ bytes.size());
}

std::string header(const std::string& identity, std::uint64_t tasks) {
    std::string out(kMagic);
    put(out, identity.size());
    out += identity;
    put(out, tasks);
    put(out, kernel::purpose_id(identity) ^ tasks);
    return out;
}

}  // namespace

TaskCheckpoint::TaskCheckpoint(std::string path, std::string identity, std::uint64_t tasks, bool resume, bool read_only)
    : path_(std::move(path)), identity_(std::move(identity)), tasks_(tasks), read_only_(read_only) {
    if (resume) {
        load();
    } else {
        start_new();
    }
}

TaskCheckpoint::~TaskCheckpoint() {
    if (file_ != nullptr) std::fclose(file_);
}

void TaskCheckpoint::start_new() {
    file_ = std::fopen(path_.c_str(), "wb");
    if (file_ == nullptr) cannot_write(path_);
    const std::string head = header(identity_, tasks_);
    if (std::fwrite(head.data(), 1, head.size(), file_) != head.size() || std::fflush(file_) != 0) cannot_write(path_);
}

void TaskCheckpoint::load() {
    std::ifstream in(path_, std::ios::binary);
    if (!in && read_only_) throw std::runtime_error(path_ + ": no such file");
    if (!in) throw std::runtime_error("cannot resume: no checkpoint at '" + path_ + "'");
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string head = header(identity_, tasks_);
    if (read_only_ && data.compare(0, kMagic.size(), kMagic) != 0)
        throw std::runtime_error(path_ + ": not a shard file of ehsim");
    if (read_only_ && data.compare(0, head.size(), head) != 0)
        throw std::runtime_error(path_ + ": a shard of another job (its set-up, files, settings or ehsim differ)");
    if (data.compare(0, kMagic.size(), kMagic) != 0)
        throw std::runtime_error("'" + path_ +
                                 "' is not a checkpoint of ehsim run or compare: run again without --resume");
    if (data.compare(0, head.size(), head) != 0)
        throw std::runtime_error("the checkpoint '" + path_ +
                                 "' is of another job (its files, seed, replications, horizon or posterior differ, or "
                                 "another version of ehsim wrote it): it cannot be resumed with these; run again "
                                 "without --resume");
    std::size_t at = head.size(), good = at;
    for (;;) {
        std::uint64_t task = 0, size = 0, checksum = 0;
        if (!take(data, at, task) || !take(data, at, size) || size > data.size() - at) break;
        const std::string_view bytes(data.data() + at, size);
        at += size;
        if (!take(data, at, checksum) || checksum != record_checksum(task, bytes) || task >= tasks_) break;
        kept_.emplace(task, std::string(bytes));
        good = at;
    }
    if (read_only_) return;
    // A record cut short by the stop (or damaged) and what follows are dropped: those tasks run again.
    if (good < data.size() && ::truncate(path_.c_str(), static_cast<off_t>(good)) != 0) cannot_write(path_);
    file_ = std::fopen(path_.c_str(), "ab");
    if (file_ == nullptr) cannot_write(path_);
}

std::vector<std::uint64_t> TaskCheckpoint::remaining() const {
    std::vector<std::uint64_t> tasks;
    for (std::uint64_t task = 0; task < tasks_; ++task)
        if (!kept_.contains(task)) tasks.push_back(task);
    return tasks;
}

void TaskCheckpoint::keep(std::uint64_t task, const std::string& bytes) {
    std::string record;
    put(record, task);
    put(record, bytes.size());
    record += bytes;
    put(record, record_checksum(task, bytes));
    // One write per record, flushed to the system at once: a stop loses at most the record being written.
    if (std::fwrite(record.data(), 1, record.size(), file_) != record.size() || std::fflush(file_) != 0)
        cannot_write(path_);
}

void TaskCheckpoint::remove() {
    if (file_ != nullptr) std::fclose(file_);
    file_ = nullptr;
    std::remove(path_.c_str());
}

bool is_task_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string start(kMagic.size(), '\0');
    return in.read(start.data(), static_cast<std::streamsize>(start.size())) && start == kMagic;
}

KeptTasks::KeptTasks(const CheckpointRequest& request, std::uint64_t tasks) : tasks_(tasks) {
    // The manager decides (it alone reads the file) and tells every rank: "1" and the remaining tasks, or "0" and
    // why it cannot go on, so that all ranks go on or stop together.
    std::string plan;
    if (cluster::is_manager()) {
        try {
            if (!request.path.empty())
                checkpoint_ = std::make_unique<TaskCheckpoint>(request.path, request.identity, tasks, request.resume);
            plan = "1";
            if (checkpoint_) {
                for (const std::uint64_t task : checkpoint_->remaining()) put(plan, task);
            } else {
                for (std::uint64_t task = 0; task < tasks; ++task) put(plan, task);
            }
        } catch (const std::exception& error) {
            plan = std::string("0") + error.what();
        }
    }
    plan = cluster::managers_bytes(plan);
    if (plan.empty() || plan[0] != '1') throw std::runtime_error(plan.empty() ? "no plan" : plan.substr(1));
    std::size_t at = 1;
    for (std::uint64_t task = 0; take(plan, at, task);) remaining_.push_back(task);
}

void KeptTasks::finished() {
    if (checkpoint_) checkpoint_->remove();
}

std::string files_identity(const std::vector<std::string>& files) {
    // The contents, not the names: a job resumed from another folder, or with a relative name, is the same job.
    std::string identity = "ehsim " + std::string(kVersion) + " " + kGitCommit + "\n";
    for (const std::string& file : files) identity += (file.empty() ? std::string("none") : file_hash(file)) + "\n";
    return identity;
}

}  // namespace ehsim::experiment
