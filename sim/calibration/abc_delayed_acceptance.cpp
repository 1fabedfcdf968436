// Delayed acceptance for the moves of AbcMethod::mcmc_moves (AbcSettings::delayed_acceptance).
//
// Why it leaves the posterior as it was: a step x -> x' is first accepted with min(1, pi(x') s(x') / (pi(x) s(x)))
// (pi the prior, s the screen), and only then simulated and accepted with 1(d' <= tolerance) min(1, s(x) / s(x')).
// The product of the two stages is the ABC Metropolis-Hastings kernel's acceptance for the law pi(x) 1(d <= tol) with
// the factor s(x') / s(x) cancelled, so detailed balance holds for that law whatever s is (Christen and Fox 2005,
// Theorem 1; Everitt and Rowinska 2021 for ABC), as long as s is positive and a function of x alone: the screen is
// computed from the emulators' predictions, which depend on x only, and never from a random number.
#include <algorithm>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <stdexcept>

#include "sim/calibration/abc_smc.hpp"
#include "sim/calibration/abc_smc_state.hpp"

namespace ehsim::calibration {

namespace {

// P(D <= limit) for D >= 0 with mean `mean` and variance `variance`, by the gamma law with those two moments: exact
// for a sum of squares of centred normals of equal spread, and about right for the non-central ones here.
double chance_at_most(double mean, double variance, double limit) {
    if (!(limit < std::numeric_limits<double>::infinity())) return 1;
    if (!std::isfinite(mean) || !std::isfinite(variance)) return 0;
    if (mean <= 0) return 1;
    if (variance <= 0) return mean <= limit ? 1 : 0;
    const double shape = mean * mean / variance, scale = variance / mean;
    return boost::math::gamma_p(shape, limit / scale);
}

}  // namespace

std::vector<double> AbcSmc::chances_within(const Eigen::MatrixXd& natural, double tolerance,
                                           const std::vector<double>& scales) const {
    std::vector<std::size_t> fitted;
    for (std::size_t k = 0; k < observations_.size(); ++k)
        if (observations_[k].fitted) fitted.push_back(k);
    const double limit = tolerance * tolerance * static_cast<double>(fitted.size());
    return in_chunks<double>(natural, settings_.threads, [&](const Eigen::MatrixXd& rows) {
        const RunPredictions predicted = settings_.surrogate(rows);
        const Eigen::Index count = rows.rows(), columns = static_cast<Eigen::Index>(fitted.size());
        if (predicted.mean.rows() != count || predicted.variance.rows() != count || predicted.mean.cols() != columns ||
            predicted.variance.cols() != columns)
            throw std::logic_error("calibration: the surrogate's predictions do not match the fitted figures");
        std::vector<double> chances;
        for (Eigen::Index i = 0; i < count; ++i) {
            // The squared distance times the figure count is a sum over figures of z^2, z = (offset from the
            // observed range) / scale, z about N(mu, sigma^2): E z^2 = mu^2 + sigma^2, Var z^2 = 2 sigma^4 + 4 mu^2
            // sigma^2. A range is read as its nearest point to the prediction.
            double mean = 0, variance = 0;
            for (Eigen::Index j = 0; j < columns; ++j) {
                const Observation& observed = observations_[fitted[static_cast<std::size_t>(j)]];
                const double scale = scales[fitted[static_cast<std::size_t>(j)]];
                const double predicted_mean = predicted.mean(i, j);
                double spread = std::max(0.0, predicted.variance(i, j));
                if (settings_.noisy_acceptance) spread += observed.error_sd * observed.error_sd;
                const double offset = predicted_mean < observed.lower
                                          ? observed.lower - predicted_mean
                                          : (predicted_mean > observed.upper ? predicted_mean - observed.upper : 0.0);
                const double mu = offset / scale, sigma2 = spread / (scale * scale);
                mean += mu * mu + sigma2;
                variance += 2 * sigma2 * sigma2 + 4 * mu * mu * sigma2;
            }
            chances.push_back(chance_at_most(mean, variance, limit));
        }
        return chances;
    });
}

AbcSmc::Screen AbcSmc::start_screen(const Eigen::MatrixXd& copies, double tolerance,
                                    const std::vector<double>& scales) const {
    Screen made;
    const std::vector<double> chances = chances_within(copies, tolerance, scales);
    double total = 0;
    for (const double chance : chances) total += chance;
    // Relative to the copies' own chances: at a small tolerance every chance is small, and a floor fixed in
    // absolute terms would then be all the screen said.
    // If the predictions give every copy no chance at all, they know nothing here: a floor of 1 makes the screen
    // about flat, so that it refuses little and the second stage stays finite.
    const double mean = chances.empty() ? 0 : total / static_cast<double>(chances.size());
    made.floor = mean > 0 ? settings_.surrogate_floor * mean : 1.0;
    for (const double chance : chances) made.current.push_back(made.log_value(chance));
    return made;
}

void AbcSmc::screen_steps(std::vector<Proposal>& proposals, const std::vector<double>& thresholds, const Screen& screen,
                          const std::vector<std::size_t>& copies, const Population& next, double tolerance,
                          const std::vector<double>& scales) const {
    const std::size_t parameters = priors_.size();
    std::vector<std::size_t> tested;
    const Eigen::MatrixXd points = rows_inside(proposals, tested);
    if (tested.empty()) return;
    const std::vector<double> chances = chances_within(points, tolerance, scales);
    for (std::size_t r = 0; r < tested.size(); ++r) {
        const std::size_t k = tested[r];
        Proposal& proposal = proposals[k];
        proposal.log_screen = screen.log_value(chances[r]);
        const std::span<const double> current(next.values.data() + copies[k] * parameters, parameters);
        const double log_ratio = log_working_prior(proposal.parameters) - log_working_prior(current) +
                                 proposal.log_screen - screen.current[k];
        proposal.screened = !(thresholds[k] < log_ratio);
    }
}

}  // namespace ehsim::calibration
