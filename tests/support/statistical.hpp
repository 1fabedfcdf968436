// Statistical assertions whose tolerance comes from the sample, never from a hand-tuned constant.
//
// Every check is a two-sided test at 99.99% confidence. The suite makes about 100 such checks, so by
// Bonferroni a correct kernel fails at least one with probability below 1%; a real bug (a wrong
// rate, a lost customer, a biased draw) moves its figure by many standard errors and fails at once.
// The negative controls in the queueing tests show that the same checks do fail when they should.
#pragma once

#include <gtest/gtest.h>

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <string>

#include "sim/kernel/statistics.hpp"

namespace ehsim::testing {

inline constexpr double kPerCheckConfidence = 0.9999;

// The two-sided normal critical value for kPerCheckConfidence (3.89).
inline double normal_critical_value() {
    static const double value =
        boost::math::quantile(boost::math::normal_distribution<double>(), 0.5 + kPerCheckConfidence / 2.0);
    return value;
}

// Replication means: the truth must lie inside the Student-t interval computed from the replications.
inline ::testing::AssertionResult within_replication_interval(const kernel::RunningStatistics& replications,
                                                              double truth) {
    const auto interval = kernel::confidence_interval(replications, kPerCheckConfidence);
    const double z = (interval.mean - truth) / interval.standard_error;
    const std::string figures = "mean " + std::to_string(interval.mean) + " +/- " +
                                std::to_string(interval.half_width) + " (" + std::to_string(interval.replications) +
                                " replications), truth " + std::to_string(truth) + ", t = " + std::to_string(z);
    if (interval.contains(truth)) return ::testing::AssertionSuccess() << figures;
    return ::testing::AssertionFailure() << figures;
}

// An iid sample whose true standard deviation is known: |mean - truth| < z * sd / sqrt(n).
inline ::testing::AssertionResult sample_mean_matches(const kernel::RunningStatistics& sample, double truth,
                                                      double true_standard_deviation) {
    const double standard_error = true_standard_deviation / std::sqrt(static_cast<double>(sample.count()));
    const double z = (sample.mean() - truth) / standard_error;
    const std::string figures = "sample mean " + std::to_string(sample.mean()) + ", truth " + std::to_string(truth) +
                                ", z = " + std::to_string(z) + " (n = " + std::to_string(sample.count()) + ")";
    if (std::abs(z) < normal_critical_value()) return ::testing::AssertionSuccess() << figures;
    return ::testing::AssertionFailure() << figures;
}

}  // namespace ehsim::testing
