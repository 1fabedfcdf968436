#include "sim/kernel/distributions.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "sim/kernel/random_streams.hpp"
#include "tests/support/statistical.hpp"

namespace ehsim::kernel {
namespace {

constexpr int kDraws = 400000;

// Draws kDraws values and checks the sample mean against the true mean and the sample variance
// against the true variance (the latter through the mean of squared deviations, whose standard
// deviation is sqrt(mu4 - sigma^4), estimated from the sample itself).
template <class Distribution>
void expect_moments(Distribution distribution, double mean, double variance, std::uint64_t seed) {
    RandomEngine engine = RandomStreams(seed).stream(0, "distribution test");
    RunningStatistics sample;
    std::vector<double> values;
    values.reserve(kDraws);
    for (int i = 0; i < kDraws; ++i) {
        const double value = static_cast<double>(distribution(engine));
        sample.add(value);
        values.push_back(value);
    }
    EXPECT_TRUE(testing::sample_mean_matches(sample, mean, std::sqrt(variance)));
    RunningStatistics squared_deviations;
    for (const double value : values) squared_deviations.add((value - mean) * (value - mean));
    EXPECT_TRUE(testing::sample_mean_matches(squared_deviations, variance, squared_deviations.standard_deviation()))
        << "variance";
}

TEST(Distributions, ExponentialHasItsMean) { expect_moments(Exponential(12.0), 12.0, 144.0, 1); }

TEST(Distributions, GammaHasTheGivenMeanAndSpread) { expect_moments(Gamma(45.0, 30.0), 45.0, 900.0, 2); }

TEST(Distributions, LogNormalHasTheGivenMeanAndSpreadOfTheVariateItself) {
    const LogNormal case_duration(45.0, 30.0);
    // The parameters of ../shared/peers/ehnet_spec.md: sigma = 0.6064, mu = 3.6228.
    EXPECT_NEAR(case_duration.log_scale(), 0.6064, 5e-5);
    EXPECT_NEAR(case_duration.log_location(), 3.6228, 5e-5);
    expect_moments(case_duration, 45.0, 900.0, 3);
}

TEST(Distributions, WeibullHasItsMeanAndVariance) {
    const double shape = 1.5, scale = 20.0;
    const double mean = scale * std::tgamma(1.0 + 1.0 / shape);
    const double variance = scale * scale * std::tgamma(1.0 + 2.0 / shape) - mean * mean;
    expect_moments(Weibull(shape, scale), mean, variance, 4);
}

TEST(Distributions, BernoulliHasItsProbability) { expect_moments(Bernoulli(0.332), 0.332, 0.332 * 0.668, 5); }

TEST(Distributions, PoissonMeanEqualsVariance) {
    expect_moments(Poisson(3.7), 3.7, 3.7, 6);
    expect_moments(Poisson(250.0), 250.0, 250.0, 7);  // the large-mean algorithm too
}

TEST(Distributions, DiscreteOutcomesHaveTheirShares) {
    // Red / amber / green triage outcomes.
    const std::vector<double> shares{0.2, 0.3, 0.5};
    for (std::size_t outcome = 0; outcome < shares.size(); ++outcome) {
        Discrete triage(shares);
        RandomEngine engine = RandomStreams(8).stream(0, "triage");
        RunningStatistics indicator;
        for (int i = 0; i < kDraws; ++i) indicator.add(triage(engine) == outcome ? 1.0 : 0.0);
        EXPECT_TRUE(testing::sample_mean_matches(indicator, shares[outcome],
                                                 std::sqrt(shares[outcome] * (1 - shares[outcome]))))
            << "outcome " << outcome;
    }
}

TEST(Distributions, EmpiricalDrawsOnlyObservedValuesWithTheirWeights) {
    const std::vector<double> values{7.0, 30.0, 90.0};
    const std::vector<double> weights{1.0, 2.0, 1.0};
    const double mean = (7.0 + 60.0 + 90.0) / 4.0;
    const double variance = (49.0 + 2 * 900.0 + 8100.0) / 4.0 - mean * mean;
    Empirical durations(values, weights);
    RandomEngine engine = RandomStreams(9).stream(0, "durations");
    for (int i = 0; i < 1000; ++i) {
        const double value = durations(engine);
        EXPECT_TRUE(value == 7.0 || value == 30.0 || value == 90.0);
    }
    expect_moments(Empirical(values, weights), mean, variance, 10);
}

TEST(Distributions, RejectImpossibleParameters) {
    EXPECT_THROW(Exponential(0.0), std::invalid_argument);
    EXPECT_THROW(Exponential(-1.0), std::invalid_argument);
    EXPECT_THROW(Exponential(std::nan("")), std::invalid_argument);
    EXPECT_THROW(Gamma(1.0, 0.0), std::invalid_argument);
    EXPECT_THROW(LogNormal(-1.0, 1.0), std::invalid_argument);
    EXPECT_THROW(Weibull(0.0, 1.0), std::invalid_argument);
    EXPECT_THROW(Bernoulli(1.5), std::invalid_argument);
    EXPECT_THROW(Bernoulli(-0.1), std::invalid_argument);
    EXPECT_THROW(Poisson(0.0), std::invalid_argument);
    EXPECT_THROW(Discrete({}), std::invalid_argument);
    EXPECT_THROW(Discrete({0.0, 0.0}), std::invalid_argument);
    EXPECT_THROW(Discrete({0.5, -0.1}), std::invalid_argument);
    EXPECT_THROW(Empirical({1.0, 2.0}, {1.0}), std::invalid_argument);
}

}  // namespace
}  // namespace ehsim::kernel
