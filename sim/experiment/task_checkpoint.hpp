// The finished replications of `run` and `compare` kept on disk as they finish, so that a job stopped part way
// (Ctrl-C, a scheduler's time limit, a lost node) goes on with --resume from where it was and writes the file an
// uninterrupted job writes: replication r's results depend only on r, so the kept ones are the ones it would
// compute again.
//
// The file is a log: a header naming the job, then one record per finished task (its number, its bytes and their
// FNV-1a checksum), appended and flushed as each finishes. A record cut short by the stop, or damaged, and
// everything after it are dropped on resuming (those tasks are simply run again).
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "sim/cluster/cluster.hpp"

namespace ehsim::experiment {

class TaskCheckpoint {
public:
    // A new checkpoint at `path` for the job `identity` of `tasks` tasks (replacing any file there), or with `resume`
    // the one at `path`, refused (std::runtime_error naming the file) if it is missing, not a checkpoint of ehsim,
    // or of another job: `identity` must be everything the tasks' results depend on.
    // kReadOnly: resumed only to be read (a shard file joined: design_shards.hpp), never changed.
    static constexpr bool kReadOnly = true;
    TaskCheckpoint(std::string path, std::string identity, std::uint64_t tasks, bool resume, bool read_only = false);
    ~TaskCheckpoint();
    TaskCheckpoint(const TaskCheckpoint&) = delete;
    TaskCheckpoint& operator=(const TaskCheckpoint&) = delete;

    const std::string& path() const { return path_; }
    // The tasks kept from before (with --resume), by number.
    const std::map<std::uint64_t, std::string>& kept() const { return kept_; }
    // The tasks still to run, in order.
    std::vector<std::uint64_t> remaining() const;
    // Appends a finished task and flushes it to the system (not thread-safe: one call at a time).
    void keep(std::uint64_t task, const std::string& bytes);
    // The job's results are written: the checkpoint has served.
    void remove();

private:
    void load();
    void start_new();

    std::string path_;
    std::string identity_;
    std::uint64_t tasks_;
    std::map<std::uint64_t, std::string> kept_;
    bool read_only_ = false;
    std::FILE* file_ = nullptr;
};

// Where a job keeps its checkpoint, and whether it resumes from it.
struct CheckpointRequest {
    std::string path;      // "": no checkpoint
    std::string identity;  // everything the tasks' results depend on (see files_identity)
    bool resume = false;
};

// A job's tasks run around a checkpoint (a collective call under MPI: every rank makes it alike). Only the manager
// reads and writes the file; every rank learns which tasks remain, and every rank throws alike if the checkpoint
// cannot be resumed.
class KeptTasks {
public:
    KeptTasks(const CheckpointRequest& request, std::uint64_t tasks);

    // Every task's result in order on the manager (the kept ones decoded, the rest run and kept as they finish),
    // nothing on workers; `done` counts the kept ones as done from the start.
    template <typename Run, typename Encode, typename Decode>
    auto run(unsigned threads, Run&& run_one, Encode&& encode, Decode&& decode, const cluster::TasksDone& done = {})
        -> std::vector<std::invoke_result_t<Run&, std::uint64_t>> {
        using Result = std::invoke_result_t<Run&, std::uint64_t>;
        const std::uint64_t already = tasks_ - remaining_.size();
        if (done) done(already);
        cluster::TaskFinished keep;
        if (checkpoint_)
            keep = [&](std::uint64_t k, const std::string& bytes) { checkpoint_->keep(remaining_[k], bytes); };
        std::vector<Result> fresh = cluster::run_tasks(
            remaining_.size(), threads, [&](std::uint64_t k) { return run_one(remaining_[k]); }, encode, decode, false,
            done ? cluster::TasksDone([&](std::uint64_t count) { done(already + count); }) : cluster::TasksDone{},
            keep);
        if (!cluster::is_manager()) return {};
        std::vector<Result> results(tasks_);
        for (std::size_t k = 0; k < remaining_.size(); ++k) results[remaining_[k]] = std::move(fresh[k]);
        if (checkpoint_)
            for (const auto& [task, bytes] : checkpoint_->kept()) results[task] = decode(bytes);
        return results;
    }

    // The results are written: the checkpoint has served (removed by the manager).
    void finished();
    std::uint64_t kept() const { return tasks_ - remaining_.size(); }

private:
    std::uint64_t tasks_;
    std::vector<std::uint64_t> remaining_;
    std::unique_ptr<TaskCheckpoint> checkpoint_;  // the manager's, when asked for
};

// Whether the file at `path` starts as a checkpoint or a shard of a fixed design does (false if it cannot be read).
bool is_task_file(const std::string& path);

// What the results of replications depend on besides the numbers given: the bytes of every file read (scenario
// files, the baselines options extend, a posterior; "" for none) and ehsim's version and commit. One line per file.
std::string files_identity(const std::vector<std::string>& files);

}  // namespace ehsim::experiment
