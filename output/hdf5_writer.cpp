#include "output/hdf5_writer.hpp"

#include <fcntl.h>
#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace ehsim::output {
namespace {

// ---------------------------------------------------------------------------------------------------
// Validation

// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        unsigned char low = 0x80;  // allowed range of the second byte
        unsigned char high = 0xBF;
        if (byte >= 0xC2 && byte <= 0xDF) {
            length = 2;
        } else if (byte >= 0xE0 && byte <= 0xEF) {
            length = 3;
            if (byte == 0xE0) low = 0xA0;   // overlong
            if (byte == 0xED) high = 0x9F;  // surrogates
        } else if (byte >= 0xF0 && byte <= 0xF4) {
            length = 4;
            if (byte == 0xF0) low = 0x90;   // overlong
            if (byte == 0xF4) high = 0x8F;  // above U+10FFFF
        } else {
            return false;
        }
        if (text.size() - i < length) return false;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            const unsigned char lower = k == 1 ? low : 0x80;
            const unsigned char upper = k == 1 ? high : 0xBF;
            if (next < lower || next > upper) return false;
        }
        i += length;
    }
    return true;
}

// HDF5 stores variable-length C strings up to their first NUL, and readers decode them as UTF-8.
void check_text(const std::string& field, const std::string& text) {
    if (text.find('\0') != std::string::npos) throw std::invalid_argument(field + " contains a NUL character");
    if (!is_valid_utf8(text)) throw std::invalid_argument(field + " is not valid UTF-8");
}

struct Series {
    const char* group;  // "monthly", "by_locality", "annual"
    const std::vector<Indicator>* indicators;
    std::vector<std::uint64_t> dims;     // the shape every indicator of the series has
    std::vector<const char*> dim_names;  // one per dimension, for messages
    const char* dimensions;              // the `dimensions` attribute
};

std::vector<Series> series_of(const RunRecord& record) {
    const std::uint64_t replications = record.metadata.replications;
    const std::uint64_t months = record.months.size();
    const std::uint64_t localities = record.localities.size();
    const std::uint64_t years = record.years.size();
    return {
        {"monthly", &record.monthly, {replications, months}, {"replications", "months"}, "replication,month"},
        {"by_locality",
         &record.by_locality,
         {replications, localities, months},
         {"replications", "localities", "months"},
         "replication,locality,month"},
        {"annual", &record.annual, {replications, years}, {"replications", "years"}, "replication,year"},
    };
}

void validate_series(const Series& series) {
    bool overflow = false;
    std::uint64_t expected = 1;
    std::string shape;
    for (std::size_t d = 0; d < series.dims.size(); ++d) {
        const std::uint64_t dim = series.dims[d];
        if (dim != 0 && expected > std::numeric_limits<std::uint64_t>::max() / dim) overflow = true;
        expected *= dim;
        shape += (d == 0 ? "" : " x ") + std::to_string(dim) + " " + series.dim_names[d];
    }
    std::set<std::string> names;
    for (const Indicator& indicator : *series.indicators) {
        if (indicator.name.empty()) {
            throw std::invalid_argument(std::string("an indicator in ") + series.group + " has no name");
        }
        check_text(std::string("the name of an indicator in ") + series.group, indicator.name);
        const std::string label = std::string("indicator '") + series.group + "/" + indicator.name + "'";
        if (indicator.name.find('/') != std::string::npos || indicator.name == "." || indicator.name == "..")
            throw std::invalid_argument(label + ": a name may not contain '/' nor be '.' or '..'");
        if (!names.insert(indicator.name).second) throw std::invalid_argument(label + " appears twice");
        check_text(label + " unit", indicator.unit);
        check_text(label + " description", indicator.description);
        if (overflow || indicator.values.size() != expected) {
            throw std::invalid_argument(label + " has " + std::to_string(indicator.values.size()) +
                                        " values but its shape [" + shape + "] needs " +
                                        (overflow ? std::string("more than 2^64") : std::to_string(expected)));
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// HDF5 plumbing: every call is checked, every identifier is closed.

// The most specific description HDF5 left on its error stack for the failed call (empty if none).
std::string hdf5_error_detail() {
    std::string detail;
    const auto take_innermost = [](unsigned position, const H5E_error2_t* error, void* data) -> herr_t {
        if (position == 0 && error != nullptr && error->desc != nullptr) *static_cast<std::string*>(data) = error->desc;
        return 0;
    };
    if (H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, take_innermost, &detail) < 0) return {};
    std::replace(detail.begin(), detail.end(), '\n', ' ');
    return detail;
}

[[noreturn]] void fail(const std::string& what) {
    const std::string detail = hdf5_error_detail();
    throw std::runtime_error(what + " failed" + (detail.empty() ? "" : " (HDF5: " + detail + ")"));
}

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

// Turns off HDF5's printing of its error stack for the lifetime of the object, then restores it.
class QuietHdf5Errors {
public:
    QuietHdf5Errors() {
        if (H5Eget_auto2(H5E_DEFAULT, &function_, &data_) < 0)
            throw std::runtime_error("cannot query HDF5's error reporting (H5Eget_auto2 failed)");
        if (H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr) < 0)
            throw std::runtime_error("cannot turn off HDF5's error printing (H5Eset_auto2 failed)");
    }
    QuietHdf5Errors(const QuietHdf5Errors&) = delete;
    QuietHdf5Errors& operator=(const QuietHdf5Errors&) = delete;
    ~QuietHdf5Errors() { static_cast<void>(H5Eset_auto2(H5E_DEFAULT, function_, data_)); }

private:
    H5E_auto2_t function_ = nullptr;
    void* data_ = nullptr;
};

// Datasets with more values than this are chunked, shuffled and deflated; smaller ones are contiguous.
constexpr std::size_t compression_threshold = 4096;
constexpr unsigned deflate_level = 4;
// About 256 KiB of doubles per chunk: whole replications (rows) per chunk while they fit.
constexpr hsize_t chunk_target_values = 32768;
// The in-memory file grows by this much at a time.
constexpr std::size_t memory_increment = 1 << 20;

// Fills the chunk from the innermost dimension outwards; the first dimension that no longer fits whole
// takes what is left of the target, the ones outside it take 1. Every chunk dimension is in [1, dim].
std::vector<hsize_t> chunk_shape(const std::vector<hsize_t>& dims) {
    std::vector<hsize_t> chunk(dims.size(), 1);
    hsize_t size = 1;
    for (std::size_t i = dims.size(); i-- > 0;) {
        const hsize_t dim = std::max<hsize_t>(dims[i], 1);
        if (dim <= chunk_target_values / size) {
            chunk[i] = dim;
            size *= dim;
            continue;
        }
        chunk[i] = std::max<hsize_t>(1, chunk_target_values / size);
        break;
    }
    return chunk;
}

class Writer {
public:
    explicit Writer(bool can_compress)
        : can_compress_(can_compress), string_type_(H5Tcopy(H5T_C_S1), H5Tclose, "copying the string type") {
        check(H5Tset_size(string_type_.get(), H5T_VARIABLE), "making the string type variable-length");
        check(H5Tset_cset(string_type_.get(), H5T_CSET_UTF8), "setting the string type to UTF-8");
    }

    void string_attribute(hid_t object, const std::string& object_name, const char* name, const std::string& value) {
        const std::string what = "writing attribute '" + std::string(name) + "' of " + object_name;
        Handle space(H5Screate(H5S_SCALAR), H5Sclose, what);
        Handle attribute(H5Acreate2(object, name, string_type_.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                         what);
        const char* text = value.c_str();
        check(H5Awrite(attribute.get(), string_type_.get(), &text), what);
        attribute.close(what);
    }

    template <typename Value>
    void number_attribute(hid_t object, const std::string& object_name, const char* name, hid_t file_type,
                          hid_t memory_type, Value value) {
        const std::string what = "writing attribute '" + std::string(name) + "' of " + object_name;
        Handle space(H5Screate(H5S_SCALAR), H5Sclose, what);
        Handle attribute(H5Acreate2(object, name, file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, what);
        check(H5Awrite(attribute.get(), memory_type, &value), what);
        attribute.close(what);
    }

    void scalar_string(hid_t group, const std::string& path, const char* name, const std::string& value) {
        const std::string what = "writing dataset " + path;
        Handle space(H5Screate(H5S_SCALAR), H5Sclose, what);
        Handle dataset(H5Dcreate2(group, name, string_type_.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                       H5Dclose, what);
        const char* text = value.c_str();
        check(H5Dwrite(dataset.get(), string_type_.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &text), what);
        dataset.close(what);
    }

    // A 1-D dataset of strings, with a `description` attribute unless `description` is null.
    void string_array(hid_t group, const std::string& path, const char* name, const std::vector<std::string>& values,
                      const char* description = nullptr) {
        const std::string what = "writing dataset " + path;
        const hsize_t dims[1] = {values.size()};
        Handle space(H5Screate_simple(1, dims, nullptr), H5Sclose, what);
        Handle dataset(H5Dcreate2(group, name, string_type_.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                       H5Dclose, what);
        if (!values.empty()) {
            const std::vector<const char*> texts = c_strings(values);
            check(H5Dwrite(dataset.get(), string_type_.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()), what);
        }
        if (description != nullptr) string_attribute(dataset.get(), path, "description", description);
        dataset.close(what);
    }

    // A 1-D float64 dataset, stored contiguously, with a `description` attribute.
    void double_array(hid_t group, const std::string& path, const char* name, const std::vector<double>& values,
                      const char* description) {
        const std::string what = "writing dataset " + path;
        const hsize_t dims[1] = {values.size()};
        Handle space(H5Screate_simple(1, dims, nullptr), H5Sclose, what);
        Handle dataset(H5Dcreate2(group, name, H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                       H5Dclose, what);
        if (!values.empty()) {
            check(H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), what);
        }
        string_attribute(dataset.get(), path, "description", description);
        dataset.close(what);
    }

    void string_array_attribute(hid_t object, const std::string& object_name, const char* name,
                                const std::vector<std::string>& values) {
        const std::string what = "writing attribute '" + std::string(name) + "' of " + object_name;
        const hsize_t dims[1] = {values.size()};
        Handle space(H5Screate_simple(1, dims, nullptr), H5Sclose, what);
        Handle attribute(H5Acreate2(object, name, string_type_.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                         what);
        if (!values.empty()) {
            const std::vector<const char*> texts = c_strings(values);
            check(H5Awrite(attribute.get(), string_type_.get(), texts.data()), what);
        }
        attribute.close(what);
    }

    // `group_path` is the path of `group` in the file, for messages.
    void indicator(hid_t group, const std::string& group_path, const Series& series, const Indicator& indicator) {
        const std::string path = group_path + "/" + indicator.name;
        const std::string what = "writing dataset " + path;
        const std::vector<hsize_t> dims(series.dims.begin(), series.dims.end());
        Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose, what);
        Handle properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, what);
        if (can_compress_ && indicator.values.size() > compression_threshold) {
            const std::vector<hsize_t> chunk = chunk_shape(dims);
            check(H5Pset_chunk(properties.get(), static_cast<int>(chunk.size()), chunk.data()), what + " (chunking)");
            check(H5Pset_shuffle(properties.get()), what + " (shuffle filter)");
            check(H5Pset_deflate(properties.get(), deflate_level), what + " (deflate filter)");
        }
        Handle dataset(H5Dcreate2(group, indicator.name.c_str(), H5T_IEEE_F64LE, space.get(), H5P_DEFAULT,
                                  properties.get(), H5P_DEFAULT),
                       H5Dclose, what);
        if (!indicator.values.empty()) {
            check(H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, indicator.values.data()),
                  what);
        }
        string_attribute(dataset.get(), path, "unit", indicator.unit);
        string_attribute(dataset.get(), path, "description", indicator.description);
        string_attribute(dataset.get(), path, "dimensions", series.dimensions);
        dataset.close(what);
    }

private:
    static std::vector<const char*> c_strings(const std::vector<std::string>& values) {
        std::vector<const char*> texts;
        texts.reserve(values.size());
        for (const std::string& value : values) texts.push_back(value.c_str());
        return texts;
    }

    bool can_compress_;
    Handle string_type_;
};

// The path of `name` in the group at `parent_path` ("/" for the root).
std::string child_path(const std::string& parent_path, const std::string& name) {
    return (parent_path == "/" ? "" : parent_path) + "/" + name;
}

// `link_properties` is H5P_DEFAULT, or a link creation property list (e.g. to mark the name as UTF-8).
Handle create_group(hid_t parent, const std::string& parent_path, const std::string& name,
                    hid_t link_properties = H5P_DEFAULT) {
    return Handle(H5Gcreate2(parent, name.c_str(), link_properties, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                  "creating group " + child_path(parent_path, name));
}

void write_scenario_attributes(Writer& writer, hid_t object, const std::string& path, const RunMetadata& m) {
    writer.string_attribute(object, path, "scenario_name", m.scenario_name);
    writer.string_attribute(object, path, "scenario_file", m.scenario_file);
}

// The attributes of a run's metadata, with the scenario's name and file only if `with_scenario` (a
// comparison file keeps those on each record's group). The order is that of every file written so far.
void write_run_attributes(Writer& writer, hid_t object, const std::string& path, const RunMetadata& m,
                          bool with_scenario) {
    const hid_t u64 = H5T_STD_U64LE;
    const hid_t f64 = H5T_IEEE_F64LE;
    writer.string_attribute(object, path, "ehsim_version", m.ehsim_version);
    writer.string_attribute(object, path, "git_commit", m.git_commit);
    if (with_scenario) write_scenario_attributes(writer, object, path, m);
    writer.number_attribute(object, path, "seed", u64, H5T_NATIVE_UINT64, m.seed);
    writer.number_attribute(object, path, "replications", u64, H5T_NATIVE_UINT64, m.replications);
    writer.string_attribute(object, path, "start_date", m.start_date);
    writer.number_attribute(object, path, "warm_up_years", f64, H5T_NATIVE_DOUBLE, m.warm_up_years);
    writer.number_attribute(object, path, "horizon_years", f64, H5T_NATIVE_DOUBLE, m.horizon_years);
    writer.string_attribute(object, path, "created_utc", m.created_utc);
}

// axes/{months,years,localities} under the group at `path`.
void write_axes(Writer& writer, hid_t parent, const std::string& path, const RunRecord& record) {
    const std::string axes_path = child_path(path, "axes");
    Handle axes = create_group(parent, path, "axes");
    writer.string_array(axes.get(), axes_path + "/months", "months", record.months);
    writer.string_array(axes.get(), axes_path + "/years", "years", record.years);
    writer.string_array(axes.get(), axes_path + "/localities", "localities", record.localities);
    axes.close("closing group " + axes_path);
}

// scenario/resolved_yaml under the group at `path`.
void write_scenario_group(Writer& writer, hid_t parent, const std::string& path, const RunMetadata& m) {
    const std::string scenario_path = child_path(path, "scenario");
    Handle scenario = create_group(parent, path, "scenario");
    writer.scalar_string(scenario.get(), scenario_path + "/resolved_yaml", "resolved_yaml", m.scenario_resolved);
    scenario.close("closing group " + scenario_path);
}

// monthly/, by_locality/ and annual/ with every indicator of the record, under the group at `path`.
void write_series_groups(Writer& writer, hid_t parent, const std::string& path, const RunRecord& record) {
    for (const Series& series : series_of(record)) {
        const std::string series_path = child_path(path, series.group);
        Handle group = create_group(parent, path, series.group);
        for (const Indicator& indicator : *series.indicators)
            writer.indicator(group.get(), series_path, series, indicator);
        group.close("closing group " + series_path);
    }
}

// A record's own contents in the existing `group` (at `path`): the scenario's name and file as attributes and
// scenario/resolved_yaml (if `with_scenario`), then its series. The axes are shared, so not included.
void write_record(Writer& writer, hid_t group, const std::string& path, const RunRecord& record, bool with_scenario) {
    if (with_scenario) {
        write_scenario_attributes(writer, group, path, record.metadata);
        write_scenario_group(writer, group, path, record.metadata);
    }
    write_series_groups(writer, group, path, record);
}

// Builds the whole file in memory, `fill(writer, root)` writing its contents, and returns its bytes. HDF5
// never touches the disk: with the core driver and no backing store, nothing here can fail half-way
// through a file on disk. (HDF5 1.10 cannot recover from a failed H5Fclose: the file's identifier is left
// pointing at freed memory and the process crashes at exit, HDFGroup/hdf5 PR #2291; so the disk is
// written by write_bytes instead.)
template <typename Fill>
std::vector<char> build_image(const std::string& label, const Fill& fill) {
    const bool can_compress = check(H5Zfilter_avail(H5Z_FILTER_DEFLATE), "looking for the deflate filter") > 0 &&
                              check(H5Zfilter_avail(H5Z_FILTER_SHUFFLE), "looking for the shuffle filter") > 0;
    Writer writer(can_compress);

    Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "creating file access properties");
    // Closing the file closes whatever is still open in it, so nothing outlives a failure.
    check(H5Pset_fclose_degree(access.get(), H5F_CLOSE_STRONG), "setting the file close degree");
    check(H5Pset_fapl_core(access.get(), memory_increment, false), "choosing the in-memory file driver");
    Handle file(H5Fcreate(label.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get()), H5Fclose,
                "creating the file in memory");
    const hid_t root = file.get();
    fill(writer, root);

    check(H5Fflush(root, H5F_SCOPE_GLOBAL), "flushing the file in memory");
    const ssize_t size = check(H5Fget_file_image(root, nullptr, 0), "measuring the file image");
    std::vector<char> image(static_cast<std::size_t>(size));
    const ssize_t copied = check(H5Fget_file_image(root, image.data(), image.size()), "copying the file image");
    if (copied != size) throw std::runtime_error("copying the file image failed (its size changed)");
    file.close("closing the file in memory");
    return image;
}

std::string errno_text(int error) { return std::error_code(error, std::generic_category()).message(); }

// Writes `bytes` to a new file and syncs it to disk, so the rename that follows publishes complete data.
// `created` is set as soon as the file exists, for the caller to remove it if anything fails.
void write_bytes(const std::string& file_name, const std::vector<char>& bytes, bool& created) {
    const int fd = ::open(file_name.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        throw std::runtime_error("creating the temporary file '" + file_name + "' failed (" + errno_text(errno) + ")");
    }
    created = true;
    const auto fail_and_close = [&](const std::string& what) {
        const int error = errno;
        static_cast<void>(::close(fd));
        throw std::runtime_error(what + " the temporary file '" + file_name + "' failed (" + errno_text(error) + ")");
    };
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t result = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (result < 0 && errno == EINTR) continue;
        if (result <= 0) {
            if (result == 0) errno = EIO;
            fail_and_close("writing " + std::to_string(bytes.size()) + " bytes to");
        }
        written += static_cast<std::size_t>(result);
    }
    if (::fsync(fd) != 0) fail_and_close("syncing");
    if (::close(fd) != 0) {
        throw std::runtime_error("closing the temporary file '" + file_name + "' failed (" + errno_text(errno) + ")");
    }
}

// Builds the file (see build_image) and publishes it at `path` atomically through `path.tmp-<pid>`; on any
// failure removes the temporary file and throws std::runtime_error naming `path`.
template <typename Fill>
void write_atomically(const std::string& path, const Fill& fill) {
    if (path.empty()) throw std::runtime_error("cannot write HDF5 results: the output path is empty");
    const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
    bool created = false;
    try {
        std::vector<char> image;
        {
            const QuietHdf5Errors quiet;
            image = build_image(temporary, fill);
        }
        write_bytes(temporary, image, created);
        std::error_code error;
        std::filesystem::rename(temporary, path, error);
        if (error) throw std::runtime_error("renaming '" + temporary + "' onto it failed (" + error.message() + ")");
    } catch (const std::exception& failure) {
        std::string message = "cannot write HDF5 results to '" + path + "': " + failure.what();
        std::error_code error;
        if (created && !std::filesystem::remove(temporary, error) && error) {
            message += "; the temporary file '" + temporary + "' could not be removed (" + error.message() + ")";
        }
        throw std::runtime_error(message);
    }
}

// ---------------------------------------------------------------------------------------------------
// Comparison files

// The record's validate_for_hdf5, its message prefixed with `label` (e.g. "option 'a'").
void validate_record(const RunRecord& record, const std::string& label) {
    try {
        validate_for_hdf5(record);
    } catch (const std::invalid_argument& error) {
        throw std::invalid_argument(label + ": " + error.what());
    }
}

void check_same_axes(const RunRecord& baseline, const RunRecord& other, const std::string& label) {
    if (other.metadata.replications != baseline.metadata.replications) {
        throw std::invalid_argument(label + " has " + std::to_string(other.metadata.replications) +
                                    " replications but the baseline has " +
                                    std::to_string(baseline.metadata.replications));
    }
    const auto compare = [&](const char* axis, const std::vector<std::string>& mine,
                             const std::vector<std::string>& base) {
        if (mine.size() != base.size()) {
            throw std::invalid_argument(label + " has " + std::to_string(mine.size()) + " " + axis +
                                        " but the baseline has " + std::to_string(base.size()));
        }
        const auto differ = std::mismatch(mine.begin(), mine.end(), base.begin());
        if (differ.first != mine.end()) {
            throw std::invalid_argument(label + " has " + axis + "[" + std::to_string(differ.first - mine.begin()) +
                                        "] = '" + *differ.first + "' but the baseline has '" + *differ.second + "'");
        }
    };
    compare("months", other.months, baseline.months);
    compare("years", other.years, baseline.years);
    compare("localities", other.localities, baseline.localities);
}

void validate_comparison(const RunRecord& baseline, const std::vector<std::string>& option_names,
                         const std::vector<ComparedOption>& options, const std::vector<ComparisonSummaryRow>& summary) {
    if (option_names.size() != options.size()) {
        throw std::invalid_argument("a comparison has " + std::to_string(option_names.size()) + " option names for " +
                                    std::to_string(options.size()) + " options");
    }
    std::set<std::string> names;
    for (std::size_t k = 0; k < option_names.size(); ++k) {
        const std::string& name = option_names[k];
        const std::string position = "option " + std::to_string(k + 1);
        if (name.empty()) throw std::invalid_argument(position + " has no name");
        check_text("the name of " + position, name);
        if (name.find('/') != std::string::npos || name == "." || name == "..") {
            throw std::invalid_argument("option name '" + name + "': a name may not contain '/' nor be '.' or '..'");
        }
        if (!names.insert(name).second) throw std::invalid_argument("option name '" + name + "' appears twice");
        if (options[k].option == nullptr || options[k].difference == nullptr) {
            throw std::invalid_argument("option '" + name + "' has no " +
                                        (options[k].option == nullptr ? "record" : "difference record"));
        }
    }
    validate_record(baseline, "baseline");
    for (std::size_t k = 0; k < options.size(); ++k) {
        const std::string option_label = "option '" + option_names[k] + "'";
        const std::string difference_label = "the difference of option '" + option_names[k] + "'";
        validate_record(*options[k].option, option_label);
        validate_record(*options[k].difference, difference_label);
        check_same_axes(baseline, *options[k].option, option_label);
        check_same_axes(baseline, *options[k].difference, difference_label);
    }
    for (std::size_t i = 0; i < summary.size(); ++i) {
        const ComparisonSummaryRow& row = summary[i];
        const std::string label = "summary row " + std::to_string(i + 1);
        check_text(label + " option", row.option);
        check_text(label + " indicator", row.indicator);
        check_text(label + " year", row.year);
        if (names.count(row.option) == 0)
            throw std::invalid_argument(label + " is about '" + row.option + "', which is not one of the options");
    }
}

void write_summary(Writer& writer, hid_t parent, const std::vector<ComparisonSummaryRow>& summary) {
    const auto strings = [&](std::string ComparisonSummaryRow::*field) {
        std::vector<std::string> column;
        column.reserve(summary.size());
        for (const ComparisonSummaryRow& row : summary) column.push_back(row.*field);
        return column;
    };
    const auto doubles = [&](double ComparisonSummaryRow::*field) {
        std::vector<double> column;
        column.reserve(summary.size());
        for (const ComparisonSummaryRow& row : summary) column.push_back(row.*field);
        return column;
    };
    Handle group = create_group(parent, "/", "summary");
    const hid_t g = group.get();
    writer.string_array(g, "/summary/option", "option", strings(&ComparisonSummaryRow::option), "option name");
    writer.string_array(g, "/summary/indicator", "indicator", strings(&ComparisonSummaryRow::indicator),
                        "annual indicator key");
    writer.string_array(g, "/summary/year", "year", strings(&ComparisonSummaryRow::year),
                        "year label, as in /axes/years");
    writer.double_array(g, "/summary/baseline_mean", "baseline_mean", doubles(&ComparisonSummaryRow::baseline_mean),
                        "mean of the baseline across replications");
    writer.double_array(g, "/summary/option_mean", "option_mean", doubles(&ComparisonSummaryRow::option_mean),
                        "mean of the option across replications");
    writer.double_array(g, "/summary/difference_mean", "difference_mean",
                        doubles(&ComparisonSummaryRow::difference_mean),
                        "mean of the paired difference (option minus baseline)");
    writer.double_array(g, "/summary/difference_low", "difference_low", doubles(&ComparisonSummaryRow::difference_low),
                        "lower end of the 90% interval of the mean difference");
    writer.double_array(g, "/summary/difference_high", "difference_high",
                        doubles(&ComparisonSummaryRow::difference_high),
                        "upper end of the 90% interval of the mean difference");
    writer.double_array(g, "/summary/probability_lower", "probability_lower",
                        doubles(&ComparisonSummaryRow::probability_lower),
                        "share of replications in which the option is lower than the baseline");
    writer.double_array(g, "/summary/variance_ratio", "variance_ratio", doubles(&ComparisonSummaryRow::variance_ratio),
                        "variance of the paired difference over the sum of the baseline's and the option's variances");
    group.close("closing group /summary");
}

}  // namespace

void validate_for_hdf5(const RunRecord& record) {
    const RunMetadata& m = record.metadata;
    check_text("metadata.ehsim_version", m.ehsim_version);
    check_text("metadata.git_commit", m.git_commit);
    check_text("metadata.scenario_name", m.scenario_name);
    check_text("metadata.scenario_file", m.scenario_file);
    check_text("metadata.scenario_resolved", m.scenario_resolved);
    check_text("metadata.start_date", m.start_date);
    check_text("metadata.created_utc", m.created_utc);
    const auto check_labels = [](const char* axis, const std::vector<std::string>& labels) {
        for (std::size_t i = 0; i < labels.size(); ++i)
            check_text(std::string(axis) + "[" + std::to_string(i) + "]", labels[i]);
    };
    check_labels("months", record.months);
    check_labels("years", record.years);
    check_labels("localities", record.localities);
    for (const Series& series : series_of(record)) validate_series(series);
}

void write_hdf5(const RunRecord& record, const std::string& path) {
    validate_for_hdf5(record);
    write_atomically(path, [&](Writer& writer, hid_t root) {
        writer.string_attribute(root, "/", "format", "ehsim-run");
        writer.number_attribute(root, "/", "format_version", H5T_STD_I32LE, H5T_NATIVE_INT, hdf5_format_version);
        write_run_attributes(writer, root, "/", record.metadata, true);
        write_scenario_group(writer, root, "/", record.metadata);
        write_axes(writer, root, "/", record);
        write_series_groups(writer, root, "/", record);
    });
}

void write_comparison_hdf5(const RunRecord& baseline, const std::vector<std::string>& option_names,
                           const std::vector<ComparedOption>& options, const std::vector<ComparisonSummaryRow>& summary,
                           const std::string& path) {
    validate_comparison(baseline, option_names, options, summary);
    write_atomically(path, [&](Writer& writer, hid_t root) {
        writer.string_attribute(root, "/", "format", "ehsim-comparison");
        writer.number_attribute(root, "/", "format_version", H5T_STD_I32LE, H5T_NATIVE_INT,
                                hdf5_comparison_format_version);
        write_run_attributes(writer, root, "/", baseline.metadata, false);
        writer.string_array_attribute(root, "/", "options", option_names);
        write_axes(writer, root, "/", baseline);
        {
            Handle group = create_group(root, "/", "baseline");
            write_record(writer, group.get(), "/baseline", baseline, true);
            group.close("closing group /baseline");
        }
        // Option names may be any UTF-8: say so in their links, for readers that decode by the link's encoding.
        Handle utf8_names(H5Pcreate(H5P_LINK_CREATE), H5Pclose, "creating link creation properties");
        check(H5Pset_char_encoding(utf8_names.get(), H5T_CSET_UTF8), "marking link names as UTF-8");
        Handle options_group = create_group(root, "/", "options");
        Handle differences_group = create_group(root, "/", "differences");
        for (std::size_t k = 0; k < options.size(); ++k) {
            const std::string& name = option_names[k];
            const std::string option_path = "/options/" + name;
            Handle option = create_group(options_group.get(), "/options", name, utf8_names.get());
            write_record(writer, option.get(), option_path, *options[k].option, true);
            option.close("closing group " + option_path);

            const std::string difference_path = "/differences/" + name;
            Handle difference = create_group(differences_group.get(), "/differences", name, utf8_names.get());
            writer.string_attribute(difference.get(), difference_path, "of", name + " minus baseline");
            write_record(writer, difference.get(), difference_path, *options[k].difference, false);
            difference.close("closing group " + difference_path);
        }
        differences_group.close("closing group /differences");
        options_group.close("closing group /options");
        write_summary(writer, root, summary);
    });
}

}  // namespace ehsim::output
