// History matching in waves (history_match) on a stochastic toy simulator whose non-implausible region is known
// in closed form, and ABC-SMC started inside the space it leaves.
//
// The toy: two figures of three parameters, f1 = a + b + 0.3 sin(6 a) and f2 = a - b (b log-uniform, so the
// waves work in its logarithm), each run with normal noise of sd 0.01; c does nothing. Observed at the truth
// a = 0.3, b = 0.2, each with an observation sd of 0.02. A point is implausible when either figure's mean misses
// by more than 3 sd of everything (0.02 observation, 0.01 run noise, the emulator's own), so the region is a
// small curved diamond around the truth in (a, b), and the whole range of c.
#include <gtest/gtest.h>

#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <cstdio>
#include <functional>
#include <vector>

#include "sim/calibration/abc_smc.hpp"
#include "sim/calibration/history_matching.hpp"
#include "sim/kernel/random_streams.hpp"

namespace ehsim::calibration {
namespace {

constexpr double kRunNoise = 0.01, kObservedSd = 0.02;

std::vector<Prior> toy_priors() {
    return {Prior{PriorKind::uniform, 0, 0, 0, 1}, Prior{PriorKind::log_uniform, 0, 0, 0.01, 1},
            Prior{PriorKind::uniform, 0, 0, 0, 1}};
}

double toy_first(double a, double b) { return a + b + 0.3 * std::sin(6 * a); }

std::vector<double> toy_run(const std::vector<double>& x, std::uint64_t stream_group, std::uint64_t run) {
    kernel::RandomEngine engine = kernel::RandomStreams(99).stream(stream_group, "toy run", run);
    boost::random::normal_distribution<double> noise(0, kRunNoise);
    return {toy_first(x[0], x[1]) + noise(engine), x[0] - x[1] + noise(engine)};
}

std::vector<MatchedFigure> toy_figures() {
    const double first = toy_first(0.3, 0.2);
    return {{first, first, kObservedSd * kObservedSd, 0}, {0.1, 0.1, kObservedSd * kObservedSd, 0}};
}

HistoryMatchingResult toy_match(unsigned threads) {
    HistoryMatchingSettings settings;
    settings.points_per_wave = 30;
    settings.rule = ImplausibilityRule::maximum;
    settings.volume_samples = 5000;
    settings.seed = 7;
    settings.threads = threads;
    return history_match(toy_priors(), toy_figures(), toy_run, settings);
}

// The largest distance, in sd of the observation and the run noise, of a point's figures from the observed.
double true_implausibility(double a, double b) {
    const double sd = std::sqrt(kObservedSd * kObservedSd + kRunNoise * kRunNoise);
    return std::max(std::abs(toy_first(a, b) - toy_first(0.3, 0.2)), std::abs(a - b - 0.1)) / sd;
}

TEST(HistoryMatchingWaves, TheSpaceLeftHoldsTheTruthAndExcludesWhatIsKnownImplausible) {
    const HistoryMatchingResult result = toy_match(2);
    ASSERT_GE(result.waves.size(), 2u) << result.stop_reason;  // the sine is not caught by the first wave
    EXPECT_FALSE(result.stop_reason.empty());
    EXPECT_TRUE(result.warnings.empty());
    // The truth, with any value of the inert c.
    for (const double c : {0.0, 0.5, 1.0}) EXPECT_TRUE(result.contains({0.3, 0.2, c})) << c;
    // Points whose figures miss by more than 6 sd are cut (the emulators can only widen the cut-off of 3).
    kernel::RandomEngine engine = kernel::RandomStreams(5).stream(0, "test points");
    int implausible = 0, cut = 0;
    for (int i = 0; i < 2000; ++i) {
        const double a = engine.uniform(), b = 0.01 * std::pow(100.0, engine.uniform()), c = engine.uniform();
        if (true_implausibility(a, b) <= 6) continue;
        ++implausible;
        cut += result.contains({a, b, c}) ? 0 : 1;
    }
    ASSERT_GT(implausible, 1500);
    EXPECT_EQ(cut, implausible);
    // The true region's share of the box [0, 1] x [log 0.01, log 1] x [0, 1], by Monte Carlo: the volume left is
    // at least it (less would cut the truth somewhere) and not much more (the emulators' variance widens it).
    double inside = 0;
    for (int i = 0; i < 200000; ++i)
        inside += true_implausibility(engine.uniform(), 0.01 * std::pow(100.0, engine.uniform())) <= 3 ? 1 : 0;
    const double truth = inside / 200000;
    EXPECT_GT(result.waves.back().volume, 0.8 * truth);
    EXPECT_LT(result.waves.back().volume, 4 * truth);
    // Each wave shrinks the space or stops the matching.
    for (std::size_t w = 1; w < result.waves.size(); ++w)
        EXPECT_LE(result.waves[w].volume, result.waves[w - 1].volume * 1.05) << w;
}

TEST(HistoryMatchingWaves, LeaveOneOutErrorsAreMostlyWithinTwo) {
    const HistoryMatchingResult result = toy_match(1);
    for (const WaveRecord& wave : result.waves)
        for (Eigen::Index k = 0; k < wave.loo_within_2.size(); ++k) EXPECT_GE(wave.loo_within_2(k), 0.8) << k;
}

TEST(HistoryMatchingWaves, TheSpaceLeftDoesNotDependOnTheThreadCount) {
    const HistoryMatchingResult one = toy_match(1), two = toy_match(2);
    ASSERT_EQ(one.waves.size(), two.waves.size());
    EXPECT_EQ(one.fingerprint, two.fingerprint);
    for (std::size_t w = 0; w < one.waves.size(); ++w) EXPECT_EQ(one.waves[w].volume, two.waves[w].volume);
}

TEST(HistoryMatchingWaves, FiguresThatCannotBeMetTogetherLeaveTheWaveBefore) {
    // f1 cannot be 3 when a <= 1 and b <= 1: the first wave rules out everything.
    std::vector<MatchedFigure> figures = toy_figures();
    figures[0] = {3, 3, kObservedSd * kObservedSd, 0};
    HistoryMatchingSettings settings;
    settings.points_per_wave = 30;
    settings.rule = ImplausibilityRule::maximum;
    settings.volume_samples = 2000;
    const HistoryMatchingResult result = history_match(toy_priors(), figures, toy_run, settings);
    EXPECT_EQ(result.stop_reason, "a wave ruled out every point sampled");
    ASSERT_EQ(result.warnings.size(), 1u);
    EXPECT_TRUE(result.contains({0.3, 0.2, 0.5}));  // the prior's box, as before the wave
}

// Three figures, each one parameter read with noise, observed at 0.5 with a small error: the space left is a
// cube of side 6 sd (0.0566) about the truth, 1.8e-4 of the prior box, so the first wave's 20,000 uniform draws
// find about four points. Chains explore from them and the space is measured again in the box they reach: the
// volume comes out near the cube's, and the box handed to ABC-SMC holds the whole cube.
TEST(HistoryMatchingWaves, ASpaceTooSmallToSampleIsExploredThenMeasured) {
    static constexpr double kObserved = 0.008, kNoise = 0.005;
    const auto run = [](const std::vector<double>& x, std::uint64_t stream_group, std::uint64_t index) {
        kernel::RandomEngine engine = kernel::RandomStreams(3).stream(stream_group, "toy run", index);
        boost::random::normal_distribution<double> noise(0, kNoise);
        return std::vector<double>{x[0] + noise(engine), x[1] + noise(engine), x[2] + noise(engine)};
    };
    const std::vector<Prior> priors(3, Prior{PriorKind::uniform, 0, 0, 0, 1});
    const std::vector<MatchedFigure> figures(3, MatchedFigure{0.5, 0.5, kObserved * kObserved, 0});
    HistoryMatchingSettings settings;
    settings.points_per_wave = 30;
    settings.rule = ImplausibilityRule::maximum;
    settings.maximum_waves = 1;
    settings.seed = 5;
    const HistoryMatchingResult result = history_match(priors, figures, run, settings);
    ASSERT_EQ(result.waves.size(), 1u) << result.stop_reason;
    ASSERT_EQ(result.warnings.size(), 1u);
    EXPECT_NE(result.warnings.front().find("Metropolis chains explored"), std::string::npos) << result.warnings.front();
    const double side = 6 * std::sqrt(kObserved * kObserved + kNoise * kNoise), cube = side * side * side;
    std::printf("[ diagnostics ] explored space: volume %.3g against the cube's %.3g; %s\n",
                result.waves.front().volume, cube, result.warnings.front().c_str());
    // The emulators are near exact for a linear figure, so the space is the cube, widened a little by their variance.
    EXPECT_GT(result.waves.front().volume, 0.8 * cube);
    EXPECT_LT(result.waves.front().volume, 1.5 * cube);
    for (std::size_t p = 0; p < 3; ++p) {
        EXPECT_LE(result.box_lower[p], 0.5 - side / 2) << p;
        EXPECT_GE(result.box_upper[p], 0.5 + side / 2) << p;
    }
    EXPECT_TRUE(result.contains({0.5, 0.5, 0.5}));
    EXPECT_FALSE(result.contains({0.5, 0.5, 0.5 + side}));
}

TEST(HistoryMatchingWaves, RefusesTooFewDesignPoints) {
    HistoryMatchingSettings settings;
    settings.points_per_wave = 5;
    EXPECT_THROW(history_match(toy_priors(), toy_figures(), toy_run, settings), std::invalid_argument);
}

AbcResult toy_abc(const std::function<bool(const std::vector<double>&)>& support, const HistoryMatchingResult* box,
                  const std::function<std::vector<bool>(const Eigen::MatrixXd&)>& support_all = {}) {
    AbcSettings settings;
    settings.support_all = support_all;
    if (box) settings.support_lower = box->box_lower, settings.support_upper = box->box_upper;
    settings.particles = 300;
    settings.seed = 3;
    settings.maximum_generations = 5;
    settings.threads = 2;
    settings.support = support;
    AbcSmc abc(toy_priors(), {{toy_first(0.3, 0.2), toy_first(0.3, 0.2), kObservedSd}, {0.1, 0.1, kObservedSd}},
               settings);
    return abc.run([](const std::vector<double>& x, std::uint64_t generation, std::uint64_t index) {
        return toy_run(x, 100 + generation, index);
    });
}

TEST(HistoryMatchingWaves, AbcSmcStartedInsideTheSpaceLeftKeepsEveryParticleInsideIt) {
    const HistoryMatchingResult matched = toy_match(2);
    const AbcResult inside = toy_abc(matched.contains, &matched), from_prior = toy_abc({}, nullptr);
    // The box only speeds the first generation's draws: without it, the same space and much the same posterior.
    const AbcResult unboxed = toy_abc(matched.contains, nullptr);
    EXPECT_LT(std::abs(unboxed.history.back().tolerance - inside.history.back().tolerance),
              0.5 * inside.history.back().tolerance);
    for (std::size_t p = 0; p < 3; ++p) {
        EXPECT_LE(matched.box_lower[p], 0.3 + (p == 1 ? -0.1 : 0.0)) << p;
        EXPECT_GE(matched.box_upper[p], 0.3 + (p == 1 ? -0.1 : 0.0)) << p;
    }
    const Population& population = inside.population;
    for (std::size_t p = 0; p < 2; ++p) {
        double mean = 0, square = 0;
        for (std::size_t i = 0; i < population.size(); ++i) {
            EXPECT_TRUE(matched.contains({population.value(i, 0), population.value(i, 1), population.value(i, 2)}));
            mean += population.weights[i] * population.value(i, p);
            square += population.weights[i] * population.value(i, p) * population.value(i, p);
        }
        // The truth within two posterior sd of the posterior mean.
        EXPECT_NEAR(mean, p == 0 ? 0.3 : 0.2, 2 * std::sqrt(square - mean * mean)) << p;
    }
    // The first generation starts where ABC from the prior gets to only after generations: its tolerance (the
    // largest distance of the first draws) is a small part of the prior's.
    EXPECT_LT(inside.history.front().tolerance, 0.25 * from_prior.history.front().tolerance);
    // And after as many generations, it is no further from the figures.
    EXPECT_LE(inside.history.back().tolerance, from_prior.history.back().tolerance);
    // Testing the first generation's candidates a block at once draws the same particles as one by one.
    const AbcResult in_blocks = toy_abc(matched.contains, &matched, matched.contains_all);
    EXPECT_EQ(in_blocks.population.values, inside.population.values);
    EXPECT_EQ(in_blocks.population.weights, inside.population.weights);
}

}  // namespace
}  // namespace ehsim::calibration
