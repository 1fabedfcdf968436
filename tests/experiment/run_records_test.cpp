// Run records carry what the HDF5 writer and the report need: every indicator for every replication, month,
// year and locality, the metadata, the scenario's notes and the published figures beside the model's.
#include "sim/experiment/run_records.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "sim/experiment/scenario_run.hpp"
#include "sim/kernel/statistics.hpp"
#include "sim/model/indicators.hpp"
#include "tests/experiment/experiment_support.hpp"

namespace ehsim::experiment {
namespace {

using testing::data;

TEST(RunRecords, ARunOfTheMinimalScenarioCarriesEverySeries) {
    const ScenarioRun run(data("minimal.yaml"));
    const RunSettings settings{3, 11, 2, ""};
    const auto targets = calibration::load_targets_file(data("minimal-targets.yaml"));
    const output::RunRecord record = run.record(settings, run.replications(settings), {targets});

    EXPECT_EQ(record.metadata.scenario_name, "minimal");
    EXPECT_EQ(record.metadata.scenario_file, data("minimal.yaml"));
    EXPECT_EQ(record.metadata.seed, 11u);
    EXPECT_EQ(record.metadata.replications, 3u);
    EXPECT_EQ(record.metadata.start_date, "2020-04-01");
    EXPECT_EQ(record.metadata.warm_up_years, 1.0);
    EXPECT_EQ(record.metadata.horizon_years, 2.0);
    EXPECT_NE(record.metadata.scenario_resolved.find("name: minimal"), std::string::npos);
    EXPECT_EQ(record.metadata.created_utc.size(), 20u);  // 2024-01-01T00:00:00Z
    EXPECT_TRUE(record.metadata.posterior_file.empty());

    ASSERT_EQ(record.months.size(), 24u);
    EXPECT_EQ(record.months.front(), "2020-04");
    EXPECT_EQ(record.months.back(), "2022-03");
    ASSERT_EQ(record.years.size(), 2u);
    EXPECT_EQ(record.years[0], "2020-04 to 2021-03");
    EXPECT_EQ(record.localities, std::vector<std::string>{"Central"});
    ASSERT_EQ(record.monthly.size(), model::kIndicators.size());
    ASSERT_EQ(record.annual.size(), model::kIndicators.size());
    ASSERT_EQ(record.by_locality.size(), static_cast<std::size_t>(model::kLocalityTallies));
    for (const output::Indicator& indicator : record.monthly) EXPECT_EQ(indicator.values.size(), 3u * 24u);
    for (const output::Indicator& indicator : record.annual) EXPECT_EQ(indicator.values.size(), 3u * 2u);
    for (const output::Indicator& indicator : record.by_locality) EXPECT_EQ(indicator.values.size(), 3u * 1u * 24u);
    EXPECT_EQ(record.monthly[0].name, model::kIndicators[0].name);

    ASSERT_EQ(record.published_figures.size(), 3u);
    const output::PublishedFigure& open = record.published_figures[0];
    EXPECT_EQ(open.name, "open");
    EXPECT_EQ(open.period, "2021-03");
    EXPECT_EQ(open.kind, "count");
    EXPECT_EQ(open.published, 18.0);
    EXPECT_EQ(open.targets_file, data("minimal-targets.yaml"));
    ASSERT_EQ(open.model.size(), 3u);
    EXPECT_EQ(record.published_figures[1].period, "2020-04 to 2021-03");
}

TEST(RunRecords, AShorterHorizonReportsFewerMonths) {
    const ScenarioRun run(data("minimal.yaml"), 1.0);
    EXPECT_EQ(run.scenario().time.horizon_years, 1.0);
    const RunSettings settings{2, 1, 1, ""};
    const output::RunRecord record = run.record(settings, run.replications(settings), {});
    EXPECT_EQ(record.months.size(), 12u);
    EXPECT_EQ(record.years.size(), 1u);
    EXPECT_EQ(record.annual[0].values.size(), 2u);
}

TEST(RunRecords, ReplicationsAreToldAsTheyFinish) {
    const ScenarioRun run(data("minimal.yaml"), 1.0);
    std::vector<std::uint64_t> told;
    std::mutex mutex;
    run.replications({4, 1, 2, ""}, [&](std::uint64_t done) {
        const std::lock_guard<std::mutex> lock(mutex);
        told.push_back(done);
    });
    std::sort(told.begin(), told.end());
    EXPECT_EQ(told, (std::vector<std::uint64_t>{0, 1, 2, 3, 4}));
}

TEST(RunRecords, AnOptionsNotesFollowItsBaselinesAndAreNamedAsChanges) {
    const std::filesystem::path folder = testing::fresh_folder();
    std::ifstream in(data("minimal.yaml"));
    std::stringstream minimal;
    minimal << in.rdbuf();
    // Every value of the baseline, and the option's one number, marked as assumed.
    std::ofstream(folder / "base.yaml") << "# assumed: made up for a test\n"
                                        << minimal.str().substr(minimal.str().find('\n') + 1);
    std::ofstream(folder / "option.yaml")
        << "extends: base.yaml\nname: more\nchanges:\n"
           "  - team_fte: {locality: Central, role: family_support, add: 1}  # assumed\n";
    const ScenarioNotes baseline = read_scenario_notes((folder / "base.yaml").string(), false);
    const ScenarioNotes alone = read_scenario_notes((folder / "option.yaml").string(), false);
    const ScenarioNotes both = read_scenario_notes((folder / "option.yaml").string(), true);
    ASSERT_FALSE(baseline.assumptions.empty());
    ASSERT_FALSE(alone.assumptions.empty());
    ASSERT_EQ(both.assumptions.size(), baseline.assumptions.size() + alone.assumptions.size());
    for (std::size_t i = 0; i < both.assumptions.size(); ++i) {
        const bool of_option = i >= baseline.assumptions.size();
        const std::string expected = of_option
                                         ? "option: " + alone.assumptions[i - baseline.assumptions.size()].parameter
                                         : baseline.assumptions[i].parameter;
        EXPECT_EQ(both.assumptions[i].parameter, expected);
    }
    EXPECT_EQ(both.changes_in_words.size(), 1u);
    EXPECT_EQ(both.changes_in_words, alone.changes_in_words);
    EXPECT_TRUE(read_scenario_notes((folder / "no-such-file.yaml").string(), true).assumptions.empty());
}

TEST(RunRecords, ADifferenceRecordSubtractsReplicationByReplication) {
    output::RunRecord option, baseline;
    option.metadata.scenario_name = "more staff";
    baseline.metadata.scenario_name = "baseline";
    option.annual = {{"cost_total", "GBP", "total cost", {5.0, 7.5, std::nan("")}}};
    baseline.annual = {{"cost_total", "GBP", "total cost", {4.0, 8.0, 1.0}}};
    const output::RunRecord difference = difference_record(option, baseline);
    EXPECT_EQ(difference.metadata.scenario_name, "more staff minus baseline");
    ASSERT_EQ(difference.annual[0].values.size(), 3u);
    EXPECT_EQ(difference.annual[0].values[0], 1.0);
    EXPECT_EQ(difference.annual[0].values[1], -0.5);
    EXPECT_TRUE(std::isnan(difference.annual[0].values[2]));
    EXPECT_EQ(difference.annual[0].description, "option minus baseline, paired by replication: total cost");
    baseline.annual[0].values.pop_back();
    EXPECT_THROW(difference_record(option, baseline), std::logic_error);
}

// The summaries the terminal tables print (the kernel's statistics of a finished sample).
TEST(ReplicationSummaries, LeaveOutUndefinedValues) {
    using kernel::mean_of_finite;
    const auto quantile = [](std::vector<double> values, double q) {
        return kernel::quantile_of_finite(std::move(values), q);
    };
    const std::vector<double> values{4.0, std::nan(""), 1.0, 3.0, 2.0, INFINITY};
    EXPECT_EQ(mean_of_finite(values), 2.5);
    EXPECT_EQ(quantile(values, 0.0), 1.0);
    EXPECT_EQ(quantile(values, 0.5), 2.5);
    EXPECT_EQ(quantile(values, 1.0), 4.0);
    EXPECT_DOUBLE_EQ(quantile(values, 0.05), 1.15);
    EXPECT_TRUE(std::isnan(mean_of_finite({std::nan("")})));
    EXPECT_TRUE(std::isnan(quantile({}, 0.5)));
}

}  // namespace
}  // namespace ehsim::experiment
