// `ehsim sensitivity` on the minimal calibration: a parameter that cannot move any figure is named as mattering for
// nothing, those that do are not, and the study depends on its seed, never on the thread count.
#include "sim/experiment/sensitivity_run.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "tests/experiment/experiment_support.hpp"

namespace ehsim::experiment {
namespace {

using testing::data;

// The minimal set-up with a third parameter that changes a cost and nothing that happens to families, so that on
// common random numbers its elementary effects on the figures (open cases, requests, needs met) are exactly 0.
std::string setup_with_an_idle_parameter(const std::filesystem::path& folder) {
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
                           "algorithm: {particles: 30, maximum_generations: 2}\n";
    return file.string();
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

}  // namespace
}  // namespace ehsim::experiment
