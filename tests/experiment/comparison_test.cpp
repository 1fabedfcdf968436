// Comparisons on common random numbers: branching options from their baseline changes no result, an option
// that changes nothing differs by exactly zero, and nothing depends on the thread count.
#include "sim/experiment/comparison.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "sim/experiment/paired_effects.hpp"
#include "sim/scenario/option_loader.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "tests/experiment/experiment_support.hpp"

namespace ehsim::experiment {
namespace {

using testing::data;

ComparedScenarios minimal_with(const std::vector<std::string>& options) {
    std::vector<std::string> files;
    for (const std::string& option : options) files.push_back(data(option));
    return load_comparison(scenario::load_scenario_file(data("minimal.yaml")), data("minimal.yaml"), files);
}

RunSettings settings(std::uint64_t replications, unsigned threads) { return {replications, 7, threads, ""}; }

TEST(Comparison, AnOptionWithoutChangesDiffersByExactlyZero) {
    const ComparisonRecords compared = run_comparison(minimal_with({"no-change-option.yaml"}), settings(4, 2), {});
    ASSERT_EQ(compared.records.size(), 2u);
    ASSERT_EQ(compared.differences.size(), 1u);
    const output::RunRecord& difference = compared.differences[0];
    EXPECT_EQ(difference.metadata.scenario_name, "no-change minus minimal");
    std::size_t finite = 0;
    for (const auto* series : {&difference.monthly, &difference.annual, &difference.by_locality})
        for (const output::Indicator& indicator : *series)
            for (const double value : indicator.values) {
                if (std::isnan(value)) continue;  // a rate undefined in both
                EXPECT_EQ(value, 0.0) << indicator.name;
                ++finite;
            }
    EXPECT_GT(finite, 1000u);
    EXPECT_TRUE(testing::same_values(compared.records[0], compared.records[1]));
}

TEST(Comparison, AnOptionBranchedFromItsBaselineEqualsTheOptionRunAlone) {
    const ComparedScenarios compared = minimal_with({"dated-option.yaml", "no-change-option.yaml"});
    ASSERT_EQ(compared.scenarios.size(), 3u);
    const model::Scenario dated = scenario::load_option_file(data("dated-option.yaml")).scenario;
    ASSERT_GT(model::EarlyHelpModel::first_change_day(dated), 0.0);  // a change from the start as well
    const kernel::RandomStreams streams(7);
    const ParameterDraws none("", compared.files, streams);
    const auto branched = run_on_common_random_numbers(compared.scenarios, none, streams, 3, 2);
    ASSERT_EQ(branched.size(), 3u);
    for (std::uint64_t replication = 0; replication < 3; ++replication) {
        ASSERT_EQ(branched[replication].size(), 3u);
        const auto alone = model::EarlyHelpModel(dated, streams, replication).run();
        EXPECT_TRUE(testing::same_results(branched[replication][1], alone)) << "replication " << replication;
        const auto baseline = model::EarlyHelpModel(compared.scenarios[0], streams, replication).run();
        EXPECT_TRUE(testing::same_results(branched[replication][0], baseline)) << "replication " << replication;
        EXPECT_FALSE(testing::same_results(branched[replication][1], baseline)) << "the option changes something";
    }
}

TEST(Comparison, ResultsDoNotDependOnTheThreadCount) {
    const ComparedScenarios compared = minimal_with({"dated-option.yaml", "no-change-option.yaml"});
    const ComparisonRecords one = run_comparison(compared, settings(5, 1), {});
    const ComparisonRecords four = run_comparison(compared, settings(5, 4), {});
    ASSERT_EQ(one.records.size(), four.records.size());
    for (std::size_t k = 0; k < one.records.size(); ++k)
        EXPECT_TRUE(testing::same_values(one.records[k], four.records[k])) << compared.files[k];
    for (std::size_t k = 0; k < one.differences.size(); ++k)
        EXPECT_TRUE(testing::same_values(one.differences[k], four.differences[k]));
}

TEST(Comparison, RecordsNameTheirFilesAndTheBaselineKeepsThePublishedFigures) {
    const ComparedScenarios compared = minimal_with({"dated-option.yaml"});
    const auto targets = calibration::load_targets_file(data("minimal-targets.yaml"));
    const ComparisonRecords records = run_comparison(compared, settings(3, 2), {targets});
    EXPECT_EQ(records.records[0].metadata.scenario_file, data("minimal.yaml"));
    EXPECT_EQ(records.records[1].metadata.scenario_file, data("dated-option.yaml"));
    EXPECT_EQ(records.records[1].metadata.scenario_name, "dated");
    EXPECT_EQ(records.records[0].published_figures.size(), 3u);
    EXPECT_TRUE(records.records[1].published_figures.empty());
    EXPECT_EQ(records.records[1].metadata.changes_in_words.size(), 2u);
}

TEST(Comparison, RefusesAnOptionOfAnotherBaseline) {
    try {
        minimal_with({"other-baseline-option.yaml"});
        FAIL() << "an option of another baseline was accepted";
    } catch (const scenario::ScenarioError& error) {
        EXPECT_NE(std::string(error.what()).find("other-baseline-option.yaml: extends "), std::string::npos);
        EXPECT_NE(std::string(error.what()).find(", not the baseline "), std::string::npos);
    }
}

TEST(Comparison, RefusesANameUsedTwice) {
    try {
        minimal_with({"no-change-option.yaml", "no-change-option.yaml"});
        FAIL() << "two options of one name were accepted";
    } catch (const scenario::ScenarioError& error) {
        EXPECT_NE(std::string(error.what()).find("name 'no-change' is used twice"), std::string::npos);
    }
}

TEST(PairedEffects, AnOptionWithoutChangesHasNoEffectInAnyYear) {
    const ComparisonRecords compared = run_comparison(minimal_with({"no-change-option.yaml"}), settings(4, 2), {});
    const std::vector<EffectsByYear> effects = paired_effects(compared.records);
    ASSERT_EQ(effects.size(), 2u);
    ASSERT_EQ(effects[1].size(), 2u);  // two reported years
    std::size_t defined = 0;
    for (const auto& year : effects[1])
        for (const PairedEffect& effect : year) {
            if (std::isnan(effect.difference_mean)) continue;
            EXPECT_EQ(effect.difference_mean, 0.0);
            EXPECT_EQ(effect.difference_half_width, 0.0);
            EXPECT_EQ(effect.probability_lower, 0.0);  // no difference is not "fewer"
            EXPECT_EQ(effect.baseline_mean, effect.option_mean);
            ++defined;
        }
    EXPECT_GT(defined, 10u);
    const auto rows = summary_rows(compared.records, effects);
    ASSERT_EQ(rows.size(), 2u * kKeyIndicatorCount);
    EXPECT_EQ(rows[0].option, "no-change");
    EXPECT_EQ(rows[0].indicator, kKeyIndicators[0].indicator);
    EXPECT_EQ(rows[0].year, compared.records[0].years[0]);
    EXPECT_EQ(rows[kKeyIndicatorCount].year, compared.records[0].years[1]);
}

TEST(PairedEffects, PairsReplicationsAndLeavesOutUndefinedValues) {
    output::RunRecord baseline, option;
    baseline.years = option.years = {"2020-04 to 2021-03"};
    baseline.metadata.replications = option.metadata.replications = 4;
    baseline.annual = {{"cost_total", "GBP", "", {10, 20, 30, std::nan("")}}};
    option.annual = {{"cost_total", "GBP", "", {9, 21, 27, 5}}};
    const PairedEffect effect = paired_effect(baseline, option, "cost_total", 0);
    EXPECT_DOUBLE_EQ(effect.baseline_mean, 20.0);
    EXPECT_DOUBLE_EQ(effect.option_mean, 19.0);
    EXPECT_DOUBLE_EQ(effect.difference_mean, -1.0);  // -1, +1, -3
    EXPECT_DOUBLE_EQ(effect.probability_lower, 2.0 / 3.0);
    EXPECT_GT(effect.difference_half_width, 0.0);
    EXPECT_THROW(paired_effect(baseline, option, "no_such_indicator", 0), std::logic_error);
}

}  // namespace
}  // namespace ehsim::experiment
