// `ehsim compare` end to end: the comparison file holds, for an option, exactly what `ehsim run` of that
// option alone writes (options branch from their baseline's run); an option that changes nothing differs
// from the baseline by exactly zero everywhere; the summary covers every option, key indicator and year.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <string>

#include "tests/output/hdf5_read_back.hpp"

namespace ehsim::output {
namespace {

using namespace hdf5_test;

int run_ehsim(const std::string& arguments) {
    const std::string command = std::string(EHSIM_BINARY) + " " + arguments + " > /dev/null";
    return std::system(command.c_str());
}

TEST(CompareEndToEnd, OptionsMatchTheirOwnRunsAndNoChangeMeansZeroDifferences) {
    TemporaryFolder folder;
    const std::string data = EHSIM_TEST_DATA;
    const std::string comparison = (folder.path() / "compare.h5").string();
    const std::string alone = (folder.path() / "dated.h5").string();
    ASSERT_EQ(run_ehsim("compare " + data + "/minimal.yaml " + data + "/no-change-option.yaml " + data +
                        "/dated-option.yaml -n 6 --seed 5 --threads 2 -q -o " + comparison),
              0);
    ASSERT_EQ(run_ehsim("run " + data + "/dated-option.yaml -n 6 --seed 5 --threads 1 -q -o " + alone), 0);
    ASSERT_EQ(run_ehsim("run " + data + "/minimal.yaml -n 6 --seed 5 -q -o " + (folder.path() / "base.h5").string()),
              0);
    Id file = open_file(comparison);
    Id own = open_file(alone);
    Id base = open_file(folder.path() / "base.h5");
    EXPECT_EQ(string_attribute(file, "format"), "ehsim-comparison");
    EXPECT_EQ(read_strings(file, "/axes/years"), read_strings(own, "/axes/years"));
    for (const std::string series : {"monthly", "by_locality", "annual"}) {
        const std::vector<std::string> indicators = link_names(file, "/options/dated/" + series);
        ASSERT_FALSE(indicators.empty()) << series;
        EXPECT_EQ(indicators, link_names(own, "/" + series));
        for (const std::string& indicator : indicators) {
            const std::string what = series + "/" + indicator;
            expect_same_bits(read_doubles(file, "/options/dated/" + what).values, read_doubles(own, "/" + what).values,
                             "option vs its own run: " + what);
            expect_same_bits(read_doubles(file, "/baseline/" + what).values, read_doubles(base, "/" + what).values,
                             "baseline vs its own run: " + what);
            // Zero wherever the baseline has a value (NaN only where the baseline is NaN: a rate over nothing).
            const Doubles zero = read_doubles(file, "/differences/no-change/" + what);
            const Doubles baseline = read_doubles(file, "/baseline/" + what);
            for (std::size_t i = 0; i < zero.values.size(); ++i)
                if (std::isnan(baseline.values[i])) {
                    ASSERT_TRUE(std::isnan(zero.values[i])) << what << "[" << i << "]";
                } else {
                    ASSERT_EQ(zero.values[i], 0.0) << what << "[" << i << "]";
                }
        }
    }
    // The cost difference is the sum of its parts to the penny, in every replication and year.
    const auto part = [&](const std::string& name) {
        return read_doubles(file, "/differences/dated/annual/" + name).values;
    };
    const auto total = part("cost_total"), staff = part("cost_staff"), assessments = part("cost_assessments"),
               cases = part("cost_early_help_cases"), care = part("cost_social_care"), sites = part("cost_sites");
    for (std::size_t i = 0; i < total.size(); ++i)
        EXPECT_NEAR(total[i], staff[i] + sites[i] + assessments[i] + cases[i] + care[i], 0.005) << i;
    // Summary: one row per option, key indicator and year.
    const auto options = read_strings(file, "/summary/option");
    const auto years = read_strings(file, "/axes/years");
    EXPECT_EQ(options.size() % (2 * years.size()), 0u);
    EXPECT_GE(options.size(), 2 * years.size() * 3);
    const auto mean = read_doubles(file, "/summary/difference_mean").values;
    const auto indicator = read_strings(file, "/summary/indicator");
    for (std::size_t row = 0; row < options.size(); ++row)
        if (options[row] == "no-change" && !std::isnan(mean[row])) {
            EXPECT_EQ(mean[row], 0.0) << indicator[row];
        }
}

// A calibration's posterior feeds runs and comparisons: each replication draws one parameter set, the same
// for every option, whatever the number of threads; a calibration itself is the same on 1 and 2 threads.
TEST(PosteriorEndToEnd, CalibrationsRunsAndComparisonsOnAPosterior) {
    TemporaryFolder folder;
    const std::string data = EHSIM_TEST_DATA;
    const auto at = [&](const std::string& name) { return (folder.path() / name).string(); };
    ASSERT_EQ(run_ehsim("calibrate " + data + "/minimal-calibration.yaml -q -t 1 -o " + at("one.h5")), 0);
    ASSERT_EQ(run_ehsim("calibrate " + data + "/minimal-calibration.yaml -q -t 2 -o " + at("two.h5")), 0);
    {
        Id one = open_file(at("one.h5"));
        Id two = open_file(at("two.h5"));
        EXPECT_EQ(string_attribute(one, "format"), "ehsim-calibration");
        for (const std::string variable :
             {"/posterior/need.incidence_level_3_per_family_per_year", "/posterior/early_help.needs_met_probability",
              "/abc_particles/weight", "/abc_particles/simulated", "/posterior_predictive/open",
              "/abc_generations/tolerance"})
            expect_same_bits(read_doubles(one, variable).values, read_doubles(two, variable).values, variable);
    }
    const std::string posterior = " --posterior " + at("one.h5");
    ASSERT_EQ(run_ehsim("run " + data + "/minimal.yaml -n 4 -q -t 1 -o " + at("r1.h5") + posterior), 0);
    ASSERT_EQ(run_ehsim("run " + data + "/minimal.yaml -n 4 -q -t 2 -o " + at("r2.h5") + posterior), 0);
    ASSERT_EQ(run_ehsim("run " + data + "/minimal.yaml -n 4 -q -o " + at("fixed.h5")), 0);
    Id r1 = open_file(at("r1.h5"));
    Id r2 = open_file(at("r2.h5"));
    Id fixed = open_file(at("fixed.h5"));
    EXPECT_EQ(string_attribute(r1, "posterior_file"), at("one.h5"));
    EXPECT_EQ(string_attribute(fixed, "posterior_file"), "");
    const auto drawn = read_doubles(r1, "/annual/early_help_requests").values;
    expect_same_bits(drawn, read_doubles(r2, "/annual/early_help_requests").values, "1 vs 2 threads");
    EXPECT_NE(drawn, read_doubles(fixed, "/annual/early_help_requests").values) << "the draws changed nothing";
    // Options on a posterior: a no-change option still differs by exactly zero.
    ASSERT_EQ(run_ehsim("compare " + data + "/minimal.yaml " + data + "/no-change-option.yaml -n 4 -q -o " +
                        at("c.h5") + posterior),
              0);
    Id comparison = open_file(at("c.h5"));
    for (const double difference : read_doubles(comparison, "/differences/no-change/annual/early_help_requests").values)
        EXPECT_EQ(difference, 0.0);
    expect_same_bits(read_doubles(comparison, "/baseline/annual/early_help_requests").values, drawn,
                     "the comparison's baseline is the run on the same draws");
    // The held-out check runs and reports.
    EXPECT_EQ(
        run_ehsim("calibrate --predict " + data + "/minimal-targets.yaml " + data + "/minimal.yaml -r 4" + posterior),
        0);
}

}  // namespace
}  // namespace ehsim::output
