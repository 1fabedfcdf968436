// Targets discovery: the council's files in the nearest calibration/targets folder, each cut to the figures
// the run reports; other councils' files skipped silently; a file that cannot be read left out with a note.
#include "sim/experiment/targets_discovery.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sim/scenario/scenario_loader.hpp"
#include "tests/experiment/experiment_support.hpp"

namespace ehsim::experiment {
namespace {

namespace fs = std::filesystem;
using testing::data;

std::string text_of(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

void write(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
}

// minimal.yaml as a scenario of the council that minimal-targets.yaml names.
model::Scenario minimal_council() {
    model::Scenario scenario = scenario::load_scenario_file(data("minimal.yaml"));
    scenario.council = "Minimal Council";
    return scenario;
}

const std::string kFigureIn2030 =
    "  - {name: late, indicator: early_help_requests, from: 2030-04, to: 2031-03, kind: count, value: 105,\n"
    "     sampling_error: poisson, source: \"tests: made up\"}\n";

// root/calibration/targets holds the council's file, another council's broken file, a file that is not YAML,
// a file of the council with a mistake, one whose figures the run does not report and a text file;
// root/scenarios/deep/ is where the scenario lives.
fs::path folder_of_targets() {
    const fs::path root = testing::fresh_folder();
    const fs::path targets = root / "calibration" / "targets";
    const std::string minimal = text_of(data("minimal-targets.yaml"));
    write(targets / "a-minimal.yaml", minimal);
    write(targets / "b-elsewhere.yaml", "council: Elsewhere\ntargets: [{name: broken}]\n");
    write(targets / "c-not-yaml.yaml", "council: [Minimal Council\n  targets: {\n");
    write(targets / "d-mistaken.yaml", "council: Minimal Council\ntargets:\n  - {name: open, indicator: no_such}\n");
    write(targets / "e-too-late.yaml", "council: Minimal Council\ntargets:\n" + kFigureIn2030);
    write(targets / "f-minimal.txt", minimal);
    fs::create_directories(root / "scenarios" / "deep");
    return root;
}

TEST(TargetsDiscovery, FindsTheCouncilsFilesInTheNearestTargetsFolder) {
    const fs::path root = folder_of_targets();
    const std::string scenario_file = (root / "scenarios" / "deep" / "minimal.yaml").string();
    const FoundTargets found = targets_for_report(minimal_council(), scenario_file, {});
    ASSERT_EQ(found.files.size(), 1u);
    EXPECT_EQ(fs::path(found.files[0].file).filename(), "a-minimal.yaml");
    EXPECT_EQ(found.files[0].council, "Minimal Council");
    EXPECT_EQ(found.files[0].targets.size(), 3u);
    ASSERT_EQ(found.left_out.size(), 2u);
    EXPECT_EQ(found.left_out[0], (root / "calibration" / "targets" / "c-not-yaml.yaml").string() + ": it is not YAML");
    EXPECT_EQ(found.left_out[1].rfind((root / "calibration" / "targets" / "d-mistaken.yaml").string() + ": ", 0), 0u)
        << found.left_out[1];
}

TEST(TargetsDiscovery, ANearerFolderHidesOneFurtherUp) {
    const fs::path root = folder_of_targets();
    write(root / "scenarios" / "calibration" / "targets" / "near.yaml",
          "council: Minimal Council\ntargets:\n"
          "  - {name: requests, indicator: early_help_requests, from: 2020-04, to: 2021-03, kind: count, value: 105,\n"
          "     sampling_error: poisson, source: \"tests: made up\"}\n");
    const FoundTargets found =
        targets_for_report(minimal_council(), (root / "scenarios" / "deep" / "minimal.yaml").string(), {});
    ASSERT_EQ(found.files.size(), 1u);
    EXPECT_EQ(fs::path(found.files[0].file).filename(), "near.yaml");
    EXPECT_EQ(found.files[0].targets.size(), 1u);
    EXPECT_TRUE(found.left_out.empty());
}

TEST(TargetsDiscovery, KeepsOnlyTheFiguresTheRunReports) {
    const fs::path root = testing::fresh_folder();
    write(root / "calibration" / "targets" / "mixed.yaml", text_of(data("minimal-targets.yaml")) + kFigureIn2030);
    const FoundTargets found = targets_for_report(minimal_council(), (root / "minimal.yaml").string(), {});
    ASSERT_EQ(found.files.size(), 1u);
    ASSERT_EQ(found.files[0].targets.size(), 3u);
    for (const calibration::Target& target : found.files[0].targets) EXPECT_NE(target.name, "late");
}

TEST(TargetsDiscovery, AScenarioOfAnotherCouncilFindsNothing) {
    const fs::path root = folder_of_targets();
    model::Scenario scenario = minimal_council();
    scenario.council = "Nowhere";
    const FoundTargets found = targets_for_report(scenario, (root / "scenarios" / "minimal.yaml").string(), {});
    EXPECT_TRUE(found.files.empty());
    ASSERT_EQ(found.left_out.size(), 1u);  // only the file that is not YAML: its council is unknown
}

TEST(TargetsDiscovery, NamedFilesAreTakenWholeAndNothingIsSearched) {
    const fs::path root = folder_of_targets();
    const FoundTargets found = targets_for_report(minimal_council(), (root / "scenarios" / "minimal.yaml").string(),
                                                  {data("minimal-targets.yaml")});
    ASSERT_EQ(found.files.size(), 1u);
    EXPECT_EQ(found.files[0].file, data("minimal-targets.yaml"));
    EXPECT_TRUE(found.left_out.empty());
}

TEST(TargetsDiscovery, ANamedFileTheRunDoesNotReportIsAnError) {
    const fs::path root = testing::fresh_folder();
    const std::string late = (root / "late.yaml").string();
    write(late, "council: Minimal Council\ntargets:\n" + kFigureIn2030);
    try {
        targets_for_report(minimal_council(), data("minimal.yaml"), {late});
        FAIL() << "a named file beyond the horizon was accepted";
    } catch (const scenario::ScenarioError& error) {
        EXPECT_EQ(std::string(error.what()).rfind(late + ": its figures need ", 0), 0u) << error.what();
        EXPECT_NE(std::string(error.what()).find("but the scenario reports 24"), std::string::npos);
    }
}

}  // namespace
}  // namespace ehsim::experiment
