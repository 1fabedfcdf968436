// The report of a calibration (the InferenceData file of `ehsim calibrate`): the council's published figures
// beside the calibrated model's, the parameters before and after calibration, and how the calibration went.
// One self-contained HTML page made in three steps, as the run's report is: the numbers
// (calibration_content.hpp), the charts (report_charts.hpp) and the page, here; described in docs/report.md.
#pragma once

#include <string>

#include "output/calibration_content.hpp"
#include "output/calibration_results_reader.hpp"
#include "output/report_html.hpp"
#include "output/report_writer.hpp"

namespace ehsim::output {

// Writes the whole HTML document of the calibration file at `path`. Throws std::runtime_error with one line
// "<path>: <problem>" when the file is not an ehsim calibration file or lacks what the report shows, or when
// `sensitivity_file` (a sensitivity study of the same set-up, `ehsim sensitivity`, whose ranking the report then
// shows; empty: none) cannot be read.
std::string render_calibration_report(const std::string& path, const ReportLibraries& libraries,
                                      const ReportOptions& options, const std::string& sensitivity_file = "");
std::string render_calibration_report(const CalibrationResults& results, const ReportLibraries& libraries,
                                      const ReportOptions& options, const std::string& sensitivity_file = "");

}  // namespace ehsim::output
