// Implausibility and the non-implausible space of history matching (Craig et al. 1997; Vernon et al.
// 2010). For target t with observed value z_t, the implausibility of inputs x is
//     I_t(x) = |z_t - E[f_t(x)]| / sqrt(Var_obs,t + Var_discrepancy,t + Var_emulator,t(x)),
// and x is cut when the largest (or, robust to one poorly emulated target, the second-largest) I_t
// exceeds a cut-off: 3 by Pukelsheim's three-sigma rule, which bounds the chance of a unimodal error
// beyond 3 sd by 5%. Waves refocus: each wave's emulators are fitted to runs inside the space the earlier
// waves left, and the space after a wave is the intersection of all the waves' cuts.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/calibration/design.hpp"
#include "sim/calibration/emulator.hpp"

namespace ehsim::calibration {

struct ObservedOutput {
    double observed = 0;
    double observation_variance = 0;
    double discrepancy_variance = 0;
};

// I for one target; infinite when all three variances are zero and the mean misses the observation.
double implausibility(const ObservedOutput& target, double emulator_mean, double emulator_variance);

enum class ImplausibilityRule { maximum, second_largest };

// One wave: emulator t emulates the output matched to target t.
struct Wave {
    std::vector<GaussianProcessEmulator> emulators;
    std::vector<ObservedOutput> targets;
    double cutoff = 3;
    // With fewer than two targets, second_largest falls back to the maximum.
    ImplausibilityRule rule = ImplausibilityRule::maximum;
};

// The implausibility of each point (row) for each target of the wave: points x targets.
Eigen::MatrixXd implausibilities(const Wave& wave, const Eigen::MatrixXd& points);

// The largest and second-largest entry of each row (the second is the largest for a single column).
Eigen::VectorXd largest(const Eigen::MatrixXd& implausibilities);
Eigen::VectorXd second_largest(const Eigen::MatrixXd& implausibilities);

// The inputs not yet ruled out: inside the prior box and not cut by any wave so far.
class NonImplausibleSpace {
public:
    explicit NonImplausibleSpace(Box prior);

    void add_wave(Wave wave);
    const Box& prior() const { return prior_; }
    std::size_t waves() const { return waves_.size(); }

    bool contains(const Eigen::VectorXd& point) const;
    // For each row; cheaper per point than contains(point), because the emulators predict in batches.
    std::vector<bool> contains(const Eigen::MatrixXd& points) const;
    // The same, the rows shared among `threads` workers (the same answer for any number).
    std::vector<bool> contains(const Eigen::MatrixXd& points, unsigned threads) const;

private:
    Box prior_;
    std::vector<Wave> waves_;
};

struct VolumeEstimate {
    double fraction = 0;        // of the prior box's volume
    double standard_error = 0;  // binomial: sqrt(p (1 - p) / samples)
    std::size_t samples = 0, accepted = 0;
    Eigen::MatrixXd accepted_points;  // the samples found non-implausible, for the next wave's sampling box
};

// The non-implausible fraction of the prior box by plain Monte Carlo: `samples` points uniform in the box
// (independent draws, so the binomial standard error holds; a Latin hypercube would have a smaller, unknown
// one).
VolumeEstimate non_implausible_volume(const NonImplausibleSpace& space, std::size_t samples, std::uint64_t seed);
// The same with the points drawn uniformly in `sampling`, a box inside the prior's that holds the whole space
// left (a bounding box of an earlier wave's points): the fraction is still of the prior box's volume, and a
// space a thousandth of the prior's is measured without a million samples.
VolumeEstimate non_implausible_volume(const NonImplausibleSpace& space, std::size_t samples, std::uint64_t seed,
                                      const Box& sampling, unsigned threads = 1);

}  // namespace ehsim::calibration
