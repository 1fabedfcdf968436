// `ehsim report`: the scrutiny report of a run, a comparison or a calibration, as one HTML file that opens
// offline, and on request a PDF of it.
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "output/calibration_report.hpp"
#include "output/report_writer.hpp"
#include "output/results_reader.hpp"
#include "output/sensitivity_report.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/interruption.hpp"
#include "sim/cli/option_types.hpp"
#include "sim/cli/pdf_printer.hpp"
#include "sim/experiment/run_records.hpp"

namespace ehsim::cli {

namespace po = boost::program_options;

namespace {

void create_parent_folder(const std::string& file) {
    if (const auto folder = std::filesystem::path(file).parent_path(); !folder.empty())
        std::filesystem::create_directories(folder);
}

}  // namespace

void write_report(const std::string& results_file, const ReportRequest& request) {
    const auto started = std::chrono::steady_clock::now();
    const output::ReportLibraries& libraries = output::report_libraries();
    const output::ReportOptions options{request.title, experiment::utc_now()};
    std::string html, of;
    const std::string format = output::results_format(results_file);
    if (!request.sensitivity.empty() && format != "ehsim-calibration")
        throw UsageError("report: --sensitivity goes with a calibration's results, and " + results_file +
                         " is not one");
    if (format == "ehsim-calibration") {
        html = output::render_calibration_report(results_file, libraries, options, request.sensitivity);
        of = "a calibration";
    } else if (format == "ehsim-sensitivity") {
        html = output::render_sensitivity_report(results_file, libraries, options);
        of = "a sensitivity study";
    } else {
        const output::ReportInput input = output::read_report_input(results_file);
        html = output::render_report(input, libraries, options);
        const std::size_t options_count = input.results.option_names.size();
        of = input.comparison
                 ? "the baseline and " + std::to_string(options_count) + (options_count == 1 ? " option" : " options")
                 : "a run";
    }
    create_parent_folder(request.html);
    output::write_text_atomically(request.html, html);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("Report: %s (%.1f MB, %s, written in %.1f s)\n", request.html.c_str(),
                static_cast<double>(html.size()) / 1e6, of.c_str(), seconds);
    if (!request.pdf.empty()) {
        const auto printing = std::chrono::steady_clock::now();
        create_parent_folder(request.pdf);
        print_to_pdf(request.html, request.pdf);
        std::printf("Report printed to PDF: %s (in %.1f s)\n", request.pdf.c_str(),
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - printing).count());
    }
    std::fflush(stdout);
}

void add_report_options(po::options_description& options, ReportRequest& request) {
    options.add_options()("report", po::value(&request.html),
                          "also write the scrutiny report of the results to this HTML file (ehsim report)")(
        "pdf", po::value(&request.pdf), "also print the report to this PDF file (needs Debian's chromium)");
}

namespace {

// Refuses a report that would be written over the results it is made from (or the HTML over its own PDF).
void check_distinct_files(const std::string& command, const std::string& results_file, const ReportRequest& request) {
    const auto same = [](const std::string& a, const std::string& b) {
        std::error_code error;
        const auto left = std::filesystem::weakly_canonical(a, error);
        const auto right = std::filesystem::weakly_canonical(b, error);
        return error ? a == b : left == right;
    };
    if (same(request.html, results_file))
        throw UsageError(command + ": the report " + request.html + " would overwrite the results " + results_file +
                         " (give --report, or --out, another name)");
    if (!request.pdf.empty() && (same(request.pdf, results_file) || same(request.pdf, request.html)))
        throw UsageError(command + ": --pdf " + request.pdf + " names the results or the HTML report");
}

}  // namespace

void check_report_options(const std::string& command, const po::variables_map& values, ReportRequest& request,
                          const std::string& results_file) {
    if (values.count("report") && request.html.empty()) throw UsageError(command + ": --report is empty");
    if (values.count("pdf") && request.pdf.empty()) throw UsageError(command + ": --pdf is empty");
    if (!request.pdf.empty() && request.html.empty())
        request.html = std::filesystem::path(results_file).replace_extension(".html").string();
    remove_temporary_on_interruption(results_file);
    if (request.html.empty()) return;
    remove_temporary_on_interruption(request.html);
    check_distinct_files(command, results_file, request);
    // What the report needs is checked now, not after a long run.
    if (!request.pdf.empty() && !chromium_available())
        throw std::runtime_error(command +
                                 ": --pdf needs Chromium, which is not installed (on Debian: apt-get install "
                                 "chromium; or set EHSIM_CHROMIUM to a Chromium binary); nothing was run");
}

int report_command(const std::vector<std::string>& arguments) {
    std::string results_file;
    ReportRequest request;
    po::options_description options("Options of 'ehsim report'");
    options.add_options()("help,h", "show this help and exit")(
        "out,o", po::value(&request.html), "HTML file to write (default: the results file with .html instead of .h5)")(
        "pdf", po::value(&request.pdf), "also print the report to this PDF file (needs Debian's chromium)")(
        "title", po::value(&request.title), "the report's title (default: made from the baseline's name)")(
        "sensitivity", po::value(&request.sensitivity),
        "with a calibration's results: a sensitivity study of the same set-up (ehsim sensitivity) whose ranking "
        "the report shows");
    const po::variables_map values = parse_command_line("report", arguments, options, &results_file);
    if (values.count("help")) {
        std::cout << "Usage: ehsim report RESULTS.h5 [options]\n\n"
                     "Writes the scrutiny report of RESULTS.h5, the file of 'ehsim run', 'ehsim compare', 'ehsim\n"
                     "calibrate' or 'ehsim sensitivity': one HTML file that opens offline in any browser (its\n"
                     "charts' libraries are inside it) and prints. For a run or comparison it holds a one-minute\n"
                     "summary of each option's effect, fan charts month by month, the localities, where families go,\n"
                     "the council's published figures beside the model's, the assumptions and method notes; for a\n"
                     "sensitivity study, each output's parameters ranked (docs/report.md).\n\n"
                  << options;
        return 0;
    }
    if (results_file.empty())
        throw UsageError("report: no results file given (the .h5 of ehsim run, compare or calibrate)");
    if (values.count("title") && request.title.find_first_not_of(" \t") == std::string::npos)
        throw UsageError("report: --title is empty");
    if (values.count("out") && request.html.empty()) throw UsageError("report: --out is empty");
    if (values.count("pdf") && request.pdf.empty()) throw UsageError("report: --pdf is empty");
    if (values.count("sensitivity") && request.sensitivity.empty()) throw UsageError("report: --sensitivity is empty");
    if (request.html.empty()) request.html = std::filesystem::path(results_file).replace_extension(".html").string();
    check_distinct_files("report", results_file, request);
    remove_temporary_on_interruption(request.html);
    write_report(results_file, request);
    return 0;
}

}  // namespace ehsim::cli
