#include "sim/cli/printing.hpp"

#include <cmath>
#include <cstdio>
#include <iostream>

#include "sim/experiment/targets_discovery.hpp"

namespace ehsim::cli {

std::string format_value(double value) {
    char text[32];
    if (!std::isfinite(value)) return "-";
    if (std::abs(value) >= 1e6)
        std::snprintf(text, sizeof text, "%.2fm", value / 1e6);
    else if (std::abs(value) >= 1e4)
        std::snprintf(text, sizeof text, "%.1fk", value / 1e3);
    else if (std::abs(value) >= 100)
        std::snprintf(text, sizeof text, "%.0f", value);
    else
        std::snprintf(text, sizeof text, "%.1f", value);
    return text;
}

std::vector<calibration::TargetsFile> targets_for_report(const model::Scenario& scenario,
                                                         const std::string& scenario_file,
                                                         const std::vector<std::string>& named) {
    experiment::FoundTargets found = experiment::targets_for_report(scenario, scenario_file, named);
    for (const std::string& note : found.left_out) std::cerr << "note: the report leaves out " << note << "\n";
    return std::move(found.files);
}

// The shipped posterior fitted to this scenario, said on the terminal; "" (the scenario's own values) if none
// fits, with the reason when one was fitted to an earlier version of the file.
std::string shipped_posterior(const std::string& scenario_file, bool quiet) {
    const experiment::ShippedPosterior found = experiment::shipped_posterior(scenario_file);
    if (!quiet && !found.file.empty())
        std::printf(
            "Parameters drawn from the shipped posterior %s (calibrated to this scenario; --no-posterior for "
            "the scenario's own values).\n",
            found.file.c_str());
    else if (!quiet && !found.stale.empty())
        std::printf(
            "The scenario's own values: the shipped posterior %s was fitted to an earlier version of %s "
            "(recalibrate, or name it with --posterior).\n",
            found.stale.c_str(), scenario_file.c_str());
    return found.file;
}

}  // namespace ehsim::cli
