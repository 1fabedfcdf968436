// Targets and calibration set-up files: the shipped ones load, and every kind of mistake is refused with
// one line naming the file, line, column and key.
#include "sim/calibration/calibration_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "sim/calibration/model_calibration.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace ehsim::calibration {
namespace {

const std::string kTarget =
    "  - {name: open, indicator: open_early_help_cases, from: 2020-07, to: 2020-07, kind: count, value: 50,\n"
    "     sampling_error: poisson, discrepancy: 0.1, source: \"a paper, 2.3\"}\n";

std::string targets_error(const std::string& items) {
    try {
        load_targets_text("council: Test Council\ntargets:\n" + items, "targets.yaml");
    } catch (const scenario::ScenarioError& error) {
        const std::string message = error.what();
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
        EXPECT_EQ(message.rfind("targets.yaml:", 0), 0u) << message;
        return message;
    }
    ADD_FAILURE() << "the targets loaded, but they should not have";
    return "";
}

TEST(TargetsFile, TheShippedTargetsLoad) {
    for (const char* file : {"walsall-2016.yaml", "wirral-2018-19.yaml", "wirral-2019-20.yaml", "sandwell-2022-23.yaml",
                             "stockton-2016-17.yaml", "worcestershire-2017-18.yaml"}) {
        const TargetsFile targets = load_targets_file(std::string(EHSIM_SOURCE_DIR "/calibration/targets/") + file);
        EXPECT_GE(targets.targets.size(), 5u) << file;
        for (const Target& target : targets.targets) {
            EXPECT_FALSE(target.source.empty()) << file << " " << target.name;
            EXPECT_GT(target.error_sd(), 0.0) << file << " " << target.name;
        }
    }
}

TEST(TargetsFile, ErrorsComeFromSamplingAndDiscrepancyInQuadrature) {
    const TargetsFile targets = load_targets_text(
        "council: T\ntargets:\n" + kTarget +
            "  - {name: met, indicator: needs_met_pct, from: 2020-04, to: 2021-03, kind: proportion, value: 60,\n"
            "     sampling_error: binomial, denominator: 1000, source: s}\n"
            "  - {name: rate, indicator: children_in_need_per_10000, from: 2021-03, to: 2021-03, kind: "
            "rate_per_10000,\n"
            "     value: 400, sampling_error: poisson, denominator: 50000, discrepancy: 0.1, source: s}\n"
            "  - {name: about, indicator: assessments, from: 2020-04, to: 2020-06, kind: range, lower: 900, upper: "
            "1100,\n"
            "     discrepancy: 0.05, source: s}\n",
        "t.yaml");
    EXPECT_NEAR(targets.targets[0].error_sd(), std::sqrt(50.0 + 25.0), 1e-12);
    EXPECT_NEAR(targets.targets[1].error_sd(), 100 * std::sqrt(0.6 * 0.4 / 1000), 1e-12);
    EXPECT_NEAR(targets.targets[2].error_sd(), std::hypot(std::sqrt(2000.0) * 10000 / 50000, 40.0), 1e-9);
    EXPECT_NEAR(targets.targets[3].error_sd(), 50.0, 1e-12);
    EXPECT_EQ(targets.targets[3].observation().lower, 900);
    EXPECT_EQ(targets.targets[3].observation().upper, 1100);
}

TEST(TargetsFile, AimsUnknownIndicatorsAndMissingSourcesAreRefused) {
    EXPECT_NE(targets_error("  - {name: aim, indicator: needs_met_pct, from: 2020-04, to: 2021-03, kind: proportion,\n"
                            "     value: 80, discrepancy: 0.1, status: aim, source: \"aim by April 2018\"}\n")
                  .find(":4:43: targets[0].status: 'aim' is a council's aim, not an observation: aims are never "
                        "calibration targets"),
              std::string::npos);
    EXPECT_NE(
        targets_error("  - {name: x, indicator: needs_met_percent, from: 2020-04, to: 2021-03, kind: proportion,\n"
                      "     value: 80, discrepancy: 0.1, source: s}\n")
            .find("targets[0].indicator: 'needs_met_percent' is not a reported indicator (docs/indicators.md) "
                  "(did you mean 'needs_met_pct'?)"),
        std::string::npos);
    EXPECT_NE(
        targets_error("  - {name: x, indicator: assessments, from: 2020-04, to: 2021-03, kind: count, value: 80,\n"
                      "     discrepancy: 0.1}\n")
            .find("targets[0].source: required key is missing"),
        std::string::npos);
    EXPECT_NE(targets_error("  - {name: x, indicator: assessments, from: 2020-13, to: 2021-03, kind: count, value: 8,\n"
                            "     discrepancy: 0.1, source: s}\n")
                  .find("targets[0].from: '2020-13' is not a month (YYYY-MM)"),
              std::string::npos);
    EXPECT_NE(targets_error("  - {name: x, indicator: needs_met_pct, from: 2020-04, to: 2021-03, kind: proportion, "
                            "value: 8, sampling_error: binomial, source: s}\n")
                  .find("targets[0].denominator: binomial error needs the cases the % is of"),
              std::string::npos);
    EXPECT_NE(targets_error("  - {name: x, indicator: assessments, from: 2020-04, to: 2021-03, kind: count, value: 8, "
                            "source: s}\n")
                  .find("the figure has no error at all"),
              std::string::npos);
    EXPECT_NE(targets_error(kTarget + kTarget).find("targets[1].name: 'open' is used twice"), std::string::npos);
    EXPECT_NE(targets_error("  - {name: x, indicator: assessments, from: 2020-04, to: 2021-03, kind: count, value: 8,\n"
                            "     discrepancy: 0.1, source: s, sorce: t}\n")
                  .find("targets[0].sorce: unknown key (did you mean 'source'?)"),
              std::string::npos);
}

std::string setup_error(const std::string& parameters, const std::string& extra = "") {
    const std::string text = "scenario: " EHSIM_SOURCE_DIR
                             "/tests/data/minimal.yaml\n"
                             "targets: " EHSIM_SOURCE_DIR
                             "/calibration/targets/walsall-2016.yaml\n"
                             "parameters:\n" +
                             parameters + extra;
    try {
        const CalibrationSetup setup = load_calibration_setup_text(text, "setup.yaml");
        const model::Scenario scenario = scenario::load_scenario_file(setup.scenario_file);
        TargetsFile targets = load_targets_text("council: T\ntargets:\n" + kTarget, "targets.yaml");
        ModelCalibration(scenario, targets, setup.parameters, setup.file, 1);
    } catch (const scenario::ScenarioError& error) {
        return error.what();
    }
    ADD_FAILURE() << "the set-up loaded, but it should not have";
    return "";
}

// Every set-up in calibration/, one per council: it loads, its parameters are numbers of its scenario whose
// priors keep the scenario valid, and it fits DfE's figures as well as its paper's.
// A figure shown but not fitted says why; its observation is marked so, and fitted_targets leaves it out.
TEST(TargetsFile, AFigureNotFittedSaysWhyAndIsLeftOutOfTheFit) {
    const TargetsFile targets = load_targets_text(
        "council: Test Council\ntargets:\n"
        "  - {name: open, indicator: open_early_help_cases, from: 2021-03, to: 2021-03, kind: count, value: 18,\n"
        "     sampling_error: poisson, source: s}\n"
        "  - {name: waiting, indicator: awaiting_assessment, from: 2021-03, to: 2021-03, kind: count, value: 26,\n"
        "     sampling_error: poisson, source: s, not_fitted: \"DfE counts fewer than the model\"}\n",
        "targets.yaml");
    ASSERT_EQ(targets.targets.size(), 2u);
    EXPECT_TRUE(targets.targets[0].observation().fitted);
    EXPECT_FALSE(targets.targets[1].observation().fitted);
    EXPECT_EQ(targets.targets[1].not_fitted, "DfE counts fewer than the model");
    const TargetsFile fitted = fitted_targets(targets);
    ASSERT_EQ(fitted.targets.size(), 1u);
    EXPECT_EQ(fitted.targets[0].name, "open");
    EXPECT_NE(targets_error("  - {name: x, indicator: assessments, from: 2020-04, to: 2021-03, kind: count, value: 8,\n"
                            "     sampling_error: poisson, source: s, not_fitted: \"\"}\n")
                  .find(":4:54: targets[0].not_fitted: must not be empty"),
              std::string::npos);
}

// A figure may say what the model lacks for it; a gap shared through a YAML alias reads the same for each, it
// leaves the figure fitted (it changes no number), and an empty one is refused.
TEST(TargetsFile, AKnownGapIsReadAndChangesNothingElse) {
    const TargetsFile targets = load_targets_text(
        "council: Test Council\ntargets:\n"
        "  - {name: plans, indicator: plans_started, from: 2020-04, to: 2021-03, kind: count, value: 900,\n"
        "     sampling_error: poisson, source: s, known_gap: &recording \"any professional's plan counts\"}\n"
        "  - {name: closures, indicator: closures, from: 2020-04, to: 2021-03, kind: count, value: 800,\n"
        "     sampling_error: poisson, source: s, known_gap: *recording}\n"
        "  - {name: open, indicator: open_early_help_cases, from: 2021-03, to: 2021-03, kind: count, value: 18,\n"
        "     sampling_error: poisson, source: s}\n",
        "targets.yaml");
    ASSERT_EQ(targets.targets.size(), 3u);
    EXPECT_EQ(targets.targets[0].known_gap, "any professional's plan counts");
    EXPECT_EQ(targets.targets[1].known_gap, "any professional's plan counts");
    EXPECT_EQ(targets.targets[2].known_gap, "");
    EXPECT_TRUE(targets.targets[0].observation().fitted);
    EXPECT_EQ(fitted_targets(targets).targets.size(), 3u);
    EXPECT_NE(targets_error("  - {name: x, indicator: assessments, from: 2020-04, to: 2021-03, kind: count, value: 8,\n"
                            "     sampling_error: poisson, source: s, known_gap: \"\"}\n")
                  .find(":4:53: targets[0].known_gap: must not be empty"),
              std::string::npos);
}

TEST(CalibrationSetup, TheShippedSetUpsLoad) {
    // Their algorithms as written (a key read by nobody would fail silently).
    const CalibrationSetup walsall = load_calibration_setup(EHSIM_SOURCE_DIR "/calibration/walsall-2016.yaml");
    EXPECT_EQ(walsall.algorithm.method, AbcMethod::mcmc_moves);
    EXPECT_EQ(walsall.algorithm.kernel_scale, 0.35);
    EXPECT_EQ(walsall.algorithm.unmoved_share, 0.05);
    EXPECT_EQ(walsall.algorithm.maximum_moves, 30u);
    EXPECT_EQ(walsall.algorithm.least_steps_inside, 0.25);
    EXPECT_EQ(walsall.algorithm.minimum_tolerance_change, 0.05);
    EXPECT_TRUE(walsall.algorithm.delayed_acceptance);
    EXPECT_EQ(walsall.algorithm.surrogate_floor, 0.02);
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(EHSIM_SOURCE_DIR "/calibration"))
        if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
    EXPECT_EQ(files.size(), 5u) << "a set-up per council";
    for (const std::string& file : files) {
        const CalibrationSetup setup = load_calibration_setup(file);
        EXPECT_GE(setup.parameters.size(), 6u) << file;
        EXPECT_TRUE(setup.history_matching) << file;
        bool social_care = false;
        for (const UncertainParameter& parameter : setup.parameters)
            social_care = social_care || parameter.path.starts_with("social_care.");
        EXPECT_TRUE(social_care) << file << ": DfE's figures are targets, so social care's parameters are uncertain";
        const model::Scenario scenario = scenario::load_scenario_file(setup.scenario_file);
        EXPECT_NO_THROW(ModelCalibration(scenario, load_targets_file(setup.targets_file), setup.parameters, file, 1))
            << file;
    }
}

// A calibration runs only the months its figures need: a dated change of the scenario after them is
// dropped, not refused as outside the shortened horizon.
TEST(CalibrationSetup, DatedChangesAfterTheFiguresAreDropped) {
    std::string text =
        scenario::resolved_yaml(scenario::load_scenario_file(EHSIM_SOURCE_DIR "/tests/data/minimal.yaml"));
    // `changes` is the resolved scenario's last section: replace it.
    const std::size_t at = text.find("\nchanges:");
    ASSERT_NE(at, std::string::npos);
    text = text.substr(0, at) +
           "\nchanges:\n  - {date: 2021-09-01, team_locality: Central, team_role: family_support, team_fte: 3}\n";
    const model::Scenario scenario = scenario::load_scenario_text(text, "dated.yaml");
    ASSERT_EQ(scenario.changes.size(), 1u);
    const TargetsFile targets = load_targets_text("council: T\ntargets:\n" + kTarget, "targets.yaml");
    std::vector<UncertainParameter> parameters(1);
    parameters[0].path = "early_help.needs_met_probability";
    parameters[0].prior = Prior{PriorKind::uniform, 0, 0, 0.2, 1.0};
    const ModelCalibration model(scenario, targets, parameters, "setup.yaml", 1);
    EXPECT_EQ(model.months_needed(), 4);  // April to July 2020
    EXPECT_EQ(model.simulate({0.75}, 0, 0).size(), 1u);
}

TEST(CalibrationSetup, MistakesAreNamed) {
    EXPECT_NE(
        setup_error("  - {path: need.incidence_level_3_per_family_per_yer, prior: {distribution: uniform, "
                    "lower: 0, upper: 1}}\n")
            .find("setup.yaml:4:5: parameters[0].path: the scenario has no 'need.incidence_level_3_per_family_per_yer' "
                  "(did you mean 'incidence_level_3_per_family_per_year'?)"),
        std::string::npos);
    EXPECT_NE(setup_error("  - {path: early_help.lead_professional_shares, prior: {distribution: uniform, lower: 0, "
                          "upper: 1}}\n")
                  .find("'early_help.lead_professional_shares' is not a number of the scenario"),
              std::string::npos);
    EXPECT_NE(setup_error("  - {path: early_help.needs_met_probability, prior: {distribution: uniform, lower: 0.5, "
                          "upper: 1.5}}\n")
                  .find("parameters[0].prior: it reaches 1.5, which makes the scenario invalid: "
                        "early_help.needs_met_probability: 1.5 is out of range"),
              std::string::npos);
    EXPECT_NE(setup_error("  - {path: early_help.needs_met_probability, prior: {distribution: beta, alpha: 2}}\n")
                  .find(":4:53: parameters[0].prior.beta: required key is missing"),
              std::string::npos);
    EXPECT_NE(setup_error("  - {path: early_help.needs_met_probability, prior: {distribution: betta, alpha: 2}}\n")
                  .find("parameters[0].prior.distribution: 'betta' is not one of uniform, log_uniform, normal, beta, "
                        "gamma (did you mean 'beta'?)"),
              std::string::npos);
    EXPECT_NE(setup_error("  - {path: early_help.needs_met_probability, prior: {distribution: uniform, lower: 0.9, "
                          "upper: 0.1}}\n")
                  .find("parameters[0].prior: the lower bound must be below the upper bound"),
              std::string::npos);
    EXPECT_NE(setup_error("  - {path: early_help.needs_met_probability, prior: {distribution: uniform, lower: 0.1, "
                          "upper: 0.9}}\n",
                          "algorithm: {particles: 1, tolerance_quantil: 0.5}\n")
                  .find("algorithm.tolerance_quantil: unknown key (did you mean 'tolerance_quantile'?)"),
              std::string::npos);
    const std::string parameter =
        "  - {path: early_help.needs_met_probability, prior: {distribution: uniform, lower: 0.1, upper: 0.9}}\n";
    EXPECT_NE(setup_error(parameter, "history_matching: {cutof: 3}\n")
                  .find("setup.yaml:5:20: history_matching.cutof: unknown key (did you mean 'cutoff'?)"),
              std::string::npos);
    EXPECT_NE(setup_error(parameter, "history_matching: {implausibility: second}\n")
                  .find("history_matching.implausibility: 'second' is not one of maximum, second_largest"),
              std::string::npos);
    EXPECT_NE(setup_error(parameter, "history_matching: {cutoff: 0}\n").find("history_matching.cutoff: "),
              std::string::npos);
    EXPECT_NE(setup_error(parameter, "history_matching: {replications_per_point: 1.5}\n")
                  .find("history_matching.replications_per_point: must be a whole number"),
              std::string::npos);
    // Replenishment with moves: the method's name, its settings' ranges, and a setting it has no use for.
    EXPECT_NE(setup_error(parameter, "algorithm: {method: mcmc}\n")
                  .find("setup.yaml:5:21: algorithm.method: 'mcmc' is not one of importance_weights, mcmc_moves"),
              std::string::npos);
    EXPECT_NE(setup_error(parameter, "algorithm: {method: mcmc_moves, unmoved_share: 0.7}\n")
                  .find("algorithm.unmoved_share: 0.7 is out of range (must be (0, 0.5])"),
              std::string::npos);
    EXPECT_NE(setup_error(parameter, "algorithm: {method: mcmc_moves, maximum_moves: 2.5}\n")
                  .find("algorithm.maximum_moves: must be a whole number"),
              std::string::npos);
    EXPECT_NE(
        setup_error(parameter, "algorithm: {method: mcmc_moves, target_effective_sample: 0.6}\n")
            .find("algorithm.target_effective_sample: belongs to importance_weights' kernel; mcmc_moves has none"),
        std::string::npos);
    EXPECT_NE(setup_error(parameter, "algorithm: {method: mcmc_moves, kernel: local}\n")
                  .find("algorithm.kernel: belongs to importance_weights' kernel; mcmc_moves has none"),
              std::string::npos);
    EXPECT_NE(setup_error(parameter, "algorithm: {maximum_moves: 12}\n")
                  .find("algorithm.maximum_moves: applies to method: mcmc_moves only"),
              std::string::npos);
    EXPECT_NE(setup_error(parameter, "algorithm: {least_steps_inside: 0.5}\n")
                  .find("algorithm.least_steps_inside: applies to method: mcmc_moves only"),
              std::string::npos);
    EXPECT_NE(setup_error(parameter, "algorithm: {method: mcmc_moves, least_steps_inside: 0}\n")
                  .find("algorithm.least_steps_inside: 0 is out of range (must be (0, 0.9])"),
              std::string::npos);
    // Delayed acceptance screens mcmc_moves' steps with history matching's emulators: without either it is refused.
    EXPECT_NE(setup_error(parameter, "algorithm: {delayed_acceptance: true}\n")
                  .find("algorithm.delayed_acceptance: applies to method: mcmc_moves only"),
              std::string::npos);
    EXPECT_NE(setup_error(parameter, "algorithm: {method: mcmc_moves, delayed_acceptance: true}\n")
                  .find("setup.yaml:5:53: algorithm.delayed_acceptance: needs a history_matching section: its "
                        "emulators screen the steps"),
              std::string::npos);
    EXPECT_NE(setup_error(parameter, "algorithm: {method: mcmc_moves, delayed_acceptance: yes please}\n")
                  .find("algorithm.delayed_acceptance: "),
              std::string::npos);
    EXPECT_NE(setup_error(parameter, "algorithm: {method: mcmc_moves, surrogate_floor: 0.1}\n")
                  .find("algorithm.surrogate_floor: applies with delayed_acceptance: true only"),
              std::string::npos);
    EXPECT_NE(setup_error(parameter,
                          "algorithm: {method: mcmc_moves, delayed_acceptance: true, surrogate_floor: 0}\n"
                          "history_matching: {}\n")
                  .find("algorithm.surrogate_floor: 0 is out of range (must be (0, 1])"),
              std::string::npos);
}

// A file name longer than the system allows is named like a missing one, not left to the filesystem's exception.
TEST(CalibrationSetup, AFileNameTooLongForTheSystemIsNamed) {
    const std::string text = "scenario: " + std::string(5000, 's') + "\ntargets: t.yaml\nparameters: []\n";
    try {
        load_calibration_setup_text(text, "setup.yaml");
        FAIL();
    } catch (const scenario::ScenarioError& error) {
        EXPECT_NE(std::string(error.what()).find("setup.yaml:1:11: scenario: 'sss"), std::string::npos) << error.what();
        EXPECT_NE(std::string(error.what()).find("cannot be looked for (File name too long)"), std::string::npos)
            << error.what();
    }
}

TEST(CalibrationSetup, ReplenishmentWithMovesIsReadAsWritten) {
    const CalibrationSetup setup = load_calibration_setup_text(
        "scenario: " EHSIM_SOURCE_DIR "/tests/data/minimal.yaml\ntargets: " EHSIM_SOURCE_DIR
        "/calibration/targets/walsall-2016.yaml\nparameters:\n"
        "  - {path: early_help.needs_met_probability, prior: {distribution: uniform, lower: 0.1, upper: 0.9}}\n"
        "algorithm: {method: mcmc_moves, kernel_scale: 0.35, unmoved_share: 0.05, maximum_moves: 12, "
        "least_steps_inside: 0.4}\n",
        "setup.yaml");
    EXPECT_EQ(setup.algorithm.method, AbcMethod::mcmc_moves);
    EXPECT_EQ(setup.algorithm.least_steps_inside, 0.4);
    EXPECT_EQ(setup.algorithm.kernel_scale, 0.35);
    EXPECT_EQ(setup.algorithm.unmoved_share, 0.05);
    EXPECT_EQ(setup.algorithm.maximum_moves, 12u);
    // Without kernel_scale, the moves step by 2.38^2 / d times the covariance (d = 1 parameter here).
    const CalibrationSetup defaults = load_calibration_setup_text(
        "scenario: " EHSIM_SOURCE_DIR "/tests/data/minimal.yaml\ntargets: " EHSIM_SOURCE_DIR
        "/calibration/targets/walsall-2016.yaml\nparameters:\n"
        "  - {path: early_help.needs_met_probability, prior: {distribution: uniform, lower: 0.1, upper: 0.9}}\n"
        "algorithm: {method: mcmc_moves}\n",
        "setup.yaml");
    EXPECT_DOUBLE_EQ(defaults.algorithm.kernel_scale, 2.38 * 2.38);
    EXPECT_EQ(defaults.algorithm.unmoved_share, 0.01);
    EXPECT_EQ(defaults.algorithm.maximum_moves, 30u);
    EXPECT_EQ(defaults.algorithm.least_steps_inside, 0.0);
    EXPECT_FALSE(defaults.algorithm.delayed_acceptance);
    const CalibrationSetup screened = load_calibration_setup_text(
        "scenario: " EHSIM_SOURCE_DIR "/tests/data/minimal.yaml\ntargets: " EHSIM_SOURCE_DIR
        "/calibration/targets/walsall-2016.yaml\nparameters:\n"
        "  - {path: early_help.needs_met_probability, prior: {distribution: uniform, lower: 0.1, upper: 0.9}}\n"
        "algorithm: {method: mcmc_moves, delayed_acceptance: true, surrogate_floor: 0.1}\nhistory_matching: {}\n",
        "setup.yaml");
    EXPECT_TRUE(screened.algorithm.delayed_acceptance);
    EXPECT_EQ(screened.algorithm.surrogate_floor, 0.1);
}

TEST(CalibrationSetup, AHistoryMatchingSectionTurnsItOnWithTheSetUpsSeed) {
    const std::string text = "scenario: " EHSIM_SOURCE_DIR "/tests/data/minimal.yaml\ntargets: " EHSIM_SOURCE_DIR
                             "/tests/data/minimal-targets.yaml\nseed: 11\nparameters:\n"
                             "  - {path: early_help.needs_met_probability, prior: {distribution: uniform, lower: 0.1, "
                             "upper: 0.9}}\n";
    EXPECT_FALSE(load_calibration_setup_text(text, "setup.yaml").history_matching);
    const CalibrationSetup setup = load_calibration_setup_text(
        text +
            "history_matching: {points_per_wave: 40, replications_per_point: 3, cutoff: 2.5, implausibility: "
            "maximum, maximum_waves: 4, correlation: squared_exponential}\n",
        "setup.yaml");
    ASSERT_TRUE(setup.history_matching);
    const HistoryMatchingSettings& matching = *setup.history_matching;
    EXPECT_EQ(matching.points_per_wave, 40u);
    EXPECT_EQ(matching.replications, 3u);
    EXPECT_EQ(matching.cutoff, 2.5);
    EXPECT_EQ(matching.rule, ImplausibilityRule::maximum);
    EXPECT_EQ(matching.maximum_waves, 4u);
    EXPECT_EQ(matching.correlation, Correlation::squared_exponential);
    EXPECT_EQ(matching.seed, 11u);
}

}  // namespace
}  // namespace ehsim::calibration
