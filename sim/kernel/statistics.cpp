#include "sim/kernel/statistics.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>

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

}  // namespace ehsim::kernel
