// From replications' results to the RunRecord that output writers and tables read.
#pragma once

#include <string>
#include <vector>

#include "output/run_record.hpp"
#include "sim/model/early_help_model.hpp"

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

}  // namespace ehsim::cli
