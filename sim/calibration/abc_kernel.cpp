// ABC-SMC's perturbation kernels and the importance weights they imply (see PerturbationKernel).
#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "sim/calibration/abc_smc.hpp"
#include "sim/calibration/abc_smc_state.hpp"

namespace ehsim::calibration {

namespace {

double log_sum_exp(const std::vector<double>& terms) {
    const double top = *std::max_element(terms.begin(), terms.end());
    if (!std::isfinite(top)) return top;
    double total = 0;
    for (const double term : terms) total += std::exp(term - top);
    return top + std::log(total);
}

struct Moments {
    Eigen::VectorXd mean;
    Eigen::MatrixXd covariance;  // sum of w (x - mean)(x - mean)', weights normalised to 1
    double squared_weights = 0;  // sum of w^2, of the normalised weights
};

Moments weighted_moments(const Eigen::MatrixXd& points, const std::vector<double>& weights,
                         const std::vector<std::size_t>& members) {
    double total = 0;
    for (const std::size_t i : members) total += weights[i];
    Moments moments{Eigen::VectorXd::Zero(points.rows()), Eigen::MatrixXd::Zero(points.rows(), points.rows()), 0};
    for (const std::size_t i : members) moments.mean += weights[i] / total * points.col(static_cast<Eigen::Index>(i));
    for (const std::size_t i : members) {
        const double w = weights[i] / total;
        const Eigen::VectorXd offset = points.col(static_cast<Eigen::Index>(i)) - moments.mean;
        moments.covariance.noalias() += w * offset * offset.transpose();
        moments.squared_weights += w * w;
    }
    return moments;
}

}  // namespace

double AbcSmc::kernel_scale(const std::vector<GenerationSummary>& history) const {
    double scale = settings_.kernel_scale;
    if (settings_.method == AbcMethod::mcmc_moves) {
        if (settings_.least_steps_inside <= 0) return scale;
        // Generation 0 took no steps; each later one adjusts the scale it stepped with.
        for (std::size_t g = 1; g < history.size(); ++g) {
            // A step the surrogate screened out landed inside the space as much as one that was simulated.
            const double landed = static_cast<double>(history[g].simulations + history[g].proposals_screened);
            const double steps = landed + static_cast<double>(history[g].proposals_outside_prior);
            if (steps <= 0) continue;
            const double inside = landed / steps;
            scale = std::min(settings_.kernel_scale,
                             std::max(1e-6, scale * std::clamp(inside / settings_.least_steps_inside, 0.1, 2.0)));
        }
        return scale;
    }
    if (settings_.target_effective_sample <= 0) return scale;
    const double particles = static_cast<double>(settings_.particles);
    // Generation 0 (equal weights) says nothing of the kernel; each later one adjusts the scale it ran with.
    for (std::size_t g = 1; g < history.size(); ++g) {
        const double share = history[g].effective_sample_size / particles;
        if (share < settings_.target_effective_sample)
            scale *= 1.5;
        else if (share > settings_.target_effective_sample + 0.25)
            scale /= 1.25;
        scale = std::clamp(scale, 0.25, 64.0);
    }
    return scale;
}

AbcSmc::Kernel AbcSmc::perturbation_kernel(const Population& previous, double tolerance, double scale) const {
    const Eigen::Index parameters = static_cast<Eigen::Index>(priors_.size());
    Eigen::MatrixXd points(parameters, static_cast<Eigen::Index>(previous.size()));
    for (std::size_t i = 0; i < previous.size(); ++i)
        for (Eigen::Index p = 0; p < parameters; ++p)
            points(p, static_cast<Eigen::Index>(i)) = working(previous, i, static_cast<std::size_t>(p));
    std::vector<std::size_t> everyone(previous.size()), within;
    for (std::size_t i = 0; i < previous.size(); ++i) {
        everyone[i] = i;
        if (previous.distances[i] <= tolerance && previous.weights[i] > 0) within.push_back(i);
    }
    const bool local = settings_.kernel == PerturbationKernel::local;
    // The local kernel's particles, and its parents: those already within the new tolerance (all, if fewer than
    // two are).
    const std::vector<std::size_t>& members = local && within.size() >= 2 ? within : everyone;
    Moments moments = weighted_moments(points, previous.weights, members);
    Eigen::MatrixXd covariance = moments.covariance;
    // The global kernel's covariance is the population's unbiased weighted covariance; the local kernel's is C in
    // C + (m - x_j)(m - x_j)'. Both are scaled (the factor L by its square root, so the offsets keep their form).
    if (!local) covariance /= std::max(1e-12, 1.0 - moments.squared_weights);
    covariance *= scale;
    // A population collapsed on one value in some direction still needs to move: a tiny floor.
    for (Eigen::Index p = 0; p < parameters; ++p)
        covariance(p, p) += 1e-12 * std::max(1.0, moments.mean(p) * moments.mean(p));
    const Eigen::LLT<Eigen::MatrixXd> factorised(covariance);
    if (factorised.info() != Eigen::Success)
        throw std::runtime_error("calibration: the perturbation covariance is not positive definite");
    Kernel kernel;
    kernel.factor = factorised.matrixL();
    // About parent j the local kernel's covariance is s C + (m - x_j)(m - x_j)' (Filippi et al.'s C + (m - x_j)(m -
    // x_j)' with its spread about the particles widened by s): with L L' = s C, the offset is L^-1 (m - x_j).
    if (local) kernel.offsets = kernel.factor.triangularView<Eigen::Lower>().solve(-(points.colwise() - moments.mean));
    // The local kernel's parents are the particles already within the new tolerance (Lenormand et al. 2013's
    // adaptive population Monte Carlo keeps only those too): a parent far outside would take long steps towards
    // the others that land where few kernels reach, and their weights would swamp the rest. The weights below
    // use the same mixture, so they stay those of importance sampling from it.
    kernel.parent_weights.assign(previous.size(), 0.0);
    double total = 0;
    for (const std::size_t i : members) total += previous.weights[i];
    for (const std::size_t i : members) kernel.parent_weights[i] = previous.weights[i] / total;
    double sum = 0;
    for (const double weight : kernel.parent_weights) kernel.cumulative_weights.push_back(sum += weight);
    return kernel;
}

// Importance weights: prior over the mixture of perturbation kernels around the last generation. In
// coordinates whitened by L, the kernel about parent j has covariance I + o o' (o its offset): by
// Sherman-Morrison its quadratic form is |z|^2 - (z.o)^2 / (1 + |o|^2) and its log determinant log(1 + |o|^2).
void AbcSmc::weigh(Population& next, const Population& previous, const Kernel& kernel) const {
    const std::size_t parameters = priors_.size(), wanted = settings_.particles;
    const auto whiten = [&](const Population& population) {
        Eigen::MatrixXd points(static_cast<Eigen::Index>(parameters), static_cast<Eigen::Index>(population.size()));
        for (std::size_t i = 0; i < population.size(); ++i)
            for (std::size_t p = 0; p < parameters; ++p)
                points(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(i)) = working(population, i, p);
        return Eigen::MatrixXd(kernel.factor.triangularView<Eigen::Lower>().solve(points));
    };
    const Eigen::MatrixXd from = whiten(previous), to = whiten(next);
    const bool local = kernel.offsets.size() > 0;
    std::vector<double> spread(previous.size(), 1.0);  // 1 + |o_j|^2
    if (local)
        for (std::size_t j = 0; j < previous.size(); ++j)
            spread[j] = 1.0 + kernel.offsets.col(static_cast<Eigen::Index>(j)).squaredNorm();
    std::vector<double> log_weights(wanted), terms(previous.size());
    Eigen::VectorXd difference(static_cast<Eigen::Index>(parameters));
    for (std::size_t i = 0; i < wanted; ++i) {
        const double log_prior = log_working_prior({next.values.data() + i * parameters, parameters});
        for (std::size_t j = 0; j < previous.size(); ++j) {
            if (kernel.parent_weights[j] <= 0) {
                terms[j] = -std::numeric_limits<double>::infinity();
                continue;
            }
            const auto column = static_cast<Eigen::Index>(j);
            difference = to.col(static_cast<Eigen::Index>(i)) - from.col(column);
            double form = difference.squaredNorm();
            if (local) {
                const double along = difference.dot(kernel.offsets.col(column));
                form -= along * along / spread[j];
            }
            terms[j] = std::log(kernel.parent_weights[j]) - 0.5 * form - 0.5 * std::log(spread[j]);
        }
        log_weights[i] = log_prior - log_sum_exp(terms);
    }
    const double top = *std::max_element(log_weights.begin(), log_weights.end());
    double total = 0;
    for (std::size_t i = 0; i < wanted; ++i) total += next.weights[i] = std::exp(log_weights[i] - top);
    for (double& weight : next.weights) weight /= total;
}

}  // namespace ehsim::calibration
