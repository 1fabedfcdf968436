// ABC-SMC by replenishment and Metropolis-Hastings moves (AbcMethod::mcmc_moves; Drovandi and Pettitt 2011).
//
// Deterministic like the rest: the copies' parents come from the generation's own stream, each copy's steps from
// its own stream keyed on (seed, generation, copy), and step r of copy k is simulated with index r N + k, so the
// result does not depend on how many workers run the steps.
#include <Eigen/Cholesky>
#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <stdexcept>

#include "sim/calibration/abc_smc.hpp"
#include "sim/calibration/abc_smc_state.hpp"
#include "sim/kernel/replications.hpp"

namespace ehsim::calibration {

namespace {

// How many steps leave a copy unmoved with at most `unmoved` chance when each step is accepted with
// `acceptance` (Drovandi and Pettitt's R = log c / log(1 - p)), within [1, most].
std::size_t steps_for(double acceptance, double unmoved, std::size_t most) {
    if (acceptance >= 1) return 1;
    if (acceptance <= 0) return most;
    const double steps = std::ceil(std::log(unmoved) / std::log1p(-acceptance));
    return std::clamp<std::size_t>(static_cast<std::size_t>(std::min(steps, 1e9)), 1, most);
}

}  // namespace

double AbcSmc::log_working_prior(std::span<const double> parameters) const {
    double total = 0;
    for (std::size_t p = 0; p < priors_.size(); ++p)
        total += priors_[p].log_density(parameters[p]) + (on_log_scale(p) ? std::log(parameters[p]) : 0.0);
    return total;
}

// The steps' factor: L with L L' the scaled covariance of the particles within the tolerance (working coordinates).
Eigen::MatrixXd AbcSmc::step_factor(const Population& previous, const std::vector<std::size_t>& within,
                                    double scale) const {
    const auto count = static_cast<Eigen::Index>(within.size());
    Eigen::MatrixXd points(static_cast<Eigen::Index>(priors_.size()), count);
    for (Eigen::Index i = 0; i < count; ++i)
        for (std::size_t p = 0; p < priors_.size(); ++p)
            points(static_cast<Eigen::Index>(p), i) = working(previous, within[static_cast<std::size_t>(i)], p);
    const Eigen::VectorXd mean = points.rowwise().mean();
    const Eigen::MatrixXd centred = points.colwise() - mean;
    Eigen::MatrixXd covariance =
        scale * centred * centred.transpose() / static_cast<double>(std::max<Eigen::Index>(1, count - 1));
    // A population collapsed on one value in some direction still needs to move: a tiny floor.
    for (Eigen::Index p = 0; p < covariance.rows(); ++p) covariance(p, p) += 1e-12 * std::max(1.0, mean(p) * mean(p));
    const Eigen::LLT<Eigen::MatrixXd> factorised(covariance);
    if (factorised.info() != Eigen::Success)
        throw std::runtime_error("calibration: the moves' covariance is not positive definite");
    return factorised.matrixL();
}

// One step of every copy: proposed about its current value, accepted if inside the prior and the space left,
// within the tolerance, and by the prior's Metropolis-Hastings ratio (the step is symmetric). Returns the accepted.
std::uint64_t AbcSmc::take_step(const Simulator& simulator, std::size_t generation, std::size_t step,
                                const std::vector<std::size_t>& copies, const Eigen::MatrixXd& factor, double tolerance,
                                const std::vector<double>& scales, std::vector<kernel::RandomEngine>& randoms,
                                Screen& screen, Sampled& sampled) const {
    const std::size_t parameters = priors_.size();
    Population& next = sampled.next;
    std::vector<double> thresholds(copies.size());
    std::vector<Proposal> proposals = kernel::run_replications(copies.size(), settings_.threads, [&](std::uint64_t k) {
        Proposal proposal;
        proposal.index = step * settings_.particles + k;
        proposal.random = randoms[k];
        boost::random::normal_distribution<double> standard;
        Eigen::VectorXd normal(static_cast<Eigen::Index>(parameters));
        for (Eigen::Index p = 0; p < normal.size(); ++p) normal[p] = standard(proposal.random);
        const Eigen::VectorXd offset = factor * normal;
        proposal.parameters.resize(parameters);
        for (std::size_t p = 0; p < parameters; ++p)
            proposal.parameters[p] = natural(p, working(next, copies[k], p) + offset[static_cast<Eigen::Index>(p)]);
        thresholds[k] = std::log(proposal.random.uniform());
        if (settings_.delayed_acceptance) proposal.second_threshold = std::log(proposal.random.uniform());
        for (std::size_t p = 0; p < parameters && !proposal.outside_prior; ++p)
            proposal.outside_prior = !std::isfinite(priors_[p].log_density(proposal.parameters[p]));
        if (!proposal.outside_prior && settings_.support && !settings_.support_all)
            proposal.outside_prior = !settings_.support(proposal.parameters);
        return proposal;
    });
    if (settings_.support_all) refuse_outside_support(proposals);
    if (settings_.delayed_acceptance) screen_steps(proposals, thresholds, screen, copies, next, tolerance, scales);
    simulate_all(proposals, simulator, generation);
    std::uint64_t accepted = 0;
    for (std::size_t k = 0; k < copies.size(); ++k) {
        Proposal& proposal = proposals[k];
        randoms[k] = proposal.random;
        if (proposal.outside_prior) {
            ++sampled.outside;
            continue;
        }
        if (proposal.screened) {
            ++sampled.screened;
            continue;
        }
        ++sampled.simulated;
        const double d = distance(proposal.noisy, scales);
        const auto at = [&](std::size_t slot, std::size_t width) { return static_cast<std::ptrdiff_t>(slot * width); };
        const std::span<const double> current(next.values.data() + copies[k] * parameters, parameters);
        if (!(d <= tolerance)) continue;
        if (settings_.delayed_acceptance) {
            // The second stage undoes the screen's ratio (the prior's was taken in the first): min(1, s(x) / s(x')).
            if (!(proposal.second_threshold < screen.current[k] - proposal.log_screen)) continue;
            screen.current[k] = proposal.log_screen;
        } else if (!(thresholds[k] < log_working_prior(proposal.parameters) - log_working_prior(current))) {
            continue;
        }
        ++accepted;
        std::copy(proposal.parameters.begin(), proposal.parameters.end(),
                  next.values.begin() + at(copies[k], parameters));
        std::copy(proposal.simulated.begin(), proposal.simulated.end(),
                  next.simulated.begin() + at(copies[k], next.figures));
        next.distances[copies[k]] = d;
    }
    return accepted;
}

AbcSmc::Sampled AbcSmc::move_generation(const Simulator& simulator, std::size_t generation, const Population& previous,
                                        double tolerance, double scale, AbcResult& result,
                                        const std::function<double()>& elapsed, const AbcProgress& progress) const {
    const std::size_t parameters = priors_.size(), wanted = settings_.particles;
    const kernel::RandomStreams streams(settings_.seed);
    std::vector<std::size_t> within, beyond;
    for (std::size_t i = 0; i < previous.size(); ++i)
        (previous.distances[i] <= tolerance ? within : beyond).push_back(i);
    if (within.empty()) throw std::runtime_error("calibration: no particle lies within the new tolerance");
    const Eigen::MatrixXd factor = step_factor(previous, within, scale);

    // Replenish: each particle beyond the tolerance is replaced by a copy of one within it, drawn uniformly (the
    // weights are equal).
    Sampled sampled;
    Population& next = sampled.next;
    next = previous;
    kernel::RandomEngine replenish = streams.stream(generation, "abc replenish");
    for (const std::size_t slot : beyond) {
        const std::size_t parent = within[std::min(
            within.size() - 1, static_cast<std::size_t>(replenish.uniform() * static_cast<double>(within.size())))];
        std::copy_n(previous.values.begin() + static_cast<std::ptrdiff_t>(parent * parameters), parameters,
                    next.values.begin() + static_cast<std::ptrdiff_t>(slot * parameters));
        std::copy_n(previous.simulated.begin() + static_cast<std::ptrdiff_t>(parent * next.figures), next.figures,
                    next.simulated.begin() + static_cast<std::ptrdiff_t>(slot * next.figures));
        next.distances[slot] = previous.distances[parent];
    }
    std::fill(next.weights.begin(), next.weights.end(), 1.0 / static_cast<double>(wanted));

    // Move the copies, each from its own stream; the first step's acceptance decides how many steps they take.
    std::vector<kernel::RandomEngine> randoms;
    for (std::size_t k = 0; k < beyond.size(); ++k) randoms.push_back(streams.stream(generation, "abc move", k));
    // Delayed acceptance: the screen's value at each copy's current parameters (it depends on the tolerance).
    Screen screen;
    if (settings_.delayed_acceptance && !beyond.empty()) {
        Eigen::MatrixXd current(static_cast<Eigen::Index>(beyond.size()), static_cast<Eigen::Index>(parameters));
        for (std::size_t k = 0; k < beyond.size(); ++k)
            for (std::size_t p = 0; p < parameters; ++p)
                current(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(p)) = next.value(beyond[k], p);
        screen = start_screen(current, tolerance, result.scales);
    }
    std::size_t steps = settings_.maximum_moves;
    for (std::size_t step = 0; step < steps && !beyond.empty(); ++step) {
        const std::uint64_t accepted =
            take_step(simulator, generation, step, beyond, factor, tolerance, result.scales, randoms, screen, sampled);
        sampled.moves_accepted += accepted;
        sampled.moves = step + 1;
        if (step == 0)
            steps = steps_for(static_cast<double>(accepted) / static_cast<double>(beyond.size()),
                              settings_.unmoved_share, settings_.maximum_moves);
        if (progress.working) progress.working(generation, sampled.simulated, sampled.moves_accepted);
        if (step + 1 >= steps) break;
        if (stop_for_budget(sampled, generation, result, elapsed)) break;
    }
    return sampled;
}

}  // namespace ehsim::calibration
