// One scenario over independent replications, into the run record that `ehsim run` writes.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "output/run_record.hpp"
#include "sim/calibration/calibration_files.hpp"
#include "sim/experiment/run_records.hpp"
#include "sim/experiment/task_checkpoint.hpp"
#include "sim/model/early_help_model.hpp"

namespace ehsim::experiment {

// How replications are run. Results depend on the seed and the posterior, never on the thread count.
struct RunSettings {
    std::uint64_t replications = 100;
    std::uint64_t seed = 1;
    unsigned threads = 1;
    std::string posterior_file;           // each replication draws its parameters from it; "": the scenario's own
    std::uint64_t first_replication = 0;  // a shard's first: replications first.. first + replications - 1
    // The replications around a checkpoint (run and compare's --resume); nullptr: none. Made by the command for
    // the job's identity (ScenarioRun::identity, comparison_identity), finished once the results are written.
    KeptTasks* kept = nullptr;
};

// What a job's replications depend on besides the files: every setting that changes a result.
std::string settings_identity(const RunSettings& settings);

// Told the number of replications done: 0 once before the first starts, then after each one, from
// whichever thread finished it.
using ReplicationsDone = std::function<void(std::uint64_t done)>;

class ScenarioRun {
public:
    // Loads a scenario or option file and what its comments say (so that they describe the file as run);
    // with `horizon_years`, every replication reports that many years instead of the file's horizon.
    // Throws scenario::ScenarioError naming file, line and key.
    explicit ScenarioRun(const std::string& scenario_file, std::optional<double> horizon_years = std::nullopt);

    const model::Scenario& scenario() const { return scenario_; }
    // Everything this scenario's replications depend on, for a checkpoint (see task_checkpoint.hpp).
    std::string identity(const RunSettings& settings) const;

    // Every replication's results, in order: replication r runs on the seed's streams for r and, with a
    // posterior, on the parameter set drawn for r. Throws when the posterior cannot be read or does not fit
    // the scenario (before any replication is run).
    std::vector<model::ReplicationResult> replications(const RunSettings& settings,
                                                       const ReplicationsDone& done = {}) const;

    // The record of the replications, with the published figures of `targets` beside the model's.
    output::RunRecord record(const RunSettings& settings, const std::vector<model::ReplicationResult>& results,
                             const std::vector<calibration::TargetsFile>& targets) const;

private:
    std::string file_;
    std::optional<double> horizon_years_;
    model::Scenario scenario_;
    ScenarioNotes notes_;
};

}  // namespace ehsim::experiment
