// What one `ehsim run` produced, independent of any file format: metadata and indicator series for
// every replication. The model fills it; writers (HDF5, terminal, report) only read it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ehsim::output {

// One indicator's values. `values` is row-major with the shape given by the series it belongs to:
// monthly [replications][months]; per locality [replications][localities][months]; annual
// [replications][years]. A value that is undefined (a rate over no closures) is NaN.
struct Indicator {
    std::string name;         // snake_case key, e.g. "contacts_to_social_care"
    std::string unit;         // e.g. "contacts per month", "%", "families", "GBP"
    std::string description;  // one sentence, how the council defines it
    std::vector<double> values;
};

// A value of a scenario file that no source supports: marked "assumed" in the file's comments, or with no
// citation at all. The report lists them for the panel.
struct ScenarioAssumption {
    std::string parameter;  // its key path, e.g. "early_help.patience_days" or "teams[North family_support]"
    std::string value;      // as written in the file, e.g. "60" or "{fte: 14, caseload_per_fte: 12}"
    std::string note;       // the file's comment about it ("assumed: ..."), or "" when it has none
    int line = 0;           // in the scenario file, from 1
};

// A council's published figure beside the model's value of it in every replication (`ehsim run` and the
// baseline of `ehsim compare` fill these from calibration targets files whose period the run reports).
struct PublishedFigure {
    std::string name;       // the target's name in its targets file
    std::string indicator;  // the model's indicator
    std::string period;     // "2016-04 to 2017-03" (a difference: "... compared with ...")
    std::string kind;       // count, proportion, rate_per_10000, range or difference
    std::string source;     // council paper, section, figure
    std::string targets_file;
    std::string known_gap;       // what the model lacks that the figure depends on (empty: none said)
    double published = 0.0;      // the published value (a range: its middle)
    double published_low = 0.0;  // a range's ends; otherwise the value
    double published_high = 0.0;
    double error_sd = 0.0;      // sampling error and discrepancy allowance, in the indicator's units
    std::vector<double> model;  // [replications]: the model's value (NaN where a run did not reach it)
};

struct RunMetadata {
    std::string ehsim_version;
    std::string git_commit;
    std::string scenario_name;
    std::string scenario_file;      // path as given on the command line
    std::string scenario_resolved;  // the full resolved scenario as YAML text
    std::uint64_t seed = 0;
    std::uint64_t replications = 0;
    std::string start_date;  // ISO date of the first reported day (after the warm-up)
    double warm_up_years = 0.0;
    double horizon_years = 0.0;
    std::string created_utc;     // ISO 8601 time the run finished
    std::string posterior_file;  // calibration file the parameters were drawn from; empty: the scenario's own
    std::vector<ScenarioAssumption> assumptions;  // of the scenario file (an option: of its own file's changes)
    std::vector<std::string> changes_in_words;    // an option's changes, or a scenario's dated changes
    // A shard of a larger job (`ehsim run --shard K/N`): this file holds `replications` replications from
    // `first_replication` of the job's `job_replications`. shard_count 0: the whole job.
    std::uint64_t shard_index = 0, shard_count = 0, first_replication = 0, job_replications = 0;
};

struct RunRecord {
    RunMetadata metadata;
    std::vector<std::string> months;      // "2016-04", one per reported calendar month
    std::vector<std::string> years;       // "2016/17" style labels of reported years (12 months each)
    std::vector<std::string> localities;  // locality names, in scenario order
    std::vector<Indicator> monthly;       // [replications][months]
    std::vector<Indicator> by_locality;   // [replications][localities][months]
    std::vector<Indicator> annual;        // [replications][years]
    std::vector<PublishedFigure> published_figures;
};

}  // namespace ehsim::output
