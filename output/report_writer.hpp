// The scrutiny report: one self-contained HTML file (inline CSS, inline Vega, Vega-Lite and vega-embed, chart
// specifications with their data inline) that opens offline, made from a run or a comparison file. What it
// holds is described in docs/report.md. It is made in three steps: the numbers it shows, from the file
// (report_content.hpp); the charts' specifications (report_charts.hpp); and the page, here, on what every report
// page shares (report_html.hpp). No replication's own values are embedded.
#pragma once

#include <string>

#include "output/report_content.hpp"
#include "output/report_html.hpp"

namespace ehsim::output {

struct ReportOptions {
    std::string title;        // empty: made from the scenario's name
    std::string written_utc;  // when the report was written (shown if not empty)
};

// The whole HTML document.
std::string render_report(const ReportInput& input, const ReportLibraries& libraries, const ReportOptions& options);

}  // namespace ehsim::output
