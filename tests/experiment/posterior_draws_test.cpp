// Posterior draws: one parameter set per replication, the same for every option of it, and a function of
// the seed and the replication only.
#include "sim/experiment/posterior_draws.hpp"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

#include "output/inference_data_writer.hpp"
#include "sim/experiment/comparison.hpp"
#include "sim/experiment/scenario_run.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "tests/experiment/experiment_support.hpp"

namespace ehsim::experiment {
namespace {

using testing::data;

constexpr double kIncidence[] = {0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08};
constexpr double kNeedsMet[] = {0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85};

// A calibration file whose posterior has eight draws of two parameters of minimal.yaml.
std::string write_posterior() {
    const std::string path = (testing::fresh_folder() / "posterior.h5").string();
    const auto variable = [](const char* name, const double(&values)[8]) {
        return output::InferenceVariable{name, {"chain", "draw"}, {1, 8}, {std::begin(values), std::end(values)}, ""};
    };
    output::InferenceData data;
    data.groups = {{"posterior",
                    {variable("need.incidence_level_3_per_family_per_year", kIncidence),
                     variable("early_help.needs_met_probability", kNeedsMet)},
                    {},
                    {}}};
    data.attributes = {{"format", "ehsim-calibration"}};
    output::write_inference_data(data, path);
    return path;
}

TEST(ParameterDraws, EveryScenarioOfAReplicationTakesTheSameDraw) {
    const std::string posterior = write_posterior();
    const ParameterDraws draws(posterior, {data("minimal.yaml"), data("dated-option.yaml")}, kernel::RandomStreams(5));
    ASSERT_TRUE(draws.active());
    std::set<std::size_t> seen;
    for (std::uint64_t replication = 0; replication < 24; ++replication) {
        const std::size_t draw = draws.draw_of(replication);
        ASSERT_LT(draw, 8u);
        seen.insert(draw);
        const std::vector<model::Scenario> scenarios = draws.scenarios(replication);
        ASSERT_EQ(scenarios.size(), 2u);
        for (const model::Scenario& scenario : scenarios) {
            EXPECT_EQ(scenario.need.incidence_level_3_per_family_per_year, kIncidence[draw]);
            EXPECT_EQ(scenario.early_help.needs_met_probability, kNeedsMet[draw]);
        }
        EXPECT_EQ(scenarios[0].name, "minimal");
        EXPECT_EQ(scenarios[1].name, "dated");  // the option is rebuilt on its drawn baseline
        EXPECT_EQ(scenarios[1].parameter_changes.size(),
                  scenario::load_option_file(data("dated-option.yaml")).scenario.parameter_changes.size());
    }
    EXPECT_GE(seen.size(), 5u) << "24 replications should reach most of the 8 draws";
}

TEST(ParameterDraws, DependOnTheSeedAndTheReplicationOnly) {
    const std::string posterior = write_posterior();
    const ParameterDraws a(posterior, {data("minimal.yaml")}, kernel::RandomStreams(5));
    const ParameterDraws b(posterior, {data("minimal.yaml"), data("no-change-option.yaml")}, kernel::RandomStreams(5));
    const ParameterDraws other_seed(posterior, {data("minimal.yaml")}, kernel::RandomStreams(6));
    std::size_t differ = 0;
    for (std::uint64_t replication = 40; replication-- > 0;) {  // asked in another order
        EXPECT_EQ(a.draw_of(replication), b.draw_of(replication));
        if (a.draw_of(replication) != other_seed.draw_of(replication)) ++differ;
    }
    EXPECT_GT(differ, 10u);
}

// The draws ehsim makes (the stream "posterior draw" of each replication), pinned: a run on a posterior
// must keep drawing the same parameter sets, or every posterior result changes.
TEST(ParameterDraws, AreTheDrawsEhsimMakes) {
    const ParameterDraws draws(write_posterior(), {data("minimal.yaml")}, kernel::RandomStreams(15));
    std::vector<std::size_t> first;
    for (std::uint64_t replication = 0; replication < 12; ++replication) first.push_back(draws.draw_of(replication));
    EXPECT_EQ(first, (std::vector<std::size_t>{0, 2, 5, 3, 1, 0, 3, 4, 0, 4, 3, 1}));
}

TEST(ParameterDraws, WithoutAFileTheScenariosKeepTheirOwnValues) {
    const ParameterDraws none("", {data("minimal.yaml")}, kernel::RandomStreams(5));
    EXPECT_FALSE(none.active());
    const RunSettings settings{3, 5, 2, ""};
    const ScenarioRun run(data("minimal.yaml"));
    const auto results = run.replications(settings);
    for (std::uint64_t replication = 0; replication < 3; ++replication)
        EXPECT_TRUE(testing::same_results(
            results[replication], model::EarlyHelpModel(run.scenario(), kernel::RandomStreams(5), replication).run()));
}

TEST(ParameterDraws, ARunOnAPosteriorRunsEachReplicationOnItsDraw) {
    const std::string posterior = write_posterior();
    const RunSettings settings{4, 5, 3, posterior};
    const ScenarioRun run(data("minimal.yaml"));
    const auto results = run.replications(settings);
    const kernel::RandomStreams streams(5);
    const ParameterDraws draws(posterior, {data("minimal.yaml")}, streams);
    for (std::uint64_t replication = 0; replication < 4; ++replication) {
        const auto alone = model::EarlyHelpModel(draws.scenarios(replication).front(), streams, replication).run();
        EXPECT_TRUE(testing::same_results(results[replication], alone)) << "replication " << replication;
        EXPECT_FALSE(testing::same_results(results[replication],
                                           model::EarlyHelpModel(run.scenario(), streams, replication).run()));
    }
    EXPECT_EQ(run.record(settings, results, {}).metadata.posterior_file, posterior);
}

TEST(ParameterDraws, AComparisonOnAPosteriorDoesNotDependOnTheThreadCount) {
    const std::string posterior = write_posterior();
    const ComparedScenarios compared = load_comparison(scenario::load_scenario_file(data("minimal.yaml")),
                                                       data("minimal.yaml"), {data("dated-option.yaml")});
    const ComparisonRecords one = run_comparison(compared, {4, 5, 1, posterior}, {});
    const ComparisonRecords three = run_comparison(compared, {4, 5, 3, posterior}, {});
    const ComparisonRecords own = run_comparison(compared, {4, 5, 3, ""}, {});
    for (std::size_t k = 0; k < 2; ++k) {
        EXPECT_TRUE(testing::same_values(one.records[k], three.records[k]));
        EXPECT_FALSE(testing::same_values(one.records[k], own.records[k])) << "the posterior was not used";
        EXPECT_EQ(one.records[k].metadata.posterior_file, posterior);
    }
}

TEST(ParameterDraws, AMissingPosteriorIsOneLineNamingIt) {
    try {
        ParameterDraws(data("no-such-posterior.h5"), {data("minimal.yaml")}, kernel::RandomStreams(5));
        FAIL() << "a missing posterior was accepted";
    } catch (const std::runtime_error& error) {
        EXPECT_EQ(std::string(error.what()), data("no-such-posterior.h5") + ": no such file");
    }
}

}  // namespace
}  // namespace ehsim::experiment
