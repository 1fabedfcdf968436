// HDF5 plumbing shared by the writers and readers of output/ (results, comparison and calibration files): checked
// calls, RAII identifiers, typed datasets and attributes, the atomic write of a file built in memory, and reading
// back what they wrote.
// Internal to output/: it includes hdf5.h, so only output/*.cpp include it (never a public header, nor sim/),
// and it is not installed.
#pragma once

#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ehsim::output::hdf5_internal {

// ---------------------------------------------------------------------------------------------------
// Validation of what HDF5 stores as text

// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);

// HDF5 stores variable-length C strings up to their first NUL, and readers decode them as UTF-8: throws
// std::invalid_argument("<field> contains a NUL character" or "<field> is not valid UTF-8").
void check_text(const std::string& field, const std::string& text);

// A name that becomes a link in a group may not contain '/' nor be "." or "..": throws
// std::invalid_argument("<label>: a name may not contain '/' nor be '.' or '..'").
void check_link_name(const std::string& label, const std::string& name);

// Throws std::invalid_argument("<label> has <count> values but its shape [2 chain x 4 draw] needs 8") unless
// `count` is the product of `sizes` (a dataset of that shape), names[i] naming sizes[i].
void check_value_count(const std::string& label, std::size_t count, const std::vector<std::uint64_t>& sizes,
                       const std::vector<std::string>& names);

// ---------------------------------------------------------------------------------------------------
// Checked calls and identifiers

// Throws std::runtime_error("<what> failed (HDF5: <innermost error on HDF5's stack>)").
[[noreturn]] void fail(const std::string& what);

template <typename Result>
Result check(Result result, const std::string& what) {
    if (result < 0) fail(what);
    return result;
}

// An HDF5 identifier with the function that closes it.
class Handle {
public:
    Handle(hid_t id, herr_t (*closer)(hid_t), const std::string& what) : id_(check(id, what)), close_(closer) {}
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)), close_(other.close_) {}
    Handle& operator=(Handle&&) = delete;
    // Reached normally only after close() or while unwinding from an earlier failure, whose error wins.
    ~Handle() {
        if (id_ >= 0) static_cast<void>(close_(id_));
    }
    hid_t get() const { return id_; }
    // Closing flushes, so it can fail too.
    void close(const std::string& what) { check(close_(std::exchange(id_, H5I_INVALID_HID)), what); }

private:
    hid_t id_;
    herr_t (*close_)(hid_t);
};

// The path of `name` in the group at `parent_path` ("/" for the root).
std::string child_path(const std::string& parent_path, const std::string& name);

// `link_properties` is H5P_DEFAULT or a link creation property list (e.g. to mark the name as UTF-8);
// `group_properties` is H5P_DEFAULT or a group creation property list (e.g. to track creation order).
Handle create_group(hid_t parent, const std::string& parent_path, const std::string& name,
                    hid_t link_properties = H5P_DEFAULT, hid_t group_properties = H5P_DEFAULT);

// ---------------------------------------------------------------------------------------------------
// Datasets and attributes

// Property lists for creating a dataset; H5P_DEFAULT for HDF5's defaults.
struct DatasetProperties {
    hid_t link = H5P_DEFAULT;      // link creation, e.g. UTF-8 names
    hid_t creation = H5P_DEFAULT;  // dataset creation, e.g. attribute creation order
};

class Writer {
public:
    // `can_compress`: the deflate and shuffle filters are available.
    explicit Writer(bool can_compress);

    // The variable-length UTF-8 string type every string is written with.
    hid_t string_type() const { return string_type_.get(); }

    void string_attribute(hid_t object, const std::string& object_name, const char* name, const std::string& value);

    template <typename Value>
    void number_attribute(hid_t object, const std::string& object_name, const char* name, hid_t file_type,
                          hid_t memory_type, Value value) {
        const std::string what = "writing attribute '" + std::string(name) + "' of " + object_name;
        Handle space(H5Screate(H5S_SCALAR), H5Sclose, what);
        Handle attribute(H5Acreate2(object, name, file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, what);
        check(H5Awrite(attribute.get(), memory_type, &value), what);
        attribute.close(what);
    }

    void string_array_attribute(hid_t object, const std::string& object_name, const char* name,
                                const std::vector<std::string>& values);

    // Creates the dataset `name` of `file_type` with shape `dims` (a scalar when `dims` is empty) in `group`,
    // whose path `path` is for messages, and leaves it open for the caller to write, annotate and close.
    // With `compressible` and more than compression_threshold values (and the filters available), it is
    // chunked, shuffled and deflated; otherwise it is contiguous.
    Handle create_dataset(hid_t group, const std::string& path, const std::string& name, hid_t file_type,
                          const std::vector<hsize_t>& dims, bool compressible,
                          const DatasetProperties& properties = {}) const;

    // Write every value of an open dataset of as many elements (nothing when empty).
    static void write_doubles(hid_t dataset, const std::string& path, const std::vector<double>& values);
    void write_strings(hid_t dataset, const std::string& path, const std::vector<std::string>& values) const;

    void scalar_string(hid_t group, const std::string& path, const char* name, const std::string& value);

    // A 1-D dataset of strings, with a `description` attribute unless `description` is null.
    void string_array(hid_t group, const std::string& path, const char* name, const std::vector<std::string>& values,
                      const char* description = nullptr);

    // A 1-D float64 dataset, stored contiguously, with a `description` attribute.
    void double_array(hid_t group, const std::string& path, const char* name, const std::vector<double>& values,
                      const char* description);

private:
    bool can_compress_;
    Handle string_type_;
};

// ---------------------------------------------------------------------------------------------------
// Reading: every call is checked (std::runtime_error naming what failed, one line); readers add the file's path.

// Turns off HDF5's printing of its error stack for the lifetime of the object (errors are reported through
// exceptions instead), then restores it. Throws std::runtime_error if HDF5 refuses.
class QuietErrors {
public:
    QuietErrors();
    QuietErrors(const QuietErrors&) = delete;
    QuietErrors& operator=(const QuietErrors&) = delete;
    ~QuietErrors();

private:
    H5E_auto2_t function_ = nullptr;
    void* data_ = nullptr;
};

// Opens an existing HDF5 file read-only: throws std::runtime_error("no such file", "is a folder, not a file",
// "not an HDF5 file", or HDF5's reason).
Handle open_for_reading(const std::string& path);

bool has_attribute(hid_t object, const char* name);
bool has_link(hid_t group, const std::string& name);

// Scalar attributes of `object` (named `object_name` in messages), converted to the type asked for; each
// throws when the attribute is missing or of another kind ("/ has no attribute 'seed'").
std::string read_string_attribute(hid_t object, const std::string& object_name, const char* name);
std::vector<std::string> read_string_array_attribute(hid_t object, const std::string& object_name, const char* name);
std::uint64_t read_u64_attribute(hid_t object, const std::string& object_name, const char* name);
std::int64_t read_i64_attribute(hid_t object, const std::string& object_name, const char* name);
double read_double_attribute(hid_t object, const std::string& object_name, const char* name);

// The group `name` of `parent` (at `parent_path`); throws "the group <path> is missing" if it is not there.
Handle open_group(hid_t parent, const std::string& parent_path, const std::string& name);

// The names of a group's links, in alphabetical (HDF5 name index) order.
std::vector<std::string> link_names(hid_t group, const std::string& path);

// Every value of the float dataset `name` of `parent`, which must have exactly `shape` (throws otherwise,
// naming both shapes).
std::vector<double> read_doubles(hid_t parent, const std::string& parent_path, const std::string& name,
                                 const std::vector<hsize_t>& shape);

// A 1-D dataset of strings, and a scalar string dataset.
std::vector<std::string> read_strings(hid_t parent, const std::string& parent_path, const std::string& name);
std::string read_scalar_string(hid_t parent, const std::string& parent_path, const std::string& name);

// ---------------------------------------------------------------------------------------------------
// Files

// Writes a file whose contents `fill(writer, root)` creates, built in memory by HDF5 (so memory briefly holds
// about twice the file), then published at `path` atomically through `path.tmp-<pid>`. HDF5's printing of its
// error stack is off meanwhile. On any failure, removes the temporary file and throws std::runtime_error
// ("cannot write HDF5 results to '<path>': ..."), leaving `path` untouched. With `track_creation_order`, the
// root group tracks and indexes the creation order of its links and attributes (as netCDF-4 files do).
void write_atomically(const std::string& path, const std::function<void(Writer&, hid_t)>& fill,
                      bool track_creation_order = false);

}  // namespace ehsim::output::hdf5_internal
