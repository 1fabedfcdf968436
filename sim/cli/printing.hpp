// What the subcommands share in printing: numbers as tables show them, notes on stderr.
#pragma once

#include <string>
#include <vector>

#include "sim/calibration/calibration_files.hpp"
#include "sim/model/parameters.hpp"

namespace ehsim::cli {

// Short and readable: "1.23m", "45.6k", "789", "12.3"; "-" for a value that is not finite.
std::string format_value(double value);

// experiment::targets_for_report, with a note on stderr for each file found but left out.
std::vector<calibration::TargetsFile> targets_for_report(const model::Scenario& scenario,
                                                         const std::string& scenario_file,
                                                         const std::vector<std::string>& named);

}  // namespace ehsim::cli
