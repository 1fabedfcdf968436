// `ehsim report`: the scrutiny report of a run or a comparison, as one HTML file that opens offline.
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "output/report_writer.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/option_types.hpp"
#include "sim/cli/run_records.hpp"

#ifndef EHSIM_REPORT_LIBRARIES
#error "EHSIM_REPORT_LIBRARIES (the node_modules folder holding vega, vega-lite and vega-embed) must be defined"
#endif

namespace ehsim::cli {

namespace po = boost::program_options;

namespace {

// Where setup.sh installed the chart libraries (CMake's EHSIM_REPORT_LIBRARIES), unless the environment says.
std::string libraries_folder() {
    if (const char* folder = std::getenv("EHSIM_REPORT_LIBRARIES"); folder != nullptr && *folder != '\0') return folder;
    return EHSIM_REPORT_LIBRARIES;
}

}  // namespace

int report_command(const std::vector<std::string>& arguments) {
    std::string results_file, out, title;
    po::options_description options("Options of 'ehsim report'");
    options.add_options()("help,h", "show this help and exit")(
        "out,o", po::value(&out), "HTML file to write (default: the results file with .html instead of .h5)")(
        "title", po::value(&title), "the report's title (default: made from the baseline's name)");
    const po::variables_map values = parse_command_line("report", arguments, options, &results_file);
    if (values.count("help")) {
        std::cout << "Usage: ehsim report RESULTS.h5 [options]\n\n"
                     "Writes the scrutiny report of RESULTS.h5, the file of 'ehsim run' or 'ehsim compare': one HTML\n"
                     "file that opens offline in any browser (its charts' libraries are inside it) and prints.\n"
                     "It holds a one-minute summary of each option's effect at the end of the horizon, fan charts\n"
                     "month by month, and method notes (docs/report.md).\n\n"
                  << options;
        return 0;
    }
    if (results_file.empty()) throw UsageError("report: no results file given (the .h5 of ehsim run or compare)");
    if (values.count("title") && title.find_first_not_of(" \t") == std::string::npos)
        throw UsageError("report: --title is empty");
    if (out.empty()) out = std::filesystem::path(results_file).replace_extension(".html").string();

    const auto started = std::chrono::steady_clock::now();
    const output::ReportLibraries libraries = output::load_report_libraries(libraries_folder());
    const output::ReportInput input = output::read_report_input(results_file);
    const std::string html = output::render_report(input, libraries, {title, utc_now()});
    if (const auto folder = std::filesystem::path(out).parent_path(); !folder.empty())
        std::filesystem::create_directories(folder);
    output::write_text_atomically(out, html);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::size_t options_count = input.results.option_names.size();
    const std::string of = input.comparison ? "the baseline and " + std::to_string(options_count) +
                                                  (options_count == 1 ? " option" : " options")
                                            : "a run";
    std::printf("Report: %s (%.1f MB, %s, written in %.1f s)\n", out.c_str(), static_cast<double>(html.size()) / 1e6,
                of.c_str(), seconds);
    return 0;
}

}  // namespace ehsim::cli
