// ehsim's signature on the HDF5 files it writes: 80 bytes after the HDF5 data (which HDF5 ignores: the superblock
// records where its data ends) holding the data's size and FNV-1a 64-bit checksum. Every reader checks it before
// HDF5 parses a byte, so a truncated, damaged or foreign file is one line naming the file and what is wrong, never a
// crash inside the HDF5 library. Internal to output/.
#pragma once

#include <string>
#include <vector>

namespace ehsim::output::file_signature {

inline constexpr std::size_t kSize = 80;

// The signature of `size` bytes at `data` (a whole HDF5 file image), to be written straight after them.
std::string of(const char* data, std::size_t size);

// Appends the signature of `data` to it.
void append(std::vector<char>& data);

// Throws std::runtime_error with one line ("not an HDF5 file", "not a complete file written by ehsim ...",
// "truncated or extended after ehsim wrote it ...", "damaged: ...") unless the file at `path` is an HDF5 file ending
// with a signature that matches its data. The file's name is added by the caller's message.
void check(const std::string& path);

}  // namespace ehsim::output::file_signature
