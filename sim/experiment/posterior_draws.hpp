// Parameters drawn from a calibration's posterior (`--posterior`) for runs and comparisons.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "output/inference_data_reader.hpp"
#include "sim/kernel/random_streams.hpp"
#include "sim/model/parameters.hpp"
#include "sim/scenario/option_loader.hpp"

namespace ehsim::experiment {

// One parameter set per replication, the same set for every scenario of that replication (options keep
// common random numbers in their parameters too). The draw is a function of the seed and the replication
// alone, so it does not depend on the thread count. Without a file it is inactive and the scenarios keep
// their own values.
class ParameterDraws {
public:
    // Throws std::runtime_error naming the posterior file when it cannot be read, and scenario::ScenarioError
    // naming a scenario file when a drawn parameter is not a number of it.
    ParameterDraws(const std::string& posterior_file, const std::vector<std::string>& scenario_files,
                   const kernel::RandomStreams& streams);
    bool active() const { return !drawn_.empty(); }
    // The posterior draw (an index into the posterior's draws) replication `replication` takes.
    std::size_t draw_of(std::uint64_t replication) const;
    // The scenarios, in the order of their files, with replication `replication`'s parameter set.
    std::vector<model::Scenario> scenarios(std::uint64_t replication) const;

private:
    output::PosteriorDraws posterior_;
    std::vector<scenario::DrawnScenario> drawn_;
    kernel::RandomStreams streams_;
};

}  // namespace ehsim::experiment
