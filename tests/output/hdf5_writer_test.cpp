#include "output/hdf5_writer.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/output/hdf5_read_back.hpp"

namespace ehsim::output {
namespace {

using namespace hdf5_test;

// ---------------------------------------------------------------------------------------------------
// Records

std::string long_scenario_text() {
    std::string text =
        "# Resolved scenario — Hertfordshire-like county, costs in £\nscenario:\n  name: Baseline — 2024\n";
    for (int i = 0; i < 600; ++i) {
        text += "  team_" + std::to_string(i) + ": {caseload: " + std::to_string(18 + i % 7) + ", cost_per_case: £" +
                std::to_string(1200 + i) + ", note: \"step-down — within 4 weeks\"}\n";
    }
    return text;
}

RunRecord small_record() {
    RunRecord record;
    RunMetadata& m = record.metadata;
    m.ehsim_version = "0.1.0";
    m.git_commit = "0123abcd-dirty";
    m.scenario_name = "Baseline — 2024 (£)";
    m.scenario_file = "scenarios/baseline.yaml";
    m.scenario_resolved = long_scenario_text();
    m.seed = std::numeric_limits<std::uint64_t>::max() - 5;  // beyond int64: must stay unsigned
    m.replications = 2;
    m.start_date = "2016-04-01";
    m.warm_up_years = 2.5;
    m.horizon_years = 0.25;
    m.created_utc = "2024-05-01T12:34:56Z";
    record.months = {"2016-04", "2016-05", "2016-06"};
    record.years = {"2016/17"};
    record.localities = {"North — Stevenage", "Bishop’s Stortford"};
    const double nan = std::numeric_limits<double>::quiet_NaN();
    record.monthly = {
        {"contacts",
         "contacts per month",
         "Contacts received by the front door in the month.",
         {120.0, 131.5, 99.0, 118.0, 140.25, 101.0}},
        {"step_up_rate",
         "%",
         "Share of closures stepped up to social care; NaN when nothing closed.",
         {12.5, nan, 0.0, -0.0, 7.25, std::numeric_limits<double>::infinity()}},
    };
    std::vector<double> open_cases;
    for (int i = 0; i < 2 * 2 * 3; ++i) open_cases.push_back(10.0 * i + 0.5);
    record.by_locality = {
        {"open_cases", "families", "Families with an open Early Help case at month end.", open_cases}};
    record.annual = {{"cost", "GBP", "Spend on Early Help teams in the year, in £.", {1.5e6, 1.25e6}}};
    return record;
}

std::string hdf5_path(const TemporaryFolder& folder) { return (folder.path() / "run.h5").string(); }

// ---------------------------------------------------------------------------------------------------
// Tests

TEST(Hdf5Writer, WritesEveryValueShapeAttributeAndString) {
    TemporaryFolder folder;
    const RunRecord record = small_record();
    write_hdf5(record, hdf5_path(folder));

    Id file = open_file(hdf5_path(folder));
    const std::vector<std::string> root_attributes{"created_utc",   "ehsim_version", "format",         "format_version",
                                                   "git_commit",    "horizon_years", "posterior_file", "replications",
                                                   "scenario_file", "scenario_name", "seed",           "start_date",
                                                   "warm_up_years"};
    EXPECT_EQ(attribute_names(file), root_attributes);
    EXPECT_EQ(string_attribute(file, "format"), "ehsim-run");
    EXPECT_EQ(int_attribute(file, "format_version"), 1);
    const RunMetadata& m = record.metadata;
    EXPECT_EQ(string_attribute(file, "ehsim_version"), m.ehsim_version);
    EXPECT_EQ(string_attribute(file, "git_commit"), m.git_commit);
    EXPECT_EQ(string_attribute(file, "scenario_name"), m.scenario_name);
    EXPECT_EQ(string_attribute(file, "scenario_file"), m.scenario_file);
    EXPECT_EQ(u64_attribute(file, "seed"), m.seed);
    EXPECT_EQ(u64_attribute(file, "replications"), m.replications);
    EXPECT_EQ(string_attribute(file, "start_date"), m.start_date);
    EXPECT_EQ(double_attribute(file, "warm_up_years"), m.warm_up_years);
    EXPECT_EQ(double_attribute(file, "horizon_years"), m.horizon_years);
    EXPECT_EQ(string_attribute(file, "created_utc"), m.created_utc);

    EXPECT_EQ(link_names(file, "/"),
              (std::vector<std::string>{"annual", "axes", "by_locality", "monthly", "scenario"}));
    EXPECT_EQ(link_names(file, "/scenario"),
              (std::vector<std::string>{"assumptions", "changes_in_words", "resolved_yaml"}));
    ASSERT_GT(m.scenario_resolved.size(), 40000u);
    EXPECT_EQ(read_scalar_string(file, "/scenario/resolved_yaml"), m.scenario_resolved);

    EXPECT_EQ(link_names(file, "/axes"), (std::vector<std::string>{"localities", "months", "years"}));
    EXPECT_EQ(read_strings(file, "/axes/months"), record.months);
    EXPECT_EQ(read_strings(file, "/axes/years"), record.years);
    EXPECT_EQ(read_strings(file, "/axes/localities"), record.localities);

    EXPECT_EQ(link_names(file, "/monthly"), (std::vector<std::string>{"contacts", "step_up_rate"}));
    for (const Indicator& indicator : record.monthly)
        expect_indicator(file, "monthly", indicator, {2, 3}, "replication,month");
    EXPECT_EQ(link_names(file, "/by_locality"), std::vector<std::string>{"open_cases"});
    expect_indicator(file, "by_locality", record.by_locality[0], {2, 2, 3}, "replication,locality,month");
    EXPECT_EQ(link_names(file, "/annual"), std::vector<std::string>{"cost"});
    expect_indicator(file, "annual", record.annual[0], {2, 1}, "replication,year");

    const Doubles rates = read_doubles(file, "/monthly/step_up_rate");
    EXPECT_TRUE(std::isnan(rates.values[1]));
    EXPECT_TRUE(std::signbit(rates.values[3]));
}

TEST(Hdf5Writer, GroupsAndAxesExistWhenEmpty) {
    TemporaryFolder folder;
    RunRecord record;
    record.metadata.replications = 3;
    record.monthly = {{"nothing_reported", "families", "", {}}};  // 3 replications x 0 months
    write_hdf5(record, hdf5_path(folder));

    Id file = open_file(hdf5_path(folder));
    EXPECT_EQ(link_names(file, "/"),
              (std::vector<std::string>{"annual", "axes", "by_locality", "monthly", "scenario"}));
    EXPECT_TRUE(link_names(file, "/by_locality").empty());
    EXPECT_TRUE(link_names(file, "/annual").empty());
    EXPECT_EQ(read_scalar_string(file, "/scenario/resolved_yaml"), "");
    EXPECT_TRUE(read_strings(file, "/axes/months").empty());
    EXPECT_TRUE(read_strings(file, "/axes/years").empty());
    EXPECT_TRUE(read_strings(file, "/axes/localities").empty());
    const Doubles nothing = read_doubles(file, "/monthly/nothing_reported");
    EXPECT_EQ(nothing.shape, (std::vector<hsize_t>{3, 0}));
    EXPECT_EQ(string_attribute(file, "git_commit"), "");
    EXPECT_EQ(u64_attribute(file, "replications"), 3u);
}

TEST(Hdf5Writer, CompressesLargeDatasetsInWholeReplicationChunks) {
    TemporaryFolder folder;
    RunRecord record = small_record();
    record.metadata.replications = 3;
    const std::size_t months = 10000;  // long, so that one replication of by_locality exceeds a chunk
    record.months.assign(months, "2016-04");
    record.localities = {"a", "b", "c", "d", "e"};
    std::mt19937_64 engine(7);
    std::uniform_int_distribution<int> cases(0, 50);
    const auto series = [&](std::size_t count) {
        std::vector<double> values(count);
        for (std::size_t i = 0; i < count; ++i) values[i] = i % 97 == 0 ? std::nan("") : cases(engine);
        return values;
    };
    record.monthly = {{"contacts", "contacts per month", "Contacts.", series(3 * months)}};
    record.by_locality = {{"open_cases", "families", "Open cases.", series(3 * 5 * months)}};
    record.annual = {{"cost", "GBP", "Cost.", {1.0, 2.0, 3.0}}};
    record.years = {"2016/17"};
    write_hdf5(record, hdf5_path(folder));

    Id file = open_file(hdf5_path(folder));
    expect_indicator(file, "monthly", record.monthly[0], {3, months}, "replication,month");
    expect_indicator(file, "by_locality", record.by_locality[0], {3, 5, months}, "replication,locality,month");
    expect_indicator(file, "annual", record.annual[0], {3, 1}, "replication,year");

    const auto layout = [&](const std::string& path, std::vector<hsize_t>& chunk) {
        Id dataset = open_dataset(file, path);
        Id properties(H5Dget_create_plist(dataset), H5Pclose, "properties of " + path);
        const H5D_layout_t kind = H5Pget_layout(properties);
        if (kind == H5D_CHUNKED) {
            chunk.assign(8, 0);
            chunk.resize(static_cast<std::size_t>(checked(H5Pget_chunk(properties, 8, chunk.data()), "chunk")));
            EXPECT_EQ(H5Pget_nfilters(properties), 2) << path;
            unsigned flags = 0;
            std::size_t count = 1;
            unsigned level = 0;
            EXPECT_EQ(H5Pget_filter2(properties, 0, &flags, &count, &level, 0, nullptr, nullptr), H5Z_FILTER_SHUFFLE);
            count = 1;
            EXPECT_EQ(H5Pget_filter2(properties, 1, &flags, &count, &level, 0, nullptr, nullptr), H5Z_FILTER_DEFLATE);
            EXPECT_EQ(level, 4u) << path;
        }
        return kind;
    };
    std::vector<hsize_t> chunk;
    EXPECT_EQ(layout("/monthly/contacts", chunk), H5D_CHUNKED);
    EXPECT_EQ(chunk, (std::vector<hsize_t>{3, months}));  // 30000 values: all replications in one chunk
    EXPECT_EQ(layout("/by_locality/open_cases", chunk), H5D_CHUNKED);
    EXPECT_EQ(chunk, (std::vector<hsize_t>{1, 3, months}));  // one replication, as many localities as fit
    EXPECT_EQ(layout("/annual/cost", chunk), H5D_CONTIGUOUS);
    EXPECT_LT(fs::file_size(hdf5_path(folder)), 18u * months * 8u / 2u);  // compressed well below raw
}

TEST(Hdf5Writer, LeavesNoTemporaryFileAndReplacesAnExistingFile) {
    TemporaryFolder folder;
    RunRecord record = small_record();
    write_hdf5(record, hdf5_path(folder));
    EXPECT_EQ(entries(folder.path()), std::set<std::string>{"run.h5"});

    record.annual[0].values = {42.0, 43.0};
    write_hdf5(record, hdf5_path(folder));
    EXPECT_EQ(entries(folder.path()), std::set<std::string>{"run.h5"});
    Id file = open_file(hdf5_path(folder));
    EXPECT_EQ(read_doubles(file, "/annual/cost").values, (std::vector<double>{42.0, 43.0}));
}

TEST(Hdf5Writer, MissingFolderThrowsAndLeavesNothingBehind) {
    TemporaryFolder folder;
    const std::string path = (folder.path() / "missing" / "run.h5").string();
    try {
        write_hdf5(small_record(), path);
        FAIL() << "expected std::runtime_error";
    } catch (const std::runtime_error& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find(path), std::string::npos) << message;
        EXPECT_NE(message.find("temporary file"), std::string::npos) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
    EXPECT_FALSE(fs::exists(folder.path() / "missing"));
    EXPECT_TRUE(entries(folder.path()).empty());
}

TEST(Hdf5Writer, InvalidRecordLeavesExistingFileByteIdentical) {
    TemporaryFolder folder;
    write_hdf5(small_record(), hdf5_path(folder));
    const std::string before = bytes_of(hdf5_path(folder));

    RunRecord record = small_record();
    record.by_locality[0].values.pop_back();
    try {
        write_hdf5(record, hdf5_path(folder));
        FAIL() << "expected std::invalid_argument";
    } catch (const std::invalid_argument& error) {
        EXPECT_NE(std::string(error.what()).find("open_cases"), std::string::npos) << error.what();
        EXPECT_NE(std::string(error.what()).find("needs 12"), std::string::npos) << error.what();
    }
    EXPECT_EQ(bytes_of(hdf5_path(folder)), before);
    EXPECT_EQ(entries(folder.path()), std::set<std::string>{"run.h5"});
}

// A real failure half-way through: the file-size limit makes writing the temporary file fail once it passes
// 256 KiB (SIGXFSZ ignored, so write() returns EFBIG instead of killing the process).
TEST(Hdf5Writer, FailureWhileWritingLeavesExistingFileByteIdentical) {
    TemporaryFolder folder;
    write_hdf5(small_record(), hdf5_path(folder));
    const std::string before = bytes_of(hdf5_path(folder));
    ASSERT_LT(before.size(), 256u * 1024u);

    // About 1 MB of incompressible values, so the file cannot stay under the limit.
    RunRecord record = small_record();
    std::mt19937_64 engine(11);
    std::uniform_real_distribution<double> noise(0.0, 1.0);
    record.months.assign(20000, "2016-04");
    record.monthly = {{"contacts", "contacts per month", "Contacts.", std::vector<double>(2 * 20000)}};
    for (double& value : record.monthly[0].values) value = noise(engine);
    record.by_locality[0].values.assign(2 * 2 * 20000, 0.0);
    for (double& value : record.by_locality[0].values) value = noise(engine);

    struct sigaction ignore {};
    struct sigaction previous_action {};
    ignore.sa_handler = SIG_IGN;
    ASSERT_EQ(::sigaction(SIGXFSZ, &ignore, &previous_action), 0);
    rlimit previous_limit{};
    ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &previous_limit), 0);
    rlimit limit = previous_limit;
    limit.rlim_cur = 256 * 1024;
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limit), 0);
    std::string message;
    try {
        write_hdf5(record, hdf5_path(folder));
    } catch (const std::runtime_error& error) {
        message = error.what();
    }
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &previous_limit), 0);
    ASSERT_EQ(::sigaction(SIGXFSZ, &previous_action, nullptr), 0);

    EXPECT_NE(message.find(hdf5_path(folder)), std::string::npos) << "no std::runtime_error, or: " << message;
    EXPECT_NE(message.find("File too large"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    EXPECT_EQ(bytes_of(hdf5_path(folder)), before);
    EXPECT_EQ(entries(folder.path()), std::set<std::string>{"run.h5"});
}

TEST(Hdf5Writer, FailedRenameRemovesTheTemporaryFile) {
    TemporaryFolder folder;
    const fs::path occupied = folder.path() / "run.h5";  // a non-empty folder where the file should go
    fs::create_directory(occupied);
    std::ofstream(occupied / "keep.txt") << "kept";
    try {
        write_hdf5(small_record(), occupied.string());
        FAIL() << "expected std::runtime_error";
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find("renaming"), std::string::npos) << error.what();
    }
    EXPECT_EQ(entries(folder.path()), std::set<std::string>{"run.h5"});
    EXPECT_EQ(bytes_of(occupied / "keep.txt"), "kept");
}

TEST(Hdf5Writer, RejectsRecordsHdf5CannotHoldBeforeCreatingAnything) {
    TemporaryFolder folder;
    const auto expect_rejected = [&](const RunRecord& record, const std::string& fragment) {
        try {
            write_hdf5(record, hdf5_path(folder));
            ADD_FAILURE() << "expected std::invalid_argument mentioning " << fragment;
        } catch (const std::invalid_argument& error) {
            EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos) << error.what();
        }
        EXPECT_TRUE(entries(folder.path()).empty()) << fragment;
    };
    RunRecord record = small_record();
    record.monthly[1].values.push_back(1.0);
    expect_rejected(record, "step_up_rate");

    record = small_record();
    record.monthly[1].name = "contacts";
    expect_rejected(record, "appears twice");

    record = small_record();
    record.annual[0].name = "cost/total";
    expect_rejected(record, "'/'");

    record = small_record();
    record.annual[0].name = "";
    expect_rejected(record, "no name");

    record = small_record();
    record.localities[1] = std::string("East\0West", 9);
    expect_rejected(record, "localities[1]");

    record = small_record();
    record.metadata.scenario_file = "scen\xE9rio.yaml";  // Latin-1, not UTF-8
    expect_rejected(record, "metadata.scenario_file is not valid UTF-8");

    record = small_record();
    record.metadata.replications = 3;  // every indicator now has too few values
    expect_rejected(record, "contacts");
}

TEST(Hdf5Writer, RestoresHdf5ErrorPrinting) {
    H5E_auto2_t before_function = nullptr;
    void* before_data = nullptr;
    ASSERT_GE(H5Eget_auto2(H5E_DEFAULT, &before_function, &before_data), 0);
    ASSERT_NE(before_function, nullptr);  // HDF5's default printer

    TemporaryFolder folder;
    write_hdf5(small_record(), hdf5_path(folder));
    EXPECT_THROW(write_hdf5(small_record(), (folder.path() / "missing" / "run.h5").string()), std::runtime_error);

    H5E_auto2_t after_function = nullptr;
    void* after_data = nullptr;
    ASSERT_GE(H5Eget_auto2(H5E_DEFAULT, &after_function, &after_data), 0);
    EXPECT_EQ(after_function, before_function);
    EXPECT_EQ(after_data, before_data);
}

}  // namespace
}  // namespace ehsim::output
