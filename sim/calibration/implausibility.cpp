#include "sim/calibration/implausibility.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <utility>

#include "sim/kernel/random_streams.hpp"
#include "sim/kernel/replications.hpp"

namespace ehsim::calibration {

namespace {

// Points per batch of predictions: bounds the cross-covariance matrix (design points x batch) in memory.
constexpr Eigen::Index kBatch = 2048;

Eigen::VectorXd chosen_measure(const Wave& wave, const Eigen::MatrixXd& points) {
    const Eigen::MatrixXd values = implausibilities(wave, points);
    return wave.rule == ImplausibilityRule::second_largest ? second_largest(values) : largest(values);
}

}  // namespace

double implausibility(const ObservedOutput& target, double emulator_mean, double emulator_variance) {
    const double distance = std::abs(target.observed - emulator_mean);
    const double variance = target.observation_variance + target.discrepancy_variance + emulator_variance;
    if (variance <= 0) return distance == 0 ? 0.0 : std::numeric_limits<double>::infinity();
    return distance / std::sqrt(variance);
}

Eigen::MatrixXd implausibilities(const Wave& wave, const Eigen::MatrixXd& points) {
    if (wave.emulators.size() != wave.targets.size())
        throw std::invalid_argument("implausibilities: a wave needs one emulator per target");
    Eigen::MatrixXd result(points.rows(), static_cast<Eigen::Index>(wave.targets.size()));
    for (std::size_t t = 0; t < wave.targets.size(); ++t) {
        const Predictions predictions = wave.emulators[t].predict(points);
        for (Eigen::Index i = 0; i < points.rows(); ++i)
            result(i, static_cast<Eigen::Index>(t)) =
                implausibility(wave.targets[t], predictions.mean(i), predictions.variance(i));
    }
    return result;
}

Eigen::VectorXd largest(const Eigen::MatrixXd& implausibilities) { return implausibilities.rowwise().maxCoeff(); }

Eigen::VectorXd second_largest(const Eigen::MatrixXd& implausibilities) {
    if (implausibilities.cols() < 2) return largest(implausibilities);
    Eigen::VectorXd result(implausibilities.rows());
    for (Eigen::Index i = 0; i < implausibilities.rows(); ++i) {
        Eigen::RowVectorXd row = implausibilities.row(i);
        std::nth_element(row.begin(), row.begin() + 1, row.end(), std::greater<>());
        result(i) = row(1);
    }
    return result;
}

NonImplausibleSpace::NonImplausibleSpace(Box prior) : prior_(std::move(prior)) {}

void NonImplausibleSpace::add_wave(Wave wave) {
    if (wave.emulators.size() != wave.targets.size() || wave.targets.empty())
        throw std::invalid_argument("NonImplausibleSpace: a wave needs at least one target, each with an emulator");
    for (const GaussianProcessEmulator& emulator : wave.emulators)
        if (emulator.dimensions() != prior_.dimensions())
            throw std::invalid_argument("NonImplausibleSpace: an emulator has the wrong number of inputs");
    waves_.push_back(std::move(wave));
}

bool NonImplausibleSpace::contains(const Eigen::VectorXd& point) const {
    return contains(Eigen::MatrixXd(point.transpose())).front();
}

std::vector<bool> NonImplausibleSpace::contains(const Eigen::MatrixXd& points) const {
    std::vector<bool> inside(static_cast<std::size_t>(points.rows()));
    for (Eigen::Index i = 0; i < points.rows(); ++i)
        inside[static_cast<std::size_t>(i)] = (points.row(i).transpose().array() >= prior_.lower.array()).all() &&
                                              (points.row(i).transpose().array() <= prior_.upper.array()).all();
    for (const Wave& wave : waves_) {
        // Only the points still inside are predicted: later waves see fewer of them.
        std::vector<Eigen::Index> rows;
        for (Eigen::Index i = 0; i < points.rows(); ++i)
            if (inside[static_cast<std::size_t>(i)]) rows.push_back(i);
        if (rows.empty()) break;
        Eigen::MatrixXd remaining(static_cast<Eigen::Index>(rows.size()), points.cols());
        for (std::size_t r = 0; r < rows.size(); ++r) remaining.row(static_cast<Eigen::Index>(r)) = points.row(rows[r]);
        const Eigen::VectorXd measure = chosen_measure(wave, remaining);
        for (std::size_t r = 0; r < rows.size(); ++r)
            inside[static_cast<std::size_t>(rows[r])] = measure(static_cast<Eigen::Index>(r)) <= wave.cutoff;
    }
    return inside;
}

std::vector<bool> NonImplausibleSpace::contains(const Eigen::MatrixXd& points, unsigned threads) const {
    if (threads <= 1 || points.rows() < 64) return contains(points);
    // A few chunks per worker, so that one slow chunk (more points surviving to later waves) does not idle the rest.
    const Eigen::Index chunks = std::min<Eigen::Index>(points.rows() / 16, 4 * static_cast<Eigen::Index>(threads));
    const Eigen::Index size = (points.rows() + chunks - 1) / chunks;
    const std::vector<std::vector<bool>> parts =
        kernel::run_replications(static_cast<std::uint64_t>(chunks), threads, [&](std::uint64_t chunk) {
            const Eigen::Index from = static_cast<Eigen::Index>(chunk) * size;
            return contains(Eigen::MatrixXd(points.middleRows(from, std::min(size, points.rows() - from))));
        });
    std::vector<bool> inside;
    inside.reserve(static_cast<std::size_t>(points.rows()));
    for (const std::vector<bool>& part : parts) inside.insert(inside.end(), part.begin(), part.end());
    return inside;
}

VolumeEstimate non_implausible_volume(const NonImplausibleSpace& space, std::size_t samples, std::uint64_t seed) {
    return non_implausible_volume(space, samples, seed, space.prior());
}

VolumeEstimate non_implausible_volume(const NonImplausibleSpace& space, std::size_t samples, std::uint64_t seed,
                                      const Box& prior, unsigned threads) {
    kernel::RandomEngine engine = kernel::RandomStreams(seed).stream(0, "non-implausible volume");
    VolumeEstimate estimate;
    estimate.samples = samples;
    std::vector<Eigen::RowVectorXd> accepted;
    for (std::size_t done = 0; done < samples;) {
        const Eigen::Index batch = std::min<Eigen::Index>(kBatch, static_cast<Eigen::Index>(samples - done));
        Eigen::MatrixXd points(batch, prior.dimensions());
        for (Eigen::Index i = 0; i < batch; ++i)
            for (Eigen::Index d = 0; d < prior.dimensions(); ++d)
                points(i, d) = prior.lower(d) + (prior.upper(d) - prior.lower(d)) * engine.uniform();
        const std::vector<bool> inside = space.contains(points, threads);
        for (Eigen::Index i = 0; i < batch; ++i)
            if (inside[static_cast<std::size_t>(i)]) accepted.push_back(points.row(i));
        done += static_cast<std::size_t>(batch);
    }
    estimate.accepted = accepted.size();
    estimate.accepted_points.resize(static_cast<Eigen::Index>(accepted.size()), prior.dimensions());
    for (std::size_t i = 0; i < accepted.size(); ++i)
        estimate.accepted_points.row(static_cast<Eigen::Index>(i)) = accepted[i];
    if (samples > 0) {
        const double share = static_cast<double>(estimate.accepted) / static_cast<double>(samples);
        // The sampling box's share of the prior box's volume.
        const double box_share =
            ((prior.upper - prior.lower).array() / (space.prior().upper - space.prior().lower).array()).prod();
        estimate.fraction = box_share * share;
        estimate.standard_error = box_share * std::sqrt(share * (1 - share) / static_cast<double>(samples));
    }
    return estimate;
}

}  // namespace ehsim::calibration
