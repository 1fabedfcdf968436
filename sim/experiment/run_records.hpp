// From replications' results to the RunRecord that output writers and tables read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "output/run_record.hpp"
#include "sim/calibration/calibration_files.hpp"
#include "sim/model/early_help_model.hpp"

namespace ehsim::experiment {

// What a scenario file says of itself (its unsupported values and its changes in words), read when the
// scenario is loaded so that it describes the file that was run.
struct ScenarioNotes {
    std::vector<output::ScenarioAssumption> assumptions;
    std::vector<std::string> changes_in_words;
};

// The notes of `file`; with `with_baseline`, an option file's unsupported values follow those of the baseline
// it extends. A file that cannot be read gives none.
ScenarioNotes read_scenario_notes(const std::string& file, bool with_baseline);

// The labels of the whole years in `months` reported months from `start_date` ("2016-04 to 2017-03", ...), as
// records name them.
std::vector<std::string> year_labels(const std::string& start_date, int months);

// One record of `results` (one per replication, in order): every indicator monthly, annual and by locality,
// with the metadata a results file keeps. `posterior_file` names the calibration the parameters were drawn
// from ("" when the scenario kept its own).
output::RunRecord build_run_record(const model::Scenario& scenario, const std::string& scenario_file,
                                   std::uint64_t seed, const std::vector<model::ReplicationResult>& results,
                                   const ScenarioNotes& notes = {}, const std::string& posterior_file = "");

// The published figures of the targets files beside the model's values in `results` (one per replication),
// into record.published_figures. Each targets file's periods must lie within the reported months.
void add_published_figures(output::RunRecord& record, const model::Scenario& scenario,
                           const std::vector<model::ReplicationResult>& results,
                           const std::vector<calibration::TargetsFile>& targets);

// The same record with every value replaced by option minus baseline (paired by replication).
output::RunRecord difference_record(const output::RunRecord& option, const output::RunRecord& baseline);

std::string utc_now();  // ISO 8601, seconds, UTC

}  // namespace ehsim::experiment
