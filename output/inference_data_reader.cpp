#include "output/inference_data_reader.hpp"

#include <filesystem>
#include <stdexcept>

#include "output/file_signature.hpp"
#include "output/hdf5_internal.hpp"

namespace ehsim::output {

namespace {

using hdf5_internal::Handle;

std::string string_attribute(hid_t object, const char* name) {
    if (H5Aexists(object, name) <= 0) return "";
    Handle attribute(H5Aopen(object, name, H5P_DEFAULT), H5Aclose, std::string("open attribute ") + name);
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
    hdf5_internal::check(H5Tset_size(type.get(), H5T_VARIABLE), "string type");
    hdf5_internal::check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "string type");
    char* text = nullptr;
    hdf5_internal::check(H5Aread(attribute.get(), type.get(), &text), std::string("read attribute ") + name);
    std::string value = text == nullptr ? "" : text;
    H5free_memory(text);
    return value;
}

herr_t collect_name(hid_t, const char* name, const H5L_info_t*, void* names) {
    static_cast<std::vector<std::string>*>(names)->emplace_back(name);
    return 0;
}

}  // namespace

PosteriorDraws read_posterior(const std::string& path) {
    const hdf5_internal::QuietErrors quiet;
    try {
        if (!std::filesystem::exists(path)) throw std::runtime_error("no such file");
        file_signature::check(path);  // before HDF5 reads a byte of it
        Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open the file as HDF5");
        if (string_attribute(file.get(), "format") != "ehsim-calibration")
            throw std::runtime_error("not a calibration file of ehsim (no format attribute 'ehsim-calibration')");
        PosteriorDraws posterior;
        posterior.created_utc = string_attribute(file.get(), "created_utc");
        posterior.setup_file = string_attribute(file.get(), "setup_file");
        Handle group(H5Gopen2(file.get(), "posterior", H5P_DEFAULT), H5Gclose, "open the group 'posterior'");
        std::vector<std::string> names;
        hsize_t position = 0;
        hdf5_internal::check(H5Literate(group.get(), H5_INDEX_NAME, H5_ITER_NATIVE, &position, collect_name, &names),
                             "list the posterior");
        std::vector<std::vector<double>> columns;
        for (const std::string& name : names) {
            if (name == "chain" || name == "draw") continue;  // the dimension scales
            Handle dataset(H5Dopen2(group.get(), name.c_str(), H5P_DEFAULT), H5Dclose, "open posterior/" + name);
            Handle space(H5Dget_space(dataset.get()), H5Sclose, "shape of posterior/" + name);
            const hssize_t count = H5Sget_simple_extent_npoints(space.get());
            if (H5Sget_simple_extent_ndims(space.get()) != 2 || count < 1)
                throw std::runtime_error("posterior/" + name + " is not a [chain, draw] variable");
            std::vector<double> column(static_cast<std::size_t>(count));
            hdf5_internal::check(
                H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, column.data()),
                "read posterior/" + name);
            if (!columns.empty() && column.size() != columns.front().size())
                throw std::runtime_error("posterior/" + name + " has another number of draws than the rest");
            posterior.parameters.push_back(name);
            columns.push_back(std::move(column));
        }
        if (columns.empty()) throw std::runtime_error("the posterior holds no parameters");
        posterior.draws = columns.front().size();
        posterior.values.reserve(posterior.draws * columns.size());
        for (std::size_t draw = 0; draw < posterior.draws; ++draw)
            for (const auto& column : columns) posterior.values.push_back(column[draw]);
        return posterior;
    } catch (const std::runtime_error& error) {
        throw std::runtime_error(path + ": " + error.what());
    }
}

}  // namespace ehsim::output
