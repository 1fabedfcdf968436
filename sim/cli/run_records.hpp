// From replications' results to the RunRecord that output writers and tables read.
#pragma once

#include <string>
#include <vector>

#include "output/inference_data_reader.hpp"
#include "output/run_record.hpp"
#include "sim/calibration/calibration_files.hpp"
#include "sim/kernel/random_streams.hpp"
#include "sim/model/early_help_model.hpp"
#include "sim/scenario/option_loader.hpp"

namespace ehsim::cli {

// What a scenario file says of itself (its unsupported values and its changes in words), read when the
// scenario is loaded so that it describes the file that was run.
struct ScenarioNotes {
    std::vector<output::ScenarioAssumption> assumptions;
    std::vector<std::string> changes_in_words;
};

// The notes of `file`; with `with_baseline`, an option file's unsupported values follow those of the baseline
// it extends. A file that cannot be read gives none.
ScenarioNotes read_scenario_notes(const std::string& file, bool with_baseline);

output::RunRecord build_run_record(const model::Scenario& scenario, const std::string& scenario_file,
                                   std::uint64_t seed, const std::vector<model::ReplicationResult>& results,
                                   const ScenarioNotes& notes = {});

// The published figures of the targets files beside the model's values in `results` (one per replication),
// into record.published_figures. Each targets file's periods must lie within the reported months.
void add_published_figures(output::RunRecord& record, const model::Scenario& scenario,
                           const std::vector<model::ReplicationResult>& results,
                           const std::vector<calibration::TargetsFile>& targets);

// The targets files a report sets beside a run of `scenario`: those named (`--targets`; a bad one, or one
// whose period the run does not report, throws with the file's name), or else every targets file of the
// scenario's council in the nearest calibration/targets folder above the scenario file whose periods the
// run reports (a file that cannot be read is skipped with a note on stderr).
std::vector<calibration::TargetsFile> targets_for_report(const model::Scenario& scenario,
                                                         const std::string& scenario_file,
                                                         const std::vector<std::string>& named);

// The same record with every value replaced by option minus baseline (paired by replication).
output::RunRecord difference_record(const output::RunRecord& option, const output::RunRecord& baseline);

// Mean and 90% quantile interval across replications, as printed in tables.
double mean_of_finite(const std::vector<double>& values);
double quantile(std::vector<double> values, double q);
std::string format_value(double value);
std::string utc_now();  // ISO 8601, seconds, UTC

// Parameters drawn from a calibration's posterior (`--posterior`), one set per replication and the same set
// for every scenario of that replication (options keep common random numbers in their parameters too).
// Without a file it is inactive and the scenarios keep their own values.
class ParameterDraws {
public:
    ParameterDraws(const std::string& posterior_file, const std::vector<std::string>& scenario_files,
                   const kernel::RandomStreams& streams);
    bool active() const { return !drawn_.empty(); }
    // The scenarios, in the order of their files, with replication `replication`'s parameter set.
    std::vector<model::Scenario> scenarios(std::uint64_t replication) const;

private:
    output::PosteriorDraws posterior_;
    std::vector<scenario::DrawnScenario> drawn_;
    kernel::RandomStreams streams_;
};

}  // namespace ehsim::cli
