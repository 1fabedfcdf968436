// `ehsim sensitivity` on the minimal calibration: a parameter that cannot move any figure is named as mattering for
// nothing, those that do are not, and the study depends on its seed, never on the thread count. With an option,
// its paired effect is an output: the one parameter the effect depends on ranks first, the others have effects of
// exactly 0, and an unknown indicator or year or a bad option file is refused before anything runs.
#include "sim/experiment/sensitivity_run.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "sim/scenario/scenario_loader.hpp"
#include "tests/experiment/experiment_support.hpp"

namespace ehsim::experiment {
namespace {

using testing::data;

// The minimal set-up with a third parameter that changes a cost and nothing that happens to families, so that on
// common random numbers its elementary effects on the figures (open cases, requests, needs met) are exactly 0.
std::string setup_with_an_idle_parameter(const std::filesystem::path& folder, const std::string& more = "") {
    const std::filesystem::path file = folder / "idle-parameter.yaml";
    std::ofstream(file) << "scenario: " << data("minimal.yaml") << "\n"
                        << "targets: " << data("minimal-targets.yaml") << "\n"
                        << "seed: 3\n"
                           "parameters:\n"
                           "  - path: need.incidence_level_3_per_family_per_year\n"
                           "    prior: {distribution: log_uniform, lower: 0.005, upper: 0.15}\n"
                           "  - path: early_help.needs_met_probability\n"
                           "    prior: {distribution: uniform, lower: 0.2, upper: 1.0}\n"
                           "  - path: costs.per_assessment.pounds\n"
                           "    prior: {distribution: uniform, lower: 100, upper: 1000}\n"
                        << more << "algorithm: {particles: 30, maximum_generations: 2}\n";
    return file.string();
}

// The same with a fourth parameter, the yearly cost of a family support worker: it moves no figure, but the
// effect of an option that adds such a worker on staff cost is that cost, exactly (and nothing else moves it).
std::string setup_with_a_worker_cost(const std::filesystem::path& folder) {
    return setup_with_an_idle_parameter(folder,
                                        "  - path: costs.per_fte_year_family_support.pounds\n"
                                        "    prior: {distribution: uniform, lower: 20000, upper: 50000}\n"
                                        "    why: test\n");
}

SensitivitySettings small(unsigned threads, bool sobol) {
    SensitivitySettings settings;
    settings.morris = true;
    settings.sobol = sobol;
    settings.trajectories = 4;
    settings.base_samples = 8;
    settings.bootstrap = 50;
    settings.replications = 2;
    settings.seed = 11;
    settings.threads = threads;
    return settings;
}

TEST(SensitivityStudy, AParameterThatMovesNoFigureIsNamedAndTheOthersAreNot) {
    const std::filesystem::path folder = std::filesystem::temp_directory_path() / "ehsim-sensitivity-test";
    std::filesystem::create_directories(folder);
    const SensitivityStudy study = run_sensitivity(setup_with_an_idle_parameter(folder), small(2, false));
    ASSERT_EQ(study.inputs.size(), 3u);
    ASSERT_EQ(study.outputs.size(), 3u);
    ASSERT_TRUE(study.morris.has_value());
    for (std::size_t output = 0; output < study.outputs.size(); ++output) {
        EXPECT_EQ(study.morris->mean_absolute(2, output), 0.0) << study.outputs[output];
        EXPECT_GT(study.replication_noise[output], 0.0) << study.outputs[output];
    }
    // Incidence moves open cases and requests; the needs-met probability moves the needs-met share.
    EXPECT_GT(study.morris->mean_absolute(0, 0), 0.0);
    EXPECT_GT(study.morris->mean_absolute(1, 2), 0.0);
    EXPECT_EQ(study.negligible, std::vector<std::string>{"costs.per_assessment.pounds"});
    EXPECT_EQ(study.lower[2], 100.0);
    EXPECT_EQ(study.upper[2], 1000.0);
    std::filesystem::remove_all(folder);
}

TEST(SensitivityStudy, TheStudyDependsOnItsSeedNeverOnTheThreadCount) {
    const SensitivityStudy one = run_sensitivity(data("minimal-calibration.yaml"), small(1, true));
    const SensitivityStudy two = run_sensitivity(data("minimal-calibration.yaml"), small(2, true));
    EXPECT_TRUE(testing::same_bits(one.morris->mu_star, two.morris->mu_star));
    EXPECT_TRUE(testing::same_bits(one.replication_noise, two.replication_noise));
    ASSERT_EQ(one.sobol->total.size(), two.sobol->total.size());
    for (std::size_t i = 0; i < one.sobol->total.size(); ++i) {
        EXPECT_TRUE(testing::same_bits({one.sobol->total[i].estimate, one.sobol->total[i].lower},
                                       {two.sobol->total[i].estimate, two.sobol->total[i].lower}));
        EXPECT_TRUE(testing::same_bits({one.sobol->first_order[i].estimate}, {two.sobol->first_order[i].estimate}));
    }
}

SensitivitySettings with_option(unsigned threads, std::vector<std::string> indicators) {
    SensitivitySettings settings = small(threads, false);
    settings.option_file = data("more-family-support-option.yaml");
    settings.effect_indicators = std::move(indicators);
    return settings;
}

TEST(SensitivityStudy, AnOptionsEffectRanksFirstTheParameterItDependsOnAndNamesTheOthersNegligibleForIt) {
    const std::filesystem::path folder = std::filesystem::temp_directory_path() / "ehsim-sensitivity-option-test";
    std::filesystem::create_directories(folder);
    const SensitivityStudy study =
        run_sensitivity(setup_with_a_worker_cost(folder), with_option(2, {"cost_staff", "children_in_need_per_10000"}));
    std::filesystem::remove_all(folder);
    ASSERT_EQ(study.inputs.size(), 4u);
    ASSERT_EQ(study.outputs.size(), 5u);  // 3 figures, then 2 effects in the last reported year
    EXPECT_EQ(study.is_effect, (std::vector<bool>{false, false, false, true, true}));
    EXPECT_EQ(study.indicators[3], "cost_staff");
    EXPECT_EQ(study.periods[3], "2021-04 to 2022-03");
    EXPECT_EQ(study.option_name, "more-family-support");
    const std::size_t staff = 3, worker = 3, outputs = study.outputs.size();
    // The effect on staff cost is one worker's cost for the year (365 days of a 365.25-day costing year): linear,
    // so every elementary effect is that share of the range's width.
    EXPECT_NEAR(study.morris->mean_absolute(worker, staff), 30000.0 * 365.0 / 365.25, 1e-6);
    EXPECT_NEAR(study.morris->sd(worker, staff), 0.0, 1e-6);
    for (std::size_t input = 0; input < worker; ++input) {
        EXPECT_EQ(study.morris->mean_absolute(input, staff), 0.0) << study.inputs[input];
        EXPECT_TRUE(study.negligible_for[input * outputs + staff]) << study.inputs[input];
    }
    EXPECT_FALSE(study.negligible_for[worker * outputs + staff]);
    // The worker's cost moves no figure and no family, so without the option it would be fixed; with it, it is the
    // parameter the option's cost depends on. The assessment's price moves nothing at all.
    for (std::size_t output = 0; output < 3; ++output) EXPECT_EQ(study.morris->mean_absolute(worker, output), 0.0);
    EXPECT_EQ(study.negligible, std::vector<std::string>{"costs.per_assessment.pounds"});
    // A paired effect's noise: zero for a cost fixed by the staffing, positive for children in need.
    EXPECT_EQ(study.replication_noise[staff], 0.0);
    EXPECT_GT(study.replication_noise[4], 0.0);
    EXPECT_EQ(study.why[worker], "test");
}

TEST(SensitivityStudy, AnOptionsEffectDependsOnItsSeedNeverOnTheThreadCount) {
    const SensitivityStudy one = run_sensitivity(data("minimal-calibration.yaml"), with_option(1, {}));
    const SensitivityStudy two = run_sensitivity(data("minimal-calibration.yaml"), with_option(2, {}));
    ASSERT_EQ(one.outputs.size(), 6u);  // the default indicators: children in need, referrals, total cost
    EXPECT_EQ(one.indicators[3], "children_in_need_per_10000");
    EXPECT_TRUE(testing::same_bits(one.morris->mu_star, two.morris->mu_star));
    EXPECT_TRUE(testing::same_bits(one.replication_noise, two.replication_noise));
}

TEST(SensitivityStudy, AnUnknownEffectIndicatorOrYearOrABadOptionIsRefusedBeforeAnythingRuns) {
    SensitivitySettings settings = with_option(1, {"cost_totl"});
    try {
        run_sensitivity(data("minimal-calibration.yaml"), settings);
        ADD_FAILURE() << "an unknown indicator was accepted";
    } catch (const std::invalid_argument& error) {
        EXPECT_NE(std::string(error.what()).find("'cost_totl' is not an indicator"), std::string::npos) << error.what();
        EXPECT_NE(std::string(error.what()).find("did you mean 'cost_total'"), std::string::npos) << error.what();
    }
    settings = with_option(1, {});
    settings.effect_years = {"2030-04"};
    EXPECT_THROW(run_sensitivity(data("minimal-calibration.yaml"), settings), std::invalid_argument);
    settings.effect_years = {"2020-04"};  // the first reported year, by its first month
    settings.trajectories = 2;
    EXPECT_EQ(run_sensitivity(data("minimal-calibration.yaml"), settings).periods[3], "2020-04 to 2021-03");
    settings.option_file = data("bad-key-option.yaml");
    try {
        run_sensitivity(data("minimal-calibration.yaml"), settings);
        ADD_FAILURE() << "an option with an unknown key was accepted";
    } catch (const scenario::ScenarioError& error) {
        EXPECT_NE(std::string(error.what()).find("bad-key-option.yaml:4:1: chnages: unknown key"), std::string::npos)
            << error.what();
    }
    settings.option_file = data("other-baseline-option.yaml");
    EXPECT_THROW(run_sensitivity(data("minimal-calibration.yaml"), settings), scenario::ScenarioError);
}

}  // namespace
}  // namespace ehsim::experiment
