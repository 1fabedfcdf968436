// Recovery on the real model: synthetic published figures from the minimal scenario at known parameter
// values; the calibration's posterior must contain the truth and be narrower than the prior.
#include "sim/calibration/recovery.hpp"

#include <gtest/gtest.h>

#include "sim/scenario/scenario_loader.hpp"

namespace ehsim::calibration {
namespace {

TEST(Recovery, TheCalibrationFindsKnownParametersOfTheModel) {
    const model::Scenario scenario = scenario::load_scenario_file(EHSIM_SOURCE_DIR "/tests/data/minimal.yaml");
    // The priors of tests/data/minimal-calibration.yaml; the figures' kinds and errors of recovery-targets.yaml.
    const TargetsFile targets = load_targets_file(EHSIM_SOURCE_DIR "/tests/data/recovery-targets.yaml");
    const std::vector<UncertainParameter> parameters =
        load_calibration_setup(EHSIM_SOURCE_DIR "/tests/data/minimal-calibration.yaml").parameters;
    AbcSettings settings;
    settings.particles = 150;
    settings.seed = 11;
    settings.minimum_tolerance = 1.0;
    settings.minimum_acceptance_rate = 0.03;
    settings.maximum_generations = 12;
    settings.threads = 2;
    const std::vector<double> truth{0.03, 0.75};  // minimal.yaml's own values
    const Recovery recovery = recover(scenario, targets, parameters, truth, 0, settings, 0.99);
    std::printf("synthetic figures:");
    for (const double figure : recovery.data) std::printf(" %.1f", figure);
    std::printf("\n");
    for (std::size_t p = 0; p < truth.size(); ++p) {
        std::printf("%s: truth %.4g, posterior mean %.4g, 99%% interval [%.4g, %.4g], sd %.3g (prior sd %.3g)\n",
                    parameters[p].path.c_str(), truth[p], recovery.posterior_mean[p], recovery.lower[p],
                    recovery.upper[p], recovery.posterior_sd[p], recovery.prior_sd[p]);
        EXPECT_TRUE(recovery.covered[p]) << parameters[p].path;
        // What the figures can teach: about 50 closures a year pin the needs-met % to +/- 7 points (binomial),
        // and the % moves about 0.76 points per point of the probability (closures reaching the plan's end),
        // so with the tolerance's kernel the probability is known to about +/- 0.11 against the prior's 0.23;
        // the open caseload and requests pin the incidence far more tightly. Require at least that much.
        EXPECT_LT(recovery.posterior_sd[p], 0.6 * recovery.prior_sd[p]) << parameters[p].path << ": nothing learned";
    }
    std::printf("stopped: %s after %zu generations, %llu simulations\n", recovery.abc.stop_reason.c_str(),
                recovery.abc.history.size(), static_cast<unsigned long long>(recovery.abc.total_simulations));
}

}  // namespace
}  // namespace ehsim::calibration

namespace ehsim::calibration {
namespace {

// Synthetic data keep each figure's kind and error model: a value is replaced, a range keeps its width about
// the new value, and a figure that is not a number is refused by name.
TEST(Recovery, SyntheticTargetsReplaceValuesAndKeepRangesWidths) {
    TargetsFile targets;
    Target count;
    count.name = "referrals";
    count.kind = TargetKind::count;
    count.value = count.lower = count.upper = 4586;
    Target range;
    range.name = "open families";
    range.kind = TargetKind::range;
    range.lower = 502;
    range.upper = 1000;
    targets.targets = {count, range};
    const TargetsFile synthetic = synthetic_targets(targets, {4000, 800});
    EXPECT_EQ(synthetic.targets[0].value, 4000);
    EXPECT_EQ(synthetic.targets[0].lower, 4000);
    EXPECT_EQ(synthetic.targets[0].upper, 4000);
    EXPECT_EQ(synthetic.targets[1].lower, 551);
    EXPECT_EQ(synthetic.targets[1].upper, 1049);
    EXPECT_EQ(synthetic.targets[1].kind, TargetKind::range);
    try {
        synthetic_targets(targets, {std::nan(""), 800});
        ADD_FAILURE() << "a figure that is not a number was accepted";
    } catch (const std::invalid_argument& error) {
        EXPECT_NE(std::string(error.what()).find("'referrals'"), std::string::npos) << error.what();
    }
    EXPECT_THROW(synthetic_targets(targets, {1}), std::invalid_argument);
}

}  // namespace
}  // namespace ehsim::calibration
