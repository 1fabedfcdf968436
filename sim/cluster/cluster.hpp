// Work spread over the ranks of an MPI job (built with -DEHSIM_MPI=ON and started by mpirun), or over threads
// alone: independent tasks, numbered 0..count-1, each computed exactly once somewhere and stored at its own
// index, so that results never depend on the number of ranks or threads. Knows nothing of families: a task's
// result travels as bytes its caller encodes.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "sim/kernel/replications.hpp"

namespace ehsim::cluster {

// The job's MPI session: started before the command line is read, ended after the command. Without MPI, or in a
// process not started by mpirun, there is one rank, 0.
class Session {
public:
    Session(int& argc, char**& argv);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;
};

int rank();
int ranks();
inline bool is_manager() { return rank() == 0; }
bool built_with_mpi();

// The manager's `value`, on every rank (a collective call: every rank makes it at the same point): for decisions
// every rank must take alike though each would reckon them differently, as a wall-time budget by its own clock.
double managers(double value);
// The manager's bytes, on every rank, likewise (a collective call).
std::string managers_bytes(std::string bytes);

// Called on the manager as tasks finish (from any of its threads), with the number done so far.
using TasksDone = std::function<void(std::uint64_t done)>;

// Called on the manager as each task finishes, with its number and its bytes, one call at a time (from whichever of
// its threads): to keep finished work on disk, as a checkpoint, while the rest goes on.
using TaskFinished = std::function<void(std::uint64_t task, const std::string& bytes)>;

// Every rank calls it with the same arguments. Manager-worker with dynamic scheduling: each worker rank asks for
// as many tasks as it has threads and asks again when they are done, so slow tasks leave no rank idle; the manager
// works on tasks too, with its own threads, between handing them out. Returns every task's bytes in order on the
// manager and, with `everyone`, on every rank (for work whose next step all ranks take together); otherwise
// workers get an empty vector. A task that throws stops the job: every rank throws std::runtime_error with the
// first failure's message.
std::vector<std::string> run_tasks(std::uint64_t count, unsigned threads,
                                   const std::function<std::string(std::uint64_t)>& task, bool everyone,
                                   const TasksDone& done = {}, const TaskFinished& finished = {});

// A list of numbers as bytes and back, exactly: the results of most tasks (a simulator's figures).
std::string numbers_to_bytes(const std::vector<double>& numbers);
std::vector<double> numbers_from_bytes(const std::string& bytes);

// The same over typed results: `encode` and `decode` carry a result between ranks (unused with one rank).
template <typename Run, typename Encode, typename Decode>
auto run_tasks(std::uint64_t count, unsigned threads, Run&& run, Encode&& encode, Decode&& decode, bool everyone,
               const TasksDone& done = {}, const TaskFinished& finished = {})
    -> std::vector<std::invoke_result_t<Run&, std::uint64_t>> {
    using Result = std::invoke_result_t<Run&, std::uint64_t>;
    if (ranks() == 1) {
        std::atomic<std::uint64_t> finished_count{0};
        std::mutex finished_mutex;
        return kernel::run_replications(count, threads, [&](std::uint64_t task) {
            Result result = run(task);
            if (finished) {
                const std::string bytes = encode(result);
                const std::lock_guard<std::mutex> lock(finished_mutex);
                finished(task, bytes);
            }
            if (done) done(++finished_count);
            return result;
        });
    }
    const std::vector<std::string> bytes = run_tasks(
        count, threads, [&](std::uint64_t task) { return encode(run(task)); }, everyone, done, finished);
    std::vector<Result> results;
    results.reserve(bytes.size());
    for (const std::string& one : bytes) results.push_back(decode(one));
    return results;
}

// Tasks whose results are lists of numbers (`run` returns std::vector<double>), on every rank when `everyone`.
template <typename Run>
std::vector<std::vector<double>> run_number_tasks(std::uint64_t count, unsigned threads, Run&& run, bool everyone) {
    return run_tasks(count, threads, std::forward<Run>(run), numbers_to_bytes, numbers_from_bytes, everyone);
}

}  // namespace ehsim::cluster
