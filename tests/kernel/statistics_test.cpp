#include "sim/kernel/statistics.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "sim/kernel/distributions.hpp"
#include "sim/kernel/random_streams.hpp"
#include "tests/support/statistical.hpp"

namespace ehsim::kernel {
namespace {

TEST(Counter, Counts) {
    Counter counter;
    counter.add();
    counter.add(4);
    EXPECT_EQ(counter.value(), 5u);
    counter.reset();
    EXPECT_EQ(counter.value(), 0u);
}

TEST(RunningStatistics, MatchesTwoPassFormulas) {
    const std::vector<double> values{2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0};
    RunningStatistics statistics;
    for (const double value : values) statistics.add(value);
    EXPECT_EQ(statistics.count(), 8u);
    EXPECT_DOUBLE_EQ(statistics.mean(), 5.0);
    EXPECT_DOUBLE_EQ(statistics.variance(), 32.0 / 7.0);
    EXPECT_DOUBLE_EQ(statistics.minimum(), 2.0);
    EXPECT_DOUBLE_EQ(statistics.maximum(), 9.0);
}

TEST(RunningStatistics, IsAccurateForLargeOffsets) {
    // Naive sum-of-squares loses everything here; Welford keeps it.
    RunningStatistics statistics;
    for (const double value : {1e9 + 4.0, 1e9 + 7.0, 1e9 + 13.0, 1e9 + 16.0}) statistics.add(value);
    EXPECT_DOUBLE_EQ(statistics.variance(), 30.0);
}

TEST(RunningStatistics, MergeEqualsAddingEverythingToOne) {
    RunningStatistics all, left, right;
    for (int i = 0; i < 100; ++i) {
        const double value = std::sin(i) * 10.0 + i;
        all.add(value);
        (i < 37 ? left : right).add(value);
    }
    left.merge(right);
    EXPECT_EQ(left.count(), all.count());
    EXPECT_NEAR(left.mean(), all.mean(), 1e-12);
    EXPECT_NEAR(left.variance(), all.variance(), 1e-10);
    EXPECT_EQ(left.minimum(), all.minimum());
    EXPECT_EQ(left.maximum(), all.maximum());
    RunningStatistics empty;
    empty.merge(all);
    EXPECT_EQ(empty.count(), all.count());
}

TEST(RunningStatistics, EmptyHasNoMean) {
    RunningStatistics statistics;
    EXPECT_TRUE(std::isnan(statistics.mean()));
    statistics.add(1.0);
    EXPECT_TRUE(std::isnan(statistics.variance()));
}

TEST(TimeWeightedAverage, IntegratesAPiecewiseConstantPath) {
    // 0 on [0,2), 3 on [2,5), 1 on [5,10): area 0 + 9 + 5 = 14 over 10 days.
    TimeWeightedAverage queue(0.0, 0.0);
    queue.update(2.0, 3.0);
    queue.update(5.0, 1.0);
    EXPECT_DOUBLE_EQ(queue.area(10.0), 14.0);
    EXPECT_DOUBLE_EQ(queue.mean(10.0), 1.4);
    EXPECT_DOUBLE_EQ(queue.maximum(), 3.0);
    // A reset ends the warm-up: the window starts at 5 with the value 1.
    queue.reset(5.0);
    queue.add(7.0, 2.0);  // 1 on [5,7), 3 on [7,10): area 2 + 9 = 11 over 5 days
    EXPECT_DOUBLE_EQ(queue.mean(10.0), 11.0 / 5.0);
    EXPECT_DOUBLE_EQ(queue.current(), 3.0);
    EXPECT_THROW(queue.update(6.0, 0.0), std::invalid_argument);
}

TEST(ConfidenceInterval, UsesStudentT) {
    EXPECT_NEAR(student_t_critical_value(0.95, 9), 2.262157, 1e-6);
    EXPECT_NEAR(student_t_critical_value(0.99, 1000000), 2.575829, 1e-5);
    RunningStatistics replications;
    for (const double value : {1.0, 2.0, 3.0, 4.0, 5.0}) replications.add(value);
    const auto interval = confidence_interval(replications, 0.95);
    EXPECT_DOUBLE_EQ(interval.mean, 3.0);
    EXPECT_NEAR(interval.half_width, 2.776445 * std::sqrt(2.5 / 5.0), 1e-6);
    EXPECT_TRUE(interval.contains(1.1));
    EXPECT_FALSE(interval.contains(0.9));
    RunningStatistics one;
    one.add(1.0);
    EXPECT_THROW(confidence_interval(one, 0.95), std::invalid_argument);
}

TEST(P2Quantile, IsExactForFewObservations) {
    P2Quantile median(0.5);
    EXPECT_TRUE(std::isnan(median.estimate()));
    for (const double value : {5.0, 1.0, 3.0}) median.add(value);
    EXPECT_EQ(median.estimate(), 3.0);
    EXPECT_THROW(P2Quantile(1.0), std::invalid_argument);
    EXPECT_THROW(P2Quantile(0.0), std::invalid_argument);
}

// The estimate must be as close to the true quantile as the exact sample quantile is expected to be:
// the sample p-quantile has standard error sqrt(p (1 - p) / n) / f(q).
TEST(P2Quantile, TracksQuantilesOfSkewedStreams) {
    struct Case {
        double probability;
        double truth;
        double density_at_truth;
    };
    // Exponential with mean 1: q = -ln(1 - p), f(q) = 1 - p.
    for (const Case& c :
         {Case{0.5, std::log(2.0), 0.5}, Case{0.9, std::log(10.0), 0.1}, Case{0.99, std::log(100.0), 0.01}}) {
        const int n = 200000;
        P2Quantile estimator(c.probability);
        RandomEngine engine = RandomStreams(3).stream(0, "quantile test");
        Exponential exponential(1.0);
        std::vector<double> values;
        for (int i = 0; i < n; ++i) {
            values.push_back(exponential(engine));
            estimator.add(values.back());
        }
        const double standard_error = std::sqrt(c.probability * (1 - c.probability) / n) / c.density_at_truth;
        EXPECT_LT(std::abs(estimator.estimate() - c.truth), testing::normal_critical_value() * standard_error)
            << "p = " << c.probability << ": estimate " << estimator.estimate() << ", truth " << c.truth;
        std::nth_element(values.begin(), values.begin() + static_cast<long>(c.probability * n), values.end());
        const double sample_quantile = values[static_cast<std::size_t>(c.probability * n)];
        EXPECT_LT(std::abs(estimator.estimate() - sample_quantile), testing::normal_critical_value() * standard_error);
        EXPECT_EQ(estimator.count(), static_cast<std::uint64_t>(n));
    }
}

TEST(P2Quantile, HandlesSortedAndConstantInput) {
    P2Quantile rising(0.5), constant(0.9);
    for (int i = 1; i <= 10001; ++i) {
        rising.add(i);
        constant.add(4.0);
    }
    EXPECT_NEAR(rising.estimate(), 5001.0, 50.0);
    EXPECT_EQ(constant.estimate(), 4.0);
}

// ---------------------------------------------------------------------------------------------------
// Summaries of a finished sample

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();

TEST(SampleSummaries, LeaveOutNonFiniteValuesAndSort) {
    EXPECT_EQ(finite_sorted({3.0, kNaN, -kInfinity, 1.0, kInfinity, 2.0}), (std::vector<double>{1.0, 2.0, 3.0}));
    EXPECT_TRUE(finite_sorted({kNaN, kInfinity}).empty());
    EXPECT_EQ(mean_of_finite({1.0, kNaN, 2.0, kInfinity, 6.0}), 3.0);
    EXPECT_TRUE(std::isnan(mean_of_finite({})));
    EXPECT_TRUE(std::isnan(mean_of_finite({kNaN, -kInfinity})));
}

TEST(SampleSummaries, MeanAddsInOrderThenDivides) {
    // 0.1 + 0.2 + 0.3 in that order is 0.6000000000000001: the mean is that over 3, bit for bit.
    EXPECT_EQ(mean_of_finite({0.1, 0.2, 0.3}), (0.1 + 0.2 + 0.3) / 3.0);
}

TEST(SampleSummaries, QuantilesAreType7) {
    const std::vector<double> four{1.0, 2.0, 3.0, 4.0};
    EXPECT_DOUBLE_EQ(quantile_of_sorted(four, 0.25), 1.75);
    EXPECT_DOUBLE_EQ(quantile_of_sorted(four, 0.5), 2.5);
    EXPECT_DOUBLE_EQ(quantile_of_sorted(four, 0.75), 3.25);
    EXPECT_EQ(quantile_of_sorted(four, 0.0), 1.0);
    EXPECT_EQ(quantile_of_sorted(four, 1.0), 4.0);
    EXPECT_DOUBLE_EQ(quantile_of_sorted({1.0, 2.0, 3.0}, 0.05), 1.1);
    // R: quantile(1:10, c(0.05, 0.95)) is 1.45 and 9.55.
    std::vector<double> ten(10);
    for (int i = 0; i < 10; ++i) ten[static_cast<std::size_t>(i)] = i + 1.0;
    EXPECT_DOUBLE_EQ(quantile_of_sorted(ten, 0.05), 1.45);
    EXPECT_DOUBLE_EQ(quantile_of_sorted(ten, 0.95), 9.55);
    EXPECT_EQ(quantile_of_sorted({7.0}, 0.3), 7.0);
    EXPECT_TRUE(std::isnan(quantile_of_sorted({}, 0.5)));
}

TEST(SampleSummaries, QuantileOfFiniteSortsAndLeavesOut) {
    EXPECT_EQ(quantile_of_finite({3.0, kNaN, 1.0, 2.0}, 0.5), 2.0);
    EXPECT_DOUBLE_EQ(quantile_of_finite({4.0, 1.0, kInfinity, 3.0, 2.0}, 0.25), 1.75);
    EXPECT_TRUE(std::isnan(quantile_of_finite({kNaN}, 0.5)));
}

TEST(SampleSummaries, WeightedQuantileIsTheValueWhereTheWeightReachesTheShare) {
    const std::vector<double> values{3.0, 1.0, 2.0, 4.0};
    const std::vector<double> weights{0.1, 0.4, 0.2, 0.3};  // ascending: 1 (0.4), 2 (0.6), 3 (0.7), 4 (1.0)
    EXPECT_EQ(weighted_quantile(values, weights, 0.0), 1.0);
    EXPECT_EQ(weighted_quantile(values, weights, 0.4), 1.0);
    EXPECT_EQ(weighted_quantile(values, weights, 0.5), 2.0);
    EXPECT_EQ(weighted_quantile(values, weights, 0.65), 3.0);
    EXPECT_EQ(weighted_quantile(values, weights, 0.9), 4.0);
    EXPECT_EQ(weighted_quantile(values, weights, 1.0), 4.0);
    // Equal weights: the smallest value with at least that share at or below it (no interpolation).
    EXPECT_EQ(weighted_quantile({1.0, 2.0, 3.0, 4.0}, {0.25, 0.25, 0.25, 0.25}, 0.5), 2.0);
    // Rounding in the cumulative sum does not push the quantile one value on: 0.7 + 0.2 is 0.8999999999999999.
    EXPECT_EQ(weighted_quantile({1.0, 2.0, 3.0}, {0.7, 0.2, 0.1}, 0.9), 2.0);
    EXPECT_THROW(weighted_quantile({1.0}, {0.5, 0.5}, 0.5), std::invalid_argument);
    EXPECT_THROW(weighted_quantile({}, {}, 0.5), std::invalid_argument);
}

}  // namespace
}  // namespace ehsim::kernel
