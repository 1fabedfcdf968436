// The calibrate and predict workflows: results that depend on the seed and never on the thread count, and a
// calibration file whose posterior runs can draw from.
#include "sim/experiment/calibration_run.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "output/inference_data_reader.hpp"
#include "sim/calibration/recovery.hpp"
#include "sim/experiment/calibration_results.hpp"
#include "sim/experiment/targets_discovery.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "tests/experiment/experiment_support.hpp"

namespace ehsim::experiment {
namespace {

using testing::data;

CalibrationOutcome calibrate_minimal(unsigned threads) {
    const Calibration calibration(data("minimal-calibration.yaml"));
    CalibrationOverrides overrides;
    overrides.threads = threads;
    overrides.particles = 20;
    const calibration::AbcSettings settings = calibration.settings(overrides);
    calibration.check(settings);
    return calibration.run(settings, std::nullopt, false, 10);
}

TEST(Calibration, TheOutcomeDoesNotDependOnTheThreadCount) {
    const CalibrationOutcome one = calibrate_minimal(1);
    const CalibrationOutcome three = calibrate_minimal(3);
    ASSERT_EQ(one.chosen.size(), 20u);
    EXPECT_EQ(one.chosen, three.chosen);
    EXPECT_TRUE(testing::same_bits(one.result.population.values, three.result.population.values));
    EXPECT_TRUE(testing::same_bits(one.result.population.weights, three.result.population.weights));
    ASSERT_EQ(one.predicted.size(), 10u);
    for (std::size_t run = 0; run < one.predicted.size(); ++run) {
        ASSERT_EQ(one.predicted[run].size(), 3u);
        EXPECT_TRUE(testing::same_bits(one.predicted[run], three.predicted[run])) << "predictive run " << run;
    }
    EXPECT_EQ(one.result.history.size(), 2u);  // the set-up's maximum_generations
}

TEST(Calibration, SettingsTakeTheOverridesAndASaltOfWhatDecidesTheResult) {
    const Calibration calibration(data("minimal-calibration.yaml"));
    EXPECT_EQ(calibration.scenario().name, "minimal");
    EXPECT_EQ(calibration.targets().council, "Minimal Council");
    CalibrationOverrides overrides;
    overrides.threads = 3;
    overrides.budget_minutes = 2.0;
    overrides.checkpoint_file = "somewhere.checkpoint";
    const calibration::AbcSettings settings = calibration.settings(overrides);
    EXPECT_EQ(settings.particles, 30u);  // the set-up file's
    EXPECT_EQ(settings.seed, 3u);
    EXPECT_EQ(settings.threads, 3u);
    EXPECT_EQ(settings.wall_time_budget_seconds, 120.0);
    EXPECT_EQ(settings.checkpoint_file, "somewhere.checkpoint");
    EXPECT_NE(settings.salt, 0u);
    EXPECT_EQ(settings.salt, calibration.settings({}).salt);
    overrides.particles = 1;
    EXPECT_THROW(calibration.check(calibration.settings(overrides)), std::invalid_argument);
}

// A coverage study's pieces: the truth is the scenario's own values in the set-up's order, and the same set-up
// on synthetic figures with another seed fits those figures (its targets) with that seed everywhere.
TEST(Calibration, ASetUpReadsItsScenariosValuesAndFitsSyntheticFiguresWithAnotherSeed) {
    const Calibration base(data("minimal-calibration.yaml"));
    model::Scenario scenario = scenario::load_scenario_file(data("minimal.yaml"));
    const std::vector<double> truth = base.scenario_values();
    ASSERT_EQ(truth.size(), 2u);
    EXPECT_EQ(truth[0], scenario.need.incidence_level_3_per_family_per_year);
    EXPECT_EQ(truth[1], scenario.early_help.needs_met_probability);
    const std::vector<double> figures = base.model().simulate(truth, 3'000'000, 0);
    const Calibration synthetic(data("minimal-calibration.yaml"),
                                calibration::synthetic_targets(base.targets(), figures), 99);
    for (std::size_t k = 0; k < figures.size(); ++k)
        EXPECT_EQ(synthetic.targets().targets[k].value, figures[k]) << synthetic.targets().targets[k].name;
    EXPECT_EQ(synthetic.settings({}).seed, 99u);
    EXPECT_NE(synthetic.model().simulate(truth, 0, 0), base.model().simulate(truth, 0, 0));
}

TEST(Calibration, ItsResultsAreAPosteriorThatRunsCanDrawFrom) {
    const Calibration calibration(data("minimal-calibration.yaml"));
    CalibrationOverrides overrides;
    overrides.threads = 2;
    overrides.particles = 20;
    const calibration::AbcSettings settings = calibration.settings(overrides);
    const CalibrationOutcome outcome = calibration.run(settings, std::nullopt, false, 10);
    const output::InferenceData results = calibration_results(calibration, settings, outcome);
    std::vector<std::string> groups;
    for (const output::InferenceGroup& group : results.groups) groups.push_back(group.name);
    EXPECT_EQ(groups, (std::vector<std::string>{"posterior", "prior", "sample_stats", "posterior_predictive",
                                                "observed_data", "constant_data", "abc_particles", "abc_generations"}));
    EXPECT_NO_THROW(output::validate_inference_data(results));
    EXPECT_EQ(results.attributes.front(), (std::pair<std::string, std::string>{"format", "ehsim-calibration"}));

    const std::string file = (testing::fresh_folder() / "posterior.h5").string();
    output::write_inference_data(results, file);
    const output::PosteriorDraws posterior = output::read_posterior(file);
    ASSERT_EQ(posterior.parameters.size(), 2u);
    ASSERT_EQ(posterior.draws, 20u);
    for (std::size_t p = 0; p < 2; ++p) {
        const std::size_t column = posterior.parameters[p] == calibration.setup().parameters[0].path ? 0 : 1;
        const std::vector<double> resampled = outcome.resampled(column);
        for (std::size_t draw = 0; draw < 20; ++draw) EXPECT_EQ(posterior.value(draw, p), resampled[draw]);
    }
}

TEST(Calibration, HistoryMatchingFirstKeepsEveryParticleInsideTheSpaceItLeavesAndIsRecorded) {
    const Calibration calibration(data("minimal-calibration.yaml"));
    CalibrationOverrides overrides;
    overrides.threads = 2;
    overrides.particles = 20;
    EXPECT_FALSE(calibration.history_matching(overrides));  // the set-up file has no history_matching section
    overrides.history_match = true;
    std::optional<calibration::HistoryMatchingSettings> matching = calibration.history_matching(overrides);
    ASSERT_TRUE(matching);
    EXPECT_EQ(matching->seed, 3u);  // the set-up's
    matching->maximum_waves = 2;
    matching->volume_samples = 2000;
    const calibration::AbcSettings settings = calibration.settings(overrides);
    const CalibrationOutcome outcome = calibration.run(settings, matching, false, 10);
    ASSERT_TRUE(outcome.history_matching);
    const calibration::HistoryMatchingResult& matched = *outcome.history_matching;
    ASSERT_GE(matched.waves.size(), 1u);
    EXPECT_EQ(matched.waves.front().design.rows(), 20);  // ten per parameter
    EXPECT_EQ(matched.simulations, 40u * matched.waves.size());
    const calibration::Population& population = outcome.result.population;
    for (std::size_t i = 0; i < population.size(); ++i)
        EXPECT_TRUE(matched.contains({population.value(i, 0), population.value(i, 1)})) << i;
    const output::InferenceData results = calibration_results(calibration, settings, outcome);
    EXPECT_NO_THROW(output::validate_inference_data(results));
    EXPECT_EQ(results.groups[results.groups.size() - 2].name, "history_matching_waves");
    EXPECT_EQ(results.groups.back().name, "history_matching_runs");
    // Without it (the set-up's default), ABC-SMC starts from the prior.
    const CalibrationOutcome from_prior = calibration.run(settings, std::nullopt, false, 10);
    EXPECT_FALSE(from_prior.history_matching);
}

// A figure shown but not fitted: history matching neither emulates nor cuts on it (its waves name the fitted
// figures only), the posterior-predictive runs still give it, and the file says why it was not fitted.
TEST(Calibration, AFigureNotFittedIsPredictedButNeitherMatchedNorFitted) {
    const std::filesystem::path root = testing::fresh_folder();
    std::filesystem::copy_file(data("minimal.yaml"), root / "minimal.yaml");
    std::ifstream in(data("minimal-targets.yaml"));
    std::stringstream targets;
    targets << in.rdbuf();
    std::string text = targets.str();
    const std::string last = "source: \"tests: made up\"}";
    text.replace(text.rfind(last), last.size(),
                 "source: \"tests: made up\", not_fitted: \"counted otherwise\", known_gap: \"a gap\"}");
    std::ofstream(root / "minimal-targets.yaml") << text;
    std::ifstream setup_in(data("minimal-calibration.yaml"));
    std::stringstream setup;
    setup << setup_in.rdbuf();
    std::ofstream(root / "minimal-calibration.yaml") << setup.str();
    const Calibration calibration((root / "minimal-calibration.yaml").string());
    ASSERT_EQ(calibration.targets().targets.back().not_fitted, "counted otherwise");
    CalibrationOverrides overrides;
    overrides.threads = 2;
    overrides.particles = 20;
    overrides.history_match = true;
    std::optional<calibration::HistoryMatchingSettings> matching = calibration.history_matching(overrides);
    matching->maximum_waves = 1;
    matching->volume_samples = 2000;
    const calibration::AbcSettings settings = calibration.settings(overrides);
    const CalibrationOutcome outcome = calibration.run(settings, matching, false, 10);
    ASSERT_TRUE(outcome.history_matching);
    EXPECT_EQ(outcome.history_matching->waves.front().means.cols(), 2);  // the two fitted figures
    ASSERT_EQ(outcome.predicted.front().size(), 3u);                     // all three predicted
    const output::InferenceData results = calibration_results(calibration, settings, outcome);
    EXPECT_NO_THROW(output::validate_inference_data(results));
    bool said = false, gap_said = false;
    for (const auto& group : results.groups) {
        if (group.name == "history_matching_waves")
            for (const auto& [name, values] : group.coordinates)
                if (name == "target") {
                    EXPECT_EQ(values, (std::vector<std::string>{"open", "requests"}));
                }
        if (group.name == "observed_data")
            for (const auto& [key, value] : group.attributes) {
                if (key == "not_fitted:met") said = value == "counted otherwise";
                if (key == "known_gap:met") gap_said = value == "a gap";
            }
    }
    EXPECT_TRUE(said);
    EXPECT_TRUE(gap_said);
}

// A run draws from a posterior in the nearest calibration/posteriors folder only when it was fitted to this very
// scenario file; one fitted to an earlier version of the file is named as stale, not used.
TEST(ShippedPosterior, IsUsedOnlyForTheScenarioFileItWasFittedTo) {
    const std::filesystem::path root = testing::fresh_folder();
    std::filesystem::create_directories(root / "calibration" / "targets");
    std::filesystem::create_directories(root / "calibration" / "posteriors");
    std::filesystem::create_directories(root / "scenarios");
    const std::string scenario = (root / "scenarios" / "minimal.yaml").string();
    std::filesystem::copy_file(data("minimal.yaml"), scenario);
    EXPECT_EQ(shipped_posterior(scenario).file, "");  // no posterior yet

    const Calibration calibration(data("minimal-calibration.yaml"));
    CalibrationOverrides overrides;
    overrides.particles = 20;
    const calibration::AbcSettings settings = calibration.settings(overrides);
    output::InferenceData results =
        calibration_results(calibration, settings, calibration.run(settings, std::nullopt, false, 10));
    for (auto& [name, value] : results.attributes) {
        if (name == "scenario_file") value = scenario;
        if (name == "scenario_fnv1a64") value = file_hash(scenario);
    }
    const std::string posterior = (root / "calibration" / "posteriors" / "minimal.h5").string();
    output::write_inference_data(results, posterior);
    const ShippedPosterior fitted = shipped_posterior(scenario);
    EXPECT_TRUE(std::filesystem::equivalent(fitted.file, posterior)) << fitted.file;
    EXPECT_EQ(fitted.stale, "");

    std::ofstream(scenario, std::ios::app) << "# a comment changes the file: the posterior no longer fits it\n";
    const ShippedPosterior stale = shipped_posterior(scenario);
    EXPECT_EQ(stale.file, "");
    EXPECT_TRUE(std::filesystem::equivalent(stale.stale, posterior)) << stale.stale;
    // A copy of the file as it was fitted uses it (what decides is the content); another scenario beside it
    // neither uses it nor is told about it.
    const std::string copy = (root / "scenarios" / "copy.yaml").string();
    std::filesystem::copy_file(data("minimal.yaml"), copy);
    EXPECT_TRUE(std::filesystem::equivalent(shipped_posterior(copy).file, posterior));
    const std::string other = (root / "scenarios" / "other.yaml").string();
    std::filesystem::copy_file(data("minimal.yaml"), other);
    std::ofstream(other, std::ios::app) << "# another scenario\n";
    EXPECT_EQ(shipped_posterior(other).file, "");
    EXPECT_EQ(shipped_posterior(other).stale, "");
}

TEST(Prediction, DependsOnTheSeedAndNotOnTheThreadCount) {
    const Prediction one = predict(data("minimal-targets.yaml"), data("minimal.yaml"), "", 6, 4, 1);
    const Prediction three = predict(data("minimal-targets.yaml"), data("minimal.yaml"), "", 6, 4, 3);
    const Prediction other_seed = predict(data("minimal-targets.yaml"), data("minimal.yaml"), "", 6, 5, 3);
    EXPECT_FALSE(one.drawn);
    EXPECT_EQ(one.targets.targets.size(), 3u);
    ASSERT_EQ(one.predicted.size(), 6u);
    std::size_t differ = 0;
    for (std::size_t run = 0; run < 6; ++run) {
        EXPECT_TRUE(testing::same_bits(one.predicted[run], three.predicted[run]));
        differ += !testing::same_bits(one.predicted[run], other_seed.predicted[run]);
    }
    EXPECT_GT(differ, 0u);
}

TEST(Prediction, RefusesAScenarioThatEndsBeforeTheFigures) {
    std::ifstream in(data("minimal.yaml"));
    std::stringstream text;
    text << in.rdbuf();
    std::string scenario = text.str();
    scenario.replace(scenario.find("horizon_years: 2"), 16, "horizon_years: 0.5");
    const std::string file = (testing::fresh_folder() / "short.yaml").string();
    std::ofstream(file) << scenario;
    try {
        predict(data("minimal-targets.yaml"), file, "", 3, 1, 1);
        FAIL() << "a scenario too short for its figures was accepted";
    } catch (const scenario::ScenarioError& error) {
        EXPECT_EQ(std::string(error.what()),
                  file + ": its 6 reported months end before " + data("minimal-targets.yaml") + " needs (12)");
    }
}

TEST(FigureFits, SetEachPublishedFigureBesideTheModelsInterval) {
    calibration::TargetsFile targets;
    targets.targets.resize(2);
    targets.targets[0].lower = targets.targets[0].upper = 15.0;  // inside [1.95, 19.05]
    targets.targets[1].lower = 30.0;                             // a range above the interval
    targets.targets[1].upper = 40.0;
    std::vector<std::vector<double>> predicted;
    for (int run = 1; run <= 20; ++run) predicted.push_back({static_cast<double>(run), static_cast<double>(run)});
    const std::vector<FigureFit> fits = figure_fits(targets, predicted);
    ASSERT_EQ(fits.size(), 2u);
    EXPECT_DOUBLE_EQ(fits[0].low, 1.95);
    EXPECT_DOUBLE_EQ(fits[0].median, 10.5);
    EXPECT_DOUBLE_EQ(fits[0].high, 19.05);
    EXPECT_TRUE(fits[0].inside);
    EXPECT_FALSE(fits[1].inside);
}

}  // namespace
}  // namespace ehsim::experiment
