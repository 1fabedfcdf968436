#include "sim/kernel/statistics.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <numeric>

namespace ehsim::kernel {

void P2Quantile::add(double value) {
    if (count_ < 5) {
        height_[count_++] = value;
        if (count_ == 5) {
            std::sort(height_.begin(), height_.end());
            for (int i = 0; i < 5; ++i) position_[i] = i + 1;
            desired_ = {1.0, 1.0 + 2.0 * probability_, 1.0 + 4.0 * probability_, 3.0 + 2.0 * probability_, 5.0};
        }
        return;
    }
    ++count_;
    // Find the cell k with height_[k] <= value < height_[k + 1], widening the extremes if needed.
    int cell;
    if (value < height_[0]) {
        height_[0] = value;
        cell = 0;
    } else if (value >= height_[4]) {
        height_[4] = std::max(height_[4], value);
        cell = 3;
    } else {
        cell = 0;
        while (cell < 3 && value >= height_[cell + 1]) ++cell;
    }
    for (int i = cell + 1; i < 5; ++i) position_[i] += 1.0;
    for (int i = 0; i < 5; ++i) desired_[i] += desired_increment_[i];

    // Move the three middle markers towards their desired positions, one step at a time.
    for (int i = 1; i <= 3; ++i) {
        const double offset = desired_[i] - position_[i];
        if ((offset >= 1.0 && position_[i + 1] - position_[i] > 1.0) ||
            (offset <= -1.0 && position_[i - 1] - position_[i] < -1.0)) {
            const int direction = offset >= 0.0 ? 1 : -1;
            const double candidate = parabolic(i, direction);
            if (height_[i - 1] < candidate && candidate < height_[i + 1])
                height_[i] = candidate;
            else
                height_[i] = linear(i, direction);
            position_[i] += direction;
        }
    }
}

double P2Quantile::parabolic(int i, double d) const {
    const double& q_prev = height_[i - 1];
    const double& q = height_[i];
    const double& q_next = height_[i + 1];
    const double& n_prev = position_[i - 1];
    const double& n = position_[i];
    const double& n_next = position_[i + 1];
    return q + d / (n_next - n_prev) *
                   ((n - n_prev + d) * (q_next - q) / (n_next - n) + (n_next - n - d) * (q - q_prev) / (n - n_prev));
}

double P2Quantile::linear(int i, int d) const {
    return height_[i] + d * (height_[i + d] - height_[i]) / (position_[i + d] - position_[i]);
}

double P2Quantile::estimate() const {
    if (count_ == 0) return std::numeric_limits<double>::quiet_NaN();
    if (count_ < 5) {
        // Exact sample quantile (nearest rank) of what has been seen.
        std::array<double, 5> seen = height_;
        std::sort(seen.begin(), seen.begin() + static_cast<long>(count_));
        const auto rank = static_cast<std::size_t>(std::ceil(probability_ * static_cast<double>(count_)));
        return seen[rank == 0 ? 0 : rank - 1];
    }
    return height_[2];
}

double student_t_critical_value(double confidence, double degrees_of_freedom) {
    if (!(confidence > 0.0 && confidence < 1.0)) throw std::invalid_argument("confidence must be in (0, 1)");
    if (!(degrees_of_freedom > 0.0)) throw std::invalid_argument("degrees of freedom must be positive");
    const boost::math::students_t distribution(degrees_of_freedom);
    return boost::math::quantile(distribution, 0.5 + confidence / 2.0);
}

ConfidenceInterval confidence_interval(const RunningStatistics& replications, double confidence) {
    if (replications.count() < 2) throw std::invalid_argument("a confidence interval needs two replications");
    const double standard_error = replications.standard_error();
    const double critical = student_t_critical_value(confidence, static_cast<double>(replications.count() - 1));
    return ConfidenceInterval{replications.mean(), critical * standard_error, standard_error, replications.count()};
}

std::vector<double> finite_sorted(std::vector<double> values) {
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }),
                 values.end());
    std::sort(values.begin(), values.end());
    return values;
}

double mean_of_finite(const std::vector<double>& values) {
    double total = 0.0;
    std::size_t count = 0;
    for (const double value : values)
        if (std::isfinite(value)) {
            total += value;
            ++count;
        }
    return count > 0 ? total / static_cast<double>(count) : std::numeric_limits<double>::quiet_NaN();
}

double quantile_of_sorted(const std::vector<double>& sorted, double q) {
    if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
    const double position = q * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, sorted.size() - 1);
    return sorted[below] + (position - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

double quantile_of_finite(std::vector<double> values, double q) {
    return quantile_of_sorted(finite_sorted(std::move(values)), q);
}

double weighted_quantile(const std::vector<double>& values, const std::vector<double>& weights, double share) {
    if (values.empty() || weights.size() != values.size())
        throw std::invalid_argument("weighted quantile: needs as many weights as values, and at least one");
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return values[a] < values[b] || (values[a] == values[b] && a < b); });
    double cumulative = 0;
    for (const std::size_t i : order) {
        cumulative += weights[i];
        if (cumulative >= share * (1.0 - 1e-12)) return values[i];
    }
    return values[order.back()];
}

}  // namespace ehsim::kernel
