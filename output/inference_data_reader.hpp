// Reads the posterior back from a calibration file (ArviZ InferenceData written by ehsim calibrate), so that
// runs and comparisons can draw their parameters from it. This header does not expose HDF5 itself.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace ehsim::output {

struct PosteriorDraws {
    std::vector<std::string> parameters;  // scenario paths, in the file's order
    std::size_t draws = 0;                // chains x draws, flattened
    std::vector<double> values;           // [draw][parameter]
    std::string created_utc;              // when the calibration was written
    std::string setup_file;               // the calibration set-up it came from
    double value(std::size_t draw, std::size_t parameter) const { return values[draw * parameters.size() + parameter]; }
};

// Throws std::runtime_error with one line "<path>: <problem>" when the file cannot be read or is not an
// ehsim calibration file with a posterior of at least one draw.
PosteriorDraws read_posterior(const std::string& path);

}  // namespace ehsim::output
