// Derivative-free minimisation by the Nelder-Mead simplex method, with the standard coefficients
// (reflection 1, expansion 2, contraction 1/2, shrink 1/2; Lagarias et al. 1998). Why derivative-free: a
// Gaussian process's likelihood surface is cheap but often flat or ridged in the log length scales, where
// gradient steps are fragile; the emulator restarts it from several points instead.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <functional>

namespace ehsim::calibration {

struct NelderMeadSettings {
    std::size_t maximum_evaluations = 2000;
    double initial_step = 0.5;          // the first simplex: the start plus this along each axis
    double function_tolerance = 1e-10;  // stop when the simplex's values differ by less (absolute)
    double step_tolerance = 1e-8;       // and its vertices lie this close to the best (max norm)
};

struct NelderMeadResult {
    Eigen::VectorXd minimum;
    double value = 0;
    std::size_t evaluations = 0;
    bool converged = false;  // the tolerances were met before the evaluation budget ran out
};

// Minimises `function` from `start`. The function may return +infinity (outside a feasible set): such
// vertices are never kept as best while any finite one exists.
NelderMeadResult nelder_mead(const std::function<double(const Eigen::VectorXd&)>& function,
                             const Eigen::VectorXd& start, const NelderMeadSettings& settings = {});

}  // namespace ehsim::calibration
