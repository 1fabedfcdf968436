// Coverage of a council's calibration, method and all: synthetic data sets drawn from the set-up's scenario at
// its own values of every uncertain parameter (the truth), each calibrated as `ehsim calibrate SETUP.yaml`
// calibrates (history matching if the set-up asks for it, then ABC-SMC with its algorithm), and for each
// parameter the number of data sets whose central 90% posterior interval holds the truth. With 20 data sets a
// calibrated interval covers the truth in 14 to 20 of them (the central 99% of Binomial(20, 0.9)).
//
//   build/bench/setup_coverage SETUP.yaml [datasets] [threads] [first] [particles]       (after setup.sh)
//
// Data set d (first .. first+datasets-1) is the same whichever process runs it: a study spreads over
// processes and sessions, its raw lines kept in bench/results/. `particles` (default: the set-up's) makes a
// study affordable; the data and the method are otherwise the set-up's.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "sim/calibration/recovery.hpp"
#include "sim/experiment/calibration_run.hpp"

int main(int argc, char** argv) {
    using namespace ehsim;
    if (argc < 2) {
        std::fprintf(stderr, "usage: setup_coverage SETUP.yaml [datasets] [threads] [first] [particles]\n");
        return 2;
    }
    const std::string setup_file = argv[1];
    const int datasets = argc > 2 ? std::atoi(argv[2]) : 20;
    const unsigned threads = argc > 3 ? static_cast<unsigned>(std::atoi(argv[3])) : 2;
    const int first = argc > 4 ? std::atoi(argv[4]) : 0;
    const int particles = argc > 5 ? std::atoi(argv[5]) : 0;
    if (datasets < 1 || threads < 1 || first < 0 || particles < 0) {
        std::fprintf(stderr, "setup_coverage: datasets and threads must be >= 1, first and particles >= 0\n");
        return 2;
    }
    try {
        const experiment::Calibration base(setup_file);
        const std::vector<double> truth = base.scenario_values();
        const auto& parameters = base.setup().parameters;
        std::printf("# %s: truth", setup_file.c_str());
        for (std::size_t p = 0; p < truth.size(); ++p) std::printf(" %s=%.6g", parameters[p].path.c_str(), truth[p]);
        std::printf("\n");
        std::vector<int> covered(truth.size(), 0);
        for (int dataset = first; dataset < first + datasets; ++dataset) {
            const auto started = std::chrono::steady_clock::now();
            const auto d = static_cast<std::uint64_t>(dataset);
            // The data: one run at the truth on streams no calibration of any data set uses.
            const std::vector<double> figures = base.model().simulate(truth, 3'000'000 + d, d);
            const std::uint64_t seed = base.setup().algorithm.seed + 104729 * (d + 1);
            const experiment::Calibration calibration(setup_file,
                                                      calibration::synthetic_targets(base.targets(), figures), seed);
            experiment::CalibrationOverrides overrides;
            overrides.threads = threads;
            if (particles > 0) overrides.particles = static_cast<std::size_t>(particles);
            const experiment::CalibrationOutcome outcome =
                calibration.run(calibration.settings(overrides), calibration.history_matching(overrides), false, 0);
            const calibration::Population& population = outcome.result.population;
            std::printf("data set %3d:", dataset);
            for (std::size_t p = 0; p < truth.size(); ++p) {
                const double low = calibration::weighted_quantile(population, p, 0.05);
                const double high = calibration::weighted_quantile(population, p, 0.95);
                const bool inside = truth[p] >= low && truth[p] <= high;
                covered[p] += inside ? 1 : 0;
                std::printf(" [%.4g, %.4g]%s", low, high, inside ? "" : "(missed)");
            }
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            std::printf(
                "  %zu generations, %llu simulations%s, ESS %.0f, %s, %.0f s\n", outcome.result.history.size(),
                static_cast<unsigned long long>(outcome.result.total_simulations +
                                                (outcome.history_matching ? outcome.history_matching->simulations : 0)),
                outcome.history_matching ? " (with history matching)" : "",
                outcome.result.history.back().effective_sample_size, outcome.result.stop_reason.c_str(), seconds);
            std::fflush(stdout);
        }
        for (std::size_t p = 0; p < truth.size(); ++p)
            std::printf("%s: covered in %d of %d data sets\n", parameters[p].path.c_str(), covered[p], datasets);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "setup_coverage: %s\n", error.what());
        return 1;
    }
    return 0;
}
