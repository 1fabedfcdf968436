#include "sim/calibration/emulator.hpp"

#include <cmath>
#include <limits>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "sim/calibration/nelder_mead.hpp"
#include "sim/calibration/quasi_newton.hpp"
#include "sim/kernel/random_streams.hpp"

namespace ehsim::calibration {

namespace {

using State = GaussianProcessEmulator::State;

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// Bounds of log s2 with given noise, for outputs standardised to variance 1.
constexpr double kLogVarianceLow = -9.2, kLogVarianceHigh = 9.2;  // about 1e-4 and 1e4
constexpr int kJitterRetries = 6;

// The correlation at each scaled squared distance.
Eigen::MatrixXd correlation(Correlation kind, const Eigen::ArrayXXd& squared_distances) {
    if (kind == Correlation::squared_exponential) return (-0.5 * squared_distances).exp().matrix();
    const Eigen::ArrayXXd root5d = (5.0 * squared_distances).sqrt();
    return ((1.0 + root5d + 5.0 * squared_distances / 3.0) * (-root5d).exp()).matrix();
}

// Correlations between the rows of a and of b (a.rows() x b.rows()).
Eigen::MatrixXd correlations(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, const Eigen::VectorXd& length_scales,
                             Correlation kind) {
    // Exact differences, input by input (no |a|^2 + |b|^2 - 2 a.b cancellation), over points scaled once and
    // stored one per column so that a point's inputs are adjacent: this is the likelihood's inner loop.
    const Eigen::MatrixXd scaled_a = (a.array().rowwise() / length_scales.transpose().array()).matrix().transpose();
    const Eigen::MatrixXd scaled_b = (b.array().rowwise() / length_scales.transpose().array()).matrix().transpose();
    const bool symmetric = &a == &b;
    const Eigen::Index inputs = a.cols();
    Eigen::ArrayXXd squared(a.rows(), b.rows());
    for (Eigen::Index j = 0; j < b.rows(); ++j) {
        const double* to = scaled_b.col(j).data();
        for (Eigen::Index i = symmetric ? j : 0; i < a.rows(); ++i) {
            const double* from = scaled_a.col(i).data();
            double sum = 0;
            for (Eigen::Index d = 0; d < inputs; ++d) sum += (from[d] - to[d]) * (from[d] - to[d]);
            squared(i, j) = sum;
            if (symmetric) squared(j, i) = sum;
        }
    }
    return correlation(kind, squared);
}

Eigen::MatrixXd basis(const Eigen::MatrixXd& points, MeanFunction mean) {
    Eigen::MatrixXd h(points.rows(), mean == MeanFunction::linear ? points.cols() + 1 : 1);
    h.col(0).setOnes();
    if (mean == MeanFunction::linear) h.rightCols(points.cols()) = points;
    return h;
}

// The hyperparameters that Nelder-Mead moves, on the log scale: length scales, then the nugget (estimated
// noise) or the process variance (given noise).
struct Bounds {
    Eigen::VectorXd low, high;
};

Bounds parameter_bounds(Eigen::Index dimensions, const EmulatorSettings& settings) {
    const Eigen::Index extra = settings.noise == Noise::none ? 0 : 1;
    Bounds bounds{Eigen::VectorXd(dimensions + extra), Eigen::VectorXd(dimensions + extra)};
    bounds.low.head(dimensions).setConstant(std::log(settings.minimum_length_scale));
    bounds.high.head(dimensions).setConstant(std::log(settings.maximum_length_scale));
    if (settings.noise == Noise::estimated)
        bounds.low(dimensions) = std::log(settings.minimum_nugget),
        bounds.high(dimensions) = std::log(settings.maximum_nugget);
    if (settings.noise == Noise::given)
        bounds.low(dimensions) = kLogVarianceLow, bounds.high(dimensions) = kLogVarianceHigh;
    return bounds;
}

// The Cholesky factor of base + jitter * scale * I, raising the jitter when the factorisation fails.
std::optional<Eigen::MatrixXd> factorise(const Eigen::MatrixXd& base, double scale, double& jitter) {
    for (int attempt = 0; attempt <= kJitterRetries; ++attempt, jitter *= 100) {
        Eigen::LLT<Eigen::MatrixXd> llt(base + Eigen::MatrixXd::Identity(base.rows(), base.cols()) * (jitter * scale));
        if (llt.info() == Eigen::Success) return Eigen::MatrixXd(llt.matrixL());
    }
    return std::nullopt;
}

// b by generalised least squares, and the weights C^-1 (y - H b), from the factor L of C.
void solve_mean(State& state, const Eigen::MatrixXd& lower, const Eigen::MatrixXd& h, const Eigen::VectorXd& y,
                Eigen::VectorXd& whitened_residual) {
    const auto l = lower.triangularView<Eigen::Lower>();
    state.whitened_basis = l.solve(h);
    const Eigen::VectorXd whitened_y = l.solve(y);
    state.basis_information = Eigen::LLT<Eigen::MatrixXd>(state.whitened_basis.transpose() * state.whitened_basis);
    state.coefficients = state.basis_information.solve(state.whitened_basis.transpose() * whitened_y);
    whitened_residual = whitened_y - state.whitened_basis * state.coefficients;
    state.weights = l.transpose().solve(whitened_residual);
}

struct Data {
    const Eigen::MatrixXd& inputs;
    const Eigen::VectorXd& outputs;
    const Eigen::VectorXd& noise;
    const EmulatorSettings& settings;
    // The design's squared differences, input by input: every correlation and its derivatives are sums of
    // these, so they are computed once per fit instead of once per likelihood.
    std::vector<Eigen::ArrayXXd> separations;
};

std::vector<Eigen::ArrayXXd> separations(const Eigen::MatrixXd& inputs) {
    const Eigen::Index n = inputs.rows();
    std::vector<Eigen::ArrayXXd> squared(static_cast<std::size_t>(inputs.cols()), Eigen::ArrayXXd(n, n));
    for (Eigen::Index d = 0; d < inputs.cols(); ++d)
        for (Eigen::Index j = 0; j < n; ++j)
            for (Eigen::Index i = 0; i < n; ++i) {
                const double difference = inputs(i, d) - inputs(j, d);
                squared[static_cast<std::size_t>(d)](i, j) = difference * difference;
            }
    return squared;
}

// The gradient of the log-likelihood in the log hyperparameters: d l / d theta = tr(W dC/d theta) / 2, with
// W = a a' / s2 - C^-1 and a = C^-1 (y - H b) (b and a profiled s2 are at their optimum, so their own
// change adds nothing). dC/d(log length scale d) = s2 G o S_d, where S_d is input d's scaled squared
// differences and G the correlation's derivative in the squared distance times -2; the nugget's and the
// variance's derivatives are multiples of I and of C less the given noise.
Eigen::VectorXd likelihood_gradient(const Data& data, const State& state, const Eigen::MatrixXd& lower,
                                    const Eigen::ArrayXXd& scaled, const Eigen::MatrixXd& r, double s2_profiled) {
    const Eigen::Index n = data.inputs.rows(), k = data.inputs.cols();
    const bool given = data.settings.noise == Noise::given;
    const double s2 = given ? state.process_variance : 1.0;  // the factor of R inside C
    const auto l = lower.triangularView<Eigen::Lower>();
    const Eigen::MatrixXd lower_inverse = l.solve(Eigen::MatrixXd::Identity(n, n));
    Eigen::MatrixXd w = -(lower_inverse.transpose() * lower_inverse);
    w.noalias() += state.weights * state.weights.transpose() / s2_profiled;
    Eigen::ArrayXXd g;
    if (data.settings.correlation == Correlation::squared_exponential)
        g = r.array();
    else {
        const Eigen::ArrayXXd root5d = (5.0 * scaled).sqrt();
        g = (5.0 / 3.0) * (1.0 + root5d) * (-root5d).exp();
    }
    const Eigen::ArrayXXd weighted = w.array() * g;
    Eigen::VectorXd gradient(k + (data.settings.noise == Noise::none ? 0 : 1));
    for (Eigen::Index d = 0; d < k; ++d) {
        const double length = state.length_scales(d);
        gradient(d) = 0.5 * s2 * (weighted * data.separations[static_cast<std::size_t>(d)]).sum() / (length * length);
    }
    if (data.settings.noise == Noise::estimated) gradient(k) = 0.5 * state.nugget * w.trace();
    if (given) gradient(k) = 0.5 * s2 * ((w.array() * r.array()).sum() + state.jitter * w.trace());
    return gradient;
}

// The state at the log hyperparameters theta, or nothing if no jitter makes the covariance factorisable;
// with `gradient`, also the log-likelihood's gradient in theta.
std::optional<State> build_state(const Data& data, const Eigen::VectorXd& theta, bool for_prediction,
                                 Eigen::VectorXd* gradient = nullptr) {
    const Eigen::Index n = data.inputs.rows(), k = data.inputs.cols();
    State state;
    state.length_scales = theta.head(k).array().exp();
    Eigen::ArrayXXd scaled = Eigen::ArrayXXd::Zero(n, n);
    for (Eigen::Index d = 0; d < k; ++d)
        scaled += data.separations[static_cast<std::size_t>(d)] / (state.length_scales(d) * state.length_scales(d));
    const Eigen::MatrixXd r = correlation(data.settings.correlation, scaled);
    const Eigen::MatrixXd h = basis(data.inputs, data.settings.mean);
    state.jitter = data.settings.jitter;
    Eigen::VectorXd residual;
    if (data.settings.noise == Noise::given) {
        state.process_variance = std::exp(theta(k));
        Eigen::MatrixXd base = state.process_variance * r;
        base.diagonal() += data.noise;
        auto lower = factorise(base, state.process_variance, state.jitter);
        if (!lower) return std::nullopt;
        solve_mean(state, *lower, h, data.outputs, residual);
        state.log_likelihood = -0.5 * static_cast<double>(n) * std::log(2 * std::numbers::pi) -
                               lower->diagonal().array().log().sum() - 0.5 * residual.squaredNorm();
        if (gradient) *gradient = likelihood_gradient(data, state, *lower, scaled, r, 1.0);
        if (for_prediction) state.lower = std::move(*lower);
        state.jitter *= state.process_variance;
        return state;
    }
    // Profile out s2: with C = s2 K, its maximum-likelihood value is (y - Hb)' K^-1 (y - Hb) / n.
    state.nugget = data.settings.noise == Noise::estimated ? std::exp(theta(k)) : 0.0;
    Eigen::MatrixXd base = r;
    base.diagonal().array() += state.nugget;
    auto lower = factorise(base, 1.0, state.jitter);
    if (!lower) return std::nullopt;
    solve_mean(state, *lower, h, data.outputs, residual);
    const double s2 = std::max(residual.squaredNorm() / static_cast<double>(n), 1e-300);
    state.log_likelihood = -0.5 * static_cast<double>(n) * (std::log(2 * std::numbers::pi * s2) + 1.0) -
                           lower->diagonal().array().log().sum();
    if (gradient) *gradient = likelihood_gradient(data, state, *lower, scaled, r, s2);
    // Rescale from K to C = s2 K, so that prediction reads one covariance whatever the noise model.
    state.process_variance = s2;
    state.nugget *= s2;
    state.jitter *= s2;
    if (!for_prediction) return state;
    state.whitened_basis /= std::sqrt(s2);
    state.basis_information = Eigen::LLT<Eigen::MatrixXd>(state.whitened_basis.transpose() * state.whitened_basis);
    state.weights /= s2;
    state.lower = std::sqrt(s2) * *lower;
    return state;
}

Eigen::VectorXd start_point(const Bounds& bounds, Eigen::Index dimensions, std::size_t start,
                            const EmulatorSettings& settings) {
    Eigen::VectorXd theta(bounds.low.size());
    kernel::RandomEngine engine = kernel::RandomStreams(settings.seed).stream(start, "emulator start");
    // The first start is central (length scale 0.3 of the range, nugget 1e-3, variance 1); the others spread
    // over the plausible part of the bounds: the extremes are reached by the search, not started from.
    auto draw = [&](double low, double high) {
        return start == 0 ? 0.5 * (low + high) : low + (high - low) * engine.uniform();
    };
    for (Eigen::Index d = 0; d < dimensions; ++d) theta(d) = draw(std::log(0.05), std::log(1.8));
    if (settings.noise == Noise::estimated) theta(dimensions) = draw(std::log(1e-6), std::log(1.0));
    if (settings.noise == Noise::given) theta(dimensions) = draw(std::log(0.1), std::log(10.0));
    return theta.cwiseMax(bounds.low).cwiseMin(bounds.high);
}

// One start's search: the log hyperparameters of the smallest -log-likelihood it finds, and that value.
std::pair<Eigen::VectorXd, double> search_from(const Data& data, const Bounds& bounds, const Eigen::VectorXd& start) {
    if (data.settings.optimiser == Optimiser::quasi_newton) {
        const ValueAndGradient objective = [&](const Eigen::VectorXd& theta, Eigen::VectorXd& gradient) {
            const auto state = build_state(data, theta, false, &gradient);
            if (!state) return kInfinity;
            gradient = -gradient;
            return -state->log_likelihood;
        };
        QuasiNewtonSettings settings;
        settings.maximum_evaluations = data.settings.evaluations_per_start;
        const QuasiNewtonResult result = minimise_in_box(objective, start, bounds.low, bounds.high, settings);
        return {result.minimum, result.value};
    }
    // Outside the bounds: the value at the nearest bound plus a steep quadratic, so that the simplex is
    // pushed back without ever seeing an infinite wall it cannot measure.
    auto objective = [&](const Eigen::VectorXd& theta) {
        const Eigen::VectorXd clamped = theta.cwiseMax(bounds.low).cwiseMin(bounds.high);
        const auto state = build_state(data, clamped, false);
        return state ? -state->log_likelihood + 1e3 * (theta - clamped).squaredNorm() : kInfinity;
    };
    NelderMeadSettings optimiser;
    optimiser.maximum_evaluations = data.settings.evaluations_per_start;
    // Log-likelihood differences below 1e-7, and log hyperparameters within 1e-5, change no prediction.
    optimiser.function_tolerance = 1e-7;
    optimiser.step_tolerance = 1e-5;
    NelderMeadResult result = nelder_mead(objective, start, optimiser);
    // A restart from the result undoes a simplex that collapsed early along a ridge.
    optimiser.initial_step = 0.2;
    result = nelder_mead(objective, result.minimum, optimiser);
    return {result.minimum.cwiseMax(bounds.low).cwiseMin(bounds.high), result.value};
}

State maximise_likelihood(const Data& data) {
    const Eigen::Index k = data.inputs.cols();
    const Bounds bounds = parameter_bounds(k, data.settings);
    Eigen::VectorXd best;
    double best_value = kInfinity;
    for (std::size_t start = 0; start < std::max<std::size_t>(data.settings.starts, 1); ++start) {
        auto [minimum, value] = search_from(data, bounds, start_point(bounds, k, start, data.settings));
        if (value < best_value) best = std::move(minimum), best_value = value;
    }
    if (!std::isfinite(best_value))
        throw std::runtime_error("GaussianProcessEmulator: no hyperparameters gave a factorisable covariance");
    return *build_state(data, best, true);
}

}  // namespace

GaussianProcessEmulator::GaussianProcessEmulator(const Eigen::MatrixXd& inputs, const Eigen::VectorXd& outputs,
                                                 const EmulatorSettings& settings,
                                                 const Eigen::VectorXd& noise_variances)
    : settings_(settings) {
    const Eigen::Index n = inputs.rows(), k = inputs.cols();
    const Eigen::Index coefficients = settings.mean == MeanFunction::linear ? k + 1 : 1;
    if (k == 0 || outputs.size() != n || n <= coefficients)
        throw std::invalid_argument(
            "GaussianProcessEmulator: needs one output per design point, and more points than "
            "mean coefficients");
    if (settings.noise == Noise::given && (noise_variances.size() != n || (noise_variances.array() < 0).any()))
        throw std::invalid_argument("GaussianProcessEmulator: Noise::given needs a non-negative variance per point");
    input_shift_ = inputs.colwise().minCoeff();
    input_scale_ = inputs.colwise().maxCoeff() - input_shift_;
    for (Eigen::Index d = 0; d < k; ++d)
        if (input_scale_(d) <= 0) input_scale_(d) = 1;
    inputs_ = (inputs.rowwise() - input_shift_).array().rowwise() / input_scale_.array();
    output_mean_ = outputs.mean();
    const double variance = (outputs.array() - output_mean_).square().sum() / static_cast<double>(n);
    output_scale_ = variance > 0 ? std::sqrt(variance) : 1.0;
    outputs_ = (outputs.array() - output_mean_) / output_scale_;
    if (settings.noise == Noise::given) noise_ = noise_variances / (output_scale_ * output_scale_);
    state_ = maximise_likelihood(Data{inputs_, outputs_, noise_, settings_, separations(inputs_)});
    log_likelihood_ = state_.log_likelihood;

    const double square = output_scale_ * output_scale_;
    hyperparameters_.length_scales = state_.length_scales.cwiseProduct(input_scale_.transpose());
    hyperparameters_.process_variance = state_.process_variance * square;
    hyperparameters_.nugget_variance = state_.nugget * square;
    hyperparameters_.jitter_variance = state_.jitter * square;
    // b in the caller's units: y = mean + scale * (b0 + sum_j b_j (x_j - shift_j) / range_j).
    Eigen::VectorXd b = output_scale_ * state_.coefficients;
    if (settings.mean == MeanFunction::linear) {
        b.tail(k).array() /= input_scale_.transpose().array();
        b(0) -= b.tail(k).dot(input_shift_.transpose());
    }
    b(0) += output_mean_;
    hyperparameters_.mean_coefficients = b;
}

double GaussianProcessEmulator::log_likelihood_at(const Eigen::VectorXd& log_hyperparameters,
                                                  Eigen::VectorXd* gradient) const {
    const Data data{inputs_, outputs_, noise_, settings_, separations(inputs_)};
    const Eigen::Index expected = inputs_.cols() + (settings_.noise == Noise::none ? 0 : 1);
    if (log_hyperparameters.size() != expected)
        throw std::invalid_argument("GaussianProcessEmulator::log_likelihood_at: wrong number of hyperparameters");
    const auto state = build_state(data, log_hyperparameters, false, gradient);
    return state ? state->log_likelihood : -kInfinity;
}

Predictions GaussianProcessEmulator::predict(const Eigen::MatrixXd& points) const {
    if (points.cols() != inputs_.cols())
        throw std::invalid_argument("GaussianProcessEmulator::predict: points have the wrong number of inputs");
    const Eigen::MatrixXd scaled = (points.rowwise() - input_shift_).array().rowwise() / input_scale_.array();
    const Eigen::MatrixXd cross =
        state_.process_variance * correlations(inputs_, scaled, state_.length_scales, settings_.correlation);
    const Eigen::MatrixXd h = basis(scaled, settings_.mean);
    const Eigen::MatrixXd whitened_cross = state_.lower.triangularView<Eigen::Lower>().solve(cross);
    // Universal kriging: the GP's variance given the runs, plus what the uncertainty in b adds.
    const Eigen::MatrixXd mean_error = h.transpose() - state_.whitened_basis.transpose() * whitened_cross;
    const Eigen::MatrixXd mean_term = state_.basis_information.solve(mean_error);
    Predictions result;
    result.mean = h * state_.coefficients + cross.transpose() * state_.weights;
    result.variance = (state_.process_variance - whitened_cross.colwise().squaredNorm().array() +
                       mean_error.cwiseProduct(mean_term).colwise().sum().array())
                          .cwiseMax(0.0)
                          .transpose();
    result.mean = result.mean.array() * output_scale_ + output_mean_;
    result.variance *= output_scale_ * output_scale_;
    return result;
}

LeaveOneOut GaussianProcessEmulator::leave_one_out() const {
    const Eigen::Index n = inputs_.rows();
    const auto lower = state_.lower.triangularView<Eigen::Lower>();
    const auto upper = state_.lower.transpose().triangularView<Eigen::Upper>();
    const Eigen::MatrixXd inverse = upper.solve(lower.solve(Eigen::MatrixXd::Identity(n, n)));
    // C^-1 H = L^-T (L^-1 H).
    const Eigen::MatrixXd inverse_h = upper.solve(state_.whitened_basis);
    const Eigen::VectorXd diagonal =
        inverse.diagonal() -
        inverse_h.cwiseProduct(state_.basis_information.solve(inverse_h.transpose()).transpose()).rowwise().sum();
    LeaveOneOut result;
    // Q y = C^-1 (y - H b), the weights, because b is the generalised-least-squares estimate.
    result.standardised_errors = state_.weights.array() / diagonal.array().sqrt();
    result.mean = (outputs_.array() - state_.weights.array() / diagonal.array()) * output_scale_ + output_mean_;
    result.variance = diagonal.cwiseInverse() * (output_scale_ * output_scale_);
    return result;
}

}  // namespace ehsim::calibration
