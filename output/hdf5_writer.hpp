// Writes a RunRecord, or a baseline compared with options, as an HDF5 file that h5py, rhdf5 and hdf5r read
// without ehsim. The layouts are documented in docs/output-format.md; this header does not expose HDF5 itself.
#pragma once

#include <string>
#include <vector>

#include "output/run_record.hpp"

namespace ehsim::output {

// Tells HDF5 not to run its own clean-up when the program exits; call it first thing in main, before any other
// HDF5 call. Why: after a corrupted file has been read and refused, that clean-up can fail to evict the file's
// cached metadata and print "HDF5: infinite loop closing library" and a list of objects after ehsim's one-line
// error. ehsim closes every file it opens and writes its files with plain POSIX calls, so the clean-up has nothing
// to do that the operating system does not.
void skip_hdf5_cleanup_at_exit();

// The version written in the root attribute `format_version`; raised whenever a reader would need to change.
inline constexpr int hdf5_format_version = 1;

// Checks what HDF5 needs of a record, before anything is written: every indicator's values.size() equals
// the product of its series' shape (replications x months, x localities x months, x years); indicator names
// are non-empty, unique within their series, and contain no '/' (nor are "." or ".."); every string is valid
// UTF-8 without NUL characters. Throws std::invalid_argument naming the indicator or field at fault.
void validate_for_hdf5(const RunRecord& record);

// Writes the record to `path` atomically: everything goes to a temporary file in the same folder
// (path + ".tmp-<pid>") which is renamed onto `path` only when complete; on any failure the
// temporary file is removed, `path` is untouched, and std::runtime_error is thrown with a one-line
// message naming the path and what failed. The record is validated first (validate_for_hdf5), so an
// invalid record throws std::invalid_argument before any file is created.
//
// The file is built in memory by HDF5 and then written to the temporary file with plain POSIX calls, so
// memory briefly holds about twice the (compressed) file size. HDF5's automatic printing of its error
// stack is turned off during the call (and restored after), so failures are reported only through the
// exception. Call it from one thread at a time.
void write_hdf5(const RunRecord& record, const std::string& path);

// The version written in the root attribute `format_version` of a comparison file (format "ehsim-comparison").
inline constexpr int hdf5_comparison_format_version = 1;

// One option in a comparison: its record and its paired difference from the baseline (option minus baseline,
// replication by replication). Neither may be null; both must outlive the call.
struct ComparedOption {
    const RunRecord* option;
    const RunRecord* difference;
};

// One row of the summary the terminal table shows, stored so that an analyst can read it without recomputing.
struct ComparisonSummaryRow {
    std::string option, indicator, year;  // option name, indicator key, year label e.g. "2020/21"
    double baseline_mean, option_mean, difference_mean;
    double difference_low, difference_high;  // 90% interval of the mean difference
    double probability_lower;                // share of replications where the option is lower
    double variance_ratio;                   // var(paired difference) / (var(baseline) + var(option))
};

// Writes one comparison file holding the baseline, each option, each option's difference from the baseline
// and the summary table, with the same atomicity and error reporting as write_hdf5 (temporary file renamed
// onto `path`; nothing left behind on failure; std::runtime_error). option_names[k] names options[k].
//
// Everything is checked before any file is created, and std::invalid_argument is thrown otherwise: as many
// names as options, no null record; every option name non-empty, unique, valid UTF-8 without NUL, without
// '/' and neither "." nor ".." (it names a group); every record valid for HDF5 (validate_for_hdf5); every
// option and difference with the baseline's months, years, localities and replication count; every summary
// row naming one of the options, with valid UTF-8 strings. Root attributes other than `options` come from
// the baseline's metadata. Memory briefly holds about twice the whole (compressed) file.
void write_comparison_hdf5(const RunRecord& baseline, const std::vector<std::string>& option_names,
                           const std::vector<ComparedOption>& options, const std::vector<ComparisonSummaryRow>& summary,
                           const std::string& path);

}  // namespace ehsim::output
