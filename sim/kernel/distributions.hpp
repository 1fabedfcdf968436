// The distributions the model draws from, built on Boost.Random and parameterised the way the council
// papers and scenario files state them (a mean and a spread, not a distribution's internal parameters).
//
// Why Boost.Random and not <random>: Boost's algorithms are fixed by the library, so a seed gives the
// same variates with every compiler; the standard library's distributions differ between vendors.
#pragma once

#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/discrete_distribution.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/weibull_distribution.hpp>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ehsim::kernel {

namespace detail {
// A literal, not a std::string: distributions are built per draw inside the event loop, and a string
// longer than the small-string buffer would allocate on every draw even when nothing is wrong.
inline void require(bool condition, const char* message) {
    if (!condition) throw std::invalid_argument(message);
}
inline bool positive_finite(double value) { return std::isfinite(value) && value > 0.0; }

// A Boost distribution drawn as a double: what every continuous distribution below shares.
template <class Distribution>
class Drawn {
public:
    template <class Engine>
    double operator()(Engine& engine) {
        return distribution_(engine);
    }

protected:
    explicit Drawn(Distribution distribution) : distribution_(distribution) {}
    Distribution distribution_;
};
}  // namespace detail

// Exponential with the given mean (e.g. days between contacts).
class Exponential : public detail::Drawn<boost::random::exponential_distribution<double>> {
public:
    explicit Exponential(double mean)
        : Drawn(boost::random::exponential_distribution<double>((check(mean), 1.0 / mean))) {}
    double mean() const { return 1.0 / distribution_.lambda(); }

private:
    static void check(double mean) {
        detail::require(detail::positive_finite(mean), "exponential: mean must be positive and finite");
    }
};

// Gamma with the given mean and standard deviation (shape = (mean/sd)^2, scale = sd^2/mean).
class Gamma : public detail::Drawn<boost::random::gamma_distribution<double>> {
public:
    Gamma(double mean, double standard_deviation)
        : Drawn(boost::random::gamma_distribution<double>(
              (check(mean, standard_deviation), (mean / standard_deviation) * (mean / standard_deviation)),
              standard_deviation * standard_deviation / mean)) {}

private:
    static void check(double mean, double standard_deviation) {
        detail::require(detail::positive_finite(mean) && detail::positive_finite(standard_deviation),
                        "gamma: mean and standard deviation must be positive and finite");
    }
};

// Log-normal with the given mean and standard deviation of the variate itself (not of its logarithm):
// sigma^2 = ln(1 + (sd/mean)^2), mu = ln(mean) - sigma^2/2.
class LogNormal : public detail::Drawn<boost::random::lognormal_distribution<double>> {
public:
    LogNormal(double mean, double standard_deviation)
        : Drawn(boost::random::lognormal_distribution<double>(log_location(mean, standard_deviation),
                                                              log_scale(mean, standard_deviation))) {}
    double log_location() const { return distribution_.m(); }
    double log_scale() const { return distribution_.s(); }

private:
    static double log_scale(double mean, double standard_deviation) {
        detail::require(detail::positive_finite(mean) && detail::positive_finite(standard_deviation),
                        "lognormal: mean and standard deviation must be positive and finite");
        const double ratio = standard_deviation / mean;
        return std::sqrt(std::log1p(ratio * ratio));
    }
    static double log_location(double mean, double standard_deviation) {
        const double scale = log_scale(mean, standard_deviation);
        return std::log(mean) - 0.5 * scale * scale;
    }
};

// Weibull with shape k and scale lambda (mean = lambda * Gamma(1 + 1/k)).
class Weibull : public detail::Drawn<boost::random::weibull_distribution<double>> {
public:
    Weibull(double shape, double scale)
        : Drawn(boost::random::weibull_distribution<double>((check(shape, scale), shape), scale)) {}

private:
    static void check(double shape, double scale) {
        detail::require(detail::positive_finite(shape) && detail::positive_finite(scale),
                        "weibull: shape and scale must be positive and finite");
    }
};

// True with probability p.
class Bernoulli {
public:
    explicit Bernoulli(double probability) : distribution_((check(probability), probability)) {}
    template <class Engine>
    bool operator()(Engine& engine) {
        return distribution_(engine);
    }

private:
    static void check(double probability) {
        detail::require(probability >= 0.0 && probability <= 1.0, "bernoulli: probability must be in [0, 1]");
    }
    boost::random::bernoulli_distribution<double> distribution_;
};

// Poisson count with the given mean (e.g. contacts in a day).
class Poisson {
public:
    explicit Poisson(double mean) : distribution_((check(mean), mean)) {}
    template <class Engine>
    long operator()(Engine& engine) {
        return distribution_(engine);
    }

private:
    static void check(double mean) {
        detail::require(detail::positive_finite(mean), "poisson: mean must be positive and finite");
    }
    boost::random::poisson_distribution<long, double> distribution_;
};

// One of a list of outcomes with given weights (triage outcome, lead-professional agency). Weights
// need not sum to one: they are normalised; the scenario loader checks shares that must sum to one.
class Discrete {
public:
    explicit Discrete(const std::vector<double>& weights)
        : distribution_((check(weights), weights.begin()), weights.end()) {}
    template <class Engine>
    std::size_t operator()(Engine& engine) {
        return static_cast<std::size_t>(distribution_(engine));
    }
    std::size_t outcomes() const { return distribution_.max() + 1; }

private:
    static void check(const std::vector<double>& weights) {
        detail::require(!weights.empty(), "discrete: no outcomes");
        double total = 0.0;
        for (const double weight : weights) {
            detail::require(std::isfinite(weight) && weight >= 0.0, "discrete: weights must be finite and >= 0");
            total += weight;
        }
        detail::require(total > 0.0, "discrete: weights sum to zero");
    }
    boost::random::discrete_distribution<int, double> distribution_;
};

// An empirical distribution: one of the observed values, each with its weight (e.g. a published
// histogram of case durations). Draws only values that were observed.
class Empirical {
public:
    Empirical(std::vector<double> values, const std::vector<double>& weights)
        : values_(std::move(values)), choice_(weights) {
        detail::require(values_.size() == weights.size(), "empirical: values and weights differ in length");
        for (const double value : values_) detail::require(std::isfinite(value), "empirical: values must be finite");
    }
    template <class Engine>
    double operator()(Engine& engine) {
        return values_[choice_(engine)];
    }

private:
    std::vector<double> values_;
    Discrete choice_;
};

}  // namespace ehsim::kernel
