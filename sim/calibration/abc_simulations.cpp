// ABC-SMC's simulations of a batch of proposals: spread over an MPI job's ranks and each rank's threads, every
// rank getting every result (all take the algorithm's next step together), then each proposal's noise drawn from
// its own stream, so that where a simulation ran changes nothing.
#include <boost/random/normal_distribution.hpp>
#include <stdexcept>

#include "sim/calibration/abc_smc.hpp"
#include "sim/calibration/abc_smc_state.hpp"
#include "sim/cluster/cluster.hpp"

namespace ehsim::calibration {

void AbcSmc::simulate_all(std::vector<Proposal>& proposals, const Simulator& simulator, std::size_t generation) const {
    const std::size_t figures = observations_.size();
    const auto runs = [](const Proposal& proposal) { return !proposal.outside_prior && !proposal.screened; };
    std::vector<std::vector<double>> simulated = cluster::run_number_tasks(
        proposals.size(), settings_.threads,
        [&](std::uint64_t i) {
            if (!runs(proposals[i])) return std::vector<double>{};
            std::vector<double> figures_simulated = simulator(proposals[i].parameters, generation, proposals[i].index);
            if (figures_simulated.size() != figures)
                throw std::logic_error("calibration: the simulator returned the wrong number of figures");
            return figures_simulated;
        },
        true);
    for (std::size_t i = 0; i < proposals.size(); ++i) {
        Proposal& proposal = proposals[i];
        if (!runs(proposal)) continue;
        proposal.simulated = std::move(simulated[i]);
        proposal.noisy = proposal.simulated;
        if (settings_.noisy_acceptance) {
            boost::random::normal_distribution<double> standard;
            for (std::size_t k = 0; k < figures; ++k)
                proposal.noisy[k] += observations_[k].error_sd * standard(proposal.random);
        }
    }
}

}  // namespace ehsim::calibration
