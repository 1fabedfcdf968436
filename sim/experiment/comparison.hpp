// A baseline and commissioning options on common random numbers, so that each option's effect is a
// difference paired by replication (`ehsim compare`).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "output/run_record.hpp"
#include "sim/calibration/calibration_files.hpp"
#include "sim/experiment/posterior_draws.hpp"
#include "sim/experiment/run_records.hpp"
#include "sim/experiment/scenario_run.hpp"
#include "sim/kernel/random_streams.hpp"
#include "sim/model/early_help_model.hpp"

namespace ehsim::experiment {

// The scenarios compared: the baseline first, then each option, with their files and notes.
struct ComparedScenarios {
    std::vector<std::string> files;
    std::vector<model::Scenario> scenarios;
    std::vector<ScenarioNotes> notes;  // read when loaded: the files as they were run
};

// The baseline (loaded from `baseline_file`) and the option files, which must each extend that file and
// have names of their own. Throws scenario::ScenarioError naming the option file otherwise.
ComparedScenarios load_comparison(model::Scenario baseline, const std::string& baseline_file,
                                  const std::vector<std::string>& option_files);

// Every replication of the baseline (scenarios[0]) and each option, [replication][scenario], all of a
// replication on the same random streams. Each option branches from its baseline's run at its first change
// (the model guarantees the same results as running it alone), so the warm-up and the years before a change
// are simulated once. With active draws every scenario of a replication takes that replication's parameters.
// Replications first_replication.. (a shard's); with `kept`, around its checkpoint.
std::vector<std::vector<model::ReplicationResult>> run_on_common_random_numbers(
    const std::vector<model::Scenario>& scenarios, const ParameterDraws& draws, const kernel::RandomStreams& streams,
    std::uint64_t replications, unsigned threads, KeptTasks* kept = nullptr, std::uint64_t first_replication = 0);

// Everything a comparison's replications depend on, for a checkpoint (see task_checkpoint.hpp).
std::string comparison_identity(const ComparedScenarios& compared, const RunSettings& settings);

struct ComparisonRecords {
    std::vector<output::RunRecord> records;      // the baseline, then each option
    std::vector<output::RunRecord> differences;  // each option minus the baseline, paired by replication
};

// The comparison run as `settings` say, into records; the baseline's keeps the published figures of
// `baseline_targets` beside the model's.
ComparisonRecords run_comparison(const ComparedScenarios& compared, const RunSettings& settings,
                                 const std::vector<calibration::TargetsFile>& baseline_targets);

}  // namespace ehsim::experiment
