// `ehsim demo`: the kernel's proof in one command. Runs an M/M/c queue over independent replications
// and prints each measured figure with its confidence interval beside the Erlang-C value.
#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "sim/cli/commands.hpp"
#include "sim/cli/option_types.hpp"
#include "sim/kernel/replications.hpp"
#include "sim/kernel/statistics.hpp"
#include "sim/queueing/formulas.hpp"
#include "sim/queueing/queueing_model.hpp"

namespace ehsim::cli {

namespace po = boost::program_options;

namespace {

void require(bool condition, const char* message) {
    if (!condition) throw UsageError(std::string("demo: ") + message);
}

}  // namespace

int demo_command(const std::vector<std::string>& arguments) {
    int servers = 5;
    double utilisation = 0.8;
    double service_rate = 1.0;
    double warm_up = 1000.0;
    double days = 50000.0;
    WholeNumber replications{10};
    WholeNumber seed{1};
    WholeNumber threads{kernel::default_thread_count()};

    po::options_description options("Options of 'ehsim demo'");
    options.add_options()("help,h", "show this help and exit")("servers,c", po::value(&servers)->default_value(servers),
                                                               "number of servers c")(
        "utilisation,r", po::value(&utilisation)->default_value(utilisation),
        "utilisation rho = lambda / (c mu), in (0, 1)")(
        "service-rate", po::value(&service_rate)->default_value(service_rate), "service rate mu per server, per day")(
        "warm-up", po::value(&warm_up)->default_value(warm_up), "days simulated before observing")(
        "days", po::value(&days)->default_value(days), "days observed in each replication")(
        "replications,n", po::value(&replications)->default_value(replications), "independent replications (>= 2)")(
        "seed,s", po::value(&seed)->default_value(seed), "master random seed")(
        "threads,t", po::value(&threads)->default_value(threads), "worker threads (results do not depend on it)");
    const po::variables_map values = parse_command_line("demo", arguments, options);
    if (values.count("help")) {
        std::cout << "Usage: ehsim demo [options]\n\n"
                     "Simulates an M/M/c queue on the ehsim kernel and compares the mean wait, the probability\n"
                     "of waiting, the mean queue length and Little's law with the Erlang-C formulas.\n\n"
                  << options;
        return 0;
    }
    require(servers >= 1, "--servers must be at least 1");
    require(utilisation > 0.0 && utilisation < 1.0, "--utilisation must be in (0, 1)");
    require(service_rate > 0.0 && std::isfinite(service_rate), "--service-rate must be positive");
    require(warm_up >= 0.0 && std::isfinite(warm_up), "--warm-up must be >= 0");
    require(days > 0.0 && std::isfinite(days), "--days must be positive");
    require(replications.value >= 2 && replications.value <= 1'000'000, "--replications must be in [2, 1000000]");
    require(threads.value >= 1 && threads.value <= 1024, "--threads must be in [1, 1024]");

    queueing::QueueParameters parameters;
    parameters.servers = servers;
    parameters.service_rate = service_rate;
    parameters.arrival_rates = {utilisation * servers * service_rate};
    const kernel::RandomStreams streams(seed.value);

    const auto started = std::chrono::steady_clock::now();
    const auto results = kernel::run_replications(
        replications.value, static_cast<unsigned>(threads.value), [&](std::uint64_t replication) {
            return queueing::QueueingModel(parameters, streams, replication).run_window(warm_up, days);
        });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    kernel::RunningStatistics wait, waiting, queue, little;
    std::uint64_t events = 0;
    for (const auto& result : results) {
        wait.add(result.mean_wait);
        waiting.add(result.probability_of_waiting);
        queue.add(result.mean_queue_length);
        little.add((result.queue_length_area - result.time_in_queue_sum) / result.window_days);
        events += result.events;
    }
    const auto exact = queueing::erlang_c(servers, parameters.arrival_rates[0], service_rate);
    std::printf("M/M/%d, utilisation %.3f, %llu replications x %.0f days (after %.0f days' warm-up), seed %llu\n\n",
                servers, utilisation, static_cast<unsigned long long>(replications.value), days, warm_up,
                static_cast<unsigned long long>(seed.value));
    std::printf("%-34s %12s %12s %12s  %s\n", "measure", "simulated", "95% +/-", "Erlang C", "within 95% CI");
    auto row = [](const char* label, const kernel::RunningStatistics& replicated, double truth) {
        const auto interval = kernel::confidence_interval(replicated, 0.95);
        std::printf("%-34s %12.6f %12.6f %12.6f  %s\n", label, interval.mean, interval.half_width, truth,
                    interval.contains(truth) ? "yes" : "no");
    };
    row("mean wait Wq (days)", wait, exact.mean_wait);
    row("probability of waiting", waiting, exact.probability_of_waiting);
    row("mean queue length Lq", queue, exact.mean_queue_length);
    row("Little's law: Lq - lambda Wq", little, 0.0);
    std::printf("\n%llu events in %.2f s on %u thread(s): %.1f million events per second\n",
                static_cast<unsigned long long>(events), seconds, static_cast<unsigned>(threads.value),
                events / seconds / 1e6);
    return 0;
}

}  // namespace ehsim::cli
