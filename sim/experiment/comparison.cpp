#include "sim/experiment/comparison.hpp"

#include <algorithm>
#include <filesystem>

#include "sim/cluster/cluster.hpp"
#include "sim/experiment/replication_bytes.hpp"
#include "sim/scenario/option_loader.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace ehsim::experiment {

ComparedScenarios load_comparison(model::Scenario baseline, const std::string& baseline_file,
                                  const std::vector<std::string>& option_files) {
    ComparedScenarios compared{{baseline_file}, {std::move(baseline)}, {}};
    for (const std::string& file : option_files) {
        scenario::LoadedOption option = scenario::load_option_file(file);
        std::error_code error;
        if (!std::filesystem::equivalent(option.baseline_file, baseline_file, error))
            throw scenario::ScenarioError(file + ": extends " + option.baseline_file + ", not the baseline " +
                                          baseline_file + " being compared");
        const auto same_name = [&](const model::Scenario& other) { return other.name == option.scenario.name; };
        if (std::any_of(compared.scenarios.begin(), compared.scenarios.end(), same_name))
            throw scenario::ScenarioError(file + ": name '" + option.scenario.name + "' is used twice");
        compared.files.push_back(file);
        compared.scenarios.push_back(std::move(option.scenario));
    }
    for (const std::string& file : compared.files) compared.notes.push_back(read_scenario_notes(file, false));
    return compared;
}

std::vector<std::vector<model::ReplicationResult>> run_on_common_random_numbers(
    const std::vector<model::Scenario>& fixed, const ParameterDraws& draws, const kernel::RandomStreams& streams,
    std::uint64_t replications, unsigned threads, KeptTasks* kept, std::uint64_t first_replication) {
    const auto replicate = [&](std::uint64_t task) {
        const std::uint64_t replication = first_replication + task;
        const std::vector<model::Scenario> drawn =
            draws.active() ? draws.scenarios(replication) : std::vector<model::Scenario>{};
        const std::vector<model::Scenario>& scenarios = draws.active() ? drawn : fixed;
        // Options in the order of their first change, so that one baseline run serves them all.
        std::vector<std::size_t> by_first_change;
        for (std::size_t k = 1; k < scenarios.size(); ++k) by_first_change.push_back(k);
        std::stable_sort(by_first_change.begin(), by_first_change.end(), [&](std::size_t a, std::size_t b) {
            return model::EarlyHelpModel::first_change_day(scenarios[a]) <
                   model::EarlyHelpModel::first_change_day(scenarios[b]);
        });
        std::vector<model::ReplicationResult> per_scenario(scenarios.size());
        model::EarlyHelpModel baseline(scenarios.front(), streams, replication);
        for (const std::size_t k : by_first_change) {
            baseline.advance_to(model::EarlyHelpModel::first_change_day(scenarios[k]));
            per_scenario[k] = baseline.continue_as(scenarios[k]).finish();
        }
        per_scenario.front() = baseline.finish();
        return per_scenario;
    };
    if (kept != nullptr) return kept->run(threads, replicate, replications_to_bytes, replications_from_bytes);
    // Spread over the job's ranks when there are several; only the manager gets the results back.
    return cluster::run_tasks(replications, threads, replicate, replications_to_bytes, replications_from_bytes, false);
}

std::string comparison_identity(const ComparedScenarios& compared, const RunSettings& settings) {
    std::string identity = "compare\n" + settings_identity(settings) + files_identity(compared.files);
    for (const model::Scenario& scenario : compared.scenarios) identity += scenario::resolved_yaml(scenario);
    return identity;
}

ComparisonRecords run_comparison(const ComparedScenarios& compared, const RunSettings& settings,
                                 const std::vector<calibration::TargetsFile>& baseline_targets) {
    // Common random numbers: replication r of every scenario draws from the same streams.
    const kernel::RandomStreams streams(settings.seed);
    const ParameterDraws draws(settings.posterior_file, compared.files, streams);
    auto results = run_on_common_random_numbers(compared.scenarios, draws, streams, settings.replications,
                                                settings.threads, settings.kept, settings.first_replication);
    if (!cluster::is_manager()) return {};  // a worker rank of an MPI job: the results are the manager's
    ComparisonRecords out;
    for (std::size_t k = 0; k < compared.scenarios.size(); ++k) {
        std::vector<model::ReplicationResult> of_scenario;
        for (const auto& replication : results) of_scenario.push_back(replication[k]);
        out.records.push_back(build_run_record(compared.scenarios[k], compared.files[k], settings.seed, of_scenario,
                                               compared.notes[k], settings.posterior_file));
        if (k == 0) add_published_figures(out.records.back(), compared.scenarios[0], of_scenario, baseline_targets);
    }
    results = {};  // the records hold everything from here on
    for (std::size_t k = 1; k < out.records.size(); ++k)
        out.differences.push_back(difference_record(out.records[k], out.records[0]));
    return out;
}

}  // namespace ehsim::experiment
