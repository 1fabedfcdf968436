// Delayed acceptance of the moves (AbcSettings::delayed_acceptance): whatever the screen, the posterior is the
// one the simulations alone give; a screen that predicts well saves simulations; and the run is as deterministic
// as without it. Checked over independent runs as in abc_moves_test.cpp.
#include <gtest/gtest.h>

#include <boost/random/normal_distribution.hpp>
#include <cstdio>
#include <filesystem>

#include "sim/calibration/abc_smc.hpp"
#include "tests/calibration/abc_test_support.hpp"

namespace ehsim::calibration {
namespace {

using namespace testing_support;

// One run of the conjugate Gaussian's simulator is theta + N(0, 0.1): this screen predicts it exactly.
RunPredictions exact_prediction(const Eigen::MatrixXd& theta) {
    return {theta.col(0), Eigen::MatrixXd::Constant(theta.rows(), 1, 0.1)};
}

// Confidently wrong: 0.4 too high (1.3 posterior sd) with a tenth of the true spread, so it screens out most of
// the posterior's lower half.
RunPredictions misleading_prediction(const Eigen::MatrixXd& theta) {
    return {theta.col(0).array() + 0.4, Eigen::MatrixXd::Constant(theta.rows(), 1, 0.01)};
}

AbcSettings screened_settings(RunSurrogate surrogate) {
    AbcSettings settings = moves_settings(1);
    settings.scale = DistanceScale::median_absolute_deviation;
    settings.minimum_tolerance = 0.02;  // as in AbcMoves.ConjugateGaussianPosteriorIsRecovered
    settings.delayed_acceptance = true;
    settings.surrogate = std::move(surrogate);
    return settings;
}

TEST(AbcDelayedAcceptance, AScreenThatPredictsWellLeavesThePosteriorAsItWas) {
    expect_posterior_over_runs([](const AbcSettings& with) { return conjugate_gaussian(with); },
                               screened_settings(exact_prediction), 8.0 / 11.0, std::sqrt(1.0 / 11.0),
                               "tolerance floor reached");
}

// The second stage is what keeps a wrong screen from biasing the answer: without it, this screen's mean would sit
// well above 8/11.
TEST(AbcDelayedAcceptance, AConfidentlyWrongScreenLeavesThePosteriorAsItWas) {
    expect_posterior_over_runs([](const AbcSettings& with) { return conjugate_gaussian(with); },
                               screened_settings(misleading_prediction), 8.0 / 11.0, std::sqrt(1.0 / 11.0),
                               "tolerance floor reached");
}

// Where what decides acceptance is the parameters more than a run's noise (theta uniform on [0, 10], one run theta +
// N(0, 0.05^2), observed 5 with error 1), a screen that knows this refuses most of the steps that would miss, before
// they are run: the same tolerance floor is reached with fewer simulations. (On the conjugate Gaussian above, where
// a run's noise decides most misses, no screen can save much.)
AbcResult sharp_figure(const AbcSettings& settings) {
    const kernel::RandomStreams streams(settings.seed + 900);
    AbcSmc abc({prior(PriorKind::uniform, 0, 0, 0, 10)}, {Observation{5, 5, 1}}, settings);
    return abc.run([&](const std::vector<double>& theta, std::uint64_t generation, std::uint64_t index) {
        kernel::RandomEngine random = streams.stream(generation, "data", index);
        return std::vector<double>{theta[0] + boost::random::normal_distribution<double>(0, 0.05)(random)};
    });
}

TEST(AbcDelayedAcceptance, AScreenThatPredictsWellSavesSimulations) {
    std::uint64_t plain = 0, screened = 0, refused = 0;
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
        AbcSettings settings = moves_settings(seed);
        settings.scale = DistanceScale::stated_error;
        settings.minimum_tolerance = 0.1;
        settings.kernel_scale = 9;  // steps three times the particles' spread: most miss, as in many dimensions
        const AbcResult without = sharp_figure(settings);
        settings.delayed_acceptance = true;
        settings.surrogate = [](const Eigen::MatrixXd& theta) {
            return RunPredictions{theta.col(0), Eigen::MatrixXd::Constant(theta.rows(), 1, 0.05 * 0.05)};
        };
        const AbcResult with = sharp_figure(settings);
        EXPECT_EQ(with.stop_reason, "tolerance floor reached");
        EXPECT_EQ(without.stop_reason, "tolerance floor reached");
        EXPECT_EQ(with.history[0].proposals_screened, 0u);  // the first generation draws from the prior
        plain += without.total_simulations;
        screened += with.total_simulations;
        for (const GenerationSummary& generation : with.history) refused += generation.proposals_screened;
    }
    std::printf(
        "[ diagnostics ] simulations to the floor: %llu without the screen, %llu with it (%llu steps "
        "screened out)\n",
        static_cast<unsigned long long>(plain), static_cast<unsigned long long>(screened),
        static_cast<unsigned long long>(refused));
    EXPECT_GT(refused, 0u);
    EXPECT_LT(static_cast<double>(screened), 0.75 * static_cast<double>(plain));
}

TEST(AbcDelayedAcceptance, TheSameResultWhateverTheThreadsAndWhenResumed) {
    AbcSettings settings = screened_settings(exact_prediction);
    settings.particles = 200;
    settings.minimum_tolerance = 0.05;
    settings.threads = 1;
    const AbcResult one = conjugate_gaussian(settings);
    ASSERT_GE(one.history.size(), 4u);
    settings.threads = 7;
    expect_same(one, conjugate_gaussian(settings));

    const std::string checkpoint = ::testing::TempDir() + "/abc-screened-checkpoint.bin";
    std::filesystem::remove(checkpoint);
    settings.checkpoint_file = checkpoint;
    settings.maximum_generations = 2;
    EXPECT_EQ(conjugate_gaussian(settings).history.size(), 2u);
    settings.maximum_generations = AbcSettings{}.maximum_generations;
    settings.threads = 2;
    expect_same(one, conjugate_gaussian(settings, /*resume=*/true));
    // A checkpoint of the run without the screen is another run's: refused.
    settings.delayed_acceptance = false;
    EXPECT_THROW(conjugate_gaussian(settings, /*resume=*/true), std::runtime_error);
    std::filesystem::remove(checkpoint);
}

TEST(AbcDelayedAcceptance, SettingsThatCannotWorkAreRefused) {
    const std::vector<Prior> priors{prior(PriorKind::uniform, 0, 0, 0, 1)};
    const std::vector<Observation> observed{Observation{1, 1, 1}};
    AbcSettings settings = screened_settings(exact_prediction);
    settings.method = AbcMethod::importance_weights;
    EXPECT_THROW(AbcSmc(priors, observed, settings), std::invalid_argument);
    for (const double floor : {0.0, -0.1, 1.5}) {
        settings = screened_settings(exact_prediction);
        settings.surrogate_floor = floor;
        EXPECT_THROW(AbcSmc(priors, observed, settings), std::invalid_argument) << floor;
    }
    settings = screened_settings(nullptr);
    AbcSmc without_surrogate(priors, observed, settings);
    EXPECT_THROW(without_surrogate.run(
                     [](const std::vector<double>&, std::uint64_t, std::uint64_t) { return std::vector<double>{1}; }),
                 std::invalid_argument);
    // Predictions of the wrong shape are a programming error, said at once.
    settings = screened_settings([](const Eigen::MatrixXd& theta) {
        return RunPredictions{Eigen::MatrixXd::Zero(theta.rows(), 2), Eigen::MatrixXd::Ones(theta.rows(), 2)};
    });
    EXPECT_THROW(conjugate_gaussian(settings), std::logic_error);
}

}  // namespace
}  // namespace ehsim::calibration
