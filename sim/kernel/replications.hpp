// Runs independent replications on several threads. Each replication's result is stored at its own
// index and every replication draws only from its own streams, so the results are bit-identical
// whatever the thread count.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace ehsim::kernel {

inline unsigned default_thread_count() { return std::max(1u, std::thread::hardware_concurrency()); }

// Calls run(replication) for replication = 0 .. count-1 and returns the results in that order.
// The first exception thrown by any replication is rethrown here after all threads have stopped.
template <class Run>
auto run_replications(std::uint64_t count, unsigned threads, Run&& run)
    -> std::vector<std::invoke_result_t<Run&, std::uint64_t>> {
    using Result = std::invoke_result_t<Run&, std::uint64_t>;
    std::vector<Result> results(count);
    std::atomic<std::uint64_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr first_error;
    std::mutex error_mutex;
    auto worker = [&] {
        for (;;) {
            const std::uint64_t replication = next.fetch_add(1);
            if (replication >= count || failed.load()) return;
            try {
                results[replication] = run(replication);
            } catch (...) {
                const std::lock_guard<std::mutex> lock(error_mutex);
                if (!first_error) first_error = std::current_exception();
                failed = true;
            }
        }
    };
    const unsigned workers = static_cast<unsigned>(std::min<std::uint64_t>(std::max(1u, threads), count));
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < workers; ++i) pool.emplace_back(worker);
    worker();
    for (auto& thread : pool) thread.join();
    if (first_error) std::rethrow_exception(first_error);
    return results;
}

}  // namespace ehsim::kernel
