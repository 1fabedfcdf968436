// ABC-SMC by replenishment and Metropolis-Hastings moves (AbcMethod::mcmc_moves) against known posteriors, and
// its determinism. A moved population's particles are correlated (copies share parents), so its Monte Carlo
// error is not that of an independent sample: the known answers are checked with the spread between
// independent runs (a Student-t interval over the runs), which holds whatever the correlation within one.
#include <gtest/gtest.h>

#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "sim/calibration/abc_smc.hpp"
#include "sim/kernel/statistics.hpp"
#include "tests/calibration/abc_test_support.hpp"
#include "tests/support/statistical.hpp"

namespace ehsim::calibration {
namespace {

using namespace testing_support;

TEST(AbcMoves, ConjugateGaussianPosteriorIsRecovered) {
    AbcSettings settings = moves_settings(1);
    settings.scale = DistanceScale::median_absolute_deviation;
    settings.minimum_tolerance = 0.02;  // x 0.71, the prior predictive's MAD: +/- 0.014 around 0.8, negligible
    expect_posterior_over_runs([](const AbcSettings& with) { return conjugate_gaussian(with); }, settings, 8.0 / 11.0,
                               std::sqrt(1.0 / 11.0), "tolerance floor reached");
}

TEST(AbcMoves, GammaPoissonPosteriorIsRecoveredExactly) {
    AbcSettings settings = moves_settings(1);
    settings.scale = DistanceScale::stated_error;
    settings.minimum_tolerance = 0.5;
    expect_posterior_over_runs(gamma_poisson, settings, 14.0 / 6.0, std::sqrt(14.0) / 6.0, "tolerance floor reached");
}

// A log-uniform prior moves on the logarithm, where its density is flat: theta log-uniform on [0.01, 100] and
// one figure log(theta) + N(0, 0.5^2) observed at 0.3 give log(theta) | data ~ N(0.3, 0.5^2) (the prior's bounds
// are 9 sd away). Without the Jacobian the steps would target e^-u times that, a mean 0.25 lower.
TEST(AbcMoves, ALogUniformPriorIsMovedOnItsLogarithm) {
    AbcSettings settings = moves_settings(1);
    settings.scale = DistanceScale::stated_error;
    settings.minimum_tolerance = 0.05;  // +/- 0.005 around 0.3: negligible beside 0.5
    const auto run = [](const AbcSettings& with) {
        const kernel::RandomStreams streams(with.seed + 500);
        AbcSmc abc({prior(PriorKind::log_uniform, 0, 0, 0.01, 100)}, {Observation{0.3, 0.3, 0.1}}, with);
        AbcResult result = abc.run([&](const std::vector<double>& theta, std::uint64_t generation,
                                       std::uint64_t index) {
            kernel::RandomEngine random = streams.stream(generation, "data", index);
            return std::vector<double>{std::log(theta[0]) + boost::random::normal_distribution<double>(0, 0.5)(random)};
        });
        for (double& value : result.population.values) value = std::log(value);  // the moments of log(theta)
        return result;
    };
    expect_posterior_over_runs(run, settings, 0.3, 0.5, "tolerance floor reached");
}

// Inside history matching's space only: the conjugate Gaussian's posterior truncated to theta >= 0.8, whose mean
// is m + s phi(a) / (1 - Phi(a)) with a = (0.8 - m) / s, and no particle outside it.
TEST(AbcMoves, MovesStayInsideTheSpaceLeft) {
    AbcSettings settings = moves_settings(1);
    settings.scale = DistanceScale::median_absolute_deviation;
    settings.minimum_tolerance = 0.02;
    settings.support = [](const std::vector<double>& theta) { return theta[0] >= 0.8; };
    settings.support_lower = {0.8};
    settings.support_upper = {10};
    const double m = 8.0 / 11.0, sd = std::sqrt(1.0 / 11.0), a = (0.8 - m) / sd;
    const double density = std::exp(-0.5 * a * a) / std::sqrt(2 * M_PI), tail = 0.5 * std::erfc(a / std::sqrt(2.0));
    const double mean = m + sd * density / tail;
    const double variance = sd * sd * (1 + a * density / tail - (density / tail) * (density / tail));
    const auto run = [](const AbcSettings& with) {
        const AbcResult result = conjugate_gaussian(with);
        for (std::size_t i = 0; i < result.population.size(); ++i) EXPECT_GE(result.population.value(i, 0), 0.8);
        return result;
    };
    expect_posterior_over_runs(run, settings, mean, std::sqrt(variance), "tolerance floor reached");
}

// A thin, curved space left: |b - a^2| < 0.002 in the unit square, one figure a + N(0, 0.1^2) observed at 0.6.
// Over a in [0.1, 0.99] the band has the same height, so a | data is N(0.6, 0.1^2) (truncation 4 sd away). Steps
// shaped by the particles' covariance cannot follow the curve: at a fixed scale most land outside the band; with
// least_steps_inside the scale shrinks until about that share lands inside, and the posterior is still right.
AbcResult curved_band(const AbcSettings& settings) {
    const kernel::RandomStreams streams(settings.seed + 300);
    AbcSettings with = settings;
    with.support = [](const std::vector<double>& x) { return std::abs(x[1] - x[0] * x[0]) < 0.002; };
    AbcSmc abc({prior(PriorKind::uniform, 0, 0, 0, 1), prior(PriorKind::uniform, 0, 0, 0, 1)},
               {Observation{0.6, 0.6, 0.1}}, with);
    return abc.run([&](const std::vector<double>& x, std::uint64_t generation, std::uint64_t index) {
        kernel::RandomEngine random = streams.stream(generation, "data", index);
        return std::vector<double>{x[0] + boost::random::normal_distribution<double>(0, 0.1)(random)};
    });
}

double inside_share(const GenerationSummary& generation) {
    return static_cast<double>(generation.simulations) /
           static_cast<double>(generation.simulations + generation.proposals_outside_prior);
}

TEST(AbcMoves, StepsShrinkUntilEnoughLandInsideAThinCurvedSpace) {
    AbcSettings settings = moves_settings(1);
    settings.scale = DistanceScale::stated_error;
    settings.minimum_tolerance = 0.1;  // +/- 0.01 around 0.6: negligible beside 0.1
    settings.kernel_scale = 4;
    settings.maximum_moves = 20;
    const AbcResult fixed = curved_band(settings);
    settings.least_steps_inside = 0.5;
    const AbcResult adapted = curved_band(settings);
    const GenerationSummary &was = fixed.history.back(), &now = adapted.history.back();
    std::printf(
        "[ diagnostics ] fixed scale: %.2f of steps inside, %zu distinct; adapted (scale %.3g): %.2f inside, "
        "%zu distinct\n",
        inside_share(was), was.distinct_particles, now.kernel_scale, inside_share(now), now.distinct_particles);
    EXPECT_LT(inside_share(was), 0.3);
    EXPECT_GT(inside_share(now), 0.35);
    EXPECT_LT(now.kernel_scale, settings.kernel_scale);
    EXPECT_GT(now.distinct_particles, was.distinct_particles);
    expect_posterior_over_runs(curved_band, settings, 0.6, 0.1, "tolerance floor reached");
}

// A negative control: the same check must fail when the posterior is wrong, here a truth one posterior sd off.
TEST(AbcMoves, TheCheckOverRunsFailsForAWrongAnswer) {
    kernel::RunningStatistics means;
    AbcSettings settings = moves_settings(1);
    settings.scale = DistanceScale::median_absolute_deviation;
    settings.minimum_tolerance = 0.02;
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
        settings.seed = seed;
        means.add(population_moments(conjugate_gaussian(settings).population).mean);
    }
    EXPECT_FALSE(testing::within_replication_interval(means, 8.0 / 11.0 + std::sqrt(1.0 / 11.0)));
}

AbcSettings small_settings() {
    AbcSettings settings = moves_settings(3);
    settings.particles = 200;
    settings.scale = DistanceScale::median_absolute_deviation;
    settings.minimum_tolerance = 0.05;
    return settings;
}

TEST(AbcMoves, TheSameResultWhateverTheNumberOfThreads) {
    AbcSettings settings = small_settings();
    settings.threads = 1;
    const AbcResult one = conjugate_gaussian(settings);
    ASSERT_GE(one.history.size(), 3u);
    for (const unsigned threads : {2u, 7u}) {
        settings.threads = threads;
        expect_same(one, conjugate_gaussian(settings));
    }
}

TEST(AbcMoves, AnInterruptedRunResumesToTheSameResultAndABudgetKeepsTheLastCompleteGeneration) {
    const std::string checkpoint = ::testing::TempDir() + "/abc-moves-checkpoint.bin";
    std::filesystem::remove(checkpoint);
    AbcSettings settings = small_settings();
    const AbcResult whole = conjugate_gaussian(settings);
    ASSERT_GE(whole.history.size(), 4u);
    settings.checkpoint_file = checkpoint;
    settings.maximum_generations = 2;
    EXPECT_EQ(conjugate_gaussian(settings).history.size(), 2u);
    settings.maximum_generations = AbcSettings{}.maximum_generations;
    settings.threads = 3;
    const AbcResult resumed = conjugate_gaussian(settings, /*resume=*/true);
    expect_same(whole, resumed);
    std::filesystem::remove(checkpoint);

    // A budget met during generation 2's moves leaves generation 1 standing.
    settings = small_settings();
    settings.simulation_budget = whole.history[0].simulations + whole.history[1].simulations + 10;
    const AbcResult stopped = conjugate_gaussian(settings);
    EXPECT_EQ(stopped.stop_reason, "simulation budget spent during generation 2");
    ASSERT_EQ(stopped.history.size(), 2u);
    EXPECT_EQ(stopped.population.values, [&] {
        AbcSettings two = small_settings();
        two.maximum_generations = 2;
        return conjugate_gaussian(two).population.values;
    }());
}

// Settings that make no sense for the method are refused.
TEST(AbcMoves, SettingsOutOfRangeAreRefused) {
    const std::vector<Prior> priors{prior(PriorKind::uniform, 0, 0, 0, 1)};
    const std::vector<Observation> observed{Observation{1, 1, 1}};
    AbcSettings settings = moves_settings(1);
    settings.unmoved_share = 0;
    EXPECT_THROW(AbcSmc(priors, observed, settings), std::invalid_argument);
    settings = moves_settings(1);
    settings.maximum_moves = 0;
    EXPECT_THROW(AbcSmc(priors, observed, settings), std::invalid_argument);
    settings = moves_settings(1);
    settings.target_effective_sample = 0.5;
    EXPECT_THROW(AbcSmc(priors, observed, settings), std::invalid_argument);
}

}  // namespace
}  // namespace ehsim::calibration
