// From replications' results to the RunRecord that output writers and tables read.
#pragma once

#include <string>
#include <vector>

#include "output/inference_data_reader.hpp"
#include "output/run_record.hpp"
#include "sim/kernel/random_streams.hpp"
#include "sim/model/early_help_model.hpp"
#include "sim/scenario/option_loader.hpp"

namespace ehsim::cli {

output::RunRecord build_run_record(const model::Scenario& scenario, const std::string& scenario_file,
                                   std::uint64_t seed, const std::vector<model::ReplicationResult>& results);

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
