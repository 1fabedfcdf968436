// Writes a RunRecord as an HDF5 file that h5py, rhdf5 and hdf5r read without ehsim. The layout is
// documented in docs/output-format.md; this header does not expose HDF5 itself.
#pragma once

#include <string>

#include "output/run_record.hpp"

namespace ehsim::output {

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

}  // namespace ehsim::output
