// The ehsim kernel's M/M/c behind the peers' command line (../shared/peers/README.md):
//
//   ehsim_mmc_peer N c seed [rho mu]
//
// N customers arrive at an empty system; the run ends when the last has left; waits are recorded at
// service start. Prints one line: engine=ehsim n=... mean_wait=... p_wait=... sim_s=... cust_per_s=...
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sim/queueing/queueing_model.hpp"

namespace {

[[noreturn]] void usage(const std::string& message) {
    std::fprintf(stderr, "ehsim_mmc_peer: %s\nusage: ehsim_mmc_peer N c seed [rho mu]\n", message.c_str());
    std::exit(2);
}

double number(const char* text, const char* name) {
    char* end = nullptr;
    const double value = std::strtod(text, &end);
    if (end == text || *end != '\0' || !std::isfinite(value)) usage(std::string("bad ") + name);
    return value;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4 && argc != 6) usage("expected N c seed [rho mu]");
    const double customers = number(argv[1], "N");
    const double servers = number(argv[2], "c");
    const double seed = number(argv[3], "seed");
    const double utilisation = argc == 6 ? number(argv[4], "rho") : 0.9;
    const double service_rate = argc == 6 ? number(argv[5], "mu") : 1.0;
    if (customers < 1 || customers != std::floor(customers)) usage("N must be a positive integer");
    if (servers < 1 || servers != std::floor(servers)) usage("c must be a positive integer");
    if (seed < 0 || seed != std::floor(seed)) usage("seed must be a non-negative integer");
    if (!(utilisation > 0 && utilisation < 1)) usage("rho must be in (0, 1)");
    if (!(service_rate > 0)) usage("mu must be > 0");

    ehsim::queueing::QueueParameters parameters;
    parameters.servers = static_cast<int>(servers);
    parameters.service_rate = service_rate;
    parameters.arrival_rates = {utilisation * servers * service_rate};
    const auto started = std::chrono::steady_clock::now();
    ehsim::queueing::QueueingModel model(parameters, ehsim::kernel::RandomStreams(static_cast<std::uint64_t>(seed)), 0);
    const auto result = model.run_customers(static_cast<std::uint64_t>(customers));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("engine=ehsim n=%llu mean_wait=%.6f p_wait=%.6f sim_s=%.4f cust_per_s=%.0f\n",
                static_cast<unsigned long long>(result.service_starts), result.mean_wait, result.probability_of_waiting,
                seconds, static_cast<double>(result.service_starts) / seconds);
    return 0;
}
