// ABC-SMC against known answers (conjugate Gaussian, Gamma-Poisson), priors against their moments, and
// determinism: the same result for any number of threads and for an interrupted-and-resumed run.
#include "sim/calibration/abc_smc.hpp"

#include <gtest/gtest.h>

#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "sim/kernel/statistics.hpp"
#include "tests/calibration/abc_test_support.hpp"
#include "tests/support/statistical.hpp"

namespace ehsim::calibration {
namespace {

using namespace testing_support;

// The density integrates to one over its bounds, and draws have the distribution's mean.
TEST(Priors, DensitiesAreNormalisedAndDrawsHaveTheRightMoments) {
    struct Case {
        Prior prior;
        double mean, sd;
    };
    const double pi = std::acos(-1.0);
    const std::vector<Case> cases{
        {prior(PriorKind::uniform, 0, 0, 2, 6), 4, 4 / std::sqrt(3.0)},
        {prior(PriorKind::log_uniform, 0, 0, 1, 100), 99 / std::log(100.0),
         std::sqrt((100.0 * 100 - 1) / (2 * std::log(100.0)) - std::pow(99 / std::log(100.0), 2))},
        {prior(PriorKind::normal, 1, 2, -1e9, 1e9), 1, 2},
        {prior(PriorKind::normal, 0, 1, 0, 1e9), std::sqrt(2 / pi), std::sqrt(1 - 2 / pi)},  // half-normal
        {prior(PriorKind::beta, 2, 5, 0, 1), 2.0 / 7, std::sqrt(10.0 / (49 * 8))},
        {prior(PriorKind::gamma, 3, 2, 0, 1e9), 6, std::sqrt(12.0)},
    };
    for (const Case& known : cases) {
        known.prior.check();
        // Density: the midpoint rule over the bounds (or over 12 sd for infinite-looking bounds).
        const double from = std::max(known.prior.lower, known.mean - 12 * known.sd);
        const double to = std::min(known.prior.upper, known.mean + 12 * known.sd);
        constexpr int kSteps = 20000;
        double mass = 0;
        for (int i = 0; i < kSteps; ++i)
            mass += std::exp(known.prior.log_density(from + (to - from) * (i + 0.5) / kSteps)) * (to - from) / kSteps;
        EXPECT_NEAR(mass, 1.0, 2e-3) << to_string(known.prior.kind);
        kernel::RandomStreams streams(3);
        kernel::RandomEngine random = streams.stream(0, "prior test", static_cast<std::uint64_t>(known.prior.kind));
        kernel::RunningStatistics draws;
        for (int i = 0; i < 100000; ++i) draws.add(known.prior.sample(random));
        EXPECT_TRUE(testing::sample_mean_matches(draws, known.mean, known.sd)) << to_string(known.prior.kind);
        EXPECT_EQ(known.prior.log_density(known.prior.lower - 1), -std::numeric_limits<double>::infinity());
        // The distribution function inverts the quantile (and is 0 and 1 beyond the bounds).
        for (const double u : {0.01, 0.25, 0.5, 0.9, 0.999})
            EXPECT_NEAR(known.prior.cdf(known.prior.quantile(u)), u, 1e-9) << to_string(known.prior.kind) << " " << u;
        EXPECT_EQ(known.prior.cdf(known.prior.lower), 0.0);
        EXPECT_EQ(known.prior.cdf(known.prior.upper), 1.0);
    }
    EXPECT_THROW(prior(PriorKind::beta, 2, 5, 0, 2).check(), std::invalid_argument);
    EXPECT_THROW(prior(PriorKind::log_uniform, 0, 0, 0, 1).check(), std::invalid_argument);
    EXPECT_THROW(prior(PriorKind::normal, 0, -1, -1, 1).check(), std::invalid_argument);
    EXPECT_THROW(prior(PriorKind::uniform, 0, 0, 3, 3).check(), std::invalid_argument);
}

// The weighted mean and sd of the last generation against the analytic posterior; the allowance is the
// Monte Carlo error of an importance sample of the given effective size (99.99% two-sided).
void expect_posterior(const AbcResult& result, double mean, double sd) {
    const Population& population = result.population;
    double weighted_mean = 0, weighted_square = 0;
    for (std::size_t i = 0; i < population.size(); ++i) {
        weighted_mean += population.weights[i] * population.value(i, 0);
        weighted_square += population.weights[i] * population.value(i, 0) * population.value(i, 0);
    }
    const double weighted_sd = std::sqrt(weighted_square - weighted_mean * weighted_mean);
    const double ess = result.history.back().effective_sample_size;
    const double z = testing::normal_critical_value();
    std::printf(
        "posterior mean %.4f (truth %.4f), sd %.4f (truth %.4f), ESS %.0f, tolerance %.4f, %zu generations, "
        "%llu simulations\n",
        weighted_mean, mean, weighted_sd, sd, ess, result.history.back().tolerance, result.history.size(),
        static_cast<unsigned long long>(result.total_simulations));
    EXPECT_NEAR(weighted_mean, mean, z * sd / std::sqrt(ess));
    EXPECT_NEAR(weighted_sd, sd, z * sd / std::sqrt(2 * ess));
}

TEST(AbcSmc, ConjugateGaussianPosteriorIsRecovered) {
    AbcSettings settings;
    settings.particles = 2000;
    settings.scale = DistanceScale::median_absolute_deviation;
    settings.minimum_tolerance = 0.02;  // x 0.71, the prior predictive's MAD: a kernel of +/- 0.014 around 0.8
    settings.minimum_acceptance_rate = 0.001;
    settings.minimum_tolerance_change = 0;
    settings.threads = 2;
    const AbcResult result = conjugate_gaussian(settings);
    EXPECT_EQ(result.stop_reason, "tolerance floor reached");
    // The uniform kernel of half-width e widens the likelihood's variance by e^2/3 = 7e-5 against 0.1: negligible.
    expect_posterior(result, 8.0 / 11.0, std::sqrt(1.0 / 11.0));
}

// Four conjugate Gaussians at once: theta_p ~ N(0, 1), figure p = theta_p + N(0, 0.1), observed at `observed`.
AbcResult four_gaussians(const AbcSettings& settings, const std::vector<double>& observed) {
    std::vector<Observation> observations;
    for (const double z : observed) observations.push_back(Observation{z, z, 1.0});
    const kernel::RandomStreams streams(31);
    AbcSmc abc(std::vector<Prior>(4, prior(PriorKind::normal, 0, 1, -10, 10)), observations, settings);
    return abc.run([&](const std::vector<double>& theta, std::uint64_t generation, std::uint64_t index) {
        kernel::RandomEngine random = streams.stream(generation, "data", index);
        boost::random::normal_distribution<double> noise(0, std::sqrt(0.1));
        std::vector<double> figures;
        for (const double value : theta) figures.push_back(value + noise(random));
        return figures;
    });
}

// Four independent conjugate Gaussians at once, theta_p ~ N(0, 1) and one figure theta_p + N(0, 0.1) each,
// observed at z_p: with the distance's ball of radius R = 2 e about z (the root mean square of four
// offsets within e), the ABC likelihood's variance per figure is 0.1 + R^2 / 6 (a uniform ball in 4
// dimensions), so theta_p | z ~ N(z_p / (1 + v), v / (1 + v)) with v that variance. Both kernels must recover
// it; the local kernel, whose steps match the particles kept, must need fewer simulations to get there.
TEST(AbcSmc, BothKernelsRecoverAFourDimensionalGaussianPosteriorTheLocalOneForFewerSimulations) {
    const std::vector<double> observed{0.8, -0.5, 0.3, 1.2};
    std::uint64_t simulations[2] = {0, 0};
    for (const PerturbationKernel kind : {PerturbationKernel::global, PerturbationKernel::local}) {
        AbcSettings settings;
        settings.particles = 1000;
        settings.kernel = kind;
        settings.minimum_tolerance = 0.15;
        settings.minimum_acceptance_rate = 0.001;
        settings.minimum_tolerance_change = 0;
        settings.threads = 2;
        const AbcResult result = four_gaussians(settings, observed);
        EXPECT_EQ(result.stop_reason, "tolerance floor reached");
        const double v = 0.1 + std::pow(2 * 0.15, 2) / 6;
        for (std::size_t p = 0; p < 4; ++p) {
            AbcResult one = result;  // expect_posterior reads the first parameter
            one.population.parameters = 1;
            one.population.values.clear();
            for (std::size_t i = 0; i < result.population.size(); ++i)
                one.population.values.push_back(result.population.value(i, p));
            expect_posterior(one, observed[p] / (1 + v), std::sqrt(v / (1 + v)));
        }
        simulations[kind == PerturbationKernel::local] = result.total_simulations;
    }
    std::printf("simulations to the tolerance floor: %llu (global kernel), %llu (local)\n",
                static_cast<unsigned long long>(simulations[0]), static_cast<unsigned long long>(simulations[1]));
    EXPECT_LT(simulations[1], simulations[0]);
}

// The adaptive scale follows its rule from the history (wider after an effective sample below the target share,
// narrower after one above it by 0.25), and a narrow start widens until the effective sample reaches the target.
TEST(AbcSmc, TheKernelScaleAdaptsToTheTargetEffectiveSample) {
    AbcSettings settings;
    settings.particles = 1000;
    settings.kernel = PerturbationKernel::local;  // narrow at 0.5: its effective sample falls below the target
    settings.kernel_scale = 0.5;
    settings.target_effective_sample = 0.6;
    settings.minimum_tolerance = 0.15;
    settings.minimum_acceptance_rate = 0.001;
    settings.minimum_tolerance_change = 0;
    settings.maximum_generations = 8;
    settings.threads = 2;
    const AbcResult result = four_gaussians(settings, {0.8, -0.5, 0.3, 1.2});
    ASSERT_GE(result.history.size(), 5u);
    EXPECT_EQ(result.history[0].kernel_scale, 0.0);
    EXPECT_EQ(result.history[1].kernel_scale, 0.5);
    double scale = 0.5;
    for (std::size_t g = 1; g + 1 < result.history.size(); ++g) {
        const double share = result.history[g].effective_sample_size / 1000.0;
        scale = share < 0.6 ? scale * 1.5 : (share > 0.85 ? scale / 1.25 : scale);
        EXPECT_DOUBLE_EQ(result.history[g + 1].kernel_scale, scale) << "generation " << g + 1;
        std::printf("generation %zu: scale %.3f, effective sample %.0f\n", g, result.history[g].kernel_scale,
                    result.history[g].effective_sample_size);
    }
    EXPECT_GT(result.history.back().kernel_scale, 0.5);
    EXPECT_GE(result.history.back().effective_sample_size, 0.5 * 1000);
}

// lambda ~ Gamma(2, rate 1); five Poisson(lambda) counts summing to 12: lambda | data ~ Gamma(14, rate 6).
// With a tolerance below one count, only exact matches are accepted and the ABC posterior is exact.
TEST(AbcSmc, GammaPoissonPosteriorIsRecoveredExactly) {
    AbcSettings settings;
    settings.particles = 2000;
    settings.scale = DistanceScale::stated_error;
    settings.tolerance_quantile = 0.2;
    settings.minimum_tolerance = 0.5;
    settings.minimum_acceptance_rate = 0.001;
    settings.minimum_tolerance_change = 0;
    settings.threads = 2;
    const AbcResult result = gamma_poisson(settings);
    EXPECT_EQ(result.stop_reason, "tolerance floor reached");
    expect_posterior(result, 14.0 / 6.0, std::sqrt(14.0) / 6.0);
}

// A figure that is not fitted is no part of the distance, whatever its value; with none fitted, nothing is.
TEST(AbcSmc, AFigureNotFittedIsNoPartOfTheDistance) {
    AbcSettings settings;
    const AbcSmc both({prior(PriorKind::uniform, 0, 0, 0, 1)}, {Observation{1, 1, 1}, Observation{5, 5, 1, false}},
                      settings);
    const AbcSmc one({prior(PriorKind::uniform, 0, 0, 0, 1)}, {Observation{1, 1, 1}}, settings);
    EXPECT_EQ(both.distance({3, 100}, {1, 1}), one.distance({3}, {1}));
    EXPECT_EQ(both.distance({3, 100}, {1, 1}), 2.0);
    EXPECT_THROW(AbcSmc({prior(PriorKind::uniform, 0, 0, 0, 1)}, {Observation{5, 5, 1, false}}, settings),
                 std::invalid_argument);
}

AbcSettings small_settings() {
    AbcSettings settings;
    settings.particles = 300;
    settings.scale = DistanceScale::median_absolute_deviation;
    settings.minimum_tolerance = 0.05;
    settings.minimum_acceptance_rate = 0.001;
    return settings;
}

TEST(AbcSmc, TheSameResultWhateverTheNumberOfThreads) {
    AbcSettings settings = small_settings();
    settings.threads = 1;
    const AbcResult one = conjugate_gaussian(settings);
    ASSERT_GE(one.history.size(), 3u);
    for (const unsigned threads : {2u, 8u}) {
        settings.threads = threads;
        expect_same(one, conjugate_gaussian(settings));
    }
}

TEST(AbcSmc, AnInterruptedRunResumesToTheSameResult) {
    const std::string checkpoint = ::testing::TempDir() + "/abc-checkpoint.bin";
    std::filesystem::remove(checkpoint);
    AbcSettings settings = small_settings();
    settings.threads = 2;
    settings.target_effective_sample = 0.9;  // the scale moves: the resumed run must find the same scales
    const AbcResult whole = conjugate_gaussian(settings);
    ASSERT_GE(whole.history.size(), 4u);
    // Interrupted after two generations (as a killed run leaves its last checkpoint) ...
    settings.checkpoint_file = checkpoint;
    settings.maximum_generations = 2;
    const AbcResult part = conjugate_gaussian(settings);
    EXPECT_EQ(part.history.size(), 2u);
    // ... and resumed, on another number of threads.
    settings.maximum_generations = AbcSettings{}.maximum_generations;
    settings.threads = 3;
    std::size_t first_generation_run = 99;
    AbcProgress progress;
    progress.generation_done = [&](const GenerationSummary& summary) {
        first_generation_run = std::min(first_generation_run, summary.generation);
    };
    const AbcResult resumed = conjugate_gaussian(settings, /*resume=*/true, progress);
    EXPECT_EQ(first_generation_run, 2u) << "the resumed run starts where the checkpoint ends";
    expect_same(whole, resumed);
    EXPECT_EQ(whole.stop_reason, resumed.stop_reason);
    // A checkpoint from other settings is refused.
    settings.seed = 2;
    AbcSmc other({prior(PriorKind::normal, 0, 1, -10, 10)}, {Observation{0.8, 0.8, 0.1}}, settings);
    EXPECT_THROW(
        other.run([](const std::vector<double>&, std::uint64_t, std::uint64_t) { return std::vector<double>{0}; },
                  true),
        std::runtime_error);
    std::filesystem::remove(checkpoint);
}

// Runs two generations with a checkpoint (left in `settings`) and returns the checkpoint's bytes.
std::string two_generations_checkpointed(AbcSettings& settings, const std::string& checkpoint) {
    std::filesystem::remove(checkpoint);
    settings.checkpoint_file = checkpoint;
    settings.maximum_generations = 2;
    conjugate_gaussian(settings);
    std::ifstream in(checkpoint, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void overwrite(const std::string& file, const std::string& bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << bytes;
}

// Checkpoints of earlier formats: 1 kept seven numbers a generation (no distinct particles, no steps), 2 nine (no
// steps screened out); both still resume to the same result.
TEST(AbcSmc, CheckpointsOfEarlierFormatsStillResume) {
    const std::string checkpoint = ::testing::TempDir() + "/abc-checkpoint-earlier-format.bin";
    AbcSettings settings = small_settings();
    settings.threads = 2;
    const AbcResult whole = conjugate_gaussian(settings);
    for (const auto& [format, fields] : {std::pair{'1', 7}, std::pair{'2', 9}}) {
        const std::string bytes = two_generations_checkpointed(settings, checkpoint);
        ASSERT_EQ(bytes.substr(0, 8), "EHABCSM3");
        // fingerprint, next generation, elapsed, history size
        std::string old = std::string("EHABCSM") + format + bytes.substr(8, 32);
        std::uint64_t generations = 0;
        std::memcpy(&generations, bytes.data() + 32, sizeof generations);
        ASSERT_EQ(generations, 2u);
        std::size_t at = 40;
        for (std::uint64_t g = 0; g < generations; ++g, at += 10 * 8)
            old += bytes.substr(at, static_cast<std::size_t>(fields) * 8);
        old += bytes.substr(at);
        overwrite(checkpoint, old);
        settings.maximum_generations = AbcSettings{}.maximum_generations;
        const AbcResult resumed = conjugate_gaussian(settings, /*resume=*/true);
        expect_same(whole, resumed);
        EXPECT_EQ(resumed.history[1].distinct_particles, settings.particles) << format;
    }
    std::filesystem::remove(checkpoint);
}

// A damaged checkpoint is refused in one message naming the file, whether cut short or with a population that
// cannot come from the set-up (a weight of 5 where the fingerprint still matches).
TEST(AbcSmc, ADamagedCheckpointIsRefusedNamingTheFile) {
    const std::string checkpoint = ::testing::TempDir() + "/abc-checkpoint-damaged.bin";
    AbcSettings settings = small_settings();
    const std::string bytes = two_generations_checkpointed(settings, checkpoint);
    const auto write = [&](const std::string& content) { overwrite(checkpoint, content); };
    const auto refusal = [&] {
        try {
            conjugate_gaussian(settings, /*resume=*/true);
        } catch (const std::runtime_error& error) {
            return std::string(error.what());
        }
        return std::string("resumed");
    };
    settings.maximum_generations = AbcSettings{}.maximum_generations;
    write(bytes.substr(0, bytes.size() / 2));
    EXPECT_EQ(refusal(),
              "the checkpoint '" + checkpoint + "' is truncated: it cannot be resumed; run again without --resume");
    // Walk to the first weight: header (40 bytes), the generations' summaries (10 numbers each), the scales,
    // the stop reason, total simulations, the population's two sizes, then its values.
    std::uint64_t generations = 0, size = 0;
    std::memcpy(&generations, bytes.data() + 32, 8);
    std::size_t at = 40 + generations * 80;
    const auto skip_list = [&](std::size_t width) {
        std::memcpy(&size, bytes.data() + at, 8);
        at += 8 + size * width;
    };
    skip_list(8);  // scales
    skip_list(1);  // stop reason
    at += 3 * 8;   // total simulations, parameters, figures
    const std::size_t values_at = at;
    skip_list(8);  // values
    std::string damaged = bytes;
    const double five = 5;
    std::memcpy(damaged.data() + at + 8, &five, 8);  // the first weight
    write(damaged);
    EXPECT_EQ(refusal(),
              "the checkpoint '" + checkpoint +
                  "' is corrupt (a weight outside [0, 1]): it cannot be resumed; run again without --resume");
    // A damaged count (of generations, of a list's numbers) is refused before anything is allocated for it: a
    // count of 2^62 once asked for that many summaries and ran out of memory.
    const std::string truncated =
        "the checkpoint '" + checkpoint + "' is truncated: it cannot be resumed; run again without --resume";
    for (const std::size_t count_at : {std::size_t{32}, std::size_t{40 + generations * 80}}) {
        damaged = bytes;
        const std::uint64_t huge = std::uint64_t{1} << 62;
        std::memcpy(damaged.data() + count_at, &huge, 8);
        write(damaged);
        EXPECT_EQ(refusal(), truncated) << "count at byte " << count_at;
    }
    // A particle outside the prior (libFuzzer's finding: a resumed run then drew for ever) is refused too.
    damaged = bytes;
    const double far_outside = 1e6;  // the prior is a normal truncated to [-10, 10]
    std::memcpy(damaged.data() + values_at + 8, &far_outside, 8);
    write(damaged);
    EXPECT_EQ(refusal(), "the checkpoint '" + checkpoint +
                             "' is corrupt (a particle outside the prior): it cannot be resumed; run again without "
                             "--resume");
    write(bytes);
    EXPECT_EQ(refusal(), "resumed");
    std::filesystem::remove(checkpoint);
}

// A budget is checked while a generation runs; the last complete generation stands.
TEST(AbcSmc, ABudgetStopsDuringAGenerationAndKeepsTheLastCompleteOne) {
    AbcSettings settings = small_settings();
    settings.threads = 2;
    const AbcResult whole = conjugate_gaussian(settings);
    ASSERT_GE(whole.history.size(), 4u);
    settings.simulation_budget = whole.history[0].simulations + whole.history[1].simulations + 10;
    const AbcResult stopped = conjugate_gaussian(settings);
    EXPECT_EQ(stopped.stop_reason, "simulation budget spent during generation 2");
    ASSERT_EQ(stopped.history.size(), 2u);
    EXPECT_EQ(stopped.history[1].tolerance, whole.history[1].tolerance);
}

}  // namespace
}  // namespace ehsim::calibration
