// A calibration's outcome as ArviZ InferenceData (docs/output-format.md, "Calibration files"): the posterior
// and prior draws, the posterior-predictive figures beside the published ones, what each figure and prior is,
// every ABC particle and every generation, and where it all came from.
#pragma once

#include <string>

#include "output/inference_data_writer.hpp"
#include "sim/experiment/calibration_run.hpp"

namespace ehsim::experiment {

output::InferenceData calibration_results(const Calibration& calibration, const calibration::AbcSettings& settings,
                                          const CalibrationOutcome& outcome);

// The bytes of a file ("" when it cannot be read): what a checkpoint's salt and a file's recorded hash are of.
std::string file_text(const std::string& path);
// Its FNV-1a fingerprint as 16 hex digits: what a calibration file records of its set-up, scenario and targets.
std::string file_hash(const std::string& path);

}  // namespace ehsim::experiment
