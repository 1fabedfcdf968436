// Which calibration targets files a run sets its results beside: the published figures of its council.
#pragma once

#include <string>
#include <vector>

#include "sim/calibration/calibration_files.hpp"
#include "sim/model/parameters.hpp"

namespace ehsim::experiment {

struct FoundTargets {
    std::vector<calibration::TargetsFile> files;  // each with only the figures whose periods the run reports
    std::vector<std::string> left_out;            // "<file>: <why>", one per file found but not read
};

// The targets files a report sets beside a run of `scenario`: those named (`--targets`; a bad one, or one
// whose period the run does not report, throws with the file's name), or else every targets file of the
// scenario's council in the nearest calibration/targets folder above the scenario file whose periods the
// run reports. Files of other councils are skipped silently; a file of no council that is not YAML, or a
// file of the council that cannot be read, is left out and said so in `left_out` (never thrown: nobody
// named it).
FoundTargets targets_for_report(const model::Scenario& scenario, const std::string& scenario_file,
                                const std::vector<std::string>& named);

// The calibration a run of `scenario_file` draws its parameters from when none is named: a posterior in the
// nearest calibration/posteriors folder above the scenario file that was fitted to this very scenario (the
// file's fingerprint is the one the posterior records). A posterior fitted to an earlier version of the
// file is not used, and `stale` names it, so the run can say why its own values stand.
struct ShippedPosterior {
    std::string file;   // empty: none fits
    std::string stale;  // a posterior of this scenario file made before its last change ("" if none)
};
ShippedPosterior shipped_posterior(const std::string& scenario_file);

}  // namespace ehsim::experiment
