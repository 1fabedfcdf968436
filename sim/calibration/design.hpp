// Designs of simulator runs for history matching: maximin Latin hypercubes in a box, and space-filling
// designs inside a non-implausible region. Knows nothing of families: points are rows of a matrix.
//
// Deterministic by construction: every random draw comes from the kernel's random streams keyed on the
// seed and a purpose name, and permutations and uniform draws use the engine directly (not a Boost or
// standard-library distribution), so a design does not change with the library version.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace ehsim::calibration {

// An axis-aligned box: the prior ranges of the inputs (lower < upper in every dimension).
struct Box {
    Eigen::VectorXd lower, upper;
    Eigen::Index dimensions() const { return lower.size(); }
};

// Points (rows) mapped from the box to the unit cube, and back.
Eigen::MatrixXd to_unit(const Eigen::MatrixXd& points, const Box& box);
Eigen::MatrixXd from_unit(const Eigen::MatrixXd& unit_points, const Box& box);

// The smallest Euclidean distance between two rows (infinity for fewer than two rows).
double minimum_distance(const Eigen::MatrixXd& points);

// A random Latin hypercube of `points` rows in the box: each input's range is cut into `points` equal
// strata and each stratum holds exactly one point, at a uniform position inside it. `index` selects one
// of many independent hypercubes of the same seed.
Eigen::MatrixXd latin_hypercube(std::size_t points, const Box& box, std::uint64_t seed, std::uint64_t index = 0);

struct MaximinSettings {
    // Random hypercubes drawn; the first is latin_hypercube(points, box, seed, 0), so the maximin design is
    // never worse than the plain one of the same seed.
    std::size_t candidates = 50;
    // Then coordinate exchanges tried on the best: swapping two points' values of one input keeps the
    // Latin property; a swap is kept when it does not reduce the minimum distance and lowers the
    // Morris-Mitchell criterion (which also counts the pairs at or near the minimum).
    std::size_t exchanges = 2000;
};

// The candidate with the largest minimum pairwise distance (measured in the unit cube, so that inputs of
// different units weigh alike), improved by coordinate exchange.
Eigen::MatrixXd maximin_latin_hypercube(std::size_t points, const Box& box, std::uint64_t seed,
                                        const MaximinSettings& settings = {});

// Whether each candidate (a row, in the box's units) is still non-implausible. Candidates come in batches,
// so that a region decided by emulators predicts many points at once (and may spread them over threads).
using Region = std::function<std::vector<bool>(const Eigen::MatrixXd& candidates)>;

struct RegionDesignSettings {
    std::size_t pool_factor = 10;  // accepted candidates gathered per design point
    std::size_t maximum_proposals = 1'000'000;
};

struct RegionDesign {
    Eigen::MatrixXd points;
    std::size_t proposals = 0, accepted = 0;  // candidates tried, and found inside the region
};

// A space-filling design inside a region. Method: candidates are drawn uniformly from `sampling` (the prior
// box, or a bounding box of the previous wave's non-implausible points: see bounding_box) and kept when
// `region` accepts them (rejection sampling), until `pool_factor * points` are kept; then `points` of them
// are chosen by greedy maximin selection in the prior's unit cube (each next point the one farthest from
// those chosen). The result is not a Latin hypercube: the region is rarely a box. Throws
// std::runtime_error when fewer than `points` candidates are accepted within `maximum_proposals`.
RegionDesign region_design(std::size_t points, const Box& prior, const Box& sampling, const Region& region,
                           std::uint64_t seed, const RegionDesignSettings& settings = {});

struct ExplorationSettings {
    std::size_t chains = 64;           // stepped together, so the region tests each round's moves in one batch
    std::size_t burn_in = 60;          // rounds that adapt the step size (and carry the chains away from the seeds)
    std::size_t thinning = 5;          // rounds between the points kept from each chain
    double target_acceptance = 0.234;  // Roberts, Gelman and Gilks (1997) for random-walk Metropolis
};

// Points spread through a region too small for uniform draws in a box to find more than a few (the space left
// after a sharp first wave): random-walk Metropolis chains whose target is uniform on the region inside the
// prior box, started at `seeds` (rows inside the region, each chain at the next seed in turn), stepping by an
// isotropic normal in the prior's unit cube. The step size adapts in the burn-in (Robbins-Monro on the log step,
// towards the target acceptance) and is then fixed; each chain then keeps every `thinning`-th state until
// `wanted` rows are kept. The rows approximate uniform draws from the region the chains can reach from the seeds:
// enough to bound it (bounding_box), not a proof that nothing lies beyond. Deterministic for a seed.
Eigen::MatrixXd explore_region(std::size_t wanted, const Box& prior, const Eigen::MatrixXd& seeds, const Region& region,
                               std::uint64_t seed, const ExplorationSettings& settings = {});

// The smallest box holding the points, widened by `margin` times its width on each side (so that a
// region reaching a little beyond the sampled points is not cut off) and clipped to the prior.
Box bounding_box(const Eigen::MatrixXd& points, const Box& prior, double margin = 0.1);

}  // namespace ehsim::calibration
