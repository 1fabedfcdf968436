// Reads back what output/hdf5_writer.hpp wrote: a run file (format "ehsim-run") as a RunRecord, and a
// comparison file ("ehsim-comparison") as its baseline, options, paired differences and summary table. The
// layouts are documented in docs/output-format.md; this header does not expose HDF5 itself.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "output/hdf5_writer.hpp"
#include "output/run_record.hpp"

namespace ehsim::output {

// Which indicators to read. By default everything is read; a report reads only what it shows, which from a
// large comparison is a small fraction of the file.
struct ResultsSelection {
    // For each series, the indicators to read, in this order; std::nullopt reads every indicator of the series
    // in the file, in alphabetical order (HDF5 lists a group's datasets by name, not in the order written). A
    // name the file does not have is skipped: the caller sees which indicators came back.
    std::optional<std::vector<std::string>> monthly, by_locality, annual;
    bool differences = true;  // comparison files: read /differences (otherwise `differences` comes back empty)
};

// A comparison file. Each record's metadata is the file's root metadata (the baseline's: version, commit,
// seed, replications, dates, posterior file), with the record's own scenario name, file and resolved YAML for
// the baseline and each option. A difference record has no scenario of its own: its scenario_name is its
// group's `of` attribute ("<name> minus baseline"), its scenario_file and scenario_resolved are empty.
struct ComparisonResults {
    RunRecord baseline;
    std::vector<std::string> option_names;  // in the order given on the command line (root attribute `options`)
    std::vector<RunRecord> options;         // options[k] is option_names[k]
    std::vector<RunRecord> differences;     // differences[k]: options[k] minus baseline, replication by replication
    std::vector<ComparisonSummaryRow> summary;
};

// The root attribute `format` of an HDF5 file ("ehsim-run", "ehsim-comparison", "ehsim-calibration"), or ""
// if it has none. Throws std::runtime_error("<path>: <problem>") if the file cannot be opened as HDF5.
std::string results_format(const std::string& path);
// Any root string attribute of an HDF5 file, or "" if it has none (throws as results_format does): what a
// caller reads of a file it only looks over, without reading the file.
std::string root_attribute(const std::string& path, const std::string& name);

// Each throws std::runtime_error with one line "<path>: <problem>" when the file is missing, is not HDF5, is not
// of the expected format and format version 1, or lacks or misshapes anything the layout promises (a missing
// attribute or group, an indicator whose shape does not match the axes and replications, summary columns of
// different lengths).
RunRecord read_run(const std::string& path, const ResultsSelection& selection = {});
ComparisonResults read_comparison(const std::string& path, const ResultsSelection& selection = {});

}  // namespace ehsim::output
