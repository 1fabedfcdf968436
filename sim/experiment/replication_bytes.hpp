// A replication's results as bytes, to travel between the ranks of an MPI job (sim/cluster/): every number exactly,
// so that a result computed on another rank is the one this rank would have computed.
#pragma once

#include <string>
#include <vector>

#include "sim/model/ledger.hpp"

namespace ehsim::experiment {

std::string replication_to_bytes(const model::ReplicationResult& result);
model::ReplicationResult replication_from_bytes(const std::string& bytes);

// Several replications (one per scenario of a comparison), in order.
std::string replications_to_bytes(const std::vector<model::ReplicationResult>& results);
std::vector<model::ReplicationResult> replications_from_bytes(const std::string& bytes);

}  // namespace ehsim::experiment
