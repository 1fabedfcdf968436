// Small draws shared by the model's components: waiting times from a hazard, and a choice among shares.
#pragma once

#include <array>
#include <boost/random/exponential_distribution.hpp>
#include <cstddef>
#include <limits>

#include "sim/kernel/random_streams.hpp"

namespace ehsim::model {

inline constexpr double kDaysPerYear = 365.25;
inline constexpr double kNever = std::numeric_limits<double>::infinity();

// A waiting time with hazard `rate_per_day`; never when the rate is zero.
// (Boost's ziggurat: cheaper than inverting the distribution function with a logarithm.)
inline double exponential_time(kernel::RandomEngine& random, double rate_per_day) {
    if (!(rate_per_day > 0.0)) return kNever;
    return boost::random::exponential_distribution<double>(rate_per_day)(random);
}

// Index of the outcome whose cumulative share first exceeds a uniform draw.
template <std::size_t N>
std::size_t choose(kernel::RandomEngine& random, const std::array<double, N>& shares) {
    const double draw = random.uniform();
    double cumulative = 0.0;
    for (std::size_t index = 0; index + 1 < N; ++index) {
        cumulative += shares[index];
        if (draw < cumulative) return index;
    }
    return N - 1;
}

}  // namespace ehsim::model
