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
};

struct RunRecord {
    RunMetadata metadata;
    std::vector<std::string> months;      // "2016-04", one per reported calendar month
    std::vector<std::string> years;       // "2016/17" style labels of reported years (12 months each)
    std::vector<std::string> localities;  // locality names, in scenario order
    std::vector<Indicator> monthly;       // [replications][months]
    std::vector<Indicator> by_locality;   // [replications][localities][months]
    std::vector<Indicator> annual;        // [replications][years]
};

}  // namespace ehsim::output
