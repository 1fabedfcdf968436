// Coverage of the calibration's credible intervals on the real model: K synthetic data sets at known
// parameter values, a calibration of each, and the share of 90% intervals that contain the truth. About 90%
// is what a calibrated posterior gives; the binomial standard error over K data sets is sqrt(0.09 / K).
//
//   build/bench/calibration_coverage [K] [threads] [minimal|walsall] [first]      (after setup.sh)
//
// `first` (default 0) is the first data set's number: data sets first .. first+K-1, so that a study can be
// spread over several processes (data set d is the same whichever process runs it).
//
// minimal: tests/data/minimal.yaml, the priors of tests/data/minimal-calibration.yaml and the figures of
// tests/data/recovery-targets.yaml, as tests/calibration/recovery_test.cpp (seconds each).
// walsall: the Walsall scenario and its 2016 targets (their kinds and errors; values synthetic), three of
// calibration/walsall-2016.yaml's parameters at the scenario's values, 300 particles (minutes each).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sim/calibration/recovery.hpp"
#include "sim/scenario/scenario_loader.hpp"

int main(int argc, char** argv) {
    using namespace ehsim::calibration;
    const int datasets = argc > 1 ? std::atoi(argv[1]) : 40;
    const unsigned threads = argc > 2 ? static_cast<unsigned>(std::atoi(argv[2])) : 2;
    const std::string which = argc > 3 ? argv[3] : "minimal";
    const int first = argc > 4 ? std::atoi(argv[4]) : 0;
    if (datasets < 1 || threads < 1 || (which != "minimal" && which != "walsall") || first < 0) {
        std::fprintf(stderr,
                     "usage: calibration_coverage [datasets >= 1] [threads >= 1] [minimal|walsall] [first >= 0]\n");
        return 2;
    }
    const bool walsall = which == "walsall";
    const auto scenario = ehsim::scenario::load_scenario_file(
        walsall ? EHSIM_SOURCE_DIR "/scenarios/walsall/baseline.yaml" : EHSIM_SOURCE_DIR "/tests/data/minimal.yaml");
    const TargetsFile targets = load_targets_file(walsall ? EHSIM_SOURCE_DIR "/calibration/targets/walsall-2016.yaml"
                                                          : EHSIM_SOURCE_DIR "/tests/data/recovery-targets.yaml");
    // The priors of tests/data/minimal-calibration.yaml (narrowed and extended for Walsall below).
    std::vector<UncertainParameter> parameters =
        load_calibration_setup(EHSIM_SOURCE_DIR "/tests/data/minimal-calibration.yaml").parameters;
    AbcSettings settings;
    settings.particles = 300;
    settings.seed = 2024;
    settings.minimum_tolerance = 0.7;
    settings.minimum_acceptance_rate = 0.03;
    settings.maximum_generations = 12;
    settings.threads = threads;
    std::vector<double> truth{0.03, 0.75};
    if (walsall) {
        parameters[0].prior.lower = 0.008;
        parameters[0].prior.upper = 0.08;
        parameters[1].prior.kind = PriorKind::beta;
        parameters[1].prior.first = 4;
        parameters[1].prior.second = 2;
        parameters[1].prior.lower = 0;
        parameters[1].prior.upper = 1;
        UncertainParameter disengagement;
        disengagement.path = "early_help.disengagement_per_year";
        disengagement.prior.kind = PriorKind::log_uniform;
        disengagement.prior.lower = 0.1;
        disengagement.prior.upper = 2;
        parameters.push_back(disengagement);
        truth = {0.025, 0.82, 0.5};  // the Walsall scenario's own values
        settings.minimum_tolerance = 1.0;
    }
    std::vector<int> covered(parameters.size(), 0);
    for (int dataset = first; dataset < first + datasets; ++dataset) {
        const Recovery recovery =
            recover(scenario, targets, parameters, truth, static_cast<std::uint64_t>(dataset), settings, 0.90);
        std::printf("data set %3d:", dataset);
        for (std::size_t p = 0; p < parameters.size(); ++p) {
            covered[p] += recovery.covered[p] ? 1 : 0;
            std::printf("  [%.4g, %.4g]%s", recovery.lower[p], recovery.upper[p],
                        recovery.covered[p] ? "" : " (missed)");
        }
        std::printf("  %zu generations, %llu simulations\n", recovery.abc.history.size(),
                    static_cast<unsigned long long>(recovery.abc.total_simulations));
        std::fflush(stdout);
    }
    const double standard_error = std::sqrt(0.9 * 0.1 / datasets);
    for (std::size_t p = 0; p < parameters.size(); ++p)
        std::printf("%s: 90%% intervals covered the truth in %d of %d data sets (%.0f%%; nominal 90%% +/- %.0f%%)\n",
                    parameters[p].path.c_str(), covered[p], datasets, 100.0 * covered[p] / datasets,
                    100.0 * 1.96 * standard_error);
    return 0;
}
