// Summaries of one value across replications, as tables and fits show them. Values that are not finite (a
// rate not yet defined is NaN) are left out; with nothing left, the summary is NaN.
#pragma once

#include <vector>

namespace ehsim::experiment {

double mean_of_finite(const std::vector<double>& values);
// The q-quantile (0 <= q <= 1), interpolating linearly between order statistics.
double quantile(std::vector<double> values, double q);

}  // namespace ehsim::experiment
