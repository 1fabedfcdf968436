// `ehsim new-scenario`: a baseline scenario and a targets file for any English authority, from DfE's tables.
#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "output/report_html.hpp"
#include "sim/authority/authority_files.hpp"
#include "sim/calibration/calibration_files.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/data_location.hpp"
#include "sim/cli/interruption.hpp"
#include "sim/cli/option_types.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/schema.hpp"

namespace ehsim::cli {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

struct Request {
    std::string authority;
    int year = 0;  // 0: the authority's latest
    std::string out, targets, all, dfe, template_file;
};

// One authority's two files, checked by the loaders `ehsim run` and `ehsim calibrate` use before either is
// written: a generated file that would not load is a defect here, never the user's to find.
struct Written {
    std::string baseline, targets;
};

Written write_authority(const authority::DfeTables& tables, const authority::Authority& place, int year,
                        const std::string& template_text, const std::string& baseline_file,
                        const std::string& targets_file) {
    const authority::BaselineFigures figures = authority::baseline_figures(tables, place, year);
    const std::string baseline = authority::baseline_text(figures, template_text);
    const std::string targets = authority::targets_text(place, year, authority::target_figures(tables, place, year));
    scenario::load_scenario_text(baseline, baseline_file);
    calibration::load_targets_text(targets, targets_file);
    const RemovalsWhileWriting writing;
    for (const std::string& file : {baseline_file, targets_file}) {
        const fs::path folder = fs::path(file).parent_path();
        std::error_code error;
        if (!folder.empty()) fs::create_directories(folder, error);
        remove_temporary_on_interruption(file);
    }
    output::write_text_atomically(baseline_file, baseline, "the scenario");
    output::write_text_atomically(targets_file, targets, "the targets");
    return {baseline_file, targets_file};
}

std::string default_template() {
    const std::optional<DataLocation> data = find_data_location();
    if (!data) throw UsageError("new-scenario: no bundled template found: give one with --template FILE");
    return (data->folder / "scenarios" / "england" / "authority-template.yaml.in").string();
}

std::string default_dfe_folder() {
    const std::optional<DataLocation> data = find_data_location();
    if (!data) throw UsageError("new-scenario: no DfE tables found: give their folder with --dfe FOLDER");
    return data->dfe_tables().string();
}

void list_authorities(const authority::DfeTables& tables) {
    for (const authority::Authority& place : authority::all_authorities(tables))
        std::printf("%-40s %-9s %-26s %d-%d\n", place.name.c_str(), place.code.c_str(), place.region.c_str(),
                    place.years.front(), place.years.back());
}

// Every authority still in being: those whose figures run to the tables' latest year, and those whose figures stop
// earlier with no successor (the five seed councils, whose later years are held back to test projections).
int write_all(const authority::DfeTables& tables, const Request& request, const std::string& template_text) {
    int written = 0;
    for (const authority::Authority& place : authority::all_authorities(tables)) {
        if (request.year == 0 && !authority::successors(tables, place).empty()) {
            std::printf("skipped: %s, reorganised after %d\n", place.name.c_str(), place.years.back());
            continue;
        }
        const int year = request.year != 0 ? request.year : place.years.back();
        if (std::find(place.years.begin(), place.years.end(), year) == place.years.end()) {
            std::printf("skipped: %s, no figures for %d\n", place.name.c_str(), year);
            continue;
        }
        const fs::path folder = fs::path(request.all) / authority::file_stem(place.name);
        write_authority(tables, place, year, template_text, (folder / "baseline.yaml").string(),
                        (folder / "targets.yaml").string());
        ++written;
    }
    std::printf("%d authorities: a baseline.yaml and targets.yaml each in %s\n", written, request.all.c_str());
    return 0;
}

}  // namespace

int new_scenario_command(const std::vector<std::string>& arguments) {
    Request request;
    po::options_description options("Options of 'ehsim new-scenario'");
    options.add_options()("help,h", "show this help and exit")(
        "authority", po::value(&request.authority), "the authority, as DfE names it (any case), or its ONS code")(
        "year", po::value(&request.year),
        "the year to 31 March the scenario starts in (1 April of the year before); default: the latest with "
        "figures")("out", po::value(&request.out), "the baseline scenario (default: <authority>-baseline.yaml)")(
        "targets", po::value(&request.targets), "its targets file (default: <authority>-targets.yaml beside --out)")(
        "all", po::value(&request.all), "write every authority into FOLDER/<authority>/{baseline,targets}.yaml")(
        "list", "list the authorities DfE's tables name, with their years, and exit")(
        "dfe", po::value(&request.dfe), "DfE's tables (default: those ehsim is installed or built with)")(
        "template", po::value(&request.template_file),
        "the template for what DfE does not publish (default: scenarios/england/authority-template.yaml.in)");
    const po::variables_map values = parse_command_line("new-scenario", arguments, options);
    if (values.count("help")) {
        std::cout << "Usage: ehsim new-scenario --authority NAME [--year Y] [--out FILE] [--targets FILE]\n"
                     "       ehsim new-scenario --all FOLDER [--year Y]\n       ehsim new-scenario --list\n\n"
                     "Writes a baseline scenario for an English authority from DfE's published tables (children,\n"
                     "social workers, referrals), with Walsall's values for what DfE does not publish, each value\n"
                     "marked with its source or 'assumed', and a targets file of DfE's figures for the same year.\n\n"
                  << options;
        return 0;
    }
    const bool list = values.count("list") > 0;
    if (static_cast<int>(!request.authority.empty()) + static_cast<int>(!request.all.empty()) + list != 1)
        throw UsageError("new-scenario: give one of --authority NAME, --all FOLDER or --list");
    if (values.count("year") && (request.year < 1900 || request.year > 2200))
        throw UsageError("new-scenario: --year " + std::to_string(request.year) + " is not a year to 31 March");
    if (!request.all.empty() && (values.count("out") || values.count("targets")))
        throw UsageError(
            "new-scenario: --all writes FOLDER/<authority>/baseline.yaml: --out and --targets are for "
            "one authority");
    const authority::DfeTables tables =
        authority::DfeTables::read(request.dfe.empty() ? default_dfe_folder() : request.dfe);
    if (list) {
        list_authorities(tables);
        return 0;
    }
    const std::string template_file = request.template_file.empty() ? default_template() : request.template_file;
    const std::string template_text = scenario::read_text_file(template_file, "scenario template");
    if (!request.all.empty()) return write_all(tables, request, template_text);

    const authority::Authority place = authority::find_authority(tables, request.authority);
    const int year = request.year != 0 ? request.year : place.years.back();
    const std::string stem = authority::file_stem(place.name);
    if (request.out.empty()) request.out = stem + "-baseline.yaml";
    if (request.targets.empty())
        request.targets = (fs::path(request.out).parent_path() / (stem + "-targets.yaml")).string();
    if (fs::path(request.out).lexically_normal() == fs::path(request.targets).lexically_normal())
        throw UsageError("new-scenario: --out and --targets name the same file");
    const Written written = write_authority(tables, place, year, template_text, request.out, request.targets);
    std::printf("%s, year to 31 March %d: scenario %s, targets %s\n", place.name.c_str(), year,
                written.baseline.c_str(), written.targets.c_str());
    return 0;
}

}  // namespace ehsim::cli
