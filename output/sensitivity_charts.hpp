// The sensitivity report's numbers for one output (each input ranked) and its charts' Vega-Lite specifications.
// Private to output/*.cpp.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "output/sensitivity_writer.hpp"

namespace ehsim::output {

// One input's numbers for one output; NaN for a method that did not run.
struct SensitivityRow {
    std::size_t input;
    double mu_star, sigma;
    double first, first_lower, first_upper, total, total_lower, total_upper;
    bool negligible;  // it matters little for this output (the file's /negligible)
};

// Every input for `output`, most important first: by Sobol's total index when it ran, else by Morris's mu*
// (undefined values last, ties in the file's order).
std::vector<SensitivityRow> ranked_rows(const SensitivityRecord& record, std::size_t output);

// The share of an output's variance over the design that replication noise alone would make (noise squared over
// the variance): a Sobol' index of about this size cannot be told from noise. NaN without Sobol'.
double noise_share(const SensitivityRecord& record, std::size_t output);

namespace charts {

// Morris: a bar per input for mu*, a tick for sigma and a dashed line at the replication noise, ranked.
std::string morris_chart(const SensitivityRecord& record, const std::vector<SensitivityRow>& rows, double noise,
                         const std::string& unit, const std::string& description);

// Sobol': the first-order and total indices of each input side by side with their bootstrap intervals, and a
// dashed line at the noise share, ranked.
std::string sobol_chart(const SensitivityRecord& record, const std::vector<SensitivityRow>& rows, double noise,
                        const std::string& description);

}  // namespace charts
}  // namespace ehsim::output
