// write_comparison_hdf5: one file holding a baseline, its options, their paired differences and the summary
// table, read back through the HDF5 C API.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "output/hdf5_writer.hpp"
#include "tests/output/hdf5_read_back.hpp"

namespace ehsim::output {
namespace {

using namespace hdf5_test;

// ---------------------------------------------------------------------------------------------------
// Records: 3 replications, 2 months, 1 year, 2 localities; every value depends on `shift`, so that the
// baseline, the options and their differences all differ.

RunRecord record_of(const std::string& name, double shift) {
    RunRecord record;
    RunMetadata& m = record.metadata;
    m.ehsim_version = "0.2.0";
    m.git_commit = "feedbeef";
    m.scenario_name = name;
    m.scenario_file = "scenarios/" + name + ".yaml";
    m.scenario_resolved = "scenario:\n  name: " + name + "\n";
    m.seed = 20240501;
    m.replications = 3;
    m.start_date = "2020-04-01";
    m.warm_up_years = 2.0;
    m.horizon_years = 1.0;
    m.created_utc = "2024-05-01T09:00:00Z";
    record.months = {"2020-04", "2020-05"};
    record.years = {"2020/21"};
    record.localities = {"North", "South"};
    std::vector<double> contacts, open_cases;
    for (int i = 0; i < 3 * 2; ++i) contacts.push_back(100.0 + 10.0 * i + shift);
    for (int i = 0; i < 3 * 2 * 2; ++i) open_cases.push_back(i + 2.0 * shift);
    record.monthly = {{"contacts", "contacts per month", "Contacts received in the month.", contacts}};
    record.by_locality = {{"open_cases", "families", "Open cases at month end.", open_cases}};
    record.annual = {
        {"children_in_need_per_10000",
         "per 10,000 children",
         "Children in need at year end per 10,000 children.",
         {300.0 + shift, 310.0 + shift, 320.0 + 3.0 * shift}},
        {"cost_total", "GBP", "Spend in the year.", {1.0e6 - 1000.0 * shift, 1.1e6, 1.2e6 + 500.0 * shift}},
    };
    return record;
}

// Option minus baseline, value by value, as `ehsim compare` builds it.
RunRecord difference_of(const RunRecord& option, const RunRecord& baseline) {
    RunRecord difference = option;
    const auto subtract = [](std::vector<Indicator>& from, const std::vector<Indicator>& base) {
        for (std::size_t i = 0; i < from.size(); ++i) {
            for (std::size_t j = 0; j < from[i].values.size(); ++j) from[i].values[j] -= base[i].values[j];
            from[i].description = "option minus baseline: " + from[i].description;
        }
    };
    subtract(difference.monthly, baseline.monthly);
    subtract(difference.by_locality, baseline.by_locality);
    subtract(difference.annual, baseline.annual);
    return difference;
}

const std::string kUnicodeOption = "Option B — £";

struct Comparison {
    RunRecord baseline = record_of("baseline", 0.0);
    RunRecord more_workers = record_of("more_workers", -4.0);
    RunRecord option_b = record_of(kUnicodeOption, 2.0);
    RunRecord more_workers_difference = difference_of(more_workers, baseline);
    RunRecord option_b_difference = difference_of(option_b, baseline);
    std::vector<std::string> names{"more_workers", kUnicodeOption};
    std::vector<ComparisonSummaryRow> summary{
        {"more_workers", "children_in_need_per_10000", "2020/21", 310.0, 302.0, -8.0, -12.5, -3.5, 1.0, 0.125},
        {"more_workers", "cost_total", "2020/21", 1.1e6, 1.1006666666666667e6, 666.6666666666666, -10.0, 1343.25, 0.0,
         std::numeric_limits<double>::quiet_NaN()},
        {kUnicodeOption, "children_in_need_per_10000", "2020/21", 310.0, 314.0, 4.0, 1.5, 6.5, 0.0, 0.0625},
        {kUnicodeOption, "cost_total", "2020/21", 1.1e6, 1.1e6, -333.3333333333333, -700.0, 33.25, 1.0, 2.5},
    };

    std::vector<ComparedOption> options() const {
        return {{&more_workers, &more_workers_difference}, {&option_b, &option_b_difference}};
    }
    void write(const std::string& path) const { write_comparison_hdf5(baseline, names, options(), summary, path); }
};

std::string comparison_path(const TemporaryFolder& folder) { return (folder.path() / "compare.h5").string(); }

std::vector<std::string> string_array_attribute(hid_t object, const std::string& name) {
    Id attribute = open_attribute(object, name);
    Id file_type(H5Aget_type(attribute), H5Tclose, "type of " + name);
    expect_utf8_variable_string(file_type, "attribute " + name);
    Id space(H5Aget_space(attribute), H5Sclose, "space of " + name);
    EXPECT_EQ(H5Sget_simple_extent_ndims(space), 1) << name;
    const hssize_t count = checked(H5Sget_simple_extent_npoints(space), "size of " + name);
    std::vector<char*> texts(static_cast<std::size_t>(count), nullptr);
    Id type = utf8_string_type();
    if (!texts.empty()) checked(H5Aread(attribute, type, texts.data()), "read " + name);
    std::vector<std::string> values;
    for (char* text : texts) {
        values.emplace_back(text == nullptr ? "" : text);
        H5free_memory(text);
    }
    return values;
}

Id open_group(hid_t file, const std::string& path) {
    return Id(H5Gopen2(file, path.c_str(), H5P_DEFAULT), H5Gclose, "open group " + path);
}

H5T_cset_t link_encoding(hid_t file, const std::string& path) {
    H5L_info_t info{};
    checked(H5Lget_info(file, path.c_str(), &info, H5P_DEFAULT), "link info of " + path);
    return info.cset;
}

// Every indicator of `record` under `group` (e.g. "/options/x"), value for value, with its shape.
void expect_record_series(hid_t file, const std::string& group, const RunRecord& record) {
    EXPECT_EQ(link_names(file, group + "/monthly"), std::vector<std::string>{"contacts"});
    expect_indicator(file, group.substr(1) + "/monthly", record.monthly[0], {3, 2}, "replication,month");
    EXPECT_EQ(link_names(file, group + "/by_locality"), std::vector<std::string>{"open_cases"});
    expect_indicator(file, group.substr(1) + "/by_locality", record.by_locality[0], {3, 2, 2},
                     "replication,locality,month");
    EXPECT_EQ(link_names(file, group + "/annual"),
              (std::vector<std::string>{"children_in_need_per_10000", "cost_total"}));
    for (const Indicator& indicator : record.annual)
        expect_indicator(file, group.substr(1) + "/annual", indicator, {3, 1}, "replication,year");
}

// ---------------------------------------------------------------------------------------------------
// Tests

TEST(Hdf5ComparisonWriter, TwoOptionsRoundTrip) {
    TemporaryFolder folder;
    const Comparison comparison;
    comparison.write(comparison_path(folder));
    EXPECT_EQ(entries(folder.path()), std::set<std::string>{"compare.h5"});

    Id file = open_file(comparison_path(folder));
    const std::vector<std::string> root_attributes{"created_utc",  "ehsim_version", "format",     "format_version",
                                                   "git_commit",   "horizon_years", "options",    "posterior_file",
                                                   "replications", "seed",          "start_date", "warm_up_years"};
    EXPECT_EQ(attribute_names(file), root_attributes);
    EXPECT_EQ(string_attribute(file, "format"), "ehsim-comparison");
    EXPECT_EQ(int_attribute(file, "format_version"), 1);
    EXPECT_EQ(string_attribute(file, "ehsim_version"), "0.2.0");
    EXPECT_EQ(string_attribute(file, "git_commit"), "feedbeef");
    EXPECT_EQ(u64_attribute(file, "seed"), 20240501u);
    EXPECT_EQ(u64_attribute(file, "replications"), 3u);
    EXPECT_EQ(string_attribute(file, "start_date"), "2020-04-01");
    EXPECT_EQ(double_attribute(file, "warm_up_years"), 2.0);
    EXPECT_EQ(double_attribute(file, "horizon_years"), 1.0);
    EXPECT_EQ(string_attribute(file, "created_utc"), "2024-05-01T09:00:00Z");
    EXPECT_EQ(string_array_attribute(file, "options"), (std::vector<std::string>{"more_workers", "Option B — £"}));

    EXPECT_EQ(link_names(file, "/"),
              (std::vector<std::string>{"axes", "baseline", "differences", "options", "summary"}));
    EXPECT_EQ(read_strings(file, "/axes/months"), (std::vector<std::string>{"2020-04", "2020-05"}));
    EXPECT_EQ(read_strings(file, "/axes/years"), std::vector<std::string>{"2020/21"});
    EXPECT_EQ(read_strings(file, "/axes/localities"), (std::vector<std::string>{"North", "South"}));

    // The baseline and each option: scenario, attributes, every series.
    EXPECT_EQ(link_names(file, "/baseline"),
              (std::vector<std::string>{"annual", "by_locality", "monthly", "scenario"}));
    {
        Id baseline = open_group(file, "/baseline");
        EXPECT_EQ(attribute_names(baseline), (std::vector<std::string>{"scenario_file", "scenario_name"}));
        EXPECT_EQ(string_attribute(baseline, "scenario_name"), "baseline");
        EXPECT_EQ(string_attribute(baseline, "scenario_file"), "scenarios/baseline.yaml");
    }
    EXPECT_EQ(read_scalar_string(file, "/baseline/scenario/resolved_yaml"), "scenario:\n  name: baseline\n");
    expect_record_series(file, "/baseline", comparison.baseline);

    EXPECT_EQ(link_names(file, "/options"), (std::vector<std::string>{"Option B — £", "more_workers"}));
    EXPECT_EQ(link_encoding(file, "/options/Option B — £"), H5T_CSET_UTF8);
    EXPECT_EQ(link_encoding(file, "/differences/Option B — £"), H5T_CSET_UTF8);
    const std::vector<const RunRecord*> option_records{&comparison.more_workers, &comparison.option_b};
    for (std::size_t k = 0; k < 2; ++k) {
        const std::string& name = comparison.names[k];
        const std::string group = "/options/" + name;
        SCOPED_TRACE(group);
        EXPECT_EQ(link_names(file, group), (std::vector<std::string>{"annual", "by_locality", "monthly", "scenario"}));
        Id option = open_group(file, group);
        EXPECT_EQ(attribute_names(option), (std::vector<std::string>{"scenario_file", "scenario_name"}));
        EXPECT_EQ(string_attribute(option, "scenario_name"), name);
        EXPECT_EQ(string_attribute(option, "scenario_file"), "scenarios/" + name + ".yaml");
        EXPECT_EQ(read_scalar_string(file, group + "/scenario/resolved_yaml"), "scenario:\n  name: " + name + "\n");
        expect_record_series(file, group, *option_records[k]);
    }

    // The differences: no scenario, the attribute `of`, every series of the difference record.
    EXPECT_EQ(link_names(file, "/differences"), (std::vector<std::string>{"Option B — £", "more_workers"}));
    const std::vector<const RunRecord*> difference_records{&comparison.more_workers_difference,
                                                           &comparison.option_b_difference};
    for (std::size_t k = 0; k < 2; ++k) {
        const std::string& name = comparison.names[k];
        const std::string group = "/differences/" + name;
        SCOPED_TRACE(group);
        EXPECT_EQ(link_names(file, group), (std::vector<std::string>{"annual", "by_locality", "monthly"}));
        Id difference = open_group(file, group);
        EXPECT_EQ(attribute_names(difference), std::vector<std::string>{"of"});
        EXPECT_EQ(string_attribute(difference, "of"), name + " minus baseline");
        expect_record_series(file, group, *difference_records[k]);
    }
    // A few values written out, so that the test does not only compare the writer with its own input.
    EXPECT_EQ(read_doubles(file, "/differences/more_workers/annual/children_in_need_per_10000").values,
              (std::vector<double>{-4.0, -4.0, -12.0}));
    EXPECT_EQ(read_doubles(file, "/differences/Option B — £/by_locality/open_cases").values,
              std::vector<double>(12, 4.0));
    EXPECT_EQ(read_doubles(file, "/options/more_workers/monthly/contacts").values,
              (std::vector<double>{96.0, 106.0, 116.0, 126.0, 136.0, 146.0}));
    EXPECT_EQ(read_doubles(file, "/baseline/annual/cost_total").values, (std::vector<double>{1.0e6, 1.1e6, 1.2e6}));
    EXPECT_EQ(read_doubles(file, "/options/Option B — £/annual/cost_total").shape, (std::vector<hsize_t>{3, 1}));
    EXPECT_EQ(read_doubles(file, "/differences/more_workers/by_locality/open_cases").shape,
              (std::vector<hsize_t>{3, 2, 2}));
    {
        Id dataset = open_dataset(file, "/differences/more_workers/annual/cost_total");
        EXPECT_EQ(string_attribute(dataset, "description"), "option minus baseline: Spend in the year.");
    }

    // The summary table: parallel 1-D datasets, one row per option, indicator and year.
    EXPECT_EQ(
        link_names(file, "/summary"),
        (std::vector<std::string>{"baseline_mean", "difference_high", "difference_low", "difference_mean", "indicator",
                                  "option", "option_mean", "probability_lower", "variance_ratio", "year"}));
    EXPECT_EQ(read_strings(file, "/summary/option"),
              (std::vector<std::string>{"more_workers", "more_workers", "Option B — £", "Option B — £"}));
    EXPECT_EQ(read_strings(file, "/summary/indicator"),
              (std::vector<std::string>{"children_in_need_per_10000", "cost_total", "children_in_need_per_10000",
                                        "cost_total"}));
    EXPECT_EQ(read_strings(file, "/summary/year"), std::vector<std::string>(4, "2020/21"));
    EXPECT_EQ(read_doubles(file, "/summary/baseline_mean").values, (std::vector<double>{310.0, 1.1e6, 310.0, 1.1e6}));
    EXPECT_EQ(read_doubles(file, "/summary/option_mean").values,
              (std::vector<double>{302.0, 1.1006666666666667e6, 314.0, 1.1e6}));
    EXPECT_EQ(read_doubles(file, "/summary/difference_mean").values,
              (std::vector<double>{-8.0, 666.6666666666666, 4.0, -333.3333333333333}));
    EXPECT_EQ(read_doubles(file, "/summary/difference_low").values, (std::vector<double>{-12.5, -10.0, 1.5, -700.0}));
    EXPECT_EQ(read_doubles(file, "/summary/difference_high").values, (std::vector<double>{-3.5, 1343.25, 6.5, 33.25}));
    EXPECT_EQ(read_doubles(file, "/summary/probability_lower").values, (std::vector<double>{1.0, 0.0, 0.0, 1.0}));
    const Doubles ratios = read_doubles(file, "/summary/variance_ratio");
    ASSERT_EQ(ratios.shape, std::vector<hsize_t>{4});
    EXPECT_EQ(ratios.values[0], 0.125);
    EXPECT_TRUE(std::isnan(ratios.values[1]));
    EXPECT_EQ(ratios.values[2], 0.0625);
    EXPECT_EQ(ratios.values[3], 2.5);
    {
        Id dataset = open_dataset(file, "/summary/difference_low");
        EXPECT_EQ(string_attribute(dataset, "description"), "lower end of the 90% interval of the mean difference");
    }
}

TEST(Hdf5ComparisonWriter, NoOptionsGivesEmptyGroupsAndTable) {
    TemporaryFolder folder;
    const RunRecord baseline = record_of("baseline", 0.0);
    write_comparison_hdf5(baseline, {}, {}, {}, comparison_path(folder));

    Id file = open_file(comparison_path(folder));
    EXPECT_TRUE(string_array_attribute(file, "options").empty());
    EXPECT_TRUE(link_names(file, "/options").empty());
    EXPECT_TRUE(link_names(file, "/differences").empty());
    EXPECT_EQ(link_names(file, "/summary").size(), 10u);
    EXPECT_TRUE(read_strings(file, "/summary/option").empty());
    EXPECT_EQ(read_doubles(file, "/summary/variance_ratio").shape, std::vector<hsize_t>{0});
    expect_record_series(file, "/baseline", baseline);
}

TEST(Hdf5ComparisonWriter, MismatchedAxesOrReplicationsThrowAndCreateNoFile) {
    TemporaryFolder folder;
    const std::string path = comparison_path(folder);
    {
        Comparison comparison;  // 4 replications, every series sized for them: only the count differs
        comparison.option_b = record_of(kUnicodeOption, 2.0);
        comparison.option_b.metadata.replications = 4;
        comparison.option_b.monthly[0].values.resize(4 * 2, 1.0);
        comparison.option_b.by_locality[0].values.resize(4 * 2 * 2, 1.0);
        for (Indicator& indicator : comparison.option_b.annual) indicator.values.resize(4, 1.0);
        expect_rejected(
            folder, [&] { comparison.write(path); }, "option 'Option B — £' has 4 replications but the baseline has 3");
    }
    {
        Comparison comparison;
        comparison.more_workers_difference.months[1] = "2020-06";
        expect_rejected(
            folder, [&] { comparison.write(path); },
            "the difference of option 'more_workers' has months[1] = '2020-06' but the baseline has '2020-05'");
    }
    {
        Comparison comparison;
        comparison.more_workers.years = {"2021/22"};
        expect_rejected(
            folder, [&] { comparison.write(path); }, "years[0] = '2021/22'");
    }
    {
        Comparison comparison;  // one locality fewer, by_locality sized to match: valid alone, not comparable
        comparison.option_b.localities.pop_back();
        comparison.option_b.by_locality[0].values.resize(3 * 1 * 2);
        expect_rejected(
            folder, [&] { comparison.write(path); }, "option 'Option B — £' has 1 localities but the baseline has 2");
    }
    {
        Comparison comparison;  // every record is validated as write_hdf5 would
        comparison.option_b_difference.annual[1].values.pop_back();
        expect_rejected(
            folder, [&] { comparison.write(path); },
            "the difference of option 'Option B — £': indicator 'annual/cost_total' has 2 values");
    }
    {
        Comparison comparison;
        comparison.baseline.monthly[0].name = "";
        expect_rejected(
            folder, [&] { comparison.write(path); }, "baseline: an indicator in monthly has no name");
    }
}

TEST(Hdf5ComparisonWriter, BadOptionNamesThrowAndCreateNoFile) {
    TemporaryFolder folder;
    const std::string path = comparison_path(folder);
    const auto with_names = [&](std::vector<std::string> names, const std::string& fragment) {
        Comparison comparison;
        comparison.names = std::move(names);
        for (ComparisonSummaryRow& row : comparison.summary) row.option = comparison.names.back();
        expect_rejected(
            folder, [&] { comparison.write(path); }, fragment);
    };
    with_names({"more_workers", "a/b"}, "option name 'a/b': a name may not contain '/'");
    with_names({"same", "same"}, "option name 'same' appears twice");
    with_names({"", "b"}, "option 1 has no name");
    with_names({"a", "."}, "option name '.'");
    with_names({"..", "b"}, "option name '..'");
    with_names({"a", std::string("b\0c", 3)}, "the name of option 2 contains a NUL character");
    with_names({"a", "caf\xE9"}, "the name of option 2 is not valid UTF-8");
    with_names({"only_one"}, "a comparison has 1 option names for 2 options");

    Comparison comparison;
    comparison.summary[2].option = "unknown";
    expect_rejected(
        folder, [&] { comparison.write(path); }, "summary row 3 is about 'unknown', which is not one of the options");

    const std::vector<ComparedOption> missing{{&comparison.more_workers, nullptr},
                                              {&comparison.option_b, &comparison.option_b_difference}};
    expect_rejected(
        folder, [&] { write_comparison_hdf5(comparison.baseline, comparison.names, missing, {}, path); },
        "option 'more_workers' has no difference record");
}

TEST(Hdf5ComparisonWriter, UnwritablePathThrowsRuntimeErrorAndLeavesNoTemporaryFile) {
    TemporaryFolder folder;
    const Comparison comparison;
    expect_unwritable_paths_fail(folder, "compare.h5", [&](const std::string& path) { comparison.write(path); });
}

}  // namespace
}  // namespace ehsim::output
