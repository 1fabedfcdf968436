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

    void string_array(hid_t group, const std::string& path, const char* name, const std::vector<std::string>& values) {
        const std::string what = "writing dataset " + path;
        const hsize_t dims[1] = {values.size()};
        Handle space(H5Screate_simple(1, dims, nullptr), H5Sclose, what);
        Handle dataset(H5Dcreate2(group, name, string_type_.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                       H5Dclose, what);
        if (!values.empty()) {
            std::vector<const char*> texts;
            texts.reserve(values.size());
            for (const std::string& value : values) texts.push_back(value.c_str());
            check(H5Dwrite(dataset.get(), string_type_.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()), what);
        }
        dataset.close(what);
    }

    void indicator(hid_t group, const Series& series, const Indicator& indicator) {
        const std::string path = std::string("/") + series.group + "/" + indicator.name;
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
    bool can_compress_;
    Handle string_type_;
};

Handle create_group(hid_t file, const char* name) {
    return Handle(H5Gcreate2(file, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                  "creating group " + std::string(name));
}

// Builds the whole file in memory and returns its bytes. HDF5 never touches the disk: with the core
// driver and no backing store, nothing here can fail half-way through a file on disk. (HDF5 1.10 cannot
// recover from a failed H5Fclose: the file's identifier is left pointing at freed memory and the
// process crashes at exit, HDFGroup/hdf5 PR #2291; so the disk is written by write_bytes instead.)
std::vector<char> build_image(const RunRecord& record, const std::string& label) {
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

    const RunMetadata& m = record.metadata;
    const hid_t u64 = H5T_STD_U64LE;
    const hid_t f64 = H5T_IEEE_F64LE;
    writer.string_attribute(root, "/", "format", "ehsim-run");
    writer.number_attribute(root, "/", "format_version", H5T_STD_I32LE, H5T_NATIVE_INT, hdf5_format_version);
    writer.string_attribute(root, "/", "ehsim_version", m.ehsim_version);
    writer.string_attribute(root, "/", "git_commit", m.git_commit);
    writer.string_attribute(root, "/", "scenario_name", m.scenario_name);
    writer.string_attribute(root, "/", "scenario_file", m.scenario_file);
    writer.number_attribute(root, "/", "seed", u64, H5T_NATIVE_UINT64, m.seed);
    writer.number_attribute(root, "/", "replications", u64, H5T_NATIVE_UINT64, m.replications);
    writer.string_attribute(root, "/", "start_date", m.start_date);
    writer.number_attribute(root, "/", "warm_up_years", f64, H5T_NATIVE_DOUBLE, m.warm_up_years);
    writer.number_attribute(root, "/", "horizon_years", f64, H5T_NATIVE_DOUBLE, m.horizon_years);
    writer.string_attribute(root, "/", "created_utc", m.created_utc);

    {
        Handle scenario = create_group(root, "scenario");
        writer.scalar_string(scenario.get(), "/scenario/resolved_yaml", "resolved_yaml", m.scenario_resolved);
        scenario.close("closing group scenario");
    }
    {
        Handle axes = create_group(root, "axes");
        writer.string_array(axes.get(), "/axes/months", "months", record.months);
        writer.string_array(axes.get(), "/axes/years", "years", record.years);
        writer.string_array(axes.get(), "/axes/localities", "localities", record.localities);
        axes.close("closing group axes");
    }
    for (const Series& series : series_of(record)) {
        Handle group = create_group(root, series.group);
        for (const Indicator& indicator : *series.indicators) writer.indicator(group.get(), series, indicator);
        group.close("closing group " + std::string(series.group));
    }

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
    if (path.empty()) throw std::runtime_error("cannot write HDF5 results: the output path is empty");
    const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
    bool created = false;
    try {
        std::vector<char> image;
        {
            const QuietHdf5Errors quiet;
            image = build_image(record, temporary);
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

}  // namespace ehsim::output
