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

// The shipped posterior fitted to this scenario, said on the terminal; "" (the scenario's own values) if none
// fits, with the reason when one was fitted to an earlier version of the file. For `run` and `compare`.
std::string shipped_posterior(const std::string& scenario_file, bool quiet);

}  // namespace ehsim::cli
