// Priors over the uncertain parameters of a calibration: what is believed about each before the
// published figures are seen. Each can be truncated to bounds; the density is normalised within them.
#pragma once

#include <string>

#include "sim/kernel/random_streams.hpp"

namespace ehsim::calibration {

enum class PriorKind { uniform, log_uniform, normal, beta, gamma };

struct Prior {
    PriorKind kind = PriorKind::uniform;
    // uniform, log_uniform: the bounds alone. normal: mean, sd. beta: alpha, beta. gamma: shape, scale.
    double first = 0, second = 0;
    double lower = 0, upper = 0;  // the support: (-inf, inf) allowed for normal only

    // Log of the normalised density at x; -infinity outside the bounds.
    double log_density(double x) const;
    // A draw by inversion of the truncated distribution function (one uniform: reproducible).
    double sample(kernel::RandomEngine& random) const { return quantile(random.uniform()); }
    // The value below which a share p of the (truncated) prior lies.
    double quantile(double p) const;
    // The share of the (truncated) prior below x: quantile's inverse.
    double cdf(double x) const;
    // Throws std::invalid_argument with a one-line reason when the parameters make no distribution.
    void check() const;
};

const char* to_string(PriorKind kind);

}  // namespace ehsim::calibration
