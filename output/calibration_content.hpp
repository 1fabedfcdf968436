// The numbers the report of a calibration shows, taken from its InferenceData file into plain structs: each
// published figure beside the posterior-predictive runs, and each parameter's prior and posterior. No HTML here
// (calibration_report.hpp makes the page).
#pragma once

#include <vector>

#include "output/calibration_results_reader.hpp"

namespace ehsim::output {

// The median and the 90% interval (5th and 95th percentiles) of draws: type-7 quantiles, non-finite draws left
// out (NaN when none is finite), as `ehsim calibrate` prints them.
struct DrawSummary {
    double p05, p50, p95;
};
DrawSummary summarise_draws(const std::vector<double>& draws);

// One row of the fit table: a published figure beside the posterior-predictive median and 90% interval.
struct FitRow {
    const CalibrationTarget* target;
    DrawSummary model;
    // The published value (or any of its range) lies inside the model's 90% interval: lower <= p95 and
    // upper >= p05, exactly as `ehsim calibrate` counts it. False when the interval is undefined.
    bool inside;
};
std::vector<FitRow> calibration_fit(const CalibrationResults& results);

// A figure is drawn as a share of its published value, which must be a positive number.
bool drawable(const FitRow& row);

// One row of the parameters' table: a parameter's prior and posterior medians and 90% intervals.
struct ParameterRow {
    const CalibrationParameter* parameter;
    DrawSummary prior, posterior;
    double width_ratio;  // the posterior's 90% interval's width over the prior's (NaN if undefined)
};
std::vector<ParameterRow> calibration_parameters(const CalibrationResults& results);

}  // namespace ehsim::output
