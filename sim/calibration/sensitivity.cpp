#include "sim/calibration/sensitivity.hpp"

#include <algorithm>
#include <boost/random/sobol.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "sim/cluster/cluster.hpp"
#include "sim/kernel/random_streams.hpp"
#include "sim/kernel/replications.hpp"
#include "sim/kernel/statistics.hpp"

namespace ehsim::calibration {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A uniform integer in [0, count): Boost's distribution rather than the standard library's, whose algorithm is
// unspecified, so that a seed gives the same design with every compiler.
std::size_t uniform_index(kernel::RandomEngine& random, std::size_t count) {
    return boost::random::uniform_int_distribution<std::size_t>(0, count - 1)(random);
}

// Fisher-Yates, for the same reason: std::shuffle's sequence differs between standard libraries.
void shuffle(std::vector<std::size_t>& order, kernel::RandomEngine& random) {
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[uniform_index(random, i)]);
}

void check_morris(std::size_t inputs, const MorrisSettings& settings) {
    if (inputs == 0) throw std::invalid_argument("Morris: needs at least one input");
    if (settings.levels < 2 || settings.levels % 2 != 0)
        throw std::invalid_argument("Morris: the number of levels must be even and at least 2");
    if (settings.trajectories < 2) throw std::invalid_argument("Morris: needs at least two trajectories");
}

}  // namespace

Table evaluate(const std::vector<SensitivityInput>& inputs, const SensitivityModel& model, const Table& unit_points,
               unsigned threads) {
    if (unit_points.columns != inputs.size())
        throw std::invalid_argument("sensitivity: the design has " + std::to_string(unit_points.columns) +
                                    " columns for " + std::to_string(inputs.size()) + " inputs");
    // Each evaluation is stored at its own index: the order in which threads (or an MPI job's ranks, every one of
    // which gets every evaluation) finish is invisible.
    const std::vector<std::vector<double>> rows = cluster::run_number_tasks(
        unit_points.rows, threads,
        [&](std::uint64_t evaluation) {
            std::vector<double> natural(inputs.size());
            for (std::size_t i = 0; i < inputs.size(); ++i) natural[i] = inputs[i].natural(unit_points(evaluation, i));
            return model(natural, evaluation);
        },
        true);
    if (rows.empty()) return Table{};
    Table outputs(rows.size(), rows.front().size());
    for (std::size_t e = 0; e < rows.size(); ++e) {
        if (rows[e].size() != outputs.columns)
            throw std::runtime_error("sensitivity: evaluation " + std::to_string(e) + " gave " +
                                     std::to_string(rows[e].size()) + " outputs, evaluation 0 gave " +
                                     std::to_string(outputs.columns));
        std::copy(rows[e].begin(), rows[e].end(),
                  outputs.values.begin() + static_cast<std::ptrdiff_t>(e * outputs.columns));
    }
    return outputs;
}

// ---- Morris ----

// Morris's construction (his B* = (J x* + (delta/2)((2B - J) D* + J)) P*), written out: a base point on the
// levels from which a step of delta stays on the grid, a random direction per input (starting delta above the
// base for a step down), and the inputs changed one at a time in a random order.
MorrisDesign morris_design(std::size_t inputs, const MorrisSettings& settings) {
    check_morris(inputs, settings);
    const std::size_t half = settings.levels / 2;  // delta in grid steps
    const auto grid = static_cast<double>(settings.levels - 1);
    const std::size_t r = settings.trajectories;
    MorrisDesign design;
    design.points = Table(r * (inputs + 1), inputs);
    design.changed.resize(r * inputs);
    design.direction.resize(r * inputs);
    design.delta = static_cast<double>(half) / grid;
    const kernel::RandomStreams streams(settings.seed);
    for (std::size_t t = 0; t < r; ++t) {
        // Each trajectory from its own stream: trajectory t is the same whatever r is.
        kernel::RandomEngine random = streams.stream(t, "morris trajectory");
        std::vector<std::size_t> level(inputs);
        std::vector<int> direction(inputs);
        for (std::size_t i = 0; i < inputs; ++i) {
            const std::size_t base = uniform_index(random, half);
            direction[i] = uniform_index(random, 2) == 0 ? 1 : -1;
            level[i] = direction[i] > 0 ? base : base + half;
        }
        std::vector<std::size_t> order(inputs);
        std::iota(order.begin(), order.end(), std::size_t{0});
        shuffle(order, random);
        const std::size_t first = t * (inputs + 1);
        for (std::size_t step = 0; step <= inputs; ++step) {
            if (step > 0) {
                const std::size_t i = order[step - 1];
                level[i] = direction[i] > 0 ? level[i] + half : level[i] - half;
                design.changed[t * inputs + step - 1] = i;
                design.direction[t * inputs + step - 1] = direction[i];
            }
            for (std::size_t i = 0; i < inputs; ++i)
                design.points(first + step, i) = static_cast<double>(level[i]) / grid;
        }
    }
    return design;
}

MorrisResult morris_effects(const MorrisDesign& design, const Table& outputs) {
    const std::size_t k = design.points.columns;
    if (k == 0 || design.points.rows % (k + 1) != 0 || outputs.rows != design.points.rows)
        throw std::invalid_argument("Morris: the outputs do not match the design");
    MorrisResult result;
    result.inputs = k;
    result.outputs = outputs.columns;
    result.trajectories = design.points.rows / (k + 1);
    const std::size_t r = result.trajectories, m = result.outputs;
    std::vector<double> effects(k * m * r);  // [input][output][trajectory]
    for (std::size_t t = 0; t < r; ++t) {
        for (std::size_t step = 1; step <= k; ++step) {
            const std::size_t row = t * (k + 1) + step, i = design.changed[t * k + step - 1];
            // The step as the design holds it (not +-delta): the exact change the model saw.
            const double moved = design.points(row, i) - design.points(row - 1, i);
            for (std::size_t o = 0; o < m; ++o)
                effects[(i * m + o) * r + t] = (outputs(row, o) - outputs(row - 1, o)) / moved;
        }
    }
    result.mu.assign(k * m, 0);
    result.mu_star.assign(k * m, 0);
    result.sigma.assign(k * m, 0);
    for (std::size_t cell = 0; cell < k * m; ++cell) {
        const double* effect = &effects[cell * r];
        double sum = 0, absolute = 0;
        for (std::size_t t = 0; t < r; ++t) sum += effect[t], absolute += std::abs(effect[t]);
        const double mean = sum / static_cast<double>(r);
        double squares = 0;
        for (std::size_t t = 0; t < r; ++t) squares += (effect[t] - mean) * (effect[t] - mean);
        result.mu[cell] = mean;
        result.mu_star[cell] = absolute / static_cast<double>(r);
        result.sigma[cell] = std::sqrt(squares / static_cast<double>(r - 1));
    }
    return result;
}

MorrisResult morris(const std::vector<SensitivityInput>& inputs, const SensitivityModel& model,
                    const MorrisSettings& settings) {
    const MorrisDesign design = morris_design(inputs.size(), settings);
    return morris_effects(design, evaluate(inputs, model, design.points, settings.threads));
}

// ---- Sobol' ----

namespace {

// N points in 2k dimensions: the first k columns are A, the last k are B.
Table base_points(std::size_t inputs, const SobolSettings& settings) {
    const std::size_t n = settings.base_samples, dimensions = 2 * inputs;
    Table points(n, dimensions);
    const kernel::RandomStreams streams(settings.seed);
    if (!settings.quasi_random) {
        for (std::size_t j = 0; j < n; ++j) {
            kernel::RandomEngine random = streams.stream(j, "saltelli sample");
            for (std::size_t d = 0; d < dimensions; ++d) points(j, d) = random.uniform();
        }
        return points;
    }
    // A random digital shift (XOR of each coordinate's bits with one random word per dimension) keeps the
    // sequence's stratification in dyadic boxes and makes each point uniform on the cube, so that the
    // estimators are unbiased and resampling the rows gives a (conservative) bootstrap.
    kernel::RandomEngine random = streams.stream(0, "sobol digital shift");
    std::vector<std::uint64_t> shift(dimensions);
    for (auto& word : shift) word = random();
    boost::random::sobol sequence(dimensions);
    for (std::size_t j = 0; j < n; ++j)
        for (std::size_t d = 0; d < dimensions; ++d)
            points(j, d) = static_cast<double>((sequence() ^ shift[d]) >> 11) * 0x1.0p-53;
    return points;
}

struct Estimates {
    std::vector<double> first, total;    // [input][output]
    std::vector<double> mean, variance;  // [output]
};

// The estimates from the rows `rows` of the design (all of them, or a bootstrap resample). First order: Saltelli
// et al. (2010)'s V_i = mean(f(B) (f(A_B^i) - f(A))), their recommended estimator. Total: Jansen's
// VT_i = mean((f(A) - f(A_B^i))^2) / 2. Both over V, the variance of f(A) and f(B) together. f(B) is centred on
// their mean first: that subtracts a constant times mean(f(A_B^i) - f(A)), which has expectation zero, and removes
// the noise that an output's mean far from zero would otherwise multiply.
Estimates estimate(const Table& outputs, std::size_t inputs, const std::vector<std::size_t>& rows) {
    const std::size_t n = rows.size(), base = outputs.rows / (inputs + 2), m = outputs.columns;
    const auto count = static_cast<double>(n);
    Estimates made{std::vector<double>(inputs * m), std::vector<double>(inputs * m), std::vector<double>(m),
                   std::vector<double>(m)};
    for (std::size_t o = 0; o < m; ++o) {
        double sum = 0, lowest = outputs(rows[0], o), highest = lowest;
        for (const std::size_t j : rows) {
            const double a = outputs(j, o), b = outputs(base + j, o);
            sum += a + b;
            lowest = std::min({lowest, a, b}), highest = std::max({highest, a, b});
        }
        const double mean = sum / (2 * count);
        double squares = 0;
        for (const std::size_t j : rows)
            squares += (outputs(j, o) - mean) * (outputs(j, o) - mean) +
                       (outputs(base + j, o) - mean) * (outputs(base + j, o) - mean);
        const double variance = squares / (2 * count - 1);
        made.mean[o] = mean, made.variance[o] = variance;
        for (std::size_t i = 0; i < inputs; ++i) {
            double first = 0, total = 0;
            for (const std::size_t j : rows) {
                const double a = outputs(j, o), b = outputs(base + j, o), ab = outputs((2 + i) * base + j, o);
                first += (b - mean) * (ab - a);
                total += (a - ab) * (a - ab);
            }
            // An output that does not vary has no indices (rather than the ratio of two rounding errors).
            const bool constant = lowest == highest;
            made.first[i * m + o] = constant ? kNaN : first / count / variance;
            made.total[i * m + o] = constant ? kNaN : total / (2 * count) / variance;
        }
    }
    return made;
}

// The percentile interval and standard error of one index over the bootstrap resamples (finite values only).
void summarise(IndexEstimate& index, std::vector<double> resampled, double confidence) {
    const std::vector<double> sorted = kernel::finite_sorted(std::move(resampled));
    index.lower = kernel::quantile_of_sorted(sorted, (1 - confidence) / 2);
    index.upper = kernel::quantile_of_sorted(sorted, (1 + confidence) / 2);
    if (sorted.size() < 2) {
        index.standard_error = kNaN;
        return;
    }
    const double mean = std::accumulate(sorted.begin(), sorted.end(), 0.0) / static_cast<double>(sorted.size());
    double squares = 0;
    for (const double value : sorted) squares += (value - mean) * (value - mean);
    index.standard_error = std::sqrt(squares / static_cast<double>(sorted.size() - 1));
}

void check_sobol(std::size_t inputs, const SobolSettings& settings) {
    if (inputs == 0) throw std::invalid_argument("Sobol: needs at least one input");
    if (settings.base_samples < 2) throw std::invalid_argument("Sobol: needs at least two base samples");
    if (!(settings.confidence > 0 && settings.confidence < 1))
        throw std::invalid_argument("Sobol: the confidence must be in (0, 1)");
}

}  // namespace

Table saltelli_design(std::size_t inputs, const SobolSettings& settings) {
    check_sobol(inputs, settings);
    const std::size_t n = settings.base_samples;
    const Table ab = base_points(inputs, settings);
    Table design((inputs + 2) * n, inputs);
    for (std::size_t j = 0; j < n; ++j) {
        for (std::size_t i = 0; i < inputs; ++i) {
            design(j, i) = ab(j, i);
            design(n + j, i) = ab(j, inputs + i);
            for (std::size_t changed = 0; changed < inputs; ++changed)
                design((2 + changed) * n + j, i) = ab(j, i == changed ? inputs + i : i);
        }
    }
    return design;
}

SobolResult sobol_estimates(const Table& outputs, std::size_t inputs, const SobolSettings& settings) {
    check_sobol(inputs, settings);
    if (outputs.rows == 0 || outputs.rows % (inputs + 2) != 0)
        throw std::invalid_argument("Sobol: the outputs are not N (k + 2) rows of a Saltelli design");
    const std::size_t n = outputs.rows / (inputs + 2), m = outputs.columns;
    SobolResult result;
    result.inputs = inputs;
    result.outputs = m;
    result.base_samples = n;
    result.evaluations = outputs.rows;
    std::vector<std::size_t> all(n);
    std::iota(all.begin(), all.end(), std::size_t{0});
    const Estimates point = estimate(outputs, inputs, all);
    result.mean = point.mean;
    result.variance = point.variance;
    // Resample b draws its N rows from its own stream, and lands at index b: the same whatever the thread count.
    const kernel::RandomStreams streams(settings.seed);
    const std::vector<Estimates> resampled =
        kernel::run_replications(settings.bootstrap_resamples, settings.threads, [&](std::uint64_t b) {
            kernel::RandomEngine random = streams.stream(b, "sobol bootstrap");
            std::vector<std::size_t> rows(n);
            for (auto& row : rows) row = uniform_index(random, n);
            return estimate(outputs, inputs, rows);
        });
    result.first_order.resize(inputs * m);
    result.total.resize(inputs * m);
    std::vector<double> firsts(resampled.size()), totals(resampled.size());
    for (std::size_t cell = 0; cell < inputs * m; ++cell) {
        for (std::size_t b = 0; b < resampled.size(); ++b)
            firsts[b] = resampled[b].first[cell], totals[b] = resampled[b].total[cell];
        result.first_order[cell].estimate = point.first[cell];
        result.total[cell].estimate = point.total[cell];
        summarise(result.first_order[cell], firsts, settings.confidence);
        summarise(result.total[cell], totals, settings.confidence);
    }
    return result;
}

SobolResult sobol_indices(const std::vector<SensitivityInput>& inputs, const SensitivityModel& model,
                          const SobolSettings& settings) {
    const Table design = saltelli_design(inputs.size(), settings);
    return sobol_estimates(evaluate(inputs, model, design, settings.threads), inputs.size(), settings);
}

// ---- Inputs that matter for nothing ----

std::vector<bool> negligible_for(const SobolResult& result, double threshold) {
    std::vector<bool> flags(result.inputs * result.outputs);
    for (std::size_t i = 0; i < result.inputs; ++i)
        for (std::size_t o = 0; o < result.outputs; ++o) {
            const IndexEstimate& total = result.total_effect(i, o);
            // NaN: the output does not vary, so nothing matters for it.
            flags[i * result.outputs + o] = std::isnan(total.estimate) || total.upper < threshold;
        }
    return flags;
}

std::vector<bool> negligible_for(const MorrisResult& result, double threshold) {
    std::vector<double> largest(result.outputs, 0);
    for (std::size_t i = 0; i < result.inputs; ++i)
        for (std::size_t o = 0; o < result.outputs; ++o) largest[o] = std::max(largest[o], result.mean_absolute(i, o));
    std::vector<bool> flags(result.inputs * result.outputs);
    for (std::size_t i = 0; i < result.inputs; ++i)
        for (std::size_t o = 0; o < result.outputs; ++o)
            flags[i * result.outputs + o] = !(largest[o] > 0) || result.mean_absolute(i, o) < threshold * largest[o];
    return flags;
}

namespace {

// The names of the inputs whose flags are set for every output.
std::vector<std::string> negligible_everywhere(const std::vector<SensitivityInput>& inputs,
                                               const std::vector<bool>& flags, std::size_t outputs) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        bool negligible = true;
        for (std::size_t o = 0; o < outputs; ++o) negligible = negligible && flags[i * outputs + o];
        if (negligible) names.push_back(inputs[i].name);
    }
    return names;
}

}  // namespace

std::vector<std::string> negligible_inputs(const std::vector<SensitivityInput>& inputs, const SobolResult& result,
                                           double threshold) {
    if (inputs.size() != result.inputs) throw std::invalid_argument("Sobol: the result is of other inputs");
    return negligible_everywhere(inputs, negligible_for(result, threshold), result.outputs);
}

std::vector<std::string> negligible_inputs(const std::vector<SensitivityInput>& inputs, const MorrisResult& result,
                                           double threshold) {
    if (inputs.size() != result.inputs) throw std::invalid_argument("Morris: the result is of other inputs");
    return negligible_everywhere(inputs, negligible_for(result, threshold), result.outputs);
}

}  // namespace ehsim::calibration
