// Known posteriors and comparisons shared by the ABC-SMC tests (both methods).
#pragma once

#include <gtest/gtest.h>

#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <cstdio>
#include <vector>

#include "sim/calibration/abc_smc.hpp"
#include "sim/kernel/statistics.hpp"
#include "tests/support/statistical.hpp"

namespace ehsim::calibration::testing_support {

inline Prior prior(PriorKind kind, double first, double second, double lower, double upper) {
    Prior made;
    made.kind = kind;
    made.first = first;
    made.second = second;
    made.lower = lower;
    made.upper = upper;
    return made;
}

// theta ~ N(0, 1); ten observations ~ N(theta, 1) with mean 0.8: theta | data ~ N(8/11, 1/11). The data's
// streams follow the settings' seed, so runs with other seeds are independent.
inline AbcResult conjugate_gaussian(const AbcSettings& settings, bool resume = false,
                                    const AbcProgress& progress = {}) {
    const kernel::RandomStreams streams(settings.seed + 1000);
    AbcSmc abc({prior(PriorKind::normal, 0, 1, -10, 10)}, {Observation{0.8, 0.8, 0.1}}, settings);
    return abc.run(
        [&](const std::vector<double>& theta, std::uint64_t generation, std::uint64_t index) {
            kernel::RandomEngine random = streams.stream(generation, "data", index);
            return std::vector<double>{theta[0] +
                                       std::sqrt(0.1) * boost::random::normal_distribution<double>()(random)};
        },
        resume, progress);
}

// lambda ~ Gamma(2, rate 1); five Poisson(lambda) counts summing to 12: lambda | data ~ Gamma(14, rate 6). A
// tolerance below one count accepts exact matches only, so the ABC posterior is exact.
inline AbcResult gamma_poisson(const AbcSettings& settings) {
    const kernel::RandomStreams streams(settings.seed + 76);
    AbcSmc abc({prior(PriorKind::gamma, 2, 1, 0, 60)}, {Observation{12, 12, 1.0}}, settings);
    return abc.run([&](const std::vector<double>& lambda, std::uint64_t generation, std::uint64_t index) {
        kernel::RandomEngine random = streams.stream(generation, "counts", index);
        return std::vector<double>{
            static_cast<double>(boost::random::poisson_distribution<int, double>(5 * lambda[0])(random))};
    });
}

inline AbcSettings moves_settings(std::uint64_t seed) {
    AbcSettings settings;
    settings.method = AbcMethod::mcmc_moves;
    settings.seed = seed;
    settings.particles = 500;
    settings.kernel_scale = 1;
    settings.minimum_acceptance_rate = 0.001;
    settings.minimum_tolerance_change = 0;
    settings.threads = 2;
    return settings;
}

struct Moments {
    double mean = 0, sd = 0;
};

inline Moments population_moments(const Population& population) {
    double mean = 0, square = 0;
    for (std::size_t i = 0; i < population.size(); ++i) {
        mean += population.weights[i] * population.value(i, 0);
        square += population.weights[i] * population.value(i, 0) * population.value(i, 0);
    }
    return {mean, std::sqrt(square - mean * mean)};
}

// mcmc_moves: independent runs (their own seeds): each run's posterior mean and sd, and the truth inside the runs'
// interval.
template <class Run>
void expect_posterior_over_runs(const Run& run, AbcSettings settings, double mean, double sd,
                                const char* expected_stop) {
    kernel::RunningStatistics means, sds;
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
        settings.seed = seed;
        const AbcResult result = run(settings);
        EXPECT_EQ(result.stop_reason, expected_stop);
        const Moments moments = population_moments(result.population);
        means.add(moments.mean);
        sds.add(moments.sd);
        const GenerationSummary& last = result.history.back();
        EXPECT_LE(last.distinct_particles, settings.particles);
        EXPECT_GE(last.moves, 1u);
        EXPECT_LE(last.moves, settings.maximum_moves);
        for (const double weight : result.population.weights) EXPECT_EQ(weight, 1.0 / settings.particles);
        if (seed == 1)
            std::printf("seed 1: mean %.4f sd %.4f, tolerance %.3f, %zu generations, %llu simulations, %zu distinct\n",
                        moments.mean, moments.sd, last.tolerance, result.history.size(),
                        static_cast<unsigned long long>(result.total_simulations), last.distinct_particles);
    }
    EXPECT_TRUE(testing::within_replication_interval(means, mean));
    EXPECT_TRUE(testing::within_replication_interval(sds, sd));
}

// Two runs' results bit for bit: the population and every generation's summary.
inline void expect_same(const AbcResult& a, const AbcResult& b) {
    EXPECT_EQ(a.population.values, b.population.values);
    EXPECT_EQ(a.population.weights, b.population.weights);
    EXPECT_EQ(a.population.distances, b.population.distances);
    EXPECT_EQ(a.population.simulated, b.population.simulated);
    EXPECT_EQ(a.scales, b.scales);
    EXPECT_EQ(a.total_simulations, b.total_simulations);
    ASSERT_EQ(a.history.size(), b.history.size());
    for (std::size_t g = 0; g < a.history.size(); ++g) {
        EXPECT_EQ(a.history[g].tolerance, b.history[g].tolerance);
        EXPECT_EQ(a.history[g].simulations, b.history[g].simulations);
        EXPECT_EQ(a.history[g].acceptance_rate, b.history[g].acceptance_rate);
        EXPECT_EQ(a.history[g].effective_sample_size, b.history[g].effective_sample_size);
        EXPECT_EQ(a.history[g].kernel_scale, b.history[g].kernel_scale);
        EXPECT_EQ(a.history[g].distinct_particles, b.history[g].distinct_particles);
        EXPECT_EQ(a.history[g].moves, b.history[g].moves);
        EXPECT_EQ(a.history[g].proposals_outside_prior, b.history[g].proposals_outside_prior);
        EXPECT_EQ(a.history[g].proposals_screened, b.history[g].proposals_screened);
    }
}

}  // namespace ehsim::calibration::testing_support
