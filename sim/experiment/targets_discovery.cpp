#include "sim/experiment/targets_discovery.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>

#include "output/results_reader.hpp"
#include "sim/calibration/model_calibration.hpp"
#include "sim/experiment/calibration_results.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace ehsim::experiment {

namespace {

namespace fs = std::filesystem;

int reported_months(const model::Scenario& scenario) {
    return static_cast<int>(std::lround(scenario.time.horizon_years * 12.0));
}

// The files named on the command line, each of which the run must report in full.
std::vector<calibration::TargetsFile> named_targets(const model::Scenario& scenario,
                                                    const std::vector<std::string>& named) {
    std::vector<calibration::TargetsFile> chosen;
    for (const std::string& path : named) {
        calibration::TargetsFile file = calibration::load_targets_file(path);
        const calibration::TargetFigures figures(scenario, file);  // throws for a period before the first month
        if (figures.months_needed() > reported_months(scenario)) {
            throw scenario::ScenarioError(path + ": its figures need " + std::to_string(figures.months_needed()) +
                                          " reported months but the scenario reports " +
                                          std::to_string(reported_months(scenario)));
        }
        chosen.push_back(std::move(file));
    }
    return chosen;
}

// calibration/targets in the scenario file's folder or the nearest folder above it holding one.
std::optional<fs::path> nearest_targets_folder(const std::string& scenario_file) {
    std::error_code error;
    fs::path folder = fs::absolute(fs::path(scenario_file), error).parent_path();
    if (error) return std::nullopt;
    for (;; folder = folder.parent_path()) {
        std::error_code missing;  // a folder without calibration/targets is not an error
        if (fs::is_directory(folder / "calibration" / "targets", missing)) return folder / "calibration" / "targets";
        if (folder.empty() || folder == folder.root_path()) return std::nullopt;
    }
}

// The file's figures whose periods the run reports (none: std::nullopt). Throws when the file cannot be read.
std::optional<calibration::TargetsFile> reported_figures(const model::Scenario& scenario, const fs::path& path) {
    // Named as a reader would type it: relative to the working folder where that is shorter.
    std::error_code unnamed;
    const fs::path name = fs::proximate(path, unnamed);
    calibration::TargetsFile file =
        calibration::load_targets_file(unnamed || name.empty() ? path.string() : name.string());
    const std::string first_month = scenario.time.start_date.substr(0, 7);
    std::vector<calibration::Target> reported;
    for (const calibration::Target& target : file.targets) {
        if (target.from < first_month ||
            (!target.compared_with_from.empty() && target.compared_with_from < first_month))
            continue;
        calibration::TargetsFile one{file.file, file.council, file.description, {target}};
        if (calibration::TargetFigures(scenario, one).months_needed() <= reported_months(scenario))
            reported.push_back(target);
    }
    if (reported.empty()) return std::nullopt;
    file.targets = std::move(reported);
    return file;
}

}  // namespace

FoundTargets targets_for_report(const model::Scenario& scenario, const std::string& scenario_file,
                                const std::vector<std::string>& named) {
    FoundTargets found;
    if (!named.empty()) {
        found.files = named_targets(scenario, named);
        return found;
    }
    const std::optional<fs::path> folder = nearest_targets_folder(scenario_file);
    if (!folder) return found;
    std::error_code error;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(*folder, error))
        if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& path : files) {
        // Files of other councils are not read further (nor their mistakes reported here).
        try {
            const YAML::Node council = YAML::LoadFile(path.string())["council"];
            if (!council || !council.IsScalar() || council.Scalar() != scenario.council) continue;
        } catch (const YAML::Exception&) {
            found.left_out.push_back(path.string() + ": it is not YAML");
            continue;
        }
        try {
            if (auto file = reported_figures(scenario, path)) found.files.push_back(std::move(*file));
        } catch (const std::exception& failure) {
            // A file nobody named must not stop the run: it is left out, and said so.
            found.left_out.push_back(path.string() + ": " + failure.what());
        }
    }
    return found;
}

ShippedPosterior shipped_posterior(const std::string& scenario_file) {
    ShippedPosterior found;
    const std::optional<fs::path> targets = nearest_targets_folder(scenario_file);
    std::error_code error;
    const fs::path folder = targets ? targets->parent_path() / "posteriors" : fs::path();
    if (!targets || !fs::is_directory(folder, error)) return found;
    const std::string fingerprint = file_hash(scenario_file);
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(folder, error))
        if (entry.path().extension() == ".h5") files.push_back(entry.path());
    std::sort(files.begin(), files.end());  // the same choice on every machine
    for (const fs::path& path : files) {
        std::error_code unnamed;
        const fs::path name = fs::proximate(path, unnamed);
        const std::string shown = unnamed || name.empty() ? path.string() : name.string();
        // Only the root attributes are read: the draws are read by the run that uses the posterior.
        std::string recorded_fingerprint, recorded_scenario;
        try {
            if (output::results_format(path.string()) != "ehsim-calibration") continue;
            recorded_fingerprint = output::root_attribute(path.string(), "scenario_fnv1a64");
            recorded_scenario = output::root_attribute(path.string(), "scenario_file");
        } catch (const std::exception&) {
            continue;  // not an HDF5 file: nobody named it
        }
        if (recorded_fingerprint == fingerprint) {
            found.file = shown;
            return found;
        }
        std::error_code differs;
        if (found.stale.empty() && fs::equivalent(recorded_scenario, scenario_file, differs)) found.stale = shown;
    }
    return found;
}

}  // namespace ehsim::experiment
