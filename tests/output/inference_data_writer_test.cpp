#include "output/inference_data_writer.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>
#include <hdf5_hl.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/output/hdf5_read_back.hpp"

namespace ehsim::output {
namespace {

using namespace hdf5_test;

// ---------------------------------------------------------------------------------------------------
// Data

std::vector<double> counting(std::size_t count, double start) {
    std::vector<double> values(count);
    for (std::size_t i = 0; i < count; ++i) values[i] = start + 0.25 * static_cast<double>(i);
    return values;
}

// posterior: two (chain, draw) variables, one (chain, draw, target) and a scalar; sample_stats: (chain, draw);
// observed_data: (target) with the string coordinate `target`.
InferenceData small_data() {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<std::string> targets{"contacts", "step_up_rate — £", "re-referrals"};
    InferenceData data;
    data.groups = {
        {"posterior",
         {
             {"demand_scale", {"chain", "draw"}, {2, 4}, counting(8, 1.0), "Multiplier on referral demand."},
             {"step_up_probability", {"chain", "draw"}, {2, 4}, {0.1, nan, -0.0, 0.2, 0.3, 0.4, 0.5, 1e-300}, ""},
             {"predicted", {"chain", "draw", "target"}, {2, 4, 3}, counting(24, -3.0), "Model output per target."},
             {"log_scale", {}, {}, {std::numeric_limits<double>::infinity()}, "A scalar."},
         },
         {{"target", targets}},
         {{"inference_library_version", "0.1.0"}, {"method", "ABC — rejection"}}},
        {"sample_stats", {{"distance", {"chain", "draw"}, {2, 4}, counting(8, 10.0), "Distance to targets."}}, {}, {}},
        {"observed_data",
         {{"observed", {"target"}, {3}, {1200.0, 12.5, 0.0}, "Council figures."}},
         {{"target", targets}},
         {}},
    };
    data.attributes = {{"ehsim_version", "0.1.0"}, {"scenario_name", "Baseline — 2024"}, {"seed", "42"}};
    return data;
}

std::string nc_path(const TemporaryFolder& folder) { return (folder.path() / "calibration.nc").string(); }

// ---------------------------------------------------------------------------------------------------
// Reading dimension scales back

std::string scale_name(hid_t dataset) {
    const ssize_t length = checked(H5DSget_scale_name(dataset, nullptr, 0), "length of scale name");
    std::string name(static_cast<std::size_t>(length) + 1, '\0');
    checked(H5DSget_scale_name(dataset, name.data(), name.size()), "scale name");
    name.resize(static_cast<std::size_t>(length));
    return name;
}

// Every expectation on one group: links, attributes, dimension scales (values, names, netCDF ids), variables
// (shape, values, description) and which scale each axis is attached to. Collects the netCDF dimension ids.
void expect_group(hid_t file, const InferenceGroup& group, const std::map<std::string, std::size_t>& sizes,
                  const std::vector<std::string>& dimension_order, std::set<int>& dimension_ids) {
    const std::string path = "/" + group.name;
    SCOPED_TRACE(path);
    std::vector<std::string> links = dimension_order;
    for (const InferenceVariable& variable : group.variables) links.push_back(variable.name);
    EXPECT_EQ(link_names(file, path, H5_INDEX_CRT_ORDER), links);

    Id handle(H5Gopen2(file, path.c_str(), H5P_DEFAULT), H5Gclose, "open group " + path);
    std::vector<std::string> attributes{"created_at", "inference_library"};
    for (const auto& attribute : group.attributes) attributes.push_back(attribute.first);
    EXPECT_EQ(attribute_names(handle, H5_INDEX_CRT_ORDER), attributes);
    EXPECT_EQ(string_attribute(handle, "inference_library"), "ehsim");
    const std::regex iso8601(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00)");
    EXPECT_TRUE(std::regex_match(string_attribute(handle, "created_at"), iso8601))
        << string_attribute(handle, "created_at");
    for (const auto& [name, value] : group.attributes) EXPECT_EQ(string_attribute(handle, name), value) << name;

    std::map<std::string, const InferenceCoordinate*> coordinates;
    for (const InferenceCoordinate& coordinate : group.coordinates) coordinates[coordinate.name] = &coordinate;
    for (const std::string& dimension : dimension_order) {
        const std::string scale_path = path + "/" + dimension;
        SCOPED_TRACE(scale_path);
        Id scale = open_dataset(file, scale_path);
        EXPECT_GT(H5DSis_scale(scale), 0);
        EXPECT_EQ(scale_name(scale), dimension);
        EXPECT_TRUE(dimension_ids.insert(int_attribute(scale, "_Netcdf4Dimid")).second) << "dimension id reused";
        if (coordinates.count(dimension) > 0) {
            EXPECT_EQ(read_strings(file, scale_path), coordinates.at(dimension)->labels);
        } else {
            std::vector<std::int64_t> indices(sizes.at(dimension));
            for (std::size_t i = 0; i < indices.size(); ++i) indices[i] = static_cast<std::int64_t>(i);
            EXPECT_EQ(read_int64s(file, scale_path), indices);
        }
    }

    for (const InferenceVariable& variable : group.variables) {
        const std::string variable_path = path + "/" + variable.name;
        SCOPED_TRACE(variable_path);
        const Doubles data = read_doubles(file, variable_path);
        EXPECT_EQ(data.shape, std::vector<hsize_t>(variable.shape.begin(), variable.shape.end()));
        expect_same_bits(data.values, variable.values, variable_path);
        Id dataset = open_dataset(file, variable_path);
        Id space(H5Dget_space(dataset), H5Sclose, "space of " + variable_path);
        EXPECT_EQ(H5Sget_simple_extent_type(space), variable.dimensions.empty() ? H5S_SCALAR : H5S_SIMPLE);
        EXPECT_EQ(H5DSis_scale(dataset), 0);
        for (std::size_t axis = 0; axis < variable.dimensions.size(); ++axis) {
            EXPECT_EQ(H5DSget_num_scales(dataset, static_cast<unsigned>(axis)), 1) << "axis " << axis;
            for (const std::string& dimension : dimension_order) {
                Id scale = open_dataset(file, path + "/" + dimension);
                EXPECT_EQ(H5DSis_attached(dataset, scale, static_cast<unsigned>(axis)) > 0,
                          dimension == variable.dimensions[axis])
                    << "axis " << axis << ", scale " << dimension;
            }
        }
        if (variable.description.empty()) {
            EXPECT_EQ(H5Aexists(dataset, "description"), 0);
        } else {
            EXPECT_EQ(string_attribute(dataset, "description"), variable.description);
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// Tests

TEST(InferenceDataWriter, WritesGroupsDimensionScalesVariablesAndAttributes) {
    TemporaryFolder folder;
    const InferenceData data = small_data();
    write_inference_data(data, nc_path(folder));
    EXPECT_EQ(entries(folder.path()), std::set<std::string>{"calibration.nc"});

    Id file = open_file(nc_path(folder));
    EXPECT_EQ(link_names(file, "/", H5_INDEX_CRT_ORDER),
              (std::vector<std::string>{"posterior", "sample_stats", "observed_data"}));
    EXPECT_EQ(attribute_names(file, H5_INDEX_CRT_ORDER),
              (std::vector<std::string>{"ehsim_version", "scenario_name", "seed"}));
    for (const auto& [name, value] : data.attributes) EXPECT_EQ(string_attribute(file, name), value) << name;

    std::set<int> dimension_ids;
    expect_group(file, data.groups[0], {{"chain", 2}, {"draw", 4}, {"target", 3}}, {"chain", "draw", "target"},
                 dimension_ids);
    expect_group(file, data.groups[1], {{"chain", 2}, {"draw", 4}}, {"chain", "draw"}, dimension_ids);
    expect_group(file, data.groups[2], {{"target", 3}}, {"target"}, dimension_ids);
    EXPECT_EQ(dimension_ids, (std::set<int>{0, 1, 2, 3, 4, 5}));

    // Both groups' `created_at` say when the file was written.
    Id posterior(H5Gopen2(file, "/posterior", H5P_DEFAULT), H5Gclose, "open posterior");
    Id observed(H5Gopen2(file, "/observed_data", H5P_DEFAULT), H5Gclose, "open observed_data");
    EXPECT_EQ(string_attribute(posterior, "created_at"), string_attribute(observed, "created_at"));
}

TEST(InferenceDataWriter, GroupAttributesReplaceTheDefaults) {
    TemporaryFolder folder;
    InferenceData data = small_data();
    data.groups[1].attributes = {
        {"sampler", "abc"}, {"inference_library", "ehsim calibrate"}, {"created_at", "2024-05-01T12:00:00+00:00"}};
    write_inference_data(data, nc_path(folder));

    Id file = open_file(nc_path(folder));
    Id group(H5Gopen2(file, "/sample_stats", H5P_DEFAULT), H5Gclose, "open sample_stats");
    EXPECT_EQ(attribute_names(group, H5_INDEX_CRT_ORDER),
              (std::vector<std::string>{"created_at", "inference_library", "sampler"}));
    EXPECT_EQ(string_attribute(group, "created_at"), "2024-05-01T12:00:00+00:00");
    EXPECT_EQ(string_attribute(group, "inference_library"), "ehsim calibrate");
    EXPECT_EQ(string_attribute(group, "sampler"), "abc");
}

TEST(InferenceDataWriter, CompressesLargeVariablesAndKeepsEmptyDimensions) {
    TemporaryFolder folder;
    InferenceData data;
    std::vector<double> draws(4 * 5000);
    for (std::size_t i = 0; i < draws.size(); ++i) draws[i] = std::sin(static_cast<double>(i));
    data.groups = {{"posterior",
                    {{"theta", {"chain", "draw"}, {4, 5000}, draws, ""}, {"none", {"chain", "empty"}, {4, 0}, {}, ""}},
                    {},
                    {}},
                   {"empty_group", {}, {}, {}}};
    write_inference_data(data, nc_path(folder));

    Id file = open_file(nc_path(folder));
    expect_same_bits(read_doubles(file, "/posterior/theta").values, draws, "theta");
    EXPECT_EQ(read_doubles(file, "/posterior/none").shape, (std::vector<hsize_t>{4, 0}));
    EXPECT_TRUE(read_int64s(file, "/posterior/empty").empty());
    Id theta = open_dataset(file, "/posterior/theta");
    Id creation(H5Dget_create_plist(theta), H5Pclose, "creation properties of theta");
    EXPECT_EQ(H5Pget_layout(creation), H5D_CHUNKED);
    EXPECT_TRUE(link_names(file, "/empty_group").empty());
}

TEST(InferenceDataWriter, RejectsInvalidDataBeforeCreatingAnything) {
    TemporaryFolder folder;
    // `change` makes small_data() invalid: both functions reject it, saying `fragment`, and no file appears.
    const auto rejects = [&](const std::function<void(InferenceData&)>& change, const std::string& fragment) {
        InferenceData data = small_data();
        change(data);
        expect_rejected(
            folder, [&] { validate_inference_data(data); }, fragment);
        expect_rejected(
            folder, [&] { write_inference_data(data, nc_path(folder)); }, fragment);
    };
    EXPECT_NO_THROW(validate_inference_data(small_data()));

    // Sizes
    rejects(
        [](InferenceData& d) {
            d.groups[0].variables[1].shape = {2, 3};
        },
        "dimension 'posterior/draw' has size 3 in variable 'posterior/step_up_probability' but 4 in "
        "variable 'posterior/demand_scale'");
    rejects([](InferenceData& d) { d.groups[2].coordinates[0].labels.pop_back(); },
            "dimension 'observed_data/target' has size 2 in coordinate 'observed_data/target' but 3");
    rejects([](InferenceData& d) { d.groups[0].variables[0].values.pop_back(); },
            "variable 'posterior/demand_scale' has 7 values but its shape [2 chain x 4 draw] needs 8");
    rejects([](InferenceData& d) { d.groups[0].variables[3].values.clear(); }, "needs 1");
    rejects([](InferenceData& d) { d.groups[0].variables[0].shape = {8}; }, "2 dimensions but 1 sizes");
    rejects(
        [](InferenceData& d) {
            d.groups[0].variables[0].dimensions = {"draw", "draw"};
        },
        "has dimension 'draw' twice");
    rejects(
        [](InferenceData& d) {
            InferenceVariable& v = d.groups[0].variables[3];
            v.dimensions.assign(33, "");
            v.shape.assign(33, 1);
            for (std::size_t i = 0; i < 33; ++i) v.dimensions[i] = "d" + std::to_string(i);
        },
        "more than HDF5's 32");

    // Names
    rejects([](InferenceData& d) { d.groups[1].name = "posterior"; }, "group 'posterior' appears twice");
    rejects([](InferenceData& d) { d.groups[0].variables[1].name = "demand_scale"; },
            "variable 'posterior/demand_scale' appears twice");
    rejects(
        [](InferenceData& d) {
            d.groups[2].coordinates.push_back({"target", {"a", "b", "c"}});
        },
        "coordinate 'observed_data/target' appears twice");
    rejects([](InferenceData& d) { d.groups[0].variables[0].name = "draw"; },
            "variable 'posterior/draw' is named like a dimension");
    rejects([](InferenceData& d) { d.groups[0].name = "post/erior"; }, "group 'post/erior': a name may not");
    rejects([](InferenceData& d) { d.groups[0].variables[0].name = "a/b"; },
            "variable 'a/b' of group 'posterior': a name may not contain '/'");
    rejects([](InferenceData& d) { d.groups[1].variables[0].dimensions[1] = "dr/aw"; },
            "dimension 'dr/aw' of variable 'sample_stats/distance'");
    rejects([](InferenceData& d) { d.groups[2].coordinates[0].name = "tar/get"; }, "coordinate 'tar/get'");
    rejects([](InferenceData& d) { d.groups[0].variables[0].name = ".."; }, "nor be '.' or '..'");
    rejects([](InferenceData& d) { d.groups[1].variables[0].name.clear(); },
            "a variable of group 'sample_stats' has no name");
    rejects([](InferenceData& d) { d.groups[2].name.clear(); }, "a group has no name");

    // Attributes
    rejects(
        [](InferenceData& d) {
            d.attributes.push_back({"seed", "43"});
        },
        "attribute 'seed' of the root appears twice");
    rejects([](InferenceData& d) { d.groups[0].attributes.push_back({"_NCProperties", "x"}); }, "reserved by netCDF");
    rejects(
        [](InferenceData& d) {
            d.groups[0].attributes.push_back({"", "x"});
        },
        "attribute 3 of group 'posterior' has no name");

    // Text
    rejects([](InferenceData& d) { d.groups[2].coordinates[0].labels[1] = "scen\xE9rio"; },
            "coordinate 'observed_data/target' label 1 is not valid UTF-8");
    rejects([](InferenceData& d) { d.groups[0].variables[2].description = std::string("a\0b", 3); },
            "variable 'posterior/predicted' description contains a NUL character");
    rejects([](InferenceData& d) { d.attributes[1].second = "\xC0\xAF"; },
            "attribute 'scenario_name' of the root is not valid UTF-8");
    rejects([](InferenceData& d) { d.groups[0].variables[0].name = "\xFF"; },
            "the name of a variable of group 'posterior' is not valid UTF-8");
}

TEST(InferenceDataWriter, InvalidDataLeavesAnExistingFileByteIdentical) {
    TemporaryFolder folder;
    write_inference_data(small_data(), nc_path(folder));
    const std::string before = bytes_of(nc_path(folder));
    InferenceData data = small_data();
    data.groups[0].variables[0].values.push_back(1.0);
    EXPECT_THROW(write_inference_data(data, nc_path(folder)), std::invalid_argument);
    EXPECT_EQ(bytes_of(nc_path(folder)), before);
    EXPECT_EQ(entries(folder.path()), std::set<std::string>{"calibration.nc"});
}

TEST(InferenceDataWriter, UnwritablePathThrowsAndLeavesNoTemporaryFile) {
    TemporaryFolder folder;
    const InferenceData data = small_data();
    expect_unwritable_paths_fail(folder, "calibration.nc",
                                 [&](const std::string& path) { write_inference_data(data, path); });
}

}  // namespace
}  // namespace ehsim::output
