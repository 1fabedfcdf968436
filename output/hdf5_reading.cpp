// The reading half of hdf5_internal.hpp: opening a file, attributes, groups and datasets, every call checked
// (the writing half and the checked-call plumbing are in hdf5_internal.cpp).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "output/file_signature.hpp"
#include "output/hdf5_internal.hpp"

namespace ehsim::output::hdf5_internal {

// ---------------------------------------------------------------------------------------------------
// Reading

QuietErrors::QuietErrors() {
    if (H5Eget_auto2(H5E_DEFAULT, &function_, &data_) < 0)
        throw std::runtime_error("cannot query HDF5's error reporting (H5Eget_auto2 failed)");
    if (H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr) < 0)
        throw std::runtime_error("cannot turn off HDF5's error printing (H5Eset_auto2 failed)");
}

QuietErrors::~QuietErrors() { static_cast<void>(H5Eset_auto2(H5E_DEFAULT, function_, data_)); }

Handle open_for_reading(const std::string& path) {
    std::error_code error;
    if (!std::filesystem::exists(path, error)) throw std::runtime_error("no such file");
    if (std::filesystem::is_directory(path, error)) throw std::runtime_error("is a folder, not a file");
    file_signature::check(path);  // before HDF5 reads a byte of it
    const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
    if (is_hdf5 == 0) throw std::runtime_error("not an HDF5 file");
    check(is_hdf5, "opening the file");
    return Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "opening the file");
}

bool has_attribute(hid_t object, const char* name) {
    return check(H5Aexists(object, name), "looking for attribute '" + std::string(name) + "'") > 0;
}

namespace {

// A variable-length UTF-8 string type to read strings into.
Handle memory_string_type() {
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "copying the string type");
    check(H5Tset_size(type.get(), H5T_VARIABLE), "making the string type variable-length");
    check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "setting the string type to UTF-8");
    return type;
}

// Strings that HDF5 allocated, copied and freed.
std::vector<std::string> take_strings(std::vector<char*>& texts) {
    std::vector<std::string> values;
    values.reserve(texts.size());
    for (char*& text : texts) {
        values.emplace_back(text == nullptr ? "" : text);
        H5free_memory(text);
        text = nullptr;
    }
    return values;
}

// The number of elements of `space` (1 for a scalar), with its dimensions in `dims`.
hsize_t extent(hid_t space, std::vector<hsize_t>& dims, const std::string& what) {
    const int rank = check(H5Sget_simple_extent_ndims(space), what);
    dims.assign(static_cast<std::size_t>(rank), 0);
    if (rank > 0) check(H5Sget_simple_extent_dims(space, dims.data(), nullptr), what);
    hsize_t count = 1;
    for (const hsize_t dim : dims) count *= dim;
    return count;
}

std::string shape_text(const std::vector<hsize_t>& dims) {
    if (dims.empty()) return "a scalar";
    std::string text = "[";
    for (std::size_t d = 0; d < dims.size(); ++d) text += (d == 0 ? "" : " x ") + std::to_string(dims[d]);
    return text + "]";
}

}  // namespace

std::string read_string_attribute(hid_t object, const std::string& object_name, const char* name) {
    const std::string what = "reading attribute '" + std::string(name) + "' of " + object_name;
    if (!has_attribute(object, name)) throw std::runtime_error(object_name + " has no attribute '" + name + "'");
    Handle attribute(H5Aopen(object, name, H5P_DEFAULT), H5Aclose, what);
    Handle file_type(H5Aget_type(attribute.get()), H5Tclose, what);
    Handle space(H5Aget_space(attribute.get()), H5Sclose, what);
    std::vector<hsize_t> dims;
    if (H5Tget_class(file_type.get()) != H5T_STRING || extent(space.get(), dims, what) != 1 || !dims.empty())
        throw std::runtime_error("attribute '" + std::string(name) + "' of " + object_name + " is not a string");
    const Handle type = memory_string_type();
    std::vector<char*> text(1, nullptr);
    check(H5Aread(attribute.get(), type.get(), text.data()), what);
    return take_strings(text).front();
}

std::vector<std::string> read_string_array_attribute(hid_t object, const std::string& object_name, const char* name) {
    const std::string what = "reading attribute '" + std::string(name) + "' of " + object_name;
    if (!has_attribute(object, name)) throw std::runtime_error(object_name + " has no attribute '" + name + "'");
    Handle attribute(H5Aopen(object, name, H5P_DEFAULT), H5Aclose, what);
    Handle file_type(H5Aget_type(attribute.get()), H5Tclose, what);
    Handle space(H5Aget_space(attribute.get()), H5Sclose, what);
    std::vector<hsize_t> dims;
    const hsize_t count = extent(space.get(), dims, what);
    if (H5Tget_class(file_type.get()) != H5T_STRING || dims.size() != 1)
        throw std::runtime_error("attribute '" + std::string(name) + "' of " + object_name +
                                 " is not a list of strings");
    const Handle type = memory_string_type();
    std::vector<char*> texts(count, nullptr);
    if (count > 0) check(H5Aread(attribute.get(), type.get(), texts.data()), what);
    return take_strings(texts);
}

namespace {

template <typename Value>
Value number_attribute(hid_t object, const std::string& object_name, const char* name, H5T_class_t type_class,
                       hid_t memory_type) {
    const std::string what = "reading attribute '" + std::string(name) + "' of " + object_name;
    if (!has_attribute(object, name)) throw std::runtime_error(object_name + " has no attribute '" + name + "'");
    Handle attribute(H5Aopen(object, name, H5P_DEFAULT), H5Aclose, what);
    Handle file_type(H5Aget_type(attribute.get()), H5Tclose, what);
    Handle space(H5Aget_space(attribute.get()), H5Sclose, what);
    std::vector<hsize_t> dims;
    if (H5Tget_class(file_type.get()) != type_class || extent(space.get(), dims, what) != 1 || !dims.empty()) {
        throw std::runtime_error("attribute '" + std::string(name) + "' of " + object_name + " is not " +
                                 (type_class == H5T_FLOAT ? "a number" : "a whole number"));
    }
    Value value{};
    check(H5Aread(attribute.get(), memory_type, &value), what);
    return value;
}

}  // namespace

std::uint64_t read_u64_attribute(hid_t object, const std::string& object_name, const char* name) {
    return number_attribute<std::uint64_t>(object, object_name, name, H5T_INTEGER, H5T_NATIVE_UINT64);
}

std::int64_t read_i64_attribute(hid_t object, const std::string& object_name, const char* name) {
    return number_attribute<std::int64_t>(object, object_name, name, H5T_INTEGER, H5T_NATIVE_INT64);
}

double read_double_attribute(hid_t object, const std::string& object_name, const char* name) {
    return number_attribute<double>(object, object_name, name, H5T_FLOAT, H5T_NATIVE_DOUBLE);
}

bool has_link(hid_t group, const std::string& name) {
    return check(H5Lexists(group, name.c_str(), H5P_DEFAULT), "looking for '" + name + "'") > 0;
}

Handle open_group(hid_t parent, const std::string& parent_path, const std::string& name) {
    const std::string path = child_path(parent_path, name);
    if (!has_link(parent, name)) throw std::runtime_error("the group " + path + " is missing");
    return Handle(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), H5Gclose, "opening group " + path);
}

std::vector<std::string> link_names(hid_t group, const std::string& path) {
    std::vector<std::string> names;
    const auto collect = [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->emplace_back(name);
        return 0;
    };
    hsize_t position = 0;
    check(H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, &position, collect, &names), "listing " + path);
    return names;
}

namespace {

// A named dataset opened for reading, with its file type, and its path as errors name it.
struct DatasetToRead {
    DatasetToRead(hid_t parent, const std::string& parent_path, const std::string& name)
        : path(child_path(parent_path, name)),
          what("reading dataset " + path),
          dataset((must_exist(parent, name, path), H5Dopen2(parent, name.c_str(), H5P_DEFAULT)), H5Dclose, what),
          file_type(H5Dget_type(dataset.get()), H5Tclose, what) {}
    static bool must_exist(hid_t parent, const std::string& name, const std::string& path) {
        if (!has_link(parent, name)) throw std::runtime_error("the dataset " + path + " is missing");
        return true;
    }
    const std::string path, what;
    Handle dataset, file_type;
};

}  // namespace

std::vector<double> read_doubles(hid_t parent, const std::string& parent_path, const std::string& name,
                                 const std::vector<hsize_t>& shape) {
    const DatasetToRead opened(parent, parent_path, name);
    const std::string &path = opened.path, &what = opened.what;
    const Handle &dataset = opened.dataset, &file_type = opened.file_type;
    if (H5Tget_class(file_type.get()) != H5T_FLOAT) throw std::runtime_error(path + " is not a dataset of numbers");
    Handle space(H5Dget_space(dataset.get()), H5Sclose, what);
    std::vector<hsize_t> dims;
    const hsize_t count = extent(space.get(), dims, what);
    if (dims != shape) {
        throw std::runtime_error(path + " has shape " + shape_text(dims) + " but " + shape_text(shape) +
                                 " was expected");
    }
    std::vector<double> values(count);
    if (count > 0) check(H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), what);
    return values;
}

std::vector<std::string> read_strings(hid_t parent, const std::string& parent_path, const std::string& name) {
    const DatasetToRead opened(parent, parent_path, name);
    const std::string &path = opened.path, &what = opened.what;
    const Handle &dataset = opened.dataset, &file_type = opened.file_type;
    Handle space(H5Dget_space(dataset.get()), H5Sclose, what);
    std::vector<hsize_t> dims;
    const hsize_t count = extent(space.get(), dims, what);
    if (H5Tget_class(file_type.get()) != H5T_STRING || dims.size() != 1)
        throw std::runtime_error(path + " is not a list of strings");
    const Handle type = memory_string_type();
    std::vector<char*> texts(count, nullptr);
    if (count > 0) check(H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()), what);
    return take_strings(texts);
}

std::string read_scalar_string(hid_t parent, const std::string& parent_path, const std::string& name) {
    const DatasetToRead opened(parent, parent_path, name);
    const std::string &path = opened.path, &what = opened.what;
    const Handle &dataset = opened.dataset, &file_type = opened.file_type;
    Handle space(H5Dget_space(dataset.get()), H5Sclose, what);
    std::vector<hsize_t> dims;
    if (H5Tget_class(file_type.get()) != H5T_STRING || extent(space.get(), dims, what) != 1 || !dims.empty())
        throw std::runtime_error(path + " is not a string");
    const Handle type = memory_string_type();
    std::vector<char*> text(1, nullptr);
    check(H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data()), what);
    return take_strings(text).front();
}

}  // namespace ehsim::output::hdf5_internal
