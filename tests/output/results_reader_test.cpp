// read_run and read_comparison: what write_hdf5 and write_comparison_hdf5 wrote comes back exactly (NaN
// payloads, infinities and signed zeros included); a selection reads only what it names; every problem is one
// line naming the file.
#include "output/results_reader.hpp"
#include "output/file_signature.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "output/hdf5_writer.hpp"
#include "tests/output/hdf5_read_back.hpp"

namespace ehsim::output {
namespace {

using namespace hdf5_test;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// 3 replications, 4 months, 2 years, 2 localities; every value depends on `shift`.
RunRecord record_of(const std::string& name, double shift) {
    RunRecord record;
    RunMetadata& m = record.metadata;
    m.ehsim_version = "0.3.0";
    m.git_commit = "c0ffee12-modified";
    m.scenario_name = name;
    m.scenario_file = "scenarios/" + name + ".yaml";
    m.scenario_resolved = "name: " + name + "\ncosts: {note: \"£ — per year\"}\n";
    m.seed = std::numeric_limits<std::uint64_t>::max() - 1;
    m.replications = 3;
    m.start_date = "2020-04-01";
    m.warm_up_years = 1.5;
    m.horizon_years = 2.0;
    m.created_utc = "2024-06-01T08:00:00Z";
    m.posterior_file = "calibration/posteriors/test.h5";
    record.months = {"2020-04", "2020-05", "2020-06", "2020-07"};
    record.years = {"2020/21", "2021/22"};
    record.localities = {"North — Bloxwich", "Bishop’s Stortford"};
    std::vector<double> contacts, waits, open_cases, need, cost;
    for (int i = 0; i < 3 * 4; ++i) contacts.push_back(100.0 + 7.0 * i + shift);
    for (int i = 0; i < 3 * 4; ++i) waits.push_back(i % 5 == 0 ? kNaN : 3.5 + 0.25 * i + shift);
    waits[1] = -0.0;
    waits[2] = kInf;
    for (int i = 0; i < 3 * 2 * 4; ++i) open_cases.push_back(i + 2.0 * shift);
    for (int i = 0; i < 3 * 2; ++i) need.push_back(300.0 + 1.5 * i + shift);
    for (int i = 0; i < 3 * 2; ++i) cost.push_back(1.0e6 + 1000.0 * i - 10.0 * shift);
    record.monthly = {{"contacts_to_social_care", "contacts", "Contacts to social care in the month.", contacts},
                      {"mean_wait_days_green", "days", "Mean wait, green.", waits}};
    record.by_locality = {{"open_early_help_cases", "families", "Open cases at month end.", open_cases}};
    record.annual = {{"children_in_need_per_10000", "per 10,000 children", "Children in need per 10,000.", need},
                     {"cost_total", "GBP", "Spend in the year.", cost}};
    return record;
}

RunRecord difference_of(const RunRecord& option, const RunRecord& baseline) {
    RunRecord difference = option;
    const auto subtract = [](std::vector<Indicator>& from, const std::vector<Indicator>& base) {
        for (std::size_t i = 0; i < from.size(); ++i)
            for (std::size_t j = 0; j < from[i].values.size(); ++j) from[i].values[j] -= base[i].values[j];
    };
    subtract(difference.monthly, baseline.monthly);
    subtract(difference.by_locality, baseline.by_locality);
    subtract(difference.annual, baseline.annual);
    return difference;
}

void expect_same_metadata(const RunMetadata& actual, const RunMetadata& expected) {
    EXPECT_EQ(actual.ehsim_version, expected.ehsim_version);
    EXPECT_EQ(actual.git_commit, expected.git_commit);
    EXPECT_EQ(actual.scenario_name, expected.scenario_name);
    EXPECT_EQ(actual.scenario_file, expected.scenario_file);
    EXPECT_EQ(actual.scenario_resolved, expected.scenario_resolved);
    EXPECT_EQ(actual.seed, expected.seed);
    EXPECT_EQ(actual.replications, expected.replications);
    EXPECT_EQ(actual.start_date, expected.start_date);
    EXPECT_EQ(actual.warm_up_years, expected.warm_up_years);
    EXPECT_EQ(actual.horizon_years, expected.horizon_years);
    EXPECT_EQ(actual.created_utc, expected.created_utc);
    EXPECT_EQ(actual.posterior_file, expected.posterior_file);
}

// The reader lists a group's indicators by name; the writer kept the caller's order.
std::vector<Indicator> by_name(std::vector<Indicator> indicators) {
    std::sort(indicators.begin(), indicators.end(),
              [](const Indicator& a, const Indicator& b) { return a.name < b.name; });
    return indicators;
}

void expect_same_series(const std::vector<Indicator>& actual, const std::vector<Indicator>& written,
                        const std::string& what) {
    const std::vector<Indicator> expected = by_name(written);
    ASSERT_EQ(actual.size(), expected.size()) << what;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(actual[i].name, expected[i].name) << what;
        EXPECT_EQ(actual[i].unit, expected[i].unit) << what;
        EXPECT_EQ(actual[i].description, expected[i].description) << what;
        expect_same_bits(actual[i].values, expected[i].values, what + "/" + expected[i].name);
    }
}

void expect_same_record(const RunRecord& actual, const RunRecord& expected, const std::string& what) {
    SCOPED_TRACE(what);
    expect_same_metadata(actual.metadata, expected.metadata);
    EXPECT_EQ(actual.months, expected.months);
    EXPECT_EQ(actual.years, expected.years);
    EXPECT_EQ(actual.localities, expected.localities);
    expect_same_series(actual.monthly, expected.monthly, what + "/monthly");
    expect_same_series(actual.by_locality, expected.by_locality, what + "/by_locality");
    expect_same_series(actual.annual, expected.annual, what + "/annual");
}

void expect_same_double(double actual, double expected, const std::string& what) {
    expect_same_bits(std::vector<double>{actual}, std::vector<double>{expected}, what);
}

// Reading must fail with one line that starts with the path and contains `fragment`.
template <typename Read>
void expect_read_fails(const std::string& path, Read read, const std::string& fragment) {
    try {
        read();
        ADD_FAILURE() << "reading " << path << " should fail with " << fragment;
    } catch (const std::runtime_error& error) {
        const std::string message = error.what();
        EXPECT_EQ(message.rfind(path + ": ", 0), 0u) << message;
        EXPECT_NE(message.find(fragment), std::string::npos) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
}

struct Comparison {
    RunRecord baseline = record_of("baseline", 0.0);
    RunRecord zeta = record_of("zeta", -4.0);
    RunRecord option_b = record_of("Option B — £", 2.5);
    RunRecord zeta_difference = difference_of(zeta, baseline);
    RunRecord option_b_difference = difference_of(option_b, baseline);
    // Not in alphabetical order: the reader must keep the command line's order.
    std::vector<std::string> names{"zeta", "Option B — £"};
    std::vector<ComparisonSummaryRow> summary{
        {"zeta", "children_in_need_per_10000", "2021/22", 303.0, 299.0, -4.0, -4.5, -3.5, 1.0, 0.0},
        {"zeta", "cost_total", "2021/22", 1.002e6, 1.00204e6, 40.0, kNaN, kInf, 0.0, kNaN},
        {"Option B — £", "cost_total", "2020/21", 1.0e6, 0.999975e6, -25.0, -30.0, -20.0, 1.0, -0.0},
    };
    void write(const std::string& path) const {
        write_comparison_hdf5(baseline, names, {{&zeta, &zeta_difference}, {&option_b, &option_b_difference}}, summary,
                              path);
    }
};

TEST(ResultsReader, RunFileRoundTripsExactly) {
    TemporaryFolder folder;
    const std::string path = (folder.path() / "run.h5").string();
    const RunRecord written = record_of("Walsall — 2016", 0.5);
    write_hdf5(written, path);
    EXPECT_EQ(results_format(path), "ehsim-run");
    expect_same_record(read_run(path), written, "run");
}

TEST(ResultsReader, ComparisonFileRoundTripsExactly) {
    TemporaryFolder folder;
    const std::string path = (folder.path() / "compare.h5").string();
    const Comparison written;
    written.write(path);
    EXPECT_EQ(results_format(path), "ehsim-comparison");
    const ComparisonResults read = read_comparison(path);
    expect_same_record(read.baseline, written.baseline, "baseline");
    EXPECT_EQ(read.option_names, written.names);
    ASSERT_EQ(read.options.size(), 2u);
    ASSERT_EQ(read.differences.size(), 2u);
    // Options keep their own scenario; the rest of their metadata is the root's (the baseline's).
    expect_same_record(read.options[0], written.zeta, "zeta");
    expect_same_record(read.options[1], written.option_b, "option b");
    RunRecord zeta_difference = written.zeta_difference;
    zeta_difference.metadata.scenario_name = "zeta minus baseline";
    zeta_difference.metadata.scenario_file.clear();
    zeta_difference.metadata.scenario_resolved.clear();
    expect_same_record(read.differences[0], zeta_difference, "zeta's difference");
    expect_same_series(read.differences[1].annual, written.option_b_difference.annual, "option b's difference");
    ASSERT_EQ(read.summary.size(), written.summary.size());
    for (std::size_t i = 0; i < written.summary.size(); ++i) {
        const ComparisonSummaryRow &actual = read.summary[i], &expected = written.summary[i];
        const std::string row = "summary row " + std::to_string(i);
        EXPECT_EQ(actual.option, expected.option) << row;
        EXPECT_EQ(actual.indicator, expected.indicator) << row;
        EXPECT_EQ(actual.year, expected.year) << row;
        expect_same_double(actual.baseline_mean, expected.baseline_mean, row + " baseline_mean");
        expect_same_double(actual.option_mean, expected.option_mean, row + " option_mean");
        expect_same_double(actual.difference_mean, expected.difference_mean, row + " difference_mean");
        expect_same_double(actual.difference_low, expected.difference_low, row + " difference_low");
        expect_same_double(actual.difference_high, expected.difference_high, row + " difference_high");
        expect_same_double(actual.probability_lower, expected.probability_lower, row + " probability_lower");
        expect_same_double(actual.variance_ratio, expected.variance_ratio, row + " variance_ratio");
    }
}

TEST(ResultsReader, AComparisonWithoutOptionsRoundTrips) {
    TemporaryFolder folder;
    const std::string path = (folder.path() / "compare.h5").string();
    const RunRecord baseline = record_of("alone", 0.0);
    write_comparison_hdf5(baseline, {}, {}, {}, path);
    const ComparisonResults read = read_comparison(path);
    expect_same_record(read.baseline, baseline, "baseline");
    EXPECT_TRUE(read.option_names.empty());
    EXPECT_TRUE(read.options.empty());
    EXPECT_TRUE(read.differences.empty());
    EXPECT_TRUE(read.summary.empty());
}

TEST(ResultsReader, ASelectionReadsOnlyWhatItNamesInItsOrder) {
    TemporaryFolder folder;
    const std::string run_path = (folder.path() / "run.h5").string();
    const RunRecord written = record_of("selected", 0.0);
    write_hdf5(written, run_path);
    ResultsSelection selection;
    selection.monthly = std::vector<std::string>{"mean_wait_days_green", "not_in_the_file", "contacts_to_social_care"};
    selection.by_locality = std::vector<std::string>{};
    const RunRecord read = read_run(run_path, selection);
    ASSERT_EQ(read.monthly.size(), 2u);
    EXPECT_EQ(read.monthly[0].name, "mean_wait_days_green");
    EXPECT_EQ(read.monthly[1].name, "contacts_to_social_care");
    expect_same_bits(read.monthly[0].values, written.monthly[1].values, "selected waits");
    EXPECT_TRUE(read.by_locality.empty());
    EXPECT_EQ(read.annual.size(), 2u);  // not selected: all of them

    const std::string comparison_path = (folder.path() / "compare.h5").string();
    Comparison().write(comparison_path);
    selection.differences = false;
    selection.annual = std::vector<std::string>{"cost_total"};
    const ComparisonResults comparison = read_comparison(comparison_path, selection);
    EXPECT_TRUE(comparison.differences.empty());
    ASSERT_EQ(comparison.options.size(), 2u);
    ASSERT_EQ(comparison.options[1].annual.size(), 1u);
    expect_same_bits(comparison.options[1].annual[0].values, Comparison().option_b.annual[1].values, "cost");
    EXPECT_EQ(comparison.summary.size(), 3u);
}

TEST(ResultsReader, EveryProblemIsOneLineNamingTheFile) {
    TemporaryFolder folder;
    const std::string missing = (folder.path() / "missing.h5").string();
    expect_read_fails(
        missing, [&] { read_run(missing); }, "no such file");
    expect_read_fails(
        missing, [&] { results_format(missing); }, "no such file");
    const std::string text = (folder.path() / "notes.h5").string();
    std::ofstream(text) << "not HDF5\n";
    expect_read_fails(
        text, [&] { read_comparison(text); }, "not an HDF5 file");
    const std::string folder_path = folder.path().string();
    expect_read_fails(
        folder_path, [&] { read_run(folder_path); }, "is a folder");

    const std::string run = (folder.path() / "run.h5").string();
    write_hdf5(record_of("run", 0.0), run);
    expect_read_fails(
        run, [&] { read_comparison(run); },
        "is an 'ehsim-run' file (the results of ehsim run), not an 'ehsim-comparison' file");
    const std::string comparison = (folder.path() / "compare.h5").string();
    Comparison().write(comparison);
    expect_read_fails(
        comparison, [&] { read_run(comparison); }, "not an 'ehsim-run' file");
}

// Signs a file changed here with the HDF5 C API as ehsim signs what it writes (HDF5 drops the old signature when
// it closes a file it changed: it truncates the file to its data), so that the readers get past the signature to
// what is being tested.
void sign(const std::string& path) {
    std::vector<char> bytes;
    {
        std::ifstream in(path, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    file_signature::append(bytes);
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The file's bytes less the signature `sign` added.
std::string bytes_without_signature(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    return bytes.substr(0, bytes.size() - file_signature::kSize);
}

// Files written here with the HDF5 C API, to break what the writers never would.
void write_root_attributes(const std::string& path, const std::string& format, int version) {
    struct Signed {
        std::string path;
        ~Signed() { sign(path); }
    } signed_when_closed{path};  // destroyed after `file` below, so once the file is closed
    Id file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose, "create " + path);
    Id type = utf8_string_type();
    Id scalar(H5Screate(H5S_SCALAR), H5Sclose, "scalar space");
    Id format_attribute(H5Acreate2(file, "format", type, scalar, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, "format");
    const char* text = format.c_str();
    checked(H5Awrite(format_attribute, type, &text), "write format");
    Id version_attribute(H5Acreate2(file, "format_version", H5T_STD_I32LE, scalar, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                         "format_version");
    checked(H5Awrite(version_attribute, H5T_NATIVE_INT, &version), "write format_version");
}

TEST(ResultsReader, RefusesOtherVersionsAndIncompleteFiles) {
    TemporaryFolder folder;
    const std::string newer = (folder.path() / "newer.h5").string();
    write_root_attributes(newer, "ehsim-run", 2);
    expect_read_fails(
        newer, [&] { read_run(newer); }, "format_version 2 of 'ehsim-run' files is not supported");
    const std::string incomplete = (folder.path() / "incomplete.h5").string();
    write_root_attributes(incomplete, "ehsim-comparison", 1);
    expect_read_fails(
        incomplete, [&] { read_comparison(incomplete); }, "/ has no attribute 'ehsim_version'");
    const std::string calibration = (folder.path() / "calibration.h5").string();
    write_root_attributes(calibration, "ehsim-calibration", 1);
    EXPECT_EQ(results_format(calibration), "ehsim-calibration");
    expect_read_fails(
        calibration, [&] { read_run(calibration); }, "(the results of ehsim calibrate)");
}

// ehsim's signature is checked before HDF5 reads a byte: a file cut short, damaged, extended or written by another
// program is one line naming the file, and HDF5 (whose parser can crash on hostile bytes) never sees it.
TEST(ResultsReader, FilesChangedAfterEhsimWroteThemAreRefusedBeforeHdf5ReadsThem) {
    TemporaryFolder folder;
    const std::string path = (folder.path() / "run.h5").string();
    write_hdf5(record_of("run", 0.0), path);
    std::string bytes;
    {
        std::ifstream in(path, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    ASSERT_EQ(bytes.substr(bytes.size() - file_signature::kSize, 18), "\nEHSIM-SIGNATURE 1");
    EXPECT_NO_THROW(read_run(path));
    const auto rewrite = [&](const std::string& content) {
        std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
    };
    rewrite(bytes.substr(0, bytes.size() / 2));
    expect_read_fails(
        path, [&] { read_run(path); }, "not a complete file written by ehsim");
    rewrite(bytes + "more");
    expect_read_fails(
        path, [&] { read_run(path); }, "not a complete file written by ehsim");
    std::string damaged = bytes;
    damaged[bytes.size() / 3] = static_cast<char>(damaged[bytes.size() / 3] ^ 0x5a);
    rewrite(damaged);
    expect_read_fails(
        path, [&] { read_run(path); },
        "damaged: its contents do not match the checksum ehsim recorded when it wrote it");
    std::string shorter = bytes;
    shorter.erase(1000, 8);  // the data shorter than its signature says
    rewrite(shorter);
    expect_read_fails(
        path, [&] { read_run(path); }, "truncated or extended after ehsim wrote it");
    std::string unreadable = bytes;
    unreadable[bytes.size() - 20] = 'z';  // inside the checksum's digits
    rewrite(unreadable);
    expect_read_fails(
        path, [&] { read_run(path); }, "damaged: its ehsim signature is unreadable");
    // Another program's HDF5 file (no signature) and a file that is not HDF5 at all.
    write_root_attributes(path, "ehsim-run", 1);
    rewrite(bytes_without_signature(path));
    expect_read_fails(
        path, [&] { read_run(path); }, "not a complete file written by ehsim");
    rewrite("format: ehsim-run\n");
    expect_read_fails(
        path, [&] { read_run(path); }, "not an HDF5 file");
}

TEST(ResultsReader, RefusesAnIndicatorOfTheWrongShape) {
    TemporaryFolder folder;
    const std::string path = (folder.path() / "run.h5").string();
    write_hdf5(record_of("run", 0.0), path);
    {
        Id file(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose, "open " + path);
        checked(H5Ldelete(file, "/annual/cost_total", H5P_DEFAULT), "delete cost_total");
        const hsize_t dims[2] = {2, 3};
        Id space(H5Screate_simple(2, dims, nullptr), H5Sclose, "space");
        Id dataset(H5Dcreate2(file, "/annual/cost_total", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                   H5Dclose, "create cost_total");
    }
    sign(path);
    expect_read_fails(
        path, [&] { read_run(path); }, "/annual/cost_total has shape [2 x 3] but [3 x 2] was expected");
}

}  // namespace
}  // namespace ehsim::output
