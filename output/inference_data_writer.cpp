#include "output/inference_data_writer.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "output/hdf5_internal.hpp"

namespace ehsim::output {
namespace {

using namespace hdf5_internal;

using Attributes = std::vector<std::pair<std::string, std::string>>;

// ---------------------------------------------------------------------------------------------------
// Validation

// A name that becomes a link in a group: `kind` and `where` say whose, e.g. "variable" and " of group 'prior'".
void check_name(const std::string& kind, const std::string& where, const std::string& name) {
    if (name.empty()) throw std::invalid_argument("a " + kind + where + " has no name");
    check_text("the name of a " + kind + where, name);
    check_link_name(kind + " '" + name + "'" + where, name);
}

// `owner` is e.g. "group 'posterior'" or "the root".
void validate_attributes(const std::string& owner, const Attributes& attributes) {
    std::set<std::string> names;
    for (std::size_t i = 0; i < attributes.size(); ++i) {
        const auto& [name, value] = attributes[i];
        if (name.empty())
            throw std::invalid_argument("attribute " + std::to_string(i + 1) + " of " + owner + " has no name");
        check_text("the name of attribute " + std::to_string(i + 1) + " of " + owner, name);
        const std::string label = "attribute '" + name + "' of " + owner;
        if (name.front() == '_')
            throw std::invalid_argument(label + ": names starting with '_' are reserved by netCDF");
        if (!names.insert(name).second) throw std::invalid_argument(label + " appears twice");
        check_text(label, value);
    }
}

// The size of each dimension of a group, and what set it first (for messages).
class DimensionSizes {
public:
    explicit DimensionSizes(std::string group) : group_(std::move(group)) {}

    void add(const std::string& dimension, std::size_t size, const std::string& source) {
        const auto [known, inserted] = sizes_.try_emplace(dimension, size, source);
        if (!inserted && known->second.first != size) {
            throw std::invalid_argument("dimension '" + group_ + "/" + dimension + "' has size " +
                                        std::to_string(size) + " in " + source + " but " +
                                        std::to_string(known->second.first) + " in " + known->second.second);
        }
    }
    bool contains(const std::string& dimension) const { return sizes_.count(dimension) > 0; }

private:
    std::string group_;
    std::map<std::string, std::pair<std::size_t, std::string>> sizes_;
};

void validate_variable(const std::string& group, const InferenceVariable& variable, DimensionSizes& sizes) {
    const std::string label = "variable '" + group + "/" + variable.name + "'";
    check_name("variable", " of group '" + group + "'", variable.name);
    check_text(label + " description", variable.description);
    if (variable.shape.size() != variable.dimensions.size()) {
        throw std::invalid_argument(label + " has " + std::to_string(variable.dimensions.size()) + " dimensions but " +
                                    std::to_string(variable.shape.size()) + " sizes in its shape");
    }
    if (variable.dimensions.size() > static_cast<std::size_t>(H5S_MAX_RANK)) {
        throw std::invalid_argument(label + " has " + std::to_string(variable.dimensions.size()) +
                                    " dimensions, more than HDF5's " + std::to_string(H5S_MAX_RANK));
    }
    std::set<std::string> seen;
    for (std::size_t d = 0; d < variable.dimensions.size(); ++d) {
        const std::string& dimension = variable.dimensions[d];
        check_name("dimension", " of " + label, dimension);
        if (!seen.insert(dimension).second)
            throw std::invalid_argument(label + " has dimension '" + dimension + "' twice");
        sizes.add(dimension, variable.shape[d], label);
    }
    check_value_count(label, variable.values.size(), {variable.shape.begin(), variable.shape.end()},
                      variable.dimensions);
}

void validate_group(const InferenceGroup& group) {
    const std::string& g = group.name;
    DimensionSizes sizes(g);
    std::set<std::string> variables;
    for (const InferenceVariable& variable : group.variables) {
        validate_variable(g, variable, sizes);
        if (!variables.insert(variable.name).second)
            throw std::invalid_argument("variable '" + g + "/" + variable.name + "' appears twice");
    }
    std::set<std::string> coordinates;
    for (const InferenceCoordinate& coordinate : group.coordinates) {
        check_name("coordinate", " of group '" + g + "'", coordinate.name);
        const std::string label = "coordinate '" + g + "/" + coordinate.name + "'";
        if (!coordinates.insert(coordinate.name).second) throw std::invalid_argument(label + " appears twice");
        for (std::size_t i = 0; i < coordinate.labels.size(); ++i)
            check_text(label + " label " + std::to_string(i), coordinate.labels[i]);
        sizes.add(coordinate.name, coordinate.labels.size(), label);
    }
    for (const InferenceVariable& variable : group.variables) {
        if (sizes.contains(variable.name)) {
            throw std::invalid_argument("variable '" + g + "/" + variable.name +
                                        "' is named like a dimension of its group");
        }
    }
    validate_attributes("group '" + g + "'", group.attributes);
}

// ---------------------------------------------------------------------------------------------------
// Writing

// The current time as ArviZ writes `created_at`: ISO 8601 in UTC with microseconds, e.g.
// "2024-05-01T12:34:56.123456+00:00".
std::string utc_now_iso8601() {
    const auto now = std::chrono::system_clock::now();
    const auto microseconds =
        std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    std::tm utc{};
    if (::gmtime_r(&seconds, &utc) == nullptr) throw std::runtime_error("cannot read the current UTC time");
    char text[40];
    const std::size_t length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
    char fraction[16];
    std::snprintf(fraction, sizeof fraction, ".%06lld+00:00", static_cast<long long>(microseconds));
    return std::string(text, length) + fraction;
}

// A group's attributes: `created_at` and `inference_library` first (the group's own values replace these
// defaults), then the group's others in order.
Attributes group_attributes(const InferenceGroup& group, const std::string& created_at) {
    Attributes attributes{{"created_at", created_at}, {"inference_library", "ehsim"}};
    const std::size_t defaults = attributes.size();
    for (const auto& attribute : group.attributes) {
        bool replaced = false;
        for (std::size_t i = 0; i < defaults; ++i) {
            if (attributes[i].first == attribute.first) {
                attributes[i].second = attribute.second;
                replaced = true;
            }
        }
        if (!replaced) attributes.push_back(attribute);
    }
    return attributes;
}

// A dimension of a group: its dimension scale holds the coordinate's labels, or the indices 0..size-1.
struct Dimension {
    std::string name;
    std::size_t size;
    const InferenceCoordinate* coordinate;  // null: int64 indices
};

// The dimensions of a group in the order they are written: as its variables first use them, then those
// only a coordinate names.
std::vector<Dimension> dimensions_of(const InferenceGroup& group) {
    std::vector<Dimension> dimensions;
    std::map<std::string, std::size_t> index;
    const auto add = [&](const std::string& name, std::size_t size) {
        if (index.try_emplace(name, dimensions.size()).second) dimensions.push_back({name, size, nullptr});
    };
    for (const InferenceVariable& variable : group.variables) {
        for (std::size_t d = 0; d < variable.dimensions.size(); ++d) add(variable.dimensions[d], variable.shape[d]);
    }
    for (const InferenceCoordinate& coordinate : group.coordinates) {
        add(coordinate.name, coordinate.labels.size());
        dimensions[index.at(coordinate.name)].coordinate = &coordinate;
    }
    return dimensions;
}

// Writes groups as netCDF-4 does: creation order tracked everywhere, UTF-8 link names, one dimension scale
// per dimension with a file-wide `_Netcdf4Dimid`, every variable's axes attached to their scales.
class InferenceFile {
public:
    InferenceFile(Writer& writer, std::string created_at)
        : writer_(writer),
          created_at_(std::move(created_at)),
          link_(H5Pcreate(H5P_LINK_CREATE), H5Pclose, "creating link creation properties"),
          group_(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, "creating group creation properties"),
          dataset_(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "creating dataset creation properties") {
        const unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
        check(H5Pset_char_encoding(link_.get(), H5T_CSET_UTF8), "marking link names as UTF-8");
        check(H5Pset_link_creation_order(group_.get(), order), "tracking the creation order of links");
        check(H5Pset_attr_creation_order(group_.get(), order), "tracking the creation order of group attributes");
        check(H5Pset_attr_creation_order(dataset_.get(), order), "tracking the creation order of dataset attributes");
    }

    void attributes(hid_t object, const std::string& path, const Attributes& attributes) {
        for (const auto& [name, value] : attributes) writer_.string_attribute(object, path, name.c_str(), value);
    }

    void group(hid_t root, const InferenceGroup& group) {
        const std::string path = "/" + group.name;
        Handle handle = create_group(root, "/", group.name, link_.get(), group_.get());
        attributes(handle.get(), path, group_attributes(group, created_at_));
        std::vector<Handle> scales;
        std::map<std::string, hid_t> scale_of;
        for (const Dimension& dimension : dimensions_of(group)) {
            scales.push_back(scale(handle.get(), path, dimension));
            scale_of[dimension.name] = scales.back().get();
        }
        for (const InferenceVariable& variable : group.variables)
            this->variable(handle.get(), path, variable, scale_of);
        for (std::size_t i = 0; i < scales.size(); ++i) scales[i].close("closing dimension scales of group " + path);
        handle.close("closing group " + path);
    }

private:
    Handle scale(hid_t group, const std::string& group_path, const Dimension& dimension) {
        const std::string path = child_path(group_path, dimension.name);
        const std::string what = "writing dimension scale " + path;
        const DatasetProperties properties{link_.get(), dataset_.get()};
        const hid_t type = dimension.coordinate != nullptr ? writer_.string_type() : H5T_STD_I64LE;
        Handle dataset = writer_.create_dataset(group, path, dimension.name, type, {dimension.size}, false, properties);
        if (dimension.coordinate != nullptr) {
            writer_.write_strings(dataset.get(), path, dimension.coordinate->labels);
        } else if (dimension.size > 0) {
            std::vector<std::int64_t> indices(dimension.size);
            for (std::size_t i = 0; i < indices.size(); ++i) indices[i] = static_cast<std::int64_t>(i);
            check(H5Dwrite(dataset.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, indices.data()), what);
        }
        check(H5DSset_scale(dataset.get(), dimension.name.c_str()), what);
        writer_.number_attribute(dataset.get(), path, "_Netcdf4Dimid", H5T_STD_I32LE, H5T_NATIVE_INT, next_dimid_++);
        return dataset;
    }

    void variable(hid_t group, const std::string& group_path, const InferenceVariable& variable,
                  const std::map<std::string, hid_t>& scale_of) {
        const std::string path = child_path(group_path, variable.name);
        const std::vector<hsize_t> dims(variable.shape.begin(), variable.shape.end());
        const DatasetProperties properties{link_.get(), dataset_.get()};
        Handle dataset = writer_.create_dataset(group, path, variable.name, H5T_IEEE_F64LE, dims, true, properties);
        Writer::write_doubles(dataset.get(), path, variable.values);
        for (std::size_t d = 0; d < variable.dimensions.size(); ++d) {
            check(H5DSattach_scale(dataset.get(), scale_of.at(variable.dimensions[d]), static_cast<unsigned>(d)),
                  "attaching dimension scale '" + variable.dimensions[d] + "' to axis " + std::to_string(d) + " of " +
                      path);
        }
        if (!variable.description.empty())
            writer_.string_attribute(dataset.get(), path, "description", variable.description);
        dataset.close("writing dataset " + path);
    }

    Writer& writer_;
    std::string created_at_;
    Handle link_;     // UTF-8 link names
    Handle group_;    // creation order of links and attributes
    Handle dataset_;  // creation order of attributes
    int next_dimid_ = 0;
};

}  // namespace

void validate_inference_data(const InferenceData& data) {
    std::set<std::string> groups;
    for (const InferenceGroup& group : data.groups) {
        check_name("group", "", group.name);
        if (!groups.insert(group.name).second) throw std::invalid_argument("group '" + group.name + "' appears twice");
        validate_group(group);
    }
    validate_attributes("the root", data.attributes);
}

void write_inference_data(const InferenceData& data, const std::string& path) {
    validate_inference_data(data);
    const std::string created_at = utc_now_iso8601();
    write_atomically(
        path,
        [&](Writer& writer, hid_t root) {
            InferenceFile file(writer, created_at);
            file.attributes(root, "/", data.attributes);
            for (const InferenceGroup& group : data.groups) file.group(root, group);
        },
        true);
}

}  // namespace ehsim::output
