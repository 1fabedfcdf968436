// Reading an HDF5 file back through the HDF5 C API, for the writer's tests: any failed call throws, which
// GoogleTest reports as a failure. Also a fresh temporary folder per test.
#pragma once

#include <gtest/gtest.h>
#include <hdf5.h>
#include <stdlib.h>

#include <bit>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "output/run_record.hpp"
#include "tests/support/temporary_folder.hpp"

namespace ehsim::output::hdf5_test {

namespace fs = std::filesystem;

using TemporaryFolder = ehsim::test::TemporaryFolder;  // a fresh folder per test, removed afterwards

inline std::set<std::string> entries(const fs::path& folder) {
    std::set<std::string> names;
    for (const fs::directory_entry& entry : fs::directory_iterator(folder)) names.insert(entry.path().filename());
    return names;
}

inline std::string bytes_of(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// ---------------------------------------------------------------------------------------------------
// Failures every writer reports the same way

// Calls `write`, which must throw std::invalid_argument mentioning `fragment` before creating any file.
inline void expect_rejected(const TemporaryFolder& folder, const std::function<void()>& write,
                            const std::string& fragment) {
    try {
        write();
        ADD_FAILURE() << "expected std::invalid_argument mentioning " << fragment;
    } catch (const std::invalid_argument& error) {
        EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos) << error.what();
    }
    EXPECT_TRUE(entries(folder.path()).empty()) << fragment;
}

// `write(path)` must throw std::runtime_error and leave nothing behind, both in a folder that does not exist
// (a one-line message naming the path and the temporary file) and onto a non-empty folder named `file_name`
// (the temporary file is written, renaming it fails, and it is removed).
inline void expect_unwritable_paths_fail(const TemporaryFolder& folder, const std::string& file_name,
                                         const std::function<void(const std::string&)>& write) {
    const std::string missing = (folder.path() / "missing" / file_name).string();
    try {
        write(missing);
        ADD_FAILURE() << "expected std::runtime_error writing " << missing;
    } catch (const std::runtime_error& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find("cannot write HDF5 results to '" + missing + "'"), std::string::npos) << message;
        EXPECT_NE(message.find("creating the temporary file"), std::string::npos) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
    EXPECT_TRUE(entries(folder.path()).empty());

    const fs::path occupied = folder.path() / file_name;
    fs::create_directory(occupied);
    std::ofstream(occupied / "keep.txt") << "kept";
    try {
        write(occupied.string());
        ADD_FAILURE() << "expected std::runtime_error writing onto the folder " << occupied;
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find("renaming"), std::string::npos) << error.what();
    }
    EXPECT_EQ(entries(folder.path()), std::set<std::string>{file_name});
    EXPECT_EQ(entries(occupied), std::set<std::string>{"keep.txt"});
    EXPECT_EQ(bytes_of(occupied / "keep.txt"), "kept");
}

// ---------------------------------------------------------------------------------------------------
// Reading back with the HDF5 C API; any failed call throws, which GoogleTest reports as a failure.

template <typename Result>
inline Result checked(Result result, const std::string& what) {
    if (result < 0) throw std::runtime_error("HDF5 call failed: " + what);
    return result;
}

class Id {
public:
    Id(hid_t id, herr_t (*closer)(hid_t), const std::string& what) : id_(checked(id, what)), close_(closer) {}
    Id(Id&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)), close_(other.close_) {}
    Id(const Id&) = delete;
    Id& operator=(const Id&) = delete;
    ~Id() {
        if (id_ >= 0) close_(id_);
    }
    operator hid_t() const { return id_; }

private:
    hid_t id_;
    herr_t (*close_)(hid_t);
};

inline Id open_file(const fs::path& path) {
    return Id(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open " + path.string());
}

inline Id open_dataset(hid_t file, const std::string& path) {
    return Id(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + path);
}

inline Id open_attribute(hid_t object, const std::string& name) {
    return Id(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
}

// A variable-length UTF-8 string type, as the writer promises.
inline Id utf8_string_type() {
    Id type(H5Tcopy(H5T_C_S1), H5Tclose, "copy string type");
    checked(H5Tset_size(type, H5T_VARIABLE), "set size");
    checked(H5Tset_cset(type, H5T_CSET_UTF8), "set cset");
    return type;
}

inline void expect_utf8_variable_string(hid_t type, const std::string& what) {
    EXPECT_EQ(H5Tget_class(type), H5T_STRING) << what;
    EXPECT_GT(H5Tis_variable_str(type), 0) << what;
    EXPECT_EQ(H5Tget_cset(type), H5T_CSET_UTF8) << what;
}

// In order of name, or with H5_INDEX_CRT_ORDER of creation (if the object tracks it).
inline std::vector<std::string> attribute_names(hid_t object, H5_index_t index = H5_INDEX_NAME) {
    std::vector<std::string> names;
    const auto collect = [](hid_t, const char* name, const H5A_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->push_back(name);
        return 0;
    };
    checked(H5Aiterate2(object, index, H5_ITER_INC, nullptr, collect, &names), "iterate attributes");
    return names;
}

// In order of name, or with H5_INDEX_CRT_ORDER of creation (if the group tracks it).
inline std::vector<std::string> link_names(hid_t file, const std::string& group_path,
                                           H5_index_t index = H5_INDEX_NAME) {
    Id group(H5Gopen2(file, group_path.c_str(), H5P_DEFAULT), H5Gclose, "open group " + group_path);
    std::vector<std::string> names;
    const auto collect = [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->push_back(name);
        return 0;
    };
    checked(H5Literate(group, index, H5_ITER_INC, nullptr, collect, &names), "iterate " + group_path);
    return names;
}

inline std::string string_attribute(hid_t object, const std::string& name) {
    Id attribute = open_attribute(object, name);
    Id file_type(H5Aget_type(attribute), H5Tclose, "type of " + name);
    expect_utf8_variable_string(file_type, "attribute " + name);
    Id space(H5Aget_space(attribute), H5Sclose, "space of " + name);
    EXPECT_EQ(H5Sget_simple_extent_type(space), H5S_SCALAR) << name;
    Id type = utf8_string_type();
    char* text = nullptr;
    checked(H5Aread(attribute, type, &text), "read " + name);
    std::string value = text == nullptr ? "" : text;
    H5free_memory(text);
    return value;
}

template <typename Value>
inline Value number_attribute(hid_t object, const std::string& name, H5T_class_t type_class, H5T_sign_t sign,
                              hid_t memory_type) {
    Id attribute = open_attribute(object, name);
    Id file_type(H5Aget_type(attribute), H5Tclose, "type of " + name);
    EXPECT_EQ(H5Tget_class(file_type), type_class) << name;
    EXPECT_EQ(H5Tget_size(file_type), sizeof(Value)) << name;
    if (type_class == H5T_INTEGER) {
        EXPECT_EQ(H5Tget_sign(file_type), sign) << name;
    }
    Id space(H5Aget_space(attribute), H5Sclose, "space of " + name);
    EXPECT_EQ(H5Sget_simple_extent_type(space), H5S_SCALAR) << name;
    Value value{};
    checked(H5Aread(attribute, memory_type, &value), "read " + name);
    return value;
}

inline std::uint64_t u64_attribute(hid_t object, const std::string& name) {
    return number_attribute<std::uint64_t>(object, name, H5T_INTEGER, H5T_SGN_NONE, H5T_NATIVE_UINT64);
}
inline double double_attribute(hid_t object, const std::string& name) {
    return number_attribute<double>(object, name, H5T_FLOAT, H5T_SGN_ERROR, H5T_NATIVE_DOUBLE);
}
inline int int_attribute(hid_t object, const std::string& name) {
    return number_attribute<int>(object, name, H5T_INTEGER, H5T_SGN_2, H5T_NATIVE_INT);
}

inline std::vector<hsize_t> shape_of(hid_t dataset) {
    Id space(H5Dget_space(dataset), H5Sclose, "dataset space");
    const int rank = checked(H5Sget_simple_extent_ndims(space), "rank");
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    checked(H5Sget_simple_extent_dims(space, dims.data(), nullptr), "dims");
    return dims;
}

struct Doubles {
    std::vector<hsize_t> shape;
    std::vector<double> values;
};

inline Doubles read_doubles(hid_t file, const std::string& path) {
    Id dataset = open_dataset(file, path);
    Id type(H5Dget_type(dataset), H5Tclose, "type of " + path);
    EXPECT_EQ(H5Tget_class(type), H5T_FLOAT) << path;
    EXPECT_EQ(H5Tget_size(type), 8u) << path;
    Doubles result{shape_of(dataset), {}};
    hsize_t count = 1;
    for (const hsize_t dim : result.shape) count *= dim;
    result.values.resize(count);
    if (count > 0) {
        checked(H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, result.values.data()),
                "read " + path);
    }
    return result;
}

// A 1-D dataset of signed 64-bit integers.
inline std::vector<std::int64_t> read_int64s(hid_t file, const std::string& path) {
    Id dataset = open_dataset(file, path);
    Id type(H5Dget_type(dataset), H5Tclose, "type of " + path);
    EXPECT_EQ(H5Tget_class(type), H5T_INTEGER) << path;
    EXPECT_EQ(H5Tget_size(type), 8u) << path;
    EXPECT_EQ(H5Tget_sign(type), H5T_SGN_2) << path;
    const std::vector<hsize_t> shape = shape_of(dataset);
    EXPECT_EQ(shape.size(), 1u) << path;
    std::vector<std::int64_t> values(shape.empty() ? 0 : shape[0]);
    if (!values.empty()) {
        checked(H5Dread(dataset, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "read " + path);
    }
    return values;
}

inline std::vector<std::string> read_strings(hid_t file, const std::string& path) {
    Id dataset = open_dataset(file, path);
    Id file_type(H5Dget_type(dataset), H5Tclose, "type of " + path);
    expect_utf8_variable_string(file_type, path);
    const std::vector<hsize_t> shape = shape_of(dataset);
    EXPECT_EQ(shape.size(), 1u) << path;
    std::vector<char*> texts(shape.empty() ? 0 : shape[0], nullptr);
    Id type = utf8_string_type();
    if (!texts.empty()) checked(H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()), "read " + path);
    std::vector<std::string> values;
    for (char* text : texts) {
        values.emplace_back(text == nullptr ? "" : text);
        H5free_memory(text);
    }
    return values;
}

inline std::string read_scalar_string(hid_t file, const std::string& path) {
    Id dataset = open_dataset(file, path);
    Id file_type(H5Dget_type(dataset), H5Tclose, "type of " + path);
    expect_utf8_variable_string(file_type, path);
    Id space(H5Dget_space(dataset), H5Sclose, "space of " + path);
    EXPECT_EQ(H5Sget_simple_extent_type(space), H5S_SCALAR) << path;
    Id type = utf8_string_type();
    char* text = nullptr;
    checked(H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, &text), "read " + path);
    std::string value = text == nullptr ? "" : text;
    H5free_memory(text);
    return value;
}

// Bit-for-bit, so NaN payloads, signed zeros and infinities must survive.
inline void expect_same_bits(const std::vector<double>& actual, const std::vector<double>& expected,
                             const std::string& what) {
    ASSERT_EQ(actual.size(), expected.size()) << what;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(std::bit_cast<std::uint64_t>(actual[i]), std::bit_cast<std::uint64_t>(expected[i]))
            << what << "[" << i << "]: " << actual[i] << " vs " << expected[i];
    }
}

inline void expect_indicator(hid_t file, const std::string& group, const Indicator& indicator,
                             const std::vector<hsize_t>& shape, const std::string& dimensions) {
    const std::string path = "/" + group + "/" + indicator.name;
    SCOPED_TRACE(path);
    const Doubles data = read_doubles(file, path);
    EXPECT_EQ(data.shape, shape);
    expect_same_bits(data.values, indicator.values, path);
    Id dataset = open_dataset(file, path);
    const std::vector<std::string> expected_attributes{"description", "dimensions", "unit"};
    EXPECT_EQ(attribute_names(dataset), expected_attributes);
    EXPECT_EQ(string_attribute(dataset, "unit"), indicator.unit);
    EXPECT_EQ(string_attribute(dataset, "description"), indicator.description);
    EXPECT_EQ(string_attribute(dataset, "dimensions"), dimensions);
}

}  // namespace ehsim::output::hdf5_test
