// The subcommands of the ehsim binary. Each takes the arguments after its name and returns the
// process exit status; each throws UsageError for a bad command line.
#pragma once

#include <boost/program_options.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace ehsim::cli {

// A mistake on the command line: reported as one line, exit status 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

int run_command(const std::vector<std::string>& arguments);
int validate_command(const std::vector<std::string>& arguments);
int compare_command(const std::vector<std::string>& arguments);
int calibrate_command(const std::vector<std::string>& arguments);
int sensitivity_command(const std::vector<std::string>& arguments);
int report_command(const std::vector<std::string>& arguments);
int merge_command(const std::vector<std::string>& arguments);
int new_scenario_command(const std::vector<std::string>& arguments);
int demo_command(const std::vector<std::string>& arguments);

// What `ehsim report` writes, also asked of run, compare and calibrate with --report (and --pdf).
struct ReportRequest {
    std::string html;         // the HTML file; empty: none
    std::string pdf;          // also print it to this PDF file; empty: none
    std::string title;        // empty: made from the scenario's name
    std::string sensitivity;  // a calibration's report: the sensitivity study whose ranking it shows; empty: none
};

// Writes the report of a results file (run, comparison or calibration) as `request` asks, and says so on
// stdout. Throws std::runtime_error with one line when it cannot (no chart libraries, no Chromium for a PDF,
// a file of another kind); nothing is left half-written.
void write_report(const std::string& results_file, const ReportRequest& request);

// --report FILE.html and --pdf FILE.pdf, as run, compare and calibrate take them.
void add_report_options(boost::program_options::options_description& options, ReportRequest& request);
// Refuses empty file names (UsageError naming `command`); --pdf alone writes the HTML beside `results_file`.
void check_report_options(const std::string& command, const boost::program_options::variables_map& values,
                          ReportRequest& request, const std::string& results_file);

}  // namespace ehsim::cli
