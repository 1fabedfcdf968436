// Statistics collectors that keep a fixed amount of state, however long the run: memory must grow with
// open cases, never with history.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

namespace ehsim::kernel {

// How often something happened.
class Counter {
public:
    void add(std::uint64_t count = 1) { count_ += count; }
    std::uint64_t value() const { return count_; }
    void reset() { count_ = 0; }

private:
    std::uint64_t count_ = 0;
};

// Mean, variance, minimum and maximum of a stream of observations (Welford's update, Chan's merge).
class RunningStatistics {
public:
    void add(double value) {
        ++count_;
        const double delta = value - mean_;
        mean_ += delta / static_cast<double>(count_);
        sum_squared_deviations_ += delta * (value - mean_);
        if (value < minimum_) minimum_ = value;
        if (value > maximum_) maximum_ = value;
    }

    void merge(const RunningStatistics& other) {
        if (other.count_ == 0) return;
        if (count_ == 0) {
            *this = other;
            return;
        }
        const double total = static_cast<double>(count_ + other.count_);
        const double delta = other.mean_ - mean_;
        mean_ += delta * static_cast<double>(other.count_) / total;
        sum_squared_deviations_ += other.sum_squared_deviations_ + delta * delta * static_cast<double>(count_) *
                                                                       static_cast<double>(other.count_) / total;
        count_ += other.count_;
        if (other.minimum_ < minimum_) minimum_ = other.minimum_;
        if (other.maximum_ > maximum_) maximum_ = other.maximum_;
    }

    std::uint64_t count() const { return count_; }
    double mean() const { return count_ > 0 ? mean_ : std::numeric_limits<double>::quiet_NaN(); }
    // Sample variance (n - 1 denominator).
    double variance() const {
        return count_ > 1 ? sum_squared_deviations_ / static_cast<double>(count_ - 1)
                          : std::numeric_limits<double>::quiet_NaN();
    }
    double standard_deviation() const { return std::sqrt(variance()); }
    double standard_error() const { return std::sqrt(variance() / static_cast<double>(count_)); }
    double minimum() const { return minimum_; }
    double maximum() const { return maximum_; }
    void reset() { *this = RunningStatistics{}; }

private:
    std::uint64_t count_ = 0;
    double mean_ = 0.0;
    double sum_squared_deviations_ = 0.0;
    double minimum_ = std::numeric_limits<double>::infinity();
    double maximum_ = -std::numeric_limits<double>::infinity();
};

// The time average of a piecewise-constant quantity (a queue length, caseload slots in use) from the
// moment of the last reset. Call update() whenever the quantity changes.
class TimeWeightedAverage {
public:
    TimeWeightedAverage() : TimeWeightedAverage(0.0, 0.0) {}
    explicit TimeWeightedAverage(double start_time, double value = 0.0)
        : start_time_(start_time), last_time_(start_time), value_(value) {}

    void update(double now, double new_value) {
        advance(now);
        value_ = new_value;
        if (new_value > maximum_) maximum_ = new_value;
    }
    void add(double now, double change) { update(now, value_ + change); }

    // Starts a new observation window at `now`, keeping the current value (ends a warm-up period).
    void reset(double now) {
        advance(now);
        start_time_ = now;
        area_ = 0.0;
        maximum_ = value_;
    }

    double current() const { return value_; }
    double maximum() const { return maximum_; }
    // The integral of the quantity over [start, now].
    double area(double now) const { return area_ + value_ * (now - last_time_); }
    double mean(double now) const {
        const double span = now - start_time_;
        return span > 0.0 ? area(now) / span : value_;
    }

private:
    void advance(double now) {
        if (now < last_time_) throw std::invalid_argument("time-weighted average: time went backwards");
        area_ += value_ * (now - last_time_);
        last_time_ = now;
    }

    double start_time_;
    double last_time_;
    double value_;
    double area_ = 0.0;
    double maximum_ = value_;
};

// One quantile of a stream without storing it: the P-square algorithm (Jain and Chlamtac, 1985),
// five markers moved by piecewise-parabolic interpolation. Exact for the first five observations.
class P2Quantile {
public:
    explicit P2Quantile(double probability) : probability_(probability) {
        if (!(probability > 0.0 && probability < 1.0))
            throw std::invalid_argument("P2 quantile: probability must be in (0, 1)");
        desired_increment_ = {0.0, probability / 2.0, probability, (1.0 + probability) / 2.0, 1.0};
    }

    void add(double value);
    double probability() const { return probability_; }
    std::uint64_t count() const { return count_; }
    double estimate() const;

private:
    double parabolic(int marker, double direction) const;
    double linear(int marker, int direction) const;

    double probability_;
    std::uint64_t count_ = 0;
    std::array<double, 5> height_{};    // marker heights q_i
    std::array<double, 5> position_{};  // actual marker positions n_i (1-based)
    std::array<double, 5> desired_{};   // desired marker positions n'_i
    std::array<double, 5> desired_increment_{};
};

// A mean over independent replications with its two-sided Student-t confidence interval.
struct ConfidenceInterval {
    double mean;
    double half_width;
    double standard_error;
    std::uint64_t replications;
    double lower() const { return mean - half_width; }
    double upper() const { return mean + half_width; }
    bool contains(double value) const { return value >= lower() && value <= upper(); }
};

// `confidence` is e.g. 0.95. Needs at least two replications.
ConfidenceInterval confidence_interval(const RunningStatistics& replications, double confidence);

// The two-sided Student-t critical value with `degrees_of_freedom`, e.g. 2.262 for 0.95 and 9.
double student_t_critical_value(double confidence, double degrees_of_freedom);

// ---------------------------------------------------------------------------------------------------
// Summaries of a finished sample (one value per replication, say), where the collectors above summarise a
// stream. Non-finite values (a rate over nothing) are left out, so that one undefined run does not make the
// whole summary undefined; NaN when no value is finite.

// The finite values, in ascending order.
std::vector<double> finite_sorted(std::vector<double> values);

// The arithmetic mean of the finite values, summed in their order.
double mean_of_finite(const std::vector<double>& values);

// Quantile `q` (0 to 1) of finite values already in ascending order, by linear interpolation between order
// statistics: Hyndman and Fan's type 7, R's and NumPy's default (of {1, 2, 3, 4} at 0.25: 1.75).
double quantile_of_sorted(const std::vector<double>& sorted, double q);

// Quantile `q` of the finite values, as quantile_of_sorted.
double quantile_of_finite(std::vector<double> values, double q);

// The weighted quantile at `share` (0 to 1) of `values` with non-negative `weights` summing to 1: the smallest
// value whose cumulative weight, in ascending order of values (ties by index), reaches `share` (less a
// relative 1e-12 for rounding); the largest value when none does. No interpolation: a particle population's
// quantile is one of its particles.
double weighted_quantile(const std::vector<double>& values, const std::vector<double>& weights, double share);

}  // namespace ehsim::kernel
