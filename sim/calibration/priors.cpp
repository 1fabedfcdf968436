#include "sim/calibration/priors.hpp"

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/uniform.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace ehsim::calibration {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Calls `use` with the Boost distribution of an untruncated prior (uniform and log-uniform are exact
// without one: their inverse is closed-form).
template <class Use>
auto with_distribution(const Prior& prior, Use&& use) {
    switch (prior.kind) {
        case PriorKind::normal:
            return use(boost::math::normal_distribution<double>(prior.first, prior.second));
        case PriorKind::beta:
            return use(boost::math::beta_distribution<double>(prior.first, prior.second));
        case PriorKind::gamma:
            return use(boost::math::gamma_distribution<double>(prior.first, prior.second));
        case PriorKind::uniform:
        case PriorKind::log_uniform:
        default:
            return use(boost::math::uniform_distribution<double>(prior.lower, prior.upper));
    }
}

// The distribution function at a bound, with infinite bounds at 0 and 1.
template <class Distribution>
double cdf_at(const Distribution& distribution, double x) {
    const auto [low, high] = boost::math::support(distribution);
    if (x <= low) return 0.0;
    if (x >= high) return 1.0;
    return boost::math::cdf(distribution, x);
}

}  // namespace

const char* to_string(PriorKind kind) {
    switch (kind) {
        case PriorKind::uniform:
            return "uniform";
        case PriorKind::log_uniform:
            return "log_uniform";
        case PriorKind::normal:
            return "normal";
        case PriorKind::beta:
            return "beta";
        case PriorKind::gamma:
            return "gamma";
    }
    return "?";
}

void Prior::check() const {
    if (std::isnan(lower) || std::isnan(upper) || !(lower < upper))
        throw std::invalid_argument("the lower bound must be below the upper bound");
    switch (kind) {
        case PriorKind::uniform:
            if (!std::isfinite(lower) || !std::isfinite(upper))
                throw std::invalid_argument("uniform needs finite bounds");
            break;
        case PriorKind::log_uniform:
            if (!(lower > 0) || !std::isfinite(upper))
                throw std::invalid_argument("log_uniform needs 0 < lower < upper < inf");
            break;
        case PriorKind::normal:
            if (!std::isfinite(first) || !(second > 0) || !std::isfinite(second))
                throw std::invalid_argument("normal needs a finite mean and sd > 0");
            break;
        case PriorKind::beta:
            if (!(first > 0) || !(second > 0) || !std::isfinite(first) || !std::isfinite(second))
                throw std::invalid_argument("beta needs alpha > 0 and beta > 0");
            if (lower < 0 || upper > 1) throw std::invalid_argument("beta's bounds must lie within [0, 1]");
            break;
        case PriorKind::gamma:
            if (!(first > 0) || !(second > 0) || !std::isfinite(first) || !std::isfinite(second))
                throw std::invalid_argument("gamma needs shape > 0 and scale > 0");
            if (lower < 0) throw std::invalid_argument("gamma's lower bound must be >= 0");
            break;
    }
    if (kind != PriorKind::uniform && kind != PriorKind::log_uniform) {
        const double mass = with_distribution(
            *this, [&](const auto& distribution) { return cdf_at(distribution, upper) - cdf_at(distribution, lower); });
        if (!(mass > 1e-12)) throw std::invalid_argument("the bounds hold no probability of this distribution");
    }
}

double Prior::log_density(double x) const {
    if (!(x >= lower && x <= upper)) return -kInfinity;
    switch (kind) {
        case PriorKind::uniform:
            return -std::log(upper - lower);
        case PriorKind::log_uniform:
            return -std::log(x) - std::log(std::log(upper / lower));
        default:
            return with_distribution(*this, [&](const auto& distribution) {
                const double mass = cdf_at(distribution, upper) - cdf_at(distribution, lower);
                const double density = boost::math::pdf(distribution, x);
                return density > 0 ? std::log(density) - std::log(mass) : -kInfinity;
            });
    }
}

double Prior::quantile(double u) const {
    switch (kind) {
        case PriorKind::uniform:
            return lower + u * (upper - lower);
        case PriorKind::log_uniform:
            return lower * std::exp(u * std::log(upper / lower));
        default:
            return with_distribution(*this, [&](const auto& distribution) {
                const double from = cdf_at(distribution, lower), to = cdf_at(distribution, upper);
                const double p = from + u * (to - from);
                const double x = boost::math::quantile(distribution, std::min(std::max(p, 1e-300), 1.0 - 1e-16));
                return std::min(std::max(x, lower), upper);
            });
    }
}

double Prior::cdf(double x) const {
    if (!(x > lower)) return 0.0;
    if (!(x < upper)) return 1.0;
    switch (kind) {
        case PriorKind::uniform:
            return (x - lower) / (upper - lower);
        case PriorKind::log_uniform:
            return std::log(x / lower) / std::log(upper / lower);
        default:
            return with_distribution(*this, [&](const auto& distribution) {
                const double from = cdf_at(distribution, lower), to = cdf_at(distribution, upper);
                return (cdf_at(distribution, x) - from) / (to - from);
            });
    }
}

}  // namespace ehsim::calibration
