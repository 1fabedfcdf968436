// The report of a calibration (the InferenceData file of `ehsim calibrate`): the council's published figures
// beside the calibrated model's, the parameters before and after calibration, and how the calibration went.
// One self-contained HTML page made with output/report_html.hpp; described in docs/report.md.
#pragma once

#include <string>
#include <vector>

#include "output/calibration_results_reader.hpp"
#include "output/report_html.hpp"
#include "output/report_writer.hpp"

namespace ehsim::output {

// The median and the 90% interval (5th and 95th percentiles) of draws: linear interpolation between order
// statistics, non-finite draws left out (NaN when none is finite), as `ehsim calibrate` prints them.
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

// One row of the parameters' table: a parameter's prior and posterior medians and 90% intervals.
struct ParameterRow {
    const CalibrationParameter* parameter;
    DrawSummary prior, posterior;
    double width_ratio;  // the posterior's 90% interval's width over the prior's (NaN if undefined)
};
std::vector<ParameterRow> calibration_parameters(const CalibrationResults& results);

// Writes the whole HTML document of the calibration file at `path`. Throws std::runtime_error with one line
// "<path>: <problem>" when the file is not an ehsim calibration file or lacks what the report shows.
std::string render_calibration_report(const std::string& path, const ReportLibraries& libraries,
                                      const ReportOptions& options);
std::string render_calibration_report(const CalibrationResults& results, const ReportLibraries& libraries,
                                      const ReportOptions& options);

}  // namespace ehsim::output
