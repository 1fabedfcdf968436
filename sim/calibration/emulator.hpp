// A Gaussian-process emulator of one scalar simulator output (the mean over replications) as a function of
// the inputs: f(x) ~ h(x)'b + GP(0, s2 r(x, x')), observed with noise. Knows nothing of families.
//
// - Mean h(x)'b: a constant, or linear in the inputs; b by generalised least squares.
// - Correlation r: Matern 5/2 or squared exponential, one length scale per input.
// - Noise: none (interpolation, with a small jitter only), a common nugget estimated with the rest, or a
//   variance given per design point (the sample variance of the mean over that point's replications).
// - Hyperparameters by maximum likelihood: b and, without given noise, s2 are profiled out in closed form;
//   the log length scales, log nugget (and log s2 with given noise) by a quasi-Newton search on the
//   likelihood's analytic gradient, from several starts.
//
// Why inputs and outputs are standardised inside (inputs by the design's range, outputs to mean 0 and sd
// 1): the length-scale and variance bounds and the starting points then suit any units, and the Cholesky
// factor is equally well conditioned whatever the scale of the figures. Results are in the caller's units.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>

namespace ehsim::calibration {

enum class Correlation { matern52, squared_exponential };
enum class MeanFunction { constant, linear };
enum class Noise { none, estimated, given };
// How the likelihood is maximised: by a quasi-Newton search on its analytic gradient (fast), or by the
// derivative-free Nelder-Mead simplex with a restart (kept to check the first against).
enum class Optimiser { quasi_newton, nelder_mead };

struct EmulatorSettings {
    Correlation correlation = Correlation::matern52;
    MeanFunction mean = MeanFunction::linear;
    Noise noise = Noise::estimated;
    Optimiser optimiser = Optimiser::quasi_newton;
    std::size_t starts = 5;  // searches: a central start, then random ones from the seed's streams
    std::uint64_t seed = 1;
    // Bounds of each length scale, as a fraction of that input's range over the design.
    double minimum_length_scale = 0.01, maximum_length_scale = 20;
    // Bounds of the estimated nugget, as a fraction of the process variance.
    double minimum_nugget = 1e-8, maximum_nugget = 10;
    // Added to the covariance's diagonal, times the process variance: keeps the Cholesky factor of nearly
    // coincident points positive definite; multiplied by 100 (up to 6 times) if a factorisation still fails.
    double jitter = 1e-10;
    std::size_t evaluations_per_start = 1500;  // likelihoods (each with its gradient, for quasi-Newton)
};

// In the caller's units.
struct Hyperparameters {
    Eigen::VectorXd length_scales;
    double process_variance = 0;
    double nugget_variance = 0;         // the estimated noise variance (Noise::estimated), else 0
    double jitter_variance = 0;         // what was added to the diagonal for numerical stability
    Eigen::VectorXd mean_coefficients;  // b, for h(x) = (1) or (1, x1, ..., xk)
};

// Of the simulator's mean output f(x) at each point (not of a new noisy run there).
struct Predictions {
    Eigen::VectorXd mean, variance;
};

// Leave-one-out predictions of each design point's observed output from the others (hyperparameters
// fixed), by the closed forms of Dubrule (1983): with Q = C^-1 - C^-1 H (H'C^-1 H)^-1 H'C^-1, the mean
// is y_i - (Qy)_i / Q_ii and the variance 1 / Q_ii. The variance is of the observation, so includes its
// noise; the standardised error is (y_i - mean_i) / sqrt(variance_i), about N(0, 1) if the emulator is apt.
struct LeaveOneOut {
    Eigen::VectorXd mean, variance, standardised_errors;
};

class GaussianProcessEmulator {
public:
    // `inputs`: one design point per row; `outputs`: the simulator's output at each. `noise_variances` is
    // read only with Noise::given: the variance of each output's noise (one per row).
    GaussianProcessEmulator(const Eigen::MatrixXd& inputs, const Eigen::VectorXd& outputs,
                            const EmulatorSettings& settings = {}, const Eigen::VectorXd& noise_variances = {});

    Predictions predict(const Eigen::MatrixXd& points) const;
    LeaveOneOut leave_one_out() const;
    const Hyperparameters& hyperparameters() const { return hyperparameters_; }
    double log_likelihood() const { return log_likelihood_; }  // maximised, of the standardised outputs
    // The log-likelihood of the standardised outputs at other log hyperparameters (the log length scales of
    // the scaled inputs, then the log nugget or log s2 as the noise model has them), with its gradient if
    // asked: the surface the fit climbed, for diagnostics and checks; -infinity where it is undefined.
    double log_likelihood_at(const Eigen::VectorXd& log_hyperparameters, Eigen::VectorXd* gradient = nullptr) const;
    Eigen::Index dimensions() const { return inputs_.cols(); }

    // The fitted state, in standardised units; public so that the likelihood can be written as a function
    // of it outside the class.
    struct State {
        Eigen::VectorXd length_scales;   // of the scaled inputs
        double process_variance = 1;     // s2
        double nugget = 0;               // noise variance (estimated)
        double jitter = 0;               // added to the diagonal (a variance)
        Eigen::MatrixXd lower;           // Cholesky factor L of the observations' covariance C: s2 R + noise + jitter
        Eigen::MatrixXd whitened_basis;  // L^-1 H
        Eigen::LLT<Eigen::MatrixXd> basis_information;  // H' C^-1 H
        Eigen::VectorXd coefficients;                   // b
        Eigen::VectorXd weights;                        // C^-1 (y - H b)
        double log_likelihood = 0;
    };

private:
    EmulatorSettings settings_;
    Eigen::MatrixXd inputs_;   // scaled to the design's range
    Eigen::VectorXd outputs_;  // standardised
    Eigen::VectorXd noise_;    // standardised given noise variances (empty unless Noise::given)
    Eigen::RowVectorXd input_shift_, input_scale_;
    double output_mean_ = 0, output_scale_ = 1;
    State state_;
    Hyperparameters hyperparameters_;
    double log_likelihood_ = 0;
};

}  // namespace ehsim::calibration
