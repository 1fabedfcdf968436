// Minimisation in a box by a quasi-Newton method (BFGS, Nocedal and Wright 2006, ch. 6) with an Armijo
// backtracking line search, for smooth functions whose gradient is known. Why: a Gaussian process's
// likelihood has an analytic gradient that costs about one more factorisation, and with it a fit of 17
// hyperparameters needs some tens of evaluations where a derivative-free simplex needs thousands.
//
// Why the box is handled by a change of variable: x = low + (high - low) / (1 + exp(-u)) makes the search
// unconstrained in u. Near a bound the gradient in u vanishes, so a likelihood that is flattest at a bound
// (an inert input's length scale running to its largest) stops the search there instead of probing past it.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <functional>

namespace ehsim::calibration {

struct QuasiNewtonSettings {
    std::size_t maximum_iterations = 200;
    std::size_t maximum_evaluations = 600;
    double gradient_tolerance = 1e-6;   // stop when every component of the gradient in u is smaller
    double function_tolerance = 1e-10;  // or an iteration improves the value by less than this (relative)
};

struct QuasiNewtonResult {
    Eigen::VectorXd minimum;  // in the box
    double value = 0;
    std::size_t evaluations = 0, iterations = 0;
    bool converged = false;
};

// The value at x, with its gradient written to `gradient`; +infinity where the function is not defined (the
// line search then steps back).
using ValueAndGradient = std::function<double(const Eigen::VectorXd& x, Eigen::VectorXd& gradient)>;

// Minimises from `start` (which must lie strictly inside the box [low, high]).
QuasiNewtonResult minimise_in_box(const ValueAndGradient& function, const Eigen::VectorXd& start,
                                  const Eigen::VectorXd& low, const Eigen::VectorXd& high,
                                  const QuasiNewtonSettings& settings = {});

}  // namespace ehsim::calibration
