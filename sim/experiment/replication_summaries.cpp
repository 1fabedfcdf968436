#include "sim/experiment/replication_summaries.hpp"

#include <algorithm>
#include <cmath>

namespace ehsim::experiment {

double quantile(std::vector<double> values, double q) {
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }),
                 values.end());
    if (values.empty()) return std::nan("");
    std::sort(values.begin(), values.end());
    const double position = q * static_cast<double>(values.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const auto above = std::min(below + 1, values.size() - 1);
    return values[below] + (position - static_cast<double>(below)) * (values[above] - values[below]);
}

double mean_of_finite(const std::vector<double>& values) {
    double total = 0.0;
    std::size_t count = 0;
    for (const double value : values)
        if (std::isfinite(value)) {
            total += value;
            ++count;
        }
    return count ? total / static_cast<double>(count) : std::nan("");
}

}  // namespace ehsim::experiment
