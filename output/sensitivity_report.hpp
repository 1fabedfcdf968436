// The report of a sensitivity study (the HDF5 file of `ehsim sensitivity`): which of a calibration set-up's
// uncertain parameters move which published figure and, with an option, the option's effect. Per output a ranked
// bar chart of the parameters (Morris mu* with sigma, Sobol' first-order and total indices with their bootstrap
// intervals) and a table of the same numbers, the replication noise beside them, and the parameters that matter
// for nothing named. One self-contained HTML page (report_html.hpp), described in docs/report.md.
#pragma once

#include <string>

#include "output/report_html.hpp"
#include "output/report_writer.hpp"
#include "output/sensitivity_writer.hpp"

namespace ehsim::output {

// Throws std::runtime_error with one line "<path>: <problem>" when the file is not a sensitivity file or lacks
// what the report shows.
std::string render_sensitivity_report(const std::string& path, const ReportLibraries& libraries,
                                      const ReportOptions& options);
std::string render_sensitivity_report(const SensitivityRecord& record, const std::string& path,
                                      const ReportLibraries& libraries, const ReportOptions& options);

}  // namespace ehsim::output
