// What an ABC-SMC run carries from one generation to the next: the result so far and where it goes on from
// (shared by the algorithm and its checkpoints).
#pragma once

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/calibration/abc_smc.hpp"
#include "sim/kernel/random_streams.hpp"
#include "sim/kernel/replications.hpp"

namespace ehsim::calibration {

// The perturbation kernel about each parent j: N(x_j, L (I + o_j o_j') L'), with o_j zero for the global kernel.
struct AbcSmc::Kernel {
    Eigen::MatrixXd factor;                  // L, the Cholesky factor of the common covariance
    Eigen::MatrixXd offsets;                 // local kernel: o_j = L^-1 (mean - x_j), a column per parent; else empty
    std::vector<double> parent_weights;      // each particle's chance of being a parent (sum 1)
    std::vector<double> cumulative_weights;  // of parent_weights, to pick a parent
};

struct AbcSmc::Proposal {
    bool outside_prior = false;
    bool screened = false;        // delayed acceptance: refused by the surrogate, not simulated
    double log_screen = 0;        // delayed acceptance: the screen's log value at the parameters
    double second_threshold = 0;  // delayed acceptance: the log uniform of the second stage
    std::uint64_t index = 0;
    kernel::RandomEngine random;  // the proposal's own stream, after its parameters were drawn
    std::vector<double> parameters, simulated, noisy;
};

struct AbcSmc::Sampled {
    Population next;
    std::vector<std::vector<double>> noisy;  // the accepted proposals' figures with noise, if any
    std::uint64_t simulated = 0, outside = 0, screened = 0;
    bool out_of_budget = false;
    std::uint64_t moves_accepted = 0;  // mcmc_moves: steps accepted, of `simulated` + `outside` proposed
    std::size_t moves = 0;             // mcmc_moves: steps each copy took
};

// `evaluate` (rows -> one value a row) on `rows` in one chunk per worker, the parts joined in order. Why chunks: the
// emulators predict many rows at once far cheaper than one by one; a row's value does not depend on its chunk, so
// the answer is the same for any number of workers.
template <class Value, class Evaluate>
std::vector<Value> in_chunks(const Eigen::MatrixXd& rows, unsigned threads, Evaluate&& evaluate) {
    const auto count = static_cast<std::size_t>(rows.rows());
    const std::size_t workers = std::max(1u, threads), size = (count + workers - 1) / workers;
    const std::vector<std::vector<Value>> parts = kernel::run_replications(workers, workers, [&](std::uint64_t chunk) {
        const std::size_t from = std::min(count, chunk * size), to = std::min(count, from + size);
        if (from == to) return std::vector<Value>{};
        return std::vector<Value>(
            evaluate(rows.middleRows(static_cast<Eigen::Index>(from), static_cast<Eigen::Index>(to - from))));
    });
    std::vector<Value> joined;
    joined.reserve(count);
    for (const std::vector<Value>& part : parts) joined.insert(joined.end(), part.begin(), part.end());
    return joined;
}

struct AbcSmc::Screen {
    double floor = 0;             // surrogate_floor x the copies' mean chance
    std::vector<double> current;  // the screen's log value at each copy's current parameters
    double log_value(double chance) const { return std::log(chance + floor); }
};

struct AbcSmc::State {
    AbcResult result;
    std::size_t next_generation = 0;
    double elapsed_before = 0;  // wall seconds of the generations done before a resume
};

}  // namespace ehsim::calibration
