// Global sensitivity analysis over any simulator: Morris elementary effects for screening, and Sobol' first-order
// and total indices by Saltelli sampling with bootstrap intervals. Knows nothing of families or scenarios: the
// model is a function from an input vector to a vector of outputs.
//
// Deterministic by construction: every random draw (a Morris trajectory, the sequence's scrambling, a bootstrap
// resample) comes from its own stream keyed on the seed and its index, each model evaluation is numbered and stored
// at its own place, so the results are bit-identical whatever the thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ehsim::calibration {

// One input of the model. It is uniform on [lower, upper], unless `from_unit` is given: then it is
// from_unit(u) for u uniform on [0, 1] (a quantile function, such as a prior's), and lower and upper only
// document the range.
struct SensitivityInput {
    std::string name;
    double lower = 0, upper = 1;
    std::function<double(double)> from_unit;

    double natural(double unit) const { return from_unit ? from_unit(unit) : lower + unit * (upper - lower); }
};

// The outputs for one input vector (natural scale). `evaluation` numbers the evaluation within the design (see
// morris_design and sobol_indices for the numbering); a stochastic model draws only from streams keyed on it, so
// that its result does not depend on which thread runs it or when. Called concurrently when threads > 1.
using SensitivityModel =
    std::function<std::vector<double>(const std::vector<double>& inputs, std::uint64_t evaluation)>;

// A dense row-major matrix: design points ([point][input]) or model outputs ([evaluation][output]).
struct Table {
    std::size_t rows = 0, columns = 0;
    std::vector<double> values;

    Table() = default;
    Table(std::size_t row_count, std::size_t column_count)
        : rows(row_count), columns(column_count), values(row_count * column_count) {}
    double& operator()(std::size_t row, std::size_t column) { return values[row * columns + column]; }
    double operator()(std::size_t row, std::size_t column) const { return values[row * columns + column]; }
};

// Evaluates the model at every row of `unit_points` (in the unit cube, mapped through each input's `natural`)
// on up to `threads` threads; row e is evaluation e and its outputs are row e of the result. Every evaluation
// must give the same number of outputs; the first exception from the model is rethrown.
Table evaluate(const std::vector<SensitivityInput>& inputs, const SensitivityModel& model, const Table& unit_points,
               unsigned threads);

// ---- Morris elementary effects (Morris 1991; Campolongo, Cariboni and Saltelli 2007 for mu*) ----

struct MorrisSettings {
    std::size_t trajectories = 20;  // r, at least 2
    unsigned levels = 4;            // p, even: the grid {0, 1/(p-1), ..., 1}
    std::uint64_t seed = 1;
    unsigned threads = 1;
};

// r trajectories of k+1 points each, one input changed by +-delta per step, delta = p / (2 (p - 1)). Trajectory t
// takes rows t (k+1) .. t (k+1) + k (and evaluations of the same numbers); step s of it (s = 1..k) changed input
// changed[t k + s - 1] by direction[t k + s - 1] * delta.
struct MorrisDesign {
    Table points;  // in the unit cube, on the grid
    std::vector<std::size_t> changed;
    std::vector<int> direction;  // +1 or -1
    double delta = 0;
};

MorrisDesign morris_design(std::size_t inputs, const MorrisSettings& settings);

// Per input and output, over the r elementary effects EE = (f(x') - f(x)) / (x'_i - x_i), with x in the unit cube:
// the effect of moving the input across its whole range (a linear f = c x on [lower, upper] has EE = c (upper -
// lower)). mu is their mean, mu* the mean of their absolute values (which, unlike mu, effects of opposite signs do
// not cancel), sigma their standard deviation (divisor r - 1: interactions and non-linearity).
struct MorrisResult {
    std::size_t inputs = 0, outputs = 0, trajectories = 0;
    std::vector<double> mu, mu_star, sigma;  // [input][output]

    double mean(std::size_t input, std::size_t output) const { return mu[input * outputs + output]; }
    double mean_absolute(std::size_t input, std::size_t output) const { return mu_star[input * outputs + output]; }
    double sd(std::size_t input, std::size_t output) const { return sigma[input * outputs + output]; }
};

// The elementary effects of a design and its outputs (row e of `outputs` is the model at row e of the design).
MorrisResult morris_effects(const MorrisDesign& design, const Table& outputs);

// r (k + 1) model evaluations.
MorrisResult morris(const std::vector<SensitivityInput>& inputs, const SensitivityModel& model,
                    const MorrisSettings& settings);

// ---- Sobol' indices (Saltelli 2002, Saltelli et al. 2010) ----

struct SobolSettings {
    std::size_t base_samples = 4096;  // N, the rows of A and of B; a power of two suits the Sobol' sequence
    std::uint64_t seed = 1;
    // A Sobol' sequence in 2k dimensions with a random digital shift (so that the points are random, each uniform
    // on the cube, while keeping the sequence's stratification); false: independent uniform draws.
    bool quasi_random = true;
    std::size_t bootstrap_resamples = 1000;  // 0: no intervals (NaN)
    double confidence = 0.9;                 // of the percentile intervals
    unsigned threads = 1;
};

// An index, its percentile bootstrap interval at the settings' confidence, and its bootstrap standard error (for a
// normal-theory interval at another confidence).
struct IndexEstimate {
    double estimate = 0, lower = 0, upper = 0, standard_error = 0;
};

struct SobolResult {
    std::size_t inputs = 0, outputs = 0, base_samples = 0, evaluations = 0;
    std::vector<IndexEstimate> first_order, total;  // [input][output]
    std::vector<double> mean, variance;             // [output], over the 2N evaluations of A and B

    const IndexEstimate& first(std::size_t input, std::size_t output) const {
        return first_order[input * outputs + output];
    }
    const IndexEstimate& total_effect(std::size_t input, std::size_t output) const {
        return total[input * outputs + output];
    }
};

// The indices from the N (k + 2) outputs of a Saltelli design: rows 0..N-1 are f(A), N..2N-1 f(B), and
// (2 + i) N .. (3 + i) N - 1 are f(A_B^(i)), A with column i taken from B. An index of an output that does not
// vary is NaN.
SobolResult sobol_estimates(const Table& outputs, std::size_t inputs, const SobolSettings& settings);

// The Saltelli design in the unit cube: A, B and the A_B^(i), stacked in that order (evaluation numbers as above).
Table saltelli_design(std::size_t inputs, const SobolSettings& settings);

// N (k + 2) model evaluations, then the estimates and their bootstrap.
SobolResult sobol_indices(const std::vector<SensitivityInput>& inputs, const SensitivityModel& model,
                          const SobolSettings& settings);

// ---- Inputs that matter for nothing ----

// Per input and output ([input][output]): the input matters little for that output. Sobol': its total index's upper
// bound is below `threshold` (or the output does not vary); Morris: its mu* is below `threshold` times the largest
// mu* of any input for that output (or no input moves it).
std::vector<bool> negligible_for(const SobolResult& result, double threshold);
std::vector<bool> negligible_for(const MorrisResult& result, double threshold);

// The names of the inputs whose total index's upper bound is below `threshold` for every output (an output that
// does not vary counts as one for which nothing matters).
std::vector<std::string> negligible_inputs(const std::vector<SensitivityInput>& inputs, const SobolResult& result,
                                           double threshold);

// The names of the inputs whose mu* is below `threshold` times the largest mu* of any input, for every output.
std::vector<std::string> negligible_inputs(const std::vector<SensitivityInput>& inputs, const MorrisResult& result,
                                           double threshold);

}  // namespace ehsim::calibration
