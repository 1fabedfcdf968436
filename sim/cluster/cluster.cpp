#include "sim/cluster/cluster.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>

#ifdef EHSIM_MPI
#include <mpi.h>
#endif

namespace ehsim::cluster {
namespace {

int this_rank = 0;
int all_ranks = 1;

// One process: the tasks over its threads, each finished one kept (if asked) one at a time.
std::vector<std::string> run_on_threads(std::uint64_t count, unsigned threads,
                                        const std::function<std::string(std::uint64_t)>& task, const TasksDone& done,
                                        const TaskFinished& finished) {
    std::atomic<std::uint64_t> finished_count{0};
    std::mutex finished_mutex;
    return kernel::run_replications(count, threads, [&](std::uint64_t index) {
        std::string bytes = task(index);
        if (finished) {
            const std::lock_guard<std::mutex> lock(finished_mutex);
            finished(index, bytes);
        }
        if (done) done(++finished_count);
        return bytes;
    });
}

}  // namespace

bool built_with_mpi() {
#ifdef EHSIM_MPI
    return true;
#else
    return false;
#endif
}

std::string numbers_to_bytes(const std::vector<double>& numbers) {
    return std::string(reinterpret_cast<const char*>(numbers.data()), numbers.size() * sizeof(double));
}

std::vector<double> numbers_from_bytes(const std::string& bytes) {
    if (bytes.size() % sizeof(double) != 0) throw std::runtime_error("a list of numbers' bytes are damaged");
    std::vector<double> numbers(bytes.size() / sizeof(double));
    std::memcpy(numbers.data(), bytes.data(), bytes.size());
    return numbers;
}

int rank() { return this_rank; }
int ranks() { return all_ranks; }

#ifndef EHSIM_MPI

double managers(double value) { return value; }
std::string managers_bytes(std::string bytes) { return bytes; }

Session::Session(int&, char**&) {}
Session::~Session() = default;

std::vector<std::string> run_tasks(std::uint64_t count, unsigned threads,
                                   const std::function<std::string(std::uint64_t)>& task, bool, const TasksDone& done,
                                   const TaskFinished& finished) {
    return run_on_threads(count, threads, task, done, finished);
}

#else

namespace {

constexpr int kAsk = 1;     // worker -> manager: the results of its last tasks, and how many it wants next
constexpr int kFailed = 2;  // worker -> manager: a task threw; the message
constexpr int kWork = 3;    // manager -> worker: task numbers; none: stop
bool started_here = false;

// Messages are flat bytes: 64-bit numbers in the machine's order (every rank of a job runs the same build).
void put(std::string& out, std::uint64_t value) { out.append(reinterpret_cast<const char*>(&value), sizeof value); }
std::uint64_t take(const std::string& in, std::size_t& at) {
    std::uint64_t value = 0;
    if (at + sizeof value > in.size()) throw std::runtime_error("a damaged message between ranks");
    std::memcpy(&value, in.data() + at, sizeof value);
    at += sizeof value;
    return value;
}

void send(const std::string& bytes, int to, int tag) {
    if (bytes.size() > static_cast<std::size_t>(INT32_MAX))
        throw std::runtime_error("a message between ranks over 2 GB: fewer threads per rank would split it");
    MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, to, tag, MPI_COMM_WORLD);
}

// Waits without spinning (OpenMPI's blocking receive keeps a core busy, which an oversubscribed node cannot
// spare): polls, sleeping a little between polls.
std::string receive(int from, int& tag, int& source) {
    MPI_Status status;
    for (int arrived = 0;;) {
        MPI_Iprobe(from, MPI_ANY_TAG, MPI_COMM_WORLD, &arrived, &status);
        if (arrived) break;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    int size = 0;
    MPI_Get_count(&status, MPI_BYTE, &size);
    std::string bytes(static_cast<std::size_t>(size), '\0');
    MPI_Recv(bytes.data(), size, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    tag = status.MPI_TAG;
    source = status.MPI_SOURCE;
    return bytes;
}

// Broadcasts `bytes` from the manager, in pieces under MPI's 2^31 count.
void broadcast(std::string& bytes) {
    std::uint64_t size = bytes.size();
    MPI_Bcast(&size, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
    bytes.resize(size);
    constexpr std::uint64_t kPiece = 1u << 30;
    for (std::uint64_t at = 0; at < size; at += kPiece)
        MPI_Bcast(bytes.data() + at, static_cast<int>(std::min(kPiece, size - at)), MPI_BYTE, 0, MPI_COMM_WORLD);
}

struct Failure {
    std::mutex mutex;
    std::atomic<bool> happened{false};
    std::string message;
    void record(const std::string& text) {
        const std::lock_guard<std::mutex> lock(mutex);
        if (!happened.exchange(true)) message = text;
    }
};

// The messages between ranks themselves failed (a task's own failure travels to the manager instead): the ranks
// can no longer agree on where they are, so the whole job ends, as when a rank is lost.
[[noreturn]] void abort_job(const char* what) {
    std::fprintf(stderr, "ehsim: error (rank %d): %s: the MPI job is aborted\n", this_rank, what);
    MPI_Abort(MPI_COMM_WORLD, 1);
    std::abort();  // MPI_Abort does not return
}

std::vector<std::string> manage(std::uint64_t count, unsigned threads,
                                const std::function<std::string(std::uint64_t)>& task, const TasksDone& done,
                                const TaskFinished& finished_task, Failure& failure) {
    std::vector<std::string> results(count);
    std::atomic<std::uint64_t> next{0}, finished{0};
    std::mutex done_mutex;
    const auto finish_one = [&](std::uint64_t index) {
        const std::lock_guard<std::mutex> lock(done_mutex);
        if (finished_task && !failure.happened) finished_task(index, results[index]);
        if (done) done(++finished);
    };
    // The manager's own threads take tasks from the same counter as the workers' requests.
    std::vector<std::thread> pool;
    for (unsigned i = 0; i < std::max(1u, threads); ++i)
        pool.emplace_back([&] {
            for (std::uint64_t index; (index = next.fetch_add(1)) < count && !failure.happened;) {
                try {
                    results[index] = task(index);
                    finish_one(index);
                } catch (const std::exception& error) {
                    failure.record(error.what());
                }
            }
        });
    // Its own threads are still working: an error here must end the job, not unwind past them.
    try {
        for (int working = all_ranks - 1; working > 0;) {
            int tag = 0, worker = 0;
            const std::string message = receive(MPI_ANY_SOURCE, tag, worker);
            std::uint64_t wanted = 0;
            if (tag == kFailed) {
                failure.record(message);
            } else {
                std::size_t at = 0;
                wanted = take(message, at);
                for (std::uint64_t n = take(message, at); n > 0; --n) {
                    const std::uint64_t index = take(message, at), size = take(message, at);
                    if (index >= count || at + size > message.size()) throw std::runtime_error("a damaged result");
                    results[index] = message.substr(at, size);
                    at += size;
                    finish_one(index);
                }
            }
            std::string work;
            std::vector<std::uint64_t> given;
            for (std::uint64_t k = 0; k < wanted && !failure.happened; ++k) {
                const std::uint64_t index = next.fetch_add(1);
                if (index >= count) break;
                given.push_back(index);
            }
            put(work, given.size());
            for (const std::uint64_t index : given) put(work, index);
            send(work, worker, kWork);
            if (given.empty()) --working;
        }
    } catch (const std::exception& error) {
        abort_job(error.what());
    }
    for (auto& thread : pool) thread.join();
    return results;
}

void work(unsigned threads, const std::function<std::string(std::uint64_t)>& task) {
    std::string report;
    put(report, std::max(1u, threads));
    put(report, 0);
    int report_tag = kAsk;
    for (;;) {
        send(report, 0, report_tag);
        int tag = 0, source = 0;
        const std::string message = receive(0, tag, source);
        std::size_t at = 0;
        std::vector<std::uint64_t> given(take(message, at));
        for (std::uint64_t& index : given) index = take(message, at);
        if (given.empty()) return;
        try {
            const std::vector<std::string> results =
                kernel::run_replications(given.size(), threads, [&](std::uint64_t k) { return task(given[k]); });
            report.clear();
            put(report, std::max(1u, threads));
            put(report, given.size());
            for (std::size_t k = 0; k < given.size(); ++k) {
                put(report, given[k]);
                put(report, results[k].size());
                report += results[k];
            }
            report_tag = kAsk;
        } catch (const std::exception& error) {
            report = error.what();
            report_tag = kFailed;
        }
    }
}

}  // namespace

double managers(double value) {
    if (all_ranks > 1) MPI_Bcast(&value, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    return value;
}

std::string managers_bytes(std::string bytes) {
    if (all_ranks > 1) broadcast(bytes);
    return bytes;
}

Session::Session(int& argc, char**& argv) {
    // Only under a launcher (mpirun, srun): a plain `ehsim` is one rank and never starts MPI.
    if (!std::getenv("OMPI_COMM_WORLD_SIZE") && !std::getenv("PMIX_RANK") && !std::getenv("PMI_RANK")) return;
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    started_here = true;
    MPI_Comm_rank(MPI_COMM_WORLD, &this_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &all_ranks);
}

Session::~Session() {
    if (started_here) MPI_Finalize();
}

std::vector<std::string> run_tasks(std::uint64_t count, unsigned threads,
                                   const std::function<std::string(std::uint64_t)>& task, bool everyone,
                                   const TasksDone& done, const TaskFinished& finished) {
    if (all_ranks == 1) return run_on_threads(count, threads, task, done, finished);
    Failure failure;
    std::vector<std::string> results;
    try {
        if (this_rank == 0)
            results = manage(count, threads, task, done, finished, failure);
        else
            work(threads, task);
    } catch (const std::exception& error) {
        abort_job(error.what());
    }
    // Every rank learns whether the work failed, so that all throw together, and with `everyone` the results.
    std::string outcome = failure.happened ? "1" + failure.message : "0";
    broadcast(outcome);
    if (outcome[0] == '1') throw std::runtime_error(outcome.substr(1));
    if (everyone) {
        std::string all;
        if (this_rank == 0)
            for (const std::string& result : results) {
                put(all, result.size());
                all += result;
            }
        broadcast(all);
        if (this_rank != 0) {
            results.resize(count);
            std::size_t at = 0;
            for (std::string& result : results) {
                const std::uint64_t size = take(all, at);
                result = all.substr(at, size);
                at += size;
            }
        }
    }
    return results;
}

#endif

}  // namespace ehsim::cluster
