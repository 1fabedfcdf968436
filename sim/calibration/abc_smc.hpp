// Approximate Bayesian computation by sequential Monte Carlo (population Monte Carlo, Beaumont et al.
// 2009): a population of parameter sets is moved, generation by generation, towards those whose
// simulated figures come within a shrinking tolerance of the observed ones. Knows nothing of families:
// the simulator is a function from parameters to simulated figures.
//
// Deterministic by construction: proposal i of generation g draws from its own stream keyed on (seed, g,
// i), and a generation keeps the N accepted proposals with the lowest indices, so the result does not
// depend on how many workers evaluate proposals, nor on whether the run was interrupted and resumed.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "sim/calibration/priors.hpp"

namespace ehsim::calibration {

// What was observed of one figure: a value, or a range ("about 1,000": lower < upper), and the standard
// deviation of its error (sampling error and model discrepancy together).
struct Observation {
    double lower = 0, upper = 0;
    double error_sd = 0;
    bool fitted = true;  // false: simulated and kept with the particles, but no part of the distance
};

enum class DistanceScale {
    median_absolute_deviation,  // of the first generation's (the prior's) simulated figures
    stated_error,               // each figure's error_sd
};

// How a proposal moves away from the particle it was drawn from (its parent), in working coordinates: a normal
// about the parent, with s = AbcSettings::kernel_scale.
enum class PerturbationKernel {
    // s times the last generation's weighted covariance, the same about every parent (Beaumont et al. 2009's
    // kernel with s = 2);
    global,
    // s C + (m - x_j)(m - x_j)' about parent j, where C and m are the weighted covariance and mean of the last
    // generation's particles already within the new tolerance, which are also the only parents. At s = 1 this
    // is the optimal local covariance of Filippi et al. (2013), the weighted mean of (x_k - x_j)(x_k - x_j)' over
    // those particles; parents only from them as in Lenormand et al. (2013). Why: it steps about as far as the
    // particles that will be kept lie from each parent, so in many dimensions far more proposals are accepted.
    local,
};

// How a generation reaches its new tolerance.
enum class AbcMethod {
    // Beaumont et al. (2009)'s population Monte Carlo: proposals from the perturbation kernel about the last
    // generation until N fall within the tolerance, each weighted by prior over the kernels' mixture.
    importance_weights,
    // Drovandi and Pettitt (2011)'s replenishment: the particles beyond the new tolerance are replaced by copies
    // of those within it, and each copy takes Metropolis-Hastings steps whose invariant law is the prior times
    // 1(distance <= tolerance). Weights stay equal, so no mixture's density can make them uneven in many
    // dimensions; what a generation may lack instead is distinct particles, which it counts.
    mcmc_moves,
};

// What one run would give at many parameter sets (natural values, one set per row): per fitted figure (a column
// each, in the observations' order), the predicted mean and the variance of a run about it.
struct RunPredictions {
    Eigen::MatrixXd mean, variance;
};
using RunSurrogate = std::function<RunPredictions(const Eigen::MatrixXd& natural)>;

struct AbcSettings {
    std::size_t particles = 1000;
    AbcMethod method = AbcMethod::importance_weights;
    std::uint64_t seed = 1;
    double tolerance_quantile = 0.5;  // each tolerance: this weighted quantile of the last generation's distances
    DistanceScale scale = DistanceScale::stated_error;
    bool noisy_acceptance = false;  // add each figure's error to its simulated value before the distance
    // Global by default: on Walsall's space left by history matching its weights stayed far more even (an effective
    // sample of 166 against 29 in the second generation, docs/calibration.md); local is faster on smooth targets.
    PerturbationKernel kernel = PerturbationKernel::global;
    // Why 2 for both: a proposal a little wider than the target keeps the importance weights even. Measured on a
    // 16-parameter toy, the local kernel at scale 1 accepted 36-93% of proposals but left an effective sample of
    // 70-170 of 1,000; at 2, 490-610 with 2.5 times fewer simulations than the global kernel; at 2.5, about 700.
    double kernel_scale = 2;
    // With a share > 0, the scale adapts from one generation to the next: a generation whose effective sample
    // fell below this share of the particles widens the next kernel by half (weights even out, acceptance
    // falls); one above the share plus 0.25 narrows it by a fifth. Decided by the history alone (deterministic,
    // the same on resuming), and every weight is still that of the kernel actually used. 0: the scale stays.
    double target_effective_sample = 0;
    // mcmc_moves: each copy takes as many steps as make it unmoved with at most this chance, reckoned from the
    // first step's acceptance (Drovandi and Pettitt's c), but no more than maximum_moves. The steps' covariance is
    // kernel_scale times the covariance of the particles within the tolerance.
    double unmoved_share = 0.01;
    std::size_t maximum_moves = 30;
    // mcmc_moves, with a share > 0: when fewer of a generation's steps than this share land inside the prior and
    // history matching's space, the next generation's steps shrink in proportion (to at most a tenth), and grow back
    // (at most doubled, never past kernel_scale) when more do. Steps sized by the particles' covariance cross a
    // thin, curved space left (Walsall: 95% of steps outside at 0.35); a step outside costs no run but moves
    // nothing. Only the space's share is read, not the tolerance's acceptance, which no step size can raise.
    // Decided by the history alone (the same on resuming). 0: the scale stays.
    double least_steps_inside = 0;
    // Stop at the first of these (after a complete generation, except the budgets, which are checked
    // while a generation runs and then keep the last complete generation).
    double minimum_tolerance = 0;
    double minimum_acceptance_rate = 0.01;
    double minimum_tolerance_change = 0.01;  // relative fall of the tolerance from one generation to the next
    std::size_t maximum_generations = 30;
    std::uint64_t simulation_budget = std::numeric_limits<std::uint64_t>::max();
    double wall_time_budget_seconds = std::numeric_limits<double>::infinity();
    unsigned threads = 1;
    std::string checkpoint_file;  // empty: no checkpoint
    // Mixed into the checkpoint's fingerprint: what else decides the result (the simulator's scenario, its
    // parameter paths, the figures' definitions), so that a checkpoint of another set-up is never resumed.
    std::uint64_t salt = 0;
    // History matching's space left (natural parameter values in: inside or not), or empty for none. With it,
    // the prior is read as truncated to the space: the first generation draws from the prior until a draw is
    // inside, and later proposals outside it are refused like those outside the prior (the truncation's
    // constant cancels in the weights). What decides it must be mixed into `salt`.
    std::function<bool(const std::vector<double>&)> support;
    // Optional: `support` for many parameter sets at once (one per row): the first generation's candidates and
    // each later batch's proposals are then tested together.
    std::function<std::vector<bool>(const Eigen::MatrixXd&)> support_all;
    // A box (natural values, one bound per parameter) holding all of `support`, or empty: the first generation
    // then draws the prior restricted to the box (by inversion) before testing `support`, instead of the whole
    // prior, whose mass may lie almost all outside a small space left.
    std::vector<double> support_lower, support_upper;
    // mcmc_moves with delayed acceptance (Christen and Fox 2005; for ABC, Everitt and Rowinska 2021): a step is first
    // screened with `surrogate`, a cheap prediction of the figures one run would give, and only a step the screen
    // passes is simulated; a second test, on the run, corrects for the screen, so the moves' invariant law is still the
    // prior times 1(distance <= tolerance), however poor the prediction (a poor one only screens out good steps).
    // The screen's value at x is P(x) + floor x the mean of P over the generation's copies before they move, P(x)
    // the chance that a run at x comes within the tolerance as the predictions say (a gamma law matched to the mean
    // and variance of the squared distance). The floor bounds how far a confidently wrong prediction can hold a
    // copy back; relative to the copies' chances, because at a small tolerance every chance is small.
    bool delayed_acceptance = false;
    double surrogate_floor = 0.02;
    RunSurrogate surrogate;
};

// Simulated figures for a parameter set; the simulator draws from streams keyed on (generation, index)
// only. A NaN figure puts the proposal at infinite distance.
using Simulator = std::function<std::vector<double>(const std::vector<double>& parameters, std::uint64_t generation,
                                                    std::uint64_t index)>;

struct GenerationSummary {
    std::size_t generation = 0;
    double tolerance = 0;
    double acceptance_rate = 0;        // accepted / simulated, up to the last proposal kept (mcmc_moves: of steps)
    double effective_sample_size = 0;  // (sum w)^2 / sum w^2
    std::uint64_t simulations = 0;     // proposals simulated, up to the last one kept
    std::uint64_t proposals_outside_prior = 0;
    std::uint64_t proposals_screened = 0;  // delayed acceptance: steps the surrogate refused, so never simulated
    double wall_seconds = 0;
    double kernel_scale = 0;  // the perturbation kernel's scale (0 for the first generation, drawn from the prior)
    std::size_t distinct_particles = 0;  // different parameter sets among the particles
    std::size_t moves = 0;               // mcmc_moves: the steps each copy took (0 otherwise)
};

struct Population {
    std::size_t parameters = 0, figures = 0;
    std::vector<double> values;     // [particle][parameter]
    std::vector<double> weights;    // normalised to sum to 1
    std::vector<double> distances;  // [particle]
    std::vector<double> simulated;  // [particle][figure], as simulated (before any noise)
    std::size_t size() const { return weights.size(); }
    double value(std::size_t particle, std::size_t parameter) const {
        return values[particle * parameters + parameter];
    }
};

struct AbcResult {
    Population population;
    std::vector<GenerationSummary> history;
    std::vector<double> scales;  // each figure's distance scale
    std::string stop_reason;
    std::uint64_t total_simulations = 0;
};

// Progress: called after each completed generation, and with the simulations so far while one runs.
struct AbcProgress {
    std::function<void(const GenerationSummary&)> generation_done;
    std::function<void(std::size_t generation, std::uint64_t simulations, std::size_t accepted)> working;
};

class AbcSmc {
public:
    AbcSmc(std::vector<Prior> priors, std::vector<Observation> observations, AbcSettings settings);

    // Runs from the start, or, with `resume`, from the checkpoint file (which must come from the same
    // priors, observations and settings); the result is the same either way.
    AbcResult run(const Simulator& simulator, bool resume = false, const AbcProgress& progress = {});

    // The distance of simulated figures from the observations, with the given scales (and noise, if any).
    double distance(const std::vector<double>& simulated, const std::vector<double>& scales) const;

    // N equal-weight draws from a weighted population (systematic resampling): the particle indices.
    static std::vector<std::size_t> resample(const std::vector<double>& weights, std::size_t draws,
                                             kernel::RandomEngine& random);

private:
    struct State;     // a run's result so far and where it goes on from
    struct Kernel;    // the perturbation kernel around the last generation
    struct Proposal;  // one evaluated proposal
    struct Sampled;   // one generation's accepted proposals and what it took to find them
    struct Screen;    // delayed acceptance: a generation's screen of the steps

    Kernel perturbation_kernel(const Population& previous, double tolerance, double scale) const;
    double kernel_scale(const std::vector<GenerationSummary>& history) const;
    // A proposal's parameters (and whether they lie outside the prior), then its simulation: apart, so that a
    // batch's proposals can be tested against history matching's space together in between.
    Proposal draw(const kernel::RandomStreams& streams, std::size_t generation, std::uint64_t index,
                  const Population& previous, const Kernel& kernel) const;
    void refuse_outside_support(std::vector<Proposal>& proposals) const;
    // The parameters of the proposals still inside the prior, a row each, and which proposals they are.
    Eigen::MatrixXd rows_inside(const std::vector<Proposal>& proposals, std::vector<std::size_t>& which) const;
    // Delayed acceptance (abc_delayed_acceptance.cpp): the surrogate's chance that a run at each row's parameters
    // (natural values) comes within the tolerance, with the given distance scales.
    std::vector<double> chances_within(const Eigen::MatrixXd& natural, double tolerance,
                                       const std::vector<double>& scales) const;
    // A generation's screen, fixed before its first step: its floor and its log value at each copy's parameters.
    Screen start_screen(const Eigen::MatrixXd& copies, double tolerance, const std::vector<double>& scales) const;
    // The first stage for each proposal inside the prior and the space left: refused ones are marked screened.
    void screen_steps(std::vector<Proposal>& proposals, const std::vector<double>& thresholds, const Screen& screen,
                      const std::vector<std::size_t>& copies, const Population& next, double tolerance,
                      const std::vector<double>& scales) const;
    // Simulates the proposals neither outside the prior nor screened out: spread over an MPI job's ranks (every
    // rank gets every result: all take the next step together), then each one's noise from its own stream.
    void simulate_all(std::vector<Proposal>& proposals, const Simulator& simulator, std::size_t generation) const;
    Sampled sample_generation(const Simulator& simulator, std::size_t generation, const Population& previous,
                              const Kernel& kernel, double tolerance, AbcResult& result,
                              const std::function<double()>& elapsed, const AbcProgress& progress) const;
    // mcmc_moves: the generation reached by replenishing and moving the last one (abc_moves.cpp).
    Sampled move_generation(const Simulator& simulator, std::size_t generation, const Population& previous,
                            double tolerance, double scale, AbcResult& result, const std::function<double()>& elapsed,
                            const AbcProgress& progress) const;
    // The prior's log density in working coordinates (times the Jacobian of a log scale): the importance weights'
    // numerator and the moves' invariant law.
    double log_working_prior(std::span<const double> parameters) const;
    Eigen::MatrixXd step_factor(const Population& previous, const std::vector<std::size_t>& within, double scale) const;
    std::uint64_t take_step(const Simulator& simulator, std::size_t generation, std::size_t step,
                            const std::vector<std::size_t>& copies, const Eigen::MatrixXd& factor, double tolerance,
                            const std::vector<double>& scales, std::vector<kernel::RandomEngine>& randoms,
                            Screen& screen, Sampled& sampled) const;
    bool stop_for_budget(Sampled& sampled, std::size_t generation, AbcResult& result,
                         const std::function<double()>& elapsed) const;
    void scale_distances(Sampled& sampled, AbcResult& result) const;
    void weigh(Population& next, const Population& previous, const Kernel& kernel) const;
    void close_generation(State& state, Sampled& sampled, double tolerance, bool last, double wall_seconds) const;
    // Particles move in working coordinates: the logarithm for a log-uniform prior (whose mass spans orders of
    // magnitude, where a step of one size fits none), the value itself otherwise.
    bool on_log_scale(std::size_t parameter) const;
    double working(const Population& population, std::size_t particle, std::size_t parameter) const;
    double natural(std::size_t parameter, double coordinate) const;

    void save_checkpoint(const State& state) const;
    bool load_checkpoint(State& state) const;
    std::uint64_t fingerprint() const;

    std::vector<Prior> priors_;
    std::vector<Observation> observations_;
    AbcSettings settings_;
    std::vector<double> first_from_, first_to_;  // each prior's share below the support box's bounds (0 and 1)
};

}  // namespace ehsim::calibration
