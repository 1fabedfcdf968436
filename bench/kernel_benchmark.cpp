// Events per second of the ehsim kernel on M/M/c, beside the practical limit: a minimal hand-written
// loop (std::priority_queue of plain events, std::mt19937_64, a switch) running the same model.
//
//   build/bench/kernel_benchmark --benchmark_min_time=1   (each iteration is >= 10 million events)
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <deque>
#include <queue>
#include <random>
#include <vector>

#include "sim/queueing/queueing_model.hpp"

namespace {

constexpr int kServers = 10;
constexpr double kUtilisation = 0.9;
constexpr double kServiceRate = 1.0;
constexpr std::uint64_t kCustomers = 5'000'000;  // two events each: 10 million events per iteration

// The hand-written loop: what a programmer writes for this one model with no kernel at all.
struct HandLoopResult {
    std::uint64_t events;
    double mean_wait;
};

HandLoopResult hand_written_loop(std::uint64_t customers, std::uint64_t seed) {
    struct Event {
        double time;
        std::uint64_t sequence;
        bool arrival;
    };
    struct Later {
        bool operator()(const Event& a, const Event& b) const {
            return a.time > b.time || (a.time == b.time && a.sequence > b.sequence);
        }
    };
    std::mt19937_64 engine(seed);
    auto exponential = [&](double rate) {
        const double u = static_cast<double>(engine() >> 11) * 0x1.0p-53;
        return -std::log1p(-u) / rate;
    };
    const double arrival_rate = kUtilisation * kServers * kServiceRate;
    std::priority_queue<Event, std::vector<Event>, Later> events;
    std::deque<double> waiting;
    double now = 0.0, wait_sum = 0.0;
    std::uint64_t sequence = 0, arrived = 0, started = 0, handled = 0;
    int idle = kServers;
    events.push({exponential(arrival_rate), sequence++, true});
    while (!events.empty()) {
        const Event event = events.top();
        events.pop();
        now = event.time;
        ++handled;
        if (event.arrival) {
            if (++arrived < customers) events.push({now + exponential(arrival_rate), sequence++, true});
            if (idle > 0) {
                --idle;
                ++started;
                events.push({now + exponential(kServiceRate), sequence++, false});
            } else {
                waiting.push_back(now);
            }
        } else if (waiting.empty()) {
            ++idle;
        } else {
            wait_sum += now - waiting.front();
            waiting.pop_front();
            ++started;
            events.push({now + exponential(kServiceRate), sequence++, false});
        }
    }
    return {handled, wait_sum / static_cast<double>(started)};
}

void BM_HandWrittenLoop(benchmark::State& state) {
    std::uint64_t events = 0, seed = 1;
    for (auto _ : state) {
        const HandLoopResult result = hand_written_loop(kCustomers, seed++);
        benchmark::DoNotOptimize(result.mean_wait);
        events += result.events;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(events));
    state.counters["events_per_iteration"] = static_cast<double>(events) / static_cast<double>(state.iterations());
}

ehsim::queueing::QueueParameters mmc_parameters() {
    ehsim::queueing::QueueParameters parameters;
    parameters.servers = kServers;
    parameters.service_rate = kServiceRate;
    parameters.arrival_rates = {kUtilisation * kServers * kServiceRate};
    return parameters;
}

void BM_EhsimKernel(benchmark::State& state) {
    const auto parameters = mmc_parameters();
    std::uint64_t events = 0, seed = 1;
    for (auto _ : state) {
        ehsim::queueing::QueueingModel model(parameters, ehsim::kernel::RandomStreams(seed++), 0);
        const auto result = model.run_customers(kCustomers);
        benchmark::DoNotOptimize(result.mean_wait);
        events += result.events;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(events));
    state.counters["events_per_iteration"] = static_cast<double>(events) / static_cast<double>(state.iterations());
}

// The same kernel doing more per event: three priority classes, patience timers that are scheduled
// and almost always cancelled, places reused from the middle of the waiting line.
void BM_EhsimKernelPriorityAndPatience(benchmark::State& state) {
    auto parameters = mmc_parameters();
    parameters.arrival_rates = {1.8, 2.7, 4.5};  // red, amber, green; 9 per day in all
    parameters.patience_mean = 30.0;
    std::uint64_t events = 0, seed = 1;
    for (auto _ : state) {
        ehsim::queueing::QueueingModel model(parameters, ehsim::kernel::RandomStreams(seed++), 0);
        const auto result = model.run_window(0.0, static_cast<double>(kCustomers) / 9.0);
        benchmark::DoNotOptimize(result.mean_wait);
        events += result.events;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(events));
    state.counters["events_per_iteration"] = static_cast<double>(events) / static_cast<double>(state.iterations());
}

}  // namespace

BENCHMARK(BM_HandWrittenLoop)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EhsimKernel)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EhsimKernelPriorityAndPatience)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_MAIN();
