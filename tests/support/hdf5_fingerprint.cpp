// Prints one line per dataset of an HDF5 file: its path and a hash of its type class, shape and values
// (strings by their text, numbers by their bytes in native order). Datasets that record the machine's
// clock (any *_seconds: wall_seconds, simulation_seconds) or a file's location (targets_file) are listed without a
// hash: they differ between runs and machines. Attributes are left out: they hold creation times, commit ids and paths,
// which the regression fingerprints must not see.
//
//   hdf5_fingerprint FILE.h5 [SOURCE_DIR]   (SOURCE_DIR in strings reads as <source>)
#include <hdf5.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

std::uint64_t fnv1a(std::uint64_t hash, const void* data, std::size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) {
        hash ^= bytes[i];
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

struct Walk {
    std::vector<std::string> lines;
    bool failed = false;
};

// Times measured by the clock: wall_seconds, and history matching's simulation_seconds and emulation_seconds.
bool records_the_clock(const std::string& path) {
    return path.size() >= 8 && path.compare(path.size() - 8, 8, "_seconds") == 0;
}
// Where a targets file was found: a location on this machine (relative to the working folder), not a result.
bool records_a_location(const std::string& path) { return path.ends_with("/targets_file"); }

std::string strip_prefix;

std::string fingerprint(hid_t dataset, const std::string& path, bool& failed) {
    const hid_t space = H5Dget_space(dataset);
    const int rank = H5Sget_simple_extent_ndims(space);
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank > 0 ? rank : 0));
    if (rank > 0) H5Sget_simple_extent_dims(space, dims.data(), nullptr);
    hsize_t elements = static_cast<hsize_t>(H5Sget_simple_extent_npoints(space));
    const hid_t file_type = H5Dget_type(dataset);
    const H5T_class_t type_class = H5Tget_class(file_type);
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    hash = fnv1a(hash, &type_class, sizeof type_class);
    for (const hsize_t dim : dims) hash = fnv1a(hash, &dim, sizeof dim);
    std::string shape;
    for (const hsize_t dim : dims) shape += (shape.empty() ? "" : "x") + std::to_string(dim);
    if (records_the_clock(path) || records_a_location(path)) {
        // Only the shape: the values are wall-clock times or file locations.
    } else if (type_class == H5T_STRING && H5Tis_variable_str(file_type) > 0) {
        const hid_t memory = H5Tcopy(H5T_C_S1);
        H5Tset_size(memory, H5T_VARIABLE);
        H5Tset_cset(memory, H5Tget_cset(file_type));
        std::vector<char*> values(elements);
        if (elements > 0 && H5Dread(dataset, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0) {
            failed = true;
            std::fprintf(stderr, "hdf5_fingerprint: %s: cannot read\n", path.c_str());
        }
        for (char* value : values) {
            std::string text = value ? value : "";
            // Paths into the checkout are written relative to it: results must not depend on where it is.
            for (std::size_t at; !strip_prefix.empty() && (at = text.find(strip_prefix)) != std::string::npos;)
                text.replace(at, strip_prefix.size(), "<source>");
            hash = fnv1a(hash, text.c_str(), text.size() + 1);
        }
        if (elements > 0) H5Dvlen_reclaim(memory, space, H5P_DEFAULT, values.data());
        H5Tclose(memory);
    } else {
        const hid_t memory = H5Tget_native_type(file_type, H5T_DIR_ASCEND);
        const std::size_t size = H5Tget_size(memory);
        std::vector<unsigned char> values(elements * size);
        if (elements > 0 && H5Dread(dataset, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0) {
            failed = true;
            std::fprintf(stderr, "hdf5_fingerprint: %s: cannot read\n", path.c_str());
        }
        hash = fnv1a(hash, values.data(), values.size());
        H5Tclose(memory);
    }
    H5Tclose(file_type);
    H5Sclose(space);
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return path + " [" + shape + "] " +
           (records_the_clock(path)    ? std::string("(clock)")
            : records_a_location(path) ? std::string("(location)")
                                       : std::string(hex));
}

herr_t visit(hid_t root, const char* name, const H5O_info_t* info, void* data) {
    auto* walk = static_cast<Walk*>(data);
    if (info->type != H5O_TYPE_DATASET) return 0;
    const hid_t dataset = H5Dopen2(root, name, H5P_DEFAULT);
    if (dataset < 0) {
        walk->failed = true;
        return 0;
    }
    walk->lines.push_back(fingerprint(dataset, std::string("/") + name, walk->failed));
    H5Dclose(dataset);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2 && argc != 3) {
        std::fprintf(stderr, "usage: hdf5_fingerprint FILE.h5 [SOURCE_DIR]\n");
        return 2;
    }
    if (argc == 3) strip_prefix = argv[2];
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    const hid_t file = H5Fopen(argv[1], H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0) {
        std::fprintf(stderr, "hdf5_fingerprint: %s: cannot open\n", argv[1]);
        return 1;
    }
    Walk walk;
    // By name, so the listing does not depend on the order objects were created in.
    if (H5Ovisit2(file, H5_INDEX_NAME, H5_ITER_INC, visit, &walk, H5O_INFO_BASIC) < 0) walk.failed = true;
    H5Fclose(file);
    for (const std::string& line : walk.lines) std::printf("%s\n", line.c_str());
    if (walk.failed) {
        std::fprintf(stderr, "hdf5_fingerprint: %s: a dataset could not be read\n", argv[1]);
        return 1;
    }
    return 0;
}
