#include "sim/experiment/posterior_draws.hpp"

#include <algorithm>

namespace ehsim::experiment {

ParameterDraws::ParameterDraws(const std::string& posterior_file, const std::vector<std::string>& scenario_files,
                               const kernel::RandomStreams& streams)
    : streams_(streams) {
    if (posterior_file.empty()) return;
    posterior_ = output::read_posterior(posterior_file);
    for (const std::string& file : scenario_files) drawn_.emplace_back(file, posterior_.parameters);
}

std::size_t ParameterDraws::draw_of(std::uint64_t replication) const {
    kernel::RandomEngine random = streams_.stream(replication, "posterior draw", 0);
    return std::min<std::size_t>(posterior_.draws - 1,
                                 static_cast<std::size_t>(random.uniform() * static_cast<double>(posterior_.draws)));
}

std::vector<model::Scenario> ParameterDraws::scenarios(std::uint64_t replication) const {
    const std::size_t draw = draw_of(replication);
    std::vector<double> values(posterior_.parameters.size());
    for (std::size_t p = 0; p < values.size(); ++p) values[p] = posterior_.value(draw, p);
    std::vector<model::Scenario> scenarios;
    for (const scenario::DrawnScenario& drawn : drawn_) scenarios.push_back(drawn.with(values));
    return scenarios;
}

}  // namespace ehsim::experiment
