#include "sim/calibration/design.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/kernel/random_streams.hpp"

namespace ehsim::calibration {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// The Morris-Mitchell exponent: large enough that the criterion ranks designs as maximin does, with the
// number of pairs near the minimum as the tie-break (Morris and Mitchell 1995 use 1 to 100).
constexpr double kMorrisMitchellExponent = 15;

void check_box(const Box& box) {
    if (box.lower.size() == 0 || box.lower.size() != box.upper.size())
        throw std::invalid_argument("design: the box needs lower and upper bounds of the same, non-zero size");
    if ((box.upper.array() <= box.lower.array()).any())
        throw std::invalid_argument("design: every upper bound must exceed its lower bound");
}

// An integer uniform on 0..count-1 from the engine's 53 random bits (bias below 2^-40 for any count here).
std::size_t uniform_index(kernel::RandomEngine& engine, std::size_t count) {
    const auto index = static_cast<std::size_t>(engine.uniform() * static_cast<double>(count));
    return std::min(index, count - 1);
}

Eigen::MatrixXd unit_latin_hypercube(std::size_t points, Eigen::Index dimensions, kernel::RandomEngine& engine) {
    Eigen::MatrixXd unit(static_cast<Eigen::Index>(points), dimensions);
    std::vector<std::size_t> strata(points);
    for (Eigen::Index column = 0; column < dimensions; ++column) {
        std::iota(strata.begin(), strata.end(), std::size_t{0});
        for (std::size_t i = points; i > 1; --i) std::swap(strata[i - 1], strata[uniform_index(engine, i)]);
        for (std::size_t row = 0; row < points; ++row)
            unit(static_cast<Eigen::Index>(row), column) =
                (static_cast<double>(strata[row]) + engine.uniform()) / static_cast<double>(points);
    }
    return unit;
}

// The minimum pairwise distance and the log of the Morris-Mitchell criterion (sum of d^-p)^(1/p), computed
// relative to the minimum so that d^-p cannot overflow.
struct Spread {
    double minimum = kInfinity, log_criterion = -kInfinity;
};

// x^15 by multiplication: std::pow is several times slower, and this runs once per pair per exchange tried.
double power15(double x) {
    const double x2 = x * x, x4 = x2 * x2, x8 = x4 * x4;
    return x8 * x4 * x2 * x;
}

Spread spread(const Eigen::MatrixXd& points) {
    const Eigen::Index n = points.rows();
    if (n < 2) return {};
    Eigen::MatrixXd distances = Eigen::MatrixXd::Constant(n, n, kInfinity);
    for (Eigen::Index a = 0; a < n; ++a)
        for (Eigen::Index b = a + 1; b < n; ++b) distances(a, b) = (points.row(a) - points.row(b)).norm();
    Spread result;
    result.minimum = distances.minCoeff();
    if (result.minimum == 0) return {0, kInfinity};
    double sum = 0;
    for (Eigen::Index a = 0; a < n; ++a)
        for (Eigen::Index b = a + 1; b < n; ++b) sum += power15(result.minimum / distances(a, b));
    result.log_criterion = -std::log(result.minimum) + std::log(sum) / kMorrisMitchellExponent;
    return result;
}

void improve_by_exchange(Eigen::MatrixXd& unit, std::size_t exchanges, kernel::RandomEngine& engine) {
    const auto rows = static_cast<std::size_t>(unit.rows());
    if (rows < 2) return;
    Spread current = spread(unit);
    for (std::size_t trial = 0; trial < exchanges; ++trial) {
        const auto column = static_cast<Eigen::Index>(uniform_index(engine, static_cast<std::size_t>(unit.cols())));
        const auto a = static_cast<Eigen::Index>(uniform_index(engine, rows));
        const auto b =
            static_cast<Eigen::Index>((static_cast<std::size_t>(a) + 1 + uniform_index(engine, rows - 1)) % rows);
        std::swap(unit(a, column), unit(b, column));
        const Spread trial_spread = spread(unit);
        if (trial_spread.minimum >= current.minimum && trial_spread.log_criterion < current.log_criterion)
            current = trial_spread;
        else
            std::swap(unit(a, column), unit(b, column));
    }
}

// Greedy maximin selection: start from the pool's first point (the pool is in random order), then add the
// point farthest from those chosen.
std::vector<Eigen::Index> farthest_points(const Eigen::MatrixXd& pool, std::size_t count) {
    std::vector<Eigen::Index> chosen{0};
    Eigen::VectorXd nearest = (pool.rowwise() - pool.row(0)).rowwise().norm();
    while (chosen.size() < count) {
        Eigen::Index next = 0;
        nearest.maxCoeff(&next);
        chosen.push_back(next);
        nearest = nearest.cwiseMin((pool.rowwise() - pool.row(next)).rowwise().norm());
    }
    return chosen;
}

}  // namespace

Eigen::MatrixXd to_unit(const Eigen::MatrixXd& points, const Box& box) {
    return (points.rowwise() - box.lower.transpose()).array().rowwise() / (box.upper - box.lower).transpose().array();
}

Eigen::MatrixXd from_unit(const Eigen::MatrixXd& unit_points, const Box& box) {
    return (unit_points.array().rowwise() * (box.upper - box.lower).transpose().array()).matrix().rowwise() +
           box.lower.transpose();
}

double minimum_distance(const Eigen::MatrixXd& points) { return spread(points).minimum; }

Eigen::MatrixXd latin_hypercube(std::size_t points, const Box& box, std::uint64_t seed, std::uint64_t index) {
    check_box(box);
    kernel::RandomEngine engine = kernel::RandomStreams(seed).stream(index, "latin hypercube");
    return from_unit(unit_latin_hypercube(points, box.dimensions(), engine), box);
}

Eigen::MatrixXd maximin_latin_hypercube(std::size_t points, const Box& box, std::uint64_t seed,
                                        const MaximinSettings& settings) {
    check_box(box);
    const kernel::RandomStreams streams(seed);
    Eigen::MatrixXd best;
    double best_minimum = -kInfinity;
    for (std::size_t candidate = 0; candidate < std::max<std::size_t>(settings.candidates, 1); ++candidate) {
        kernel::RandomEngine engine = streams.stream(candidate, "latin hypercube");
        Eigen::MatrixXd unit = unit_latin_hypercube(points, box.dimensions(), engine);
        const double minimum = minimum_distance(unit);
        if (minimum > best_minimum) best = std::move(unit), best_minimum = minimum;
    }
    kernel::RandomEngine engine = streams.stream(0, "maximin exchange");
    improve_by_exchange(best, settings.exchanges, engine);
    return from_unit(best, box);
}

RegionDesign region_design(std::size_t points, const Box& prior, const Box& sampling, const Region& region,
                           std::uint64_t seed, const RegionDesignSettings& settings) {
    check_box(prior);
    check_box(sampling);
    if (points == 0) return {Eigen::MatrixXd(0, prior.dimensions()), 0, 0};
    const std::size_t wanted = std::max(points, points * settings.pool_factor);
    kernel::RandomEngine engine = kernel::RandomStreams(seed).stream(0, "region design");
    Eigen::MatrixXd pool(static_cast<Eigen::Index>(wanted), prior.dimensions());
    RegionDesign design;
    // Candidates in batches from one stream, kept in the order drawn: the same design whatever the batch size.
    constexpr Eigen::Index kBatch = 1024;
    Eigen::MatrixXd candidates(kBatch, prior.dimensions());
    while (design.accepted < wanted && design.proposals < settings.maximum_proposals) {
        const Eigen::Index batch =
            std::min<Eigen::Index>(kBatch, static_cast<Eigen::Index>(settings.maximum_proposals - design.proposals));
        for (Eigen::Index i = 0; i < batch; ++i)
            for (Eigen::Index d = 0; d < candidates.cols(); ++d)
                candidates(i, d) = sampling.lower(d) + (sampling.upper(d) - sampling.lower(d)) * engine.uniform();
        const std::vector<bool> inside = region(candidates.topRows(batch));
        for (Eigen::Index i = 0; i < batch && design.accepted < wanted; ++i) {
            ++design.proposals;
            if (inside[static_cast<std::size_t>(i)])
                pool.row(static_cast<Eigen::Index>(design.accepted++)) = candidates.row(i);
        }
    }
    if (design.accepted < points)
        throw std::runtime_error("region_design: only " + std::to_string(design.accepted) + " of " +
                                 std::to_string(design.proposals) + " candidates were inside the region; " +
                                 std::to_string(points) + " were needed");
    const Eigen::MatrixXd unit_pool = to_unit(pool.topRows(static_cast<Eigen::Index>(design.accepted)), prior);
    const std::vector<Eigen::Index> chosen = farthest_points(unit_pool, points);
    design.points.resize(static_cast<Eigen::Index>(points), prior.dimensions());
    for (std::size_t i = 0; i < points; ++i) design.points.row(static_cast<Eigen::Index>(i)) = pool.row(chosen[i]);
    return design;
}

Eigen::MatrixXd explore_region(std::size_t wanted, const Box& prior, const Eigen::MatrixXd& seeds, const Region& region,
                               std::uint64_t seed, const ExplorationSettings& settings) {
    check_box(prior);
    if (seeds.rows() == 0 || seeds.cols() != prior.dimensions())
        throw std::invalid_argument("explore_region: needs at least one seed inside the region, one value per input");
    if (settings.chains == 0 || settings.thinning == 0)
        throw std::invalid_argument("explore_region: needs at least one chain and a thinning of at least one");
    const auto chains = static_cast<Eigen::Index>(settings.chains);
    const Eigen::Index dimensions = prior.dimensions();
    kernel::RandomEngine engine = kernel::RandomStreams(seed).stream(0, "region exploration");
    const Eigen::MatrixXd unit_seeds = to_unit(seeds, prior);
    Eigen::MatrixXd state(chains, dimensions);
    for (Eigen::Index c = 0; c < chains; ++c) state.row(c) = unit_seeds.row(c % seeds.rows());
    // The seeds' spread per input, or a hundredth of the range for a single seed, as the first step.
    double log_step = std::log(0.01);
    if (seeds.rows() > 1) {
        const Eigen::RowVectorXd centre = unit_seeds.colwise().mean();
        const double spread =
            std::sqrt((unit_seeds.rowwise() - centre).squaredNorm() / static_cast<double>(unit_seeds.size()));
        if (spread > 0) log_step = std::log(std::clamp(spread, 1e-4, 0.5));
    }
    // Standard normals from the engine's uniforms (Box-Muller), so the walk does not change with a library.
    const auto standard_normal = [&engine] {
        const double u = 1.0 - engine.uniform(), v = engine.uniform();
        return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * v);
    };
    Eigen::MatrixXd kept(static_cast<Eigen::Index>(wanted), dimensions);
    Eigen::Index filled = 0;
    Eigen::MatrixXd moved(chains, dimensions);
    for (std::size_t round = 1; filled < kept.rows(); ++round) {
        const double step = std::exp(log_step);
        for (Eigen::Index c = 0; c < chains; ++c)
            for (Eigen::Index d = 0; d < dimensions; ++d) moved(c, d) = state(c, d) + step * standard_normal();
        std::vector<Eigen::Index> inside_cube;
        for (Eigen::Index c = 0; c < chains; ++c)
            if ((moved.row(c).array() >= 0).all() && (moved.row(c).array() <= 1).all()) inside_cube.push_back(c);
        Eigen::MatrixXd tested(static_cast<Eigen::Index>(inside_cube.size()), dimensions);
        for (std::size_t i = 0; i < inside_cube.size(); ++i)
            tested.row(static_cast<Eigen::Index>(i)) = from_unit(moved.row(inside_cube[i]), prior);
        const std::vector<bool> inside = tested.rows() > 0 ? region(tested) : std::vector<bool>{};
        std::size_t accepted = 0;
        for (std::size_t i = 0; i < inside_cube.size(); ++i)
            if (inside[i]) state.row(inside_cube[i]) = moved.row(inside_cube[i]), ++accepted;
        if (round <= settings.burn_in) {
            // The gain falls with the round, so the step settles (Robbins and Monro 1951).
            const double rate = static_cast<double>(accepted) / static_cast<double>(chains);
            log_step += (rate - settings.target_acceptance) * 10.0 / (10.0 + static_cast<double>(round));
            log_step = std::clamp(log_step, std::log(1e-6), std::log(0.5));
            continue;
        }
        if ((round - settings.burn_in) % settings.thinning != 0) continue;
        for (Eigen::Index c = 0; c < chains && filled < kept.rows(); ++c)
            kept.row(filled++) = from_unit(state.row(c), prior);
    }
    return kept;
}

Box bounding_box(const Eigen::MatrixXd& points, const Box& prior, double margin) {
    check_box(prior);
    if (points.rows() == 0) return prior;
    const Eigen::VectorXd low = points.colwise().minCoeff().transpose();
    const Eigen::VectorXd high = points.colwise().maxCoeff().transpose();
    const Eigen::VectorXd widen = margin * (high - low);
    Box box{(low - widen).cwiseMax(prior.lower), (high + widen).cwiseMin(prior.upper)};
    // A single point (or points on a plane) gives a zero width: fall back to the prior's range there.
    for (Eigen::Index d = 0; d < box.dimensions(); ++d)
        if (box.upper(d) <= box.lower(d)) box.lower(d) = prior.lower(d), box.upper(d) = prior.upper(d);
    return box;
}

}  // namespace ehsim::calibration
