#include "output/hdf5_internal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "output/file_signature.hpp"

namespace ehsim::output::hdf5_internal {
namespace {

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

std::vector<const char*> c_strings(const std::vector<std::string>& values) {
    std::vector<const char*> texts;
    texts.reserve(values.size());
    for (const std::string& value : values) texts.push_back(value.c_str());
    return texts;
}

// Builds the whole file in memory, `fill(writer, root)` writing its contents, and returns its bytes. HDF5
// never touches the disk: with the core driver and no backing store, nothing here can fail half-way
// through a file on disk. (HDF5 1.10 cannot recover from a failed H5Fclose: the file's identifier is left
// pointing at freed memory and the process crashes at exit, HDFGroup/hdf5 PR #2291; so the disk is
// written by write_bytes instead.)
std::vector<char> build_image(const std::string& label, const std::function<void(Writer&, hid_t)>& fill,
                              bool track_creation_order) {
    const bool can_compress = check(H5Zfilter_avail(H5Z_FILTER_DEFLATE), "looking for the deflate filter") > 0 &&
                              check(H5Zfilter_avail(H5Z_FILTER_SHUFFLE), "looking for the shuffle filter") > 0;
    Writer writer(can_compress);

    Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "creating file access properties");
    // Closing the file closes whatever is still open in it, so nothing outlives a failure.
    check(H5Pset_fclose_degree(access.get(), H5F_CLOSE_STRONG), "setting the file close degree");
    check(H5Pset_fapl_core(access.get(), memory_increment, false), "choosing the in-memory file driver");
    Handle creation(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "creating file creation properties");
    if (track_creation_order) {
        const unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
        check(H5Pset_link_creation_order(creation.get(), order), "tracking the creation order of the root's links");
        check(H5Pset_attr_creation_order(creation.get(), order),
              "tracking the creation order of the root's attributes");
    }
    Handle file(H5Fcreate(label.c_str(), H5F_ACC_TRUNC, creation.get(), access.get()), H5Fclose,
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

// Writes `bytes` and then `signature` to a new file and syncs it to disk, so the rename that follows publishes complete
// data.
// `created` is set as soon as the file exists, for the caller to remove it if anything fails.
void write_bytes(const std::string& file_name, const std::vector<char>& bytes, const std::string& signature,
                 bool& created) {
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
    // The data, then the signature after it (written apart: appending it to a file image of hundreds of megabytes
    // would copy the image).
    const std::size_t total = bytes.size() + signature.size();
    for (const auto& [data, size] :
         {std::pair{bytes.data(), bytes.size()}, std::pair{signature.data(), signature.size()}}) {
        std::size_t written = 0;
        while (written < size) {
            const ssize_t result = ::write(fd, data + written, size - written);
            if (result < 0 && errno == EINTR) continue;
            if (result <= 0) {
                if (result == 0) errno = EIO;
                fail_and_close("writing " + std::to_string(total) + " bytes to");
            }
            written += static_cast<std::size_t>(result);
        }
    }
    if (::fsync(fd) != 0) fail_and_close("syncing");
    if (::close(fd) != 0) {
        throw std::runtime_error("closing the temporary file '" + file_name + "' failed (" + errno_text(errno) + ")");
    }
}

}  // namespace

// ---------------------------------------------------------------------------------------------------
// Validation

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

void check_text(const std::string& field, const std::string& text) {
    if (text.find('\0') != std::string::npos) throw std::invalid_argument(field + " contains a NUL character");
    if (!is_valid_utf8(text)) throw std::invalid_argument(field + " is not valid UTF-8");
}

void check_link_name(const std::string& label, const std::string& name) {
    if (name.find('/') != std::string::npos || name == "." || name == "..")
        throw std::invalid_argument(label + ": a name may not contain '/' nor be '.' or '..'");
}

void check_value_count(const std::string& label, std::size_t count, const std::vector<std::uint64_t>& sizes,
                       const std::vector<std::string>& names) {
    bool overflow = false;
    std::uint64_t expected = 1;
    std::string shape;
    for (std::size_t d = 0; d < sizes.size(); ++d) {
        if (sizes[d] != 0 && expected > std::numeric_limits<std::uint64_t>::max() / sizes[d]) overflow = true;
        expected *= sizes[d];
        shape += (d == 0 ? "" : " x ") + std::to_string(sizes[d]) + " " + names[d];
    }
    if (overflow || count != expected) {
        throw std::invalid_argument(label + " has " + std::to_string(count) + " values but its shape [" + shape +
                                    "] needs " + (overflow ? std::string("more than 2^64") : std::to_string(expected)));
    }
}

// ---------------------------------------------------------------------------------------------------
// Checked calls and identifiers

[[noreturn]] void fail(const std::string& what) {
    const std::string detail = hdf5_error_detail();
    throw std::runtime_error(what + " failed" + (detail.empty() ? "" : " (HDF5: " + detail + ")"));
}

std::string child_path(const std::string& parent_path, const std::string& name) {
    return (parent_path == "/" ? "" : parent_path) + "/" + name;
}

Handle create_group(hid_t parent, const std::string& parent_path, const std::string& name, hid_t link_properties,
                    hid_t group_properties) {
    return Handle(H5Gcreate2(parent, name.c_str(), link_properties, group_properties, H5P_DEFAULT), H5Gclose,
                  "creating group " + child_path(parent_path, name));
}

// ---------------------------------------------------------------------------------------------------
// Datasets and attributes

Writer::Writer(bool can_compress)
    : can_compress_(can_compress), string_type_(H5Tcopy(H5T_C_S1), H5Tclose, "copying the string type") {
    check(H5Tset_size(string_type_.get(), H5T_VARIABLE), "making the string type variable-length");
    check(H5Tset_cset(string_type_.get(), H5T_CSET_UTF8), "setting the string type to UTF-8");
}

void Writer::string_attribute(hid_t object, const std::string& object_name, const char* name,
                              const std::string& value) {
    const std::string what = "writing attribute '" + std::string(name) + "' of " + object_name;
    Handle space(H5Screate(H5S_SCALAR), H5Sclose, what);
    Handle attribute(H5Acreate2(object, name, string_type_.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                     what);
    const char* text = value.c_str();
    check(H5Awrite(attribute.get(), string_type_.get(), &text), what);
    attribute.close(what);
}

void Writer::string_array_attribute(hid_t object, const std::string& object_name, const char* name,
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

Handle Writer::create_dataset(hid_t group, const std::string& path, const std::string& name, hid_t file_type,
                              const std::vector<hsize_t>& dims, bool compressible,
                              const DatasetProperties& properties) const {
    const std::string what = "writing dataset " + path;
    Handle space(
        dims.empty() ? H5Screate(H5S_SCALAR) : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
        H5Sclose, what);
    hsize_t count = 1;
    for (const hsize_t dim : dims) count *= dim;
    if (!compressible || !can_compress_ || count <= compression_threshold) {
        return Handle(
            H5Dcreate2(group, name.c_str(), file_type, space.get(), properties.link, properties.creation, H5P_DEFAULT),
            H5Dclose, what);
    }
    Handle creation(properties.creation == H5P_DEFAULT ? H5Pcreate(H5P_DATASET_CREATE) : H5Pcopy(properties.creation),
                    H5Pclose, what);
    const std::vector<hsize_t> chunk = chunk_shape(dims);
    check(H5Pset_chunk(creation.get(), static_cast<int>(chunk.size()), chunk.data()), what + " (chunking)");
    check(H5Pset_shuffle(creation.get()), what + " (shuffle filter)");
    check(H5Pset_deflate(creation.get(), deflate_level), what + " (deflate filter)");
    return Handle(H5Dcreate2(group, name.c_str(), file_type, space.get(), properties.link, creation.get(), H5P_DEFAULT),
                  H5Dclose, what);
}

void Writer::write_doubles(hid_t dataset, const std::string& path, const std::vector<double>& values) {
    if (values.empty()) return;
    check(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          "writing dataset " + path);
}

void Writer::write_strings(hid_t dataset, const std::string& path, const std::vector<std::string>& values) const {
    if (values.empty()) return;
    const std::vector<const char*> texts = c_strings(values);
    check(H5Dwrite(dataset, string_type_.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()),
          "writing dataset " + path);
}

void Writer::scalar_string(hid_t group, const std::string& path, const char* name, const std::string& value) {
    Handle dataset = create_dataset(group, path, name, string_type_.get(), {}, false);
    write_strings(dataset.get(), path, {value});
    dataset.close("writing dataset " + path);
}

void Writer::string_array(hid_t group, const std::string& path, const char* name,
                          const std::vector<std::string>& values, const char* description) {
    Handle dataset = create_dataset(group, path, name, string_type_.get(), {values.size()}, false);
    write_strings(dataset.get(), path, values);
    if (description != nullptr) string_attribute(dataset.get(), path, "description", description);
    dataset.close("writing dataset " + path);
}

void Writer::double_array(hid_t group, const std::string& path, const char* name, const std::vector<double>& values,
                          const char* description) {
    Handle dataset = create_dataset(group, path, name, H5T_IEEE_F64LE, {values.size()}, false);
    write_doubles(dataset.get(), path, values);
    string_attribute(dataset.get(), path, "description", description);
    dataset.close("writing dataset " + path);
}

// ---------------------------------------------------------------------------------------------------
// Files

void write_atomically(const std::string& path, const std::function<void(Writer&, hid_t)>& fill,
                      bool track_creation_order) {
    if (path.empty()) throw std::runtime_error("cannot write HDF5 results: the output path is empty");
    const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
    bool created = false;
    try {
        std::vector<char> image;
        {
            const QuietErrors quiet;
            image = build_image(temporary, fill, track_creation_order);
        }
        write_bytes(temporary, image, file_signature::of(image.data(), image.size()), created);
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

}  // namespace ehsim::output::hdf5_internal
