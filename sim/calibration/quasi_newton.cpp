#include "sim/calibration/quasi_newton.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace ehsim::calibration {

namespace {

struct Box {
    const Eigen::VectorXd &low, &high;
    Eigen::VectorXd point(const Eigen::VectorXd& u) const {
        return low + ((high - low).array() / (1.0 + (-u.array()).exp())).matrix();
    }
    // dx/du, component by component.
    Eigen::VectorXd slope(const Eigen::VectorXd& u) const {
        const Eigen::ArrayXd s = 1.0 / (1.0 + (-u.array()).exp());
        return ((high - low).array() * s * (1.0 - s)).matrix();
    }
    Eigen::VectorXd coordinate(const Eigen::VectorXd& x) const {
        const Eigen::ArrayXd share = ((x - low).array() / (high - low).array()).max(1e-12).min(1.0 - 1e-12);
        return (share / (1.0 - share)).log().matrix();
    }
};

}  // namespace

QuasiNewtonResult minimise_in_box(const ValueAndGradient& function, const Eigen::VectorXd& start,
                                  const Eigen::VectorXd& low, const Eigen::VectorXd& high,
                                  const QuasiNewtonSettings& settings) {
    const Eigen::Index n = start.size();
    if (low.size() != n || high.size() != n || !((high - low).array() > 0).all())
        throw std::invalid_argument("minimise_in_box: the box needs low < high for every coordinate");
    const Box box{low, high};
    QuasiNewtonResult result;
    Eigen::VectorXd gradient_x(n);
    const auto evaluate = [&](const Eigen::VectorXd& u, Eigen::VectorXd& gradient_u) {
        ++result.evaluations;
        const double value = function(box.point(u), gradient_x);
        if (!std::isfinite(value) || !gradient_x.allFinite()) return std::numeric_limits<double>::infinity();
        gradient_u = gradient_x.cwiseProduct(box.slope(u));
        return value;
    };
    Eigen::VectorXd u = box.coordinate(start), gradient(n);
    double value = evaluate(u, gradient);
    if (!std::isfinite(value)) {
        result.minimum = box.point(u);
        result.value = value;
        return result;
    }
    Eigen::MatrixXd inverse_hessian = Eigen::MatrixXd::Identity(n, n);
    Eigen::VectorXd trial(n), trial_gradient(n);
    while (result.iterations < settings.maximum_iterations && result.evaluations < settings.maximum_evaluations) {
        if (gradient.cwiseAbs().maxCoeff() < settings.gradient_tolerance) {
            result.converged = true;
            break;
        }
        Eigen::VectorXd direction = -inverse_hessian * gradient;
        double slope = gradient.dot(direction);
        if (!(slope < 0)) {  // the approximation lost positive definiteness: start again from steepest descent
            inverse_hessian.setIdentity();
            direction = -gradient;
            slope = -gradient.squaredNorm();
        }
        // A first step of at most 2 in u (a bound's share moves from 0.5 to 0.88): the likelihood's curvature
        // is unknown at the start, and a long step into a flat region would stall the search.
        double step = std::min(1.0, 2.0 / std::max(1e-300, direction.cwiseAbs().maxCoeff()));
        double trial_value = std::numeric_limits<double>::infinity();
        for (int halving = 0; halving < 40 && result.evaluations < settings.maximum_evaluations; ++halving) {
            trial = u + step * direction;
            trial_value = evaluate(trial, trial_gradient);
            if (trial_value <= value + 1e-4 * step * slope) break;
            step *= 0.5;
        }
        if (!(trial_value <= value + 1e-4 * step * slope)) break;  // no descent along the direction
        ++result.iterations;
        const Eigen::VectorXd s = trial - u, y = trial_gradient - gradient;
        const double improvement = value - trial_value;
        u = trial;
        gradient = trial_gradient;
        value = trial_value;
        const double sy = s.dot(y);
        if (sy > 1e-12 * s.norm() * y.norm()) {
            if (result.iterations == 1) inverse_hessian *= sy / y.squaredNorm();
            const double rho = 1.0 / sy;
            const Eigen::MatrixXd left = Eigen::MatrixXd::Identity(n, n) - rho * s * y.transpose();
            inverse_hessian = left * inverse_hessian * left.transpose() + rho * s * s.transpose();
        }
        if (improvement <= settings.function_tolerance * std::max(1.0, std::abs(value))) {
            result.converged = true;
            break;
        }
    }
    result.minimum = box.point(u);
    result.value = value;
    return result;
}

}  // namespace ehsim::calibration
