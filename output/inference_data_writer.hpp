// Writes calibration results as ArviZ InferenceData: an HDF5 file laid out as netCDF-4, one group per
// InferenceData group, that xarray (`xarray.open_dataset(path, group="posterior")`) and ArviZ
// (`arviz.from_netcdf(path)`) open without ehsim. The layout is documented in docs/output-format.md
// ("Calibration files"); this header does not expose HDF5 itself.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace ehsim::output {

// One variable of a group: float64 values, row-major (C order), with shape[i] values along dimensions[i].
// A scalar has no dimensions, an empty shape and one value. ArviZ expects `chain` and `draw` as the first two
// dimensions of the variables of posterior, prior, posterior_predictive, prior_predictive, sample_stats and
// log_likelihood; observed_data and constant_data use their own dimensions.
struct InferenceVariable {
    std::string name;
    std::vector<std::string> dimensions;
    std::vector<std::size_t> shape;  // one size per dimension
    std::vector<double> values;
    std::string description;  // written as the attribute `description` unless empty
};

// String labels of a dimension, e.g. the names of calibration targets. A dimension without a coordinate gets
// the int64 indices 0..n-1.
struct InferenceCoordinate {
    std::string name;  // the dimension's name
    std::vector<std::string> labels;
};

// One InferenceData group, e.g. "posterior", "sample_stats", "observed_data".
struct InferenceGroup {
    std::string name;
    std::vector<InferenceVariable> variables;
    std::vector<InferenceCoordinate> coordinates;
    // Written in this order after `created_at` (the time of writing, ISO 8601 in UTC, as ArviZ writes it) and
    // `inference_library` ("ehsim"); giving either here replaces its value.
    std::vector<std::pair<std::string, std::string>> attributes;
};

struct InferenceData {
    std::vector<InferenceGroup> groups;
    std::vector<std::pair<std::string, std::string>> attributes;  // root attributes (provenance), in this order
};

// Checks `data` before anything is written, throwing std::invalid_argument naming the group, variable,
// dimension, coordinate or attribute at fault:
// - names of groups, variables, dimensions and coordinates are non-empty, contain no '/' and are neither "."
//   nor ".."; group names are unique in the file; within a group, variable names are unique, coordinate names
//   are unique, and no variable is named like a dimension of its group (each dimension is a dataset);
// - a variable has as many sizes in `shape` as dimensions, no dimension twice, at most 32 dimensions, and
//   values.size() equal to the product of its shape (1 for a scalar);
// - within a group, a dimension has the same size in every variable that uses it, and as many as its
//   coordinate's labels when it has a coordinate;
// - attribute names are non-empty, unique per group (or root), and do not start with '_' (netCDF reserves
//   those);
// - every string (names, labels, descriptions, attribute names and values) is valid UTF-8 without NUL.
void validate_inference_data(const InferenceData& data);

// Writes `data` to `path` as an HDF5 file in netCDF-4 form, atomically like write_hdf5: it is built in memory,
// written to `path.tmp-<pid>` and renamed onto `path` when complete. On failure the temporary file is
// removed, `path` is untouched and std::runtime_error names the path and what failed. `data` is validated
// first (validate_inference_data), so invalid data throws std::invalid_argument before any file is created.
// Call it from one thread at a time.
void write_inference_data(const InferenceData& data, const std::string& path);

}  // namespace ehsim::output
