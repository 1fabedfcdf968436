#include "sim/calibration/abc_smc.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <bit>
#include <boost/random/normal_distribution.hpp>
#include <chrono>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "sim/calibration/abc_smc_state.hpp"
#include "sim/cluster/cluster.hpp"
#include "sim/kernel/replications.hpp"
#include "sim/kernel/statistics.hpp"

namespace ehsim::calibration {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

double median(std::vector<double> values) {
    if (values.empty()) return std::nan("");
    const std::size_t middle = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle), values.end());
    double upper = values[middle];
    if (values.size() % 2 == 1) return upper;
    const double lower = *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle));
    return 0.5 * (lower + upper);
}

// FNV-1a over bytes, for the checkpoint's fingerprint of what determines the result.
struct Fingerprint {
    std::uint64_t value = 0xcbf29ce484222325ULL;
    void add(const void* data, std::size_t size) {
        const auto* bytes = static_cast<const unsigned char*>(data);
        for (std::size_t i = 0; i < size; ++i) value = (value ^ bytes[i]) * 0x100000001b3ULL;
    }
    template <class T>
    void add(const T& item) {
        add(&item, sizeof item);
    }
};

// Different parameter sets among a population's particles (rows of `values`).
std::size_t distinct_rows(const std::vector<double>& values, std::size_t width) {
    if (width == 0) return 0;
    std::vector<std::vector<double>> rows;
    for (std::size_t i = 0; i + width <= values.size(); i += width)
        rows.emplace_back(values.begin() + static_cast<std::ptrdiff_t>(i),
                          values.begin() + static_cast<std::ptrdiff_t>(i + width));
    std::sort(rows.begin(), rows.end());
    return static_cast<std::size_t>(std::unique(rows.begin(), rows.end()) - rows.begin());
}

}  // namespace

AbcSmc::AbcSmc(std::vector<Prior> priors, std::vector<Observation> observations, AbcSettings settings)
    : priors_(std::move(priors)), observations_(std::move(observations)), settings_(std::move(settings)) {
    if (priors_.empty()) throw std::invalid_argument("calibration needs at least one uncertain parameter");
    if (observations_.empty()) throw std::invalid_argument("calibration needs at least one observed figure");
    for (const Prior& prior : priors_) prior.check();
    for (const Observation& observation : observations_) {
        if (!(observation.lower <= observation.upper)) throw std::invalid_argument("an observed range is empty");
        if (!(observation.error_sd >= 0)) throw std::invalid_argument("an observation's error must be >= 0");
        if (observation.fitted && settings_.scale == DistanceScale::stated_error && !(observation.error_sd > 0))
            throw std::invalid_argument("distances scaled by stated errors need every figure's error to be > 0");
    }
    if (std::none_of(observations_.begin(), observations_.end(), [](const Observation& o) { return o.fitted; }))
        throw std::invalid_argument("calibration needs at least one fitted figure");
    if (settings_.particles < 2) throw std::invalid_argument("calibration needs at least 2 particles");
    if (!(settings_.kernel_scale > 0 && std::isfinite(settings_.kernel_scale)))
        throw std::invalid_argument("kernel_scale must be a positive number");
    if (!(settings_.tolerance_quantile > 0 && settings_.tolerance_quantile < 1))
        throw std::invalid_argument("tolerance_quantile must be in (0, 1)");
    if (settings_.method == AbcMethod::mcmc_moves) {
        if (!(settings_.unmoved_share > 0 && settings_.unmoved_share < 1))
            throw std::invalid_argument("unmoved_share must be in (0, 1)");
        if (settings_.maximum_moves < 1) throw std::invalid_argument("maximum_moves must be at least 1");
        if (settings_.target_effective_sample > 0)
            throw std::invalid_argument("target_effective_sample adapts importance weights' kernel, not mcmc_moves");
    }
    if (settings_.delayed_acceptance && settings_.method != AbcMethod::mcmc_moves)
        throw std::invalid_argument("delayed_acceptance screens the steps of mcmc_moves: it needs that method");
    if (!(settings_.surrogate_floor > 0 && settings_.surrogate_floor <= 1))
        throw std::invalid_argument("surrogate_floor must be in (0, 1]");
    first_from_.assign(priors_.size(), 0.0);
    first_to_.assign(priors_.size(), 1.0);
    if (settings_.support_lower.empty() && settings_.support_upper.empty()) return;
    if (settings_.support_lower.size() != priors_.size() || settings_.support_upper.size() != priors_.size())
        throw std::invalid_argument("the support's box needs one lower and one upper bound per parameter");
    for (std::size_t p = 0; p < priors_.size(); ++p) {
        first_from_[p] = priors_[p].cdf(settings_.support_lower[p]);
        first_to_[p] = priors_[p].cdf(settings_.support_upper[p]);
        if (!(first_from_[p] < first_to_[p]))
            throw std::invalid_argument("the support's box holds no prior mass for parameter " + std::to_string(p));
    }
}

double AbcSmc::distance(const std::vector<double>& simulated, const std::vector<double>& scales) const {
    double total = 0;
    std::size_t fitted = 0;
    for (std::size_t k = 0; k < observations_.size(); ++k) {
        if (!observations_[k].fitted) continue;
        ++fitted;
        const double value = simulated[k];
        if (std::isnan(value)) return kInfinity;
        const Observation& observed = observations_[k];
        const double off =
            value < observed.lower ? observed.lower - value : (value > observed.upper ? value - observed.upper : 0.0);
        total += (off / scales[k]) * (off / scales[k]);
    }
    return std::sqrt(total / static_cast<double>(fitted));
}

std::vector<std::size_t> AbcSmc::resample(const std::vector<double>& weights, std::size_t draws,
                                          kernel::RandomEngine& random) {
    std::vector<std::size_t> chosen;
    chosen.reserve(draws);
    const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
    const double step = total / static_cast<double>(draws);
    double position = random.uniform() * step, cumulative = weights.empty() ? 0 : weights[0];
    std::size_t particle = 0;
    for (std::size_t draw = 0; draw < draws; ++draw) {
        while (position > cumulative && particle + 1 < weights.size()) cumulative += weights[++particle];
        chosen.push_back(particle);
        position += step;
    }
    return chosen;
}

std::uint64_t AbcSmc::fingerprint() const {
    Fingerprint print;
    for (const Prior& prior : priors_) {
        print.add(prior.kind);
        print.add(prior.first);
        print.add(prior.second);
        print.add(prior.lower);
        print.add(prior.upper);
    }
    for (const Observation& observation : observations_) {
        print.add(observation.lower);
        print.add(observation.upper);
        print.add(observation.error_sd);
        if (!observation.fitted) print.add(observation.fitted);  // so that fitted-only checkpoints keep theirs
    }
    // The budgets and the generation limit only decide where a run stops, so a resumed run may extend them.
    print.add(settings_.particles);
    print.add(settings_.seed);
    print.add(settings_.tolerance_quantile);
    print.add(settings_.scale);
    print.add(settings_.noisy_acceptance);
    print.add(settings_.kernel);
    print.add(settings_.kernel_scale);
    if (settings_.target_effective_sample > 0) print.add(settings_.target_effective_sample);
    print.add(settings_.minimum_tolerance);
    print.add(settings_.minimum_acceptance_rate);
    print.add(settings_.minimum_tolerance_change);
    print.add(settings_.salt);
    // Added only for the method that came later, so that earlier checkpoints keep their fingerprints.
    if (settings_.method == AbcMethod::mcmc_moves) {
        print.add(settings_.method);
        print.add(settings_.unmoved_share);
        print.add(settings_.maximum_moves);
        if (settings_.least_steps_inside > 0) print.add(settings_.least_steps_inside);
        if (settings_.delayed_acceptance) {
            print.add(settings_.delayed_acceptance);
            print.add(settings_.surrogate_floor);
        }
    }
    return print.value;
}

bool AbcSmc::on_log_scale(std::size_t parameter) const { return priors_[parameter].kind == PriorKind::log_uniform; }

double AbcSmc::working(const Population& population, std::size_t particle, std::size_t parameter) const {
    return on_log_scale(parameter) ? std::log(population.value(particle, parameter))
                                   : population.value(particle, parameter);
}

double AbcSmc::natural(std::size_t parameter, double coordinate) const {
    return on_log_scale(parameter) ? std::exp(coordinate) : coordinate;
}

AbcResult AbcSmc::run(const Simulator& simulator, bool resume, const AbcProgress& progress) {
    if (settings_.delayed_acceptance && !settings_.surrogate)
        throw std::invalid_argument("delayed_acceptance needs a surrogate: history matching's emulators");
    State state;
    if (resume && !load_checkpoint(state))
        throw std::runtime_error("cannot resume: no checkpoint at '" + settings_.checkpoint_file + "'");
    // The scales are decided by the history, so the checkpoint need not hold them.
    for (std::size_t g = 1; g < state.result.history.size(); ++g)
        state.result.history[g].kernel_scale =
            kernel_scale({state.result.history.begin(), state.result.history.begin() + static_cast<std::ptrdiff_t>(g)});
    AbcResult& result = state.result;
    const auto started = std::chrono::steady_clock::now();
    const double elapsed_at_start = state.elapsed_before;
    const std::function<double()> elapsed = [&] {
        // The manager's clock on every rank of an MPI job, so that a wall-time budget stops them all alike.
        return cluster::managers(elapsed_at_start +
                                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    };
    const bool moves = settings_.method == AbcMethod::mcmc_moves;
    while (result.stop_reason.empty()) {
        const std::size_t generation = state.next_generation;
        if (generation >= settings_.maximum_generations) {
            result.stop_reason = "maximum number of generations reached";
            break;
        }
        const double generation_started = elapsed();
        const Population& previous = result.population;
        double tolerance = kInfinity;
        bool last = false;
        double scale = 0;
        Kernel kernel;
        if (generation > 0) {
            tolerance = kernel::weighted_quantile(previous.distances, previous.weights, settings_.tolerance_quantile);
            // Replenishment needs particles beyond the tolerance: where ties (discrete figures) put every particle
            // within the quantile, the tolerance comes down to the next distance below it.
            const auto any_beyond = [&] {
                return std::any_of(previous.distances.begin(), previous.distances.end(),
                                   [&](double d) { return d > tolerance; });
            };
            if (moves && !any_beyond()) {
                double below = -kInfinity;
                for (const double d : previous.distances)
                    if (d < tolerance) below = std::max(below, d);
                if (below > -kInfinity) tolerance = below;
            }
            if (tolerance <= settings_.minimum_tolerance) {
                tolerance = settings_.minimum_tolerance;
                last = true;
            }
            if (moves && !last && !any_beyond()) {
                result.stop_reason = "every particle lies at the same distance: the tolerance cannot fall";
                break;
            }
            scale = kernel_scale(result.history);
            if (!moves) kernel = perturbation_kernel(previous, tolerance, scale);
        }
        Sampled sampled =
            generation > 0 && moves
                ? move_generation(simulator, generation, previous, tolerance, scale, result, elapsed, progress)
                : sample_generation(simulator, generation, previous, kernel, tolerance, result, elapsed, progress);
        if (sampled.out_of_budget) {
            if (generation == 0) throw std::runtime_error("calibration: " + result.stop_reason + ", before any result");
            break;  // the last complete generation stands
        }
        if (generation == 0)
            scale_distances(sampled, result);
        else if (!moves)
            weigh(sampled.next, previous, kernel);
        close_generation(state, sampled, tolerance, last, elapsed() - generation_started);
        result.history.back().kernel_scale = scale;
        if (!settings_.checkpoint_file.empty()) {
            state.elapsed_before = elapsed();
            save_checkpoint(state);
        }
        if (progress.generation_done) progress.generation_done(result.history.back());
    }
    return result;
}

AbcSmc::Proposal AbcSmc::draw(const kernel::RandomStreams& streams, std::size_t generation, std::uint64_t index,
                              const Population& previous, const Kernel& kernel) const {
    const std::size_t parameters = priors_.size();
    Proposal proposal;
    proposal.index = index;
    proposal.random = streams.stream(generation, "abc proposal", index);
    kernel::RandomEngine& random = proposal.random;
    proposal.parameters.resize(parameters);
    if (generation == 0) {
        // Inside history matching's space: draws from the prior until one is (a cheap test beside a simulation).
        // Candidates come in blocks from the proposal's own stream and the first inside is kept, so the draw is
        // the same whether the space tests them one by one or a block at once.
        constexpr std::uint64_t kMostDraws = 10'000'000;
        const bool restricted = settings_.support || settings_.support_all;
        const Eigen::Index kBlock = restricted ? 64 : 1;
        Eigen::MatrixXd block(kBlock, static_cast<Eigen::Index>(parameters));
        for (std::uint64_t drawn = 0;; drawn += kBlock) {
            if (drawn >= kMostDraws)
                throw std::runtime_error(
                    "calibration: no draw of the prior in 10,000,000 fell inside history "
                    "matching's space left");
            for (Eigen::Index i = 0; i < kBlock; ++i)
                for (std::size_t p = 0; p < parameters; ++p)
                    block(i, static_cast<Eigen::Index>(p)) =
                        priors_[p].quantile(first_from_[p] + random.uniform() * (first_to_[p] - first_from_[p]));
            Eigen::Index chosen = restricted ? -1 : 0;
            if (chosen < 0 && settings_.support_all) {
                const std::vector<bool> inside = settings_.support_all(block);
                for (Eigen::Index i = 0; i < kBlock && chosen < 0; ++i)
                    if (inside[static_cast<std::size_t>(i)]) chosen = i;
            }
            for (Eigen::Index i = 0; i < kBlock && chosen < 0 && settings_.support && !settings_.support_all; ++i)
                if (settings_.support(std::vector<double>(block.row(i).begin(), block.row(i).end()))) chosen = i;
            if (chosen >= 0) {
                for (std::size_t p = 0; p < parameters; ++p)
                    proposal.parameters[p] = block(chosen, static_cast<Eigen::Index>(p));
                break;
            }
        }
    } else {
        const std::vector<double>& cumulative = kernel.cumulative_weights;
        const double pick = random.uniform() * cumulative.back();
        const std::size_t from =
            static_cast<std::size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), pick) - cumulative.begin());
        const std::size_t parent = std::min(from, previous.size() - 1);
        Eigen::VectorXd normal(static_cast<Eigen::Index>(parameters));
        boost::random::normal_distribution<double> standard;
        for (Eigen::Index p = 0; p < normal.size(); ++p) normal[p] = standard(random);
        // The local kernel's extra spread along the parent's offset: one more standard normal.
        const Eigen::VectorXd step =
            kernel.offsets.size() == 0
                ? Eigen::VectorXd(kernel.factor * normal)
                : Eigen::VectorXd(kernel.factor *
                                  (normal + kernel.offsets.col(static_cast<Eigen::Index>(parent)) * standard(random)));
        for (std::size_t p = 0; p < parameters; ++p)
            proposal.parameters[p] = natural(p, working(previous, parent, p) + step[static_cast<Eigen::Index>(p)]);
    }
    for (std::size_t p = 0; p < parameters; ++p)
        if (!std::isfinite(priors_[p].log_density(proposal.parameters[p]))) {
            proposal.outside_prior = true;
            return proposal;
        }
    // Without a batch test, each proposal is tested against the space left here, on its worker.
    if (generation > 0 && settings_.support && !settings_.support_all && !settings_.support(proposal.parameters))
        proposal.outside_prior = true;
    return proposal;
}

// The batch's proposals inside the prior tested against the space left at once (AbcSettings::support_all).
void AbcSmc::refuse_outside_support(std::vector<Proposal>& proposals) const {
    std::vector<std::size_t> tested;
    const Eigen::MatrixXd points = rows_inside(proposals, tested);
    if (tested.empty()) return;
    const std::vector<bool> inside = in_chunks<bool>(points, settings_.threads, settings_.support_all);
    for (std::size_t r = 0; r < tested.size(); ++r)
        if (!inside[r]) proposals[tested[r]].outside_prior = true;
}

Eigen::MatrixXd AbcSmc::rows_inside(const std::vector<Proposal>& proposals, std::vector<std::size_t>& which) const {
    which.clear();
    for (std::size_t i = 0; i < proposals.size(); ++i)
        if (!proposals[i].outside_prior) which.push_back(i);
    Eigen::MatrixXd rows(static_cast<Eigen::Index>(which.size()), static_cast<Eigen::Index>(priors_.size()));
    for (std::size_t r = 0; r < which.size(); ++r)
        for (std::size_t p = 0; p < priors_.size(); ++p)
            rows(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(p)) = proposals[which[r]].parameters[p];
    return rows;
}

// Proposals in batches until enough are accepted, or a budget or the acceptance floor stops the generation.
AbcSmc::Sampled AbcSmc::sample_generation(const Simulator& simulator, std::size_t generation,
                                          const Population& previous, const Kernel& kernel, double tolerance,
                                          AbcResult& result, const std::function<double()>& elapsed,
                                          const AbcProgress& progress) const {
    const std::size_t wanted = settings_.particles;
    // A batch's size depends on the particle count only, so where a budget stops a run does not depend on the
    // number of threads.
    const std::size_t batch = std::max<std::size_t>(64, wanted / 4);
    const kernel::RandomStreams streams(settings_.seed);
    Sampled sampled;
    Population& next = sampled.next;
    next.parameters = priors_.size();
    next.figures = observations_.size();
    std::uint64_t index = 0;
    while (next.weights.size() < wanted) {
        std::vector<Proposal> proposals = kernel::run_replications(batch, settings_.threads, [&](std::uint64_t i) {
            return draw(streams, generation, index + i, previous, kernel);
        });
        if (generation > 0 && settings_.support_all) refuse_outside_support(proposals);
        simulate_all(proposals, simulator, generation);
        for (std::size_t i = 0; i < proposals.size() && next.weights.size() < wanted; ++i) {
            Proposal& proposal = proposals[i];
            if (proposal.outside_prior) {
                ++sampled.outside;
                continue;
            }
            ++sampled.simulated;
            const double d = generation == 0 ? 0.0 : distance(proposal.noisy, result.scales);
            if (generation > 0 && !(d <= tolerance)) continue;
            next.values.insert(next.values.end(), proposal.parameters.begin(), proposal.parameters.end());
            next.simulated.insert(next.simulated.end(), proposal.simulated.begin(), proposal.simulated.end());
            next.distances.push_back(d);
            next.weights.push_back(1.0);
            sampled.noisy.push_back(std::move(proposal.noisy));
        }
        index += batch;
        if (progress.working) progress.working(generation, sampled.simulated, next.weights.size());
        if (next.weights.size() >= wanted) break;
        // The acceptance floor, checked as the generation runs: a generation that could only end below it
        // would otherwise run on without bound.
        const double most = settings_.minimum_acceptance_rate > 0
                                ? static_cast<double>(wanted) / settings_.minimum_acceptance_rate
                                : std::numeric_limits<double>::infinity();
        if (generation > 0 && static_cast<double>(sampled.simulated) > most)
            result.stop_reason = "acceptance rate below its floor during generation " + std::to_string(generation);
        if (stop_for_budget(sampled, generation, result, elapsed)) break;
    }
    return sampled;
}

// Whether a budget (or a stop already decided) ends the generation while it runs; it then names the budget.
bool AbcSmc::stop_for_budget(Sampled& sampled, std::size_t generation, AbcResult& result,
                             const std::function<double()>& elapsed) const {
    const std::string during = " during generation " + std::to_string(generation);
    if (result.stop_reason.empty() && result.total_simulations + sampled.simulated >= settings_.simulation_budget)
        result.stop_reason = "simulation budget spent" + during;
    if (result.stop_reason.empty() && elapsed() >= settings_.wall_time_budget_seconds)
        result.stop_reason = "wall-time budget spent" + during;
    sampled.out_of_budget = !result.stop_reason.empty();
    return sampled.out_of_budget;
}

// The first generation: each figure's scale is its spread across the prior's simulations, or its stated
// error; then the distances on those scales, and equal weights.
void AbcSmc::scale_distances(Sampled& sampled, AbcResult& result) const {
    const std::size_t figures = observations_.size(), wanted = settings_.particles;
    Population& next = sampled.next;
    result.scales.assign(figures, 1.0);
    for (std::size_t k = 0; k < figures; ++k) {
        double scale = observations_[k].error_sd;
        if (settings_.scale == DistanceScale::median_absolute_deviation) {
            std::vector<double> values;
            for (std::size_t i = 0; i < wanted; ++i)
                if (std::isfinite(next.simulated[i * figures + k])) values.push_back(next.simulated[i * figures + k]);
            const double centre = median(values);
            for (double& value : values) value = std::abs(value - centre);
            const double spread = median(values);
            if (spread > 0) scale = spread;
        }
        result.scales[k] = scale > 0 ? scale : 1.0;
    }
    for (std::size_t i = 0; i < wanted; ++i) next.distances[i] = distance(sampled.noisy[i], result.scales);
    std::fill(next.weights.begin(), next.weights.end(), 1.0 / static_cast<double>(wanted));
}

// The generation's summary joins the history, its population replaces the last, and the stopping rules are read.
void AbcSmc::close_generation(State& state, Sampled& sampled, double tolerance, bool last, double wall_seconds) const {
    AbcResult& result = state.result;
    const std::size_t generation = state.next_generation, wanted = settings_.particles;
    Population& next = sampled.next;
    GenerationSummary summary;
    summary.generation = generation;
    summary.tolerance = generation == 0 ? kernel::weighted_quantile(next.distances, next.weights, 1.0) : tolerance;
    summary.simulations = sampled.simulated;
    summary.proposals_outside_prior = sampled.outside;
    summary.proposals_screened = sampled.screened;
    const bool moved = generation > 0 && settings_.method == AbcMethod::mcmc_moves;
    summary.acceptance_rate =
        moved ? static_cast<double>(sampled.moves_accepted) /
                    static_cast<double>(
                        std::max<std::uint64_t>(1, sampled.simulated + sampled.outside + sampled.screened))
              : static_cast<double>(wanted) / static_cast<double>(std::max<std::uint64_t>(1, sampled.simulated));
    summary.moves = moved ? sampled.moves : 0;
    summary.distinct_particles = distinct_rows(next.values, next.parameters);
    double squares = 0;
    for (const double weight : next.weights) squares += weight * weight;
    summary.effective_sample_size = 1.0 / squares;
    summary.wall_seconds = wall_seconds;
    const double previous_tolerance = result.history.empty() ? kInfinity : result.history.back().tolerance;
    result.history.push_back(summary);
    result.total_simulations += sampled.simulated;
    result.population = std::move(next);
    state.next_generation = generation + 1;
    if (last) {
        result.stop_reason = "tolerance floor reached";
    } else if (generation > 0 && summary.acceptance_rate < settings_.minimum_acceptance_rate) {
        result.stop_reason = moved ? "moves' acceptance rate below its floor" : "acceptance rate below its floor";
    } else if (generation > 1 &&
               (previous_tolerance - tolerance) / previous_tolerance < settings_.minimum_tolerance_change) {
        result.stop_reason = "tolerance no longer falling";
    }
}

}  // namespace ehsim::calibration
