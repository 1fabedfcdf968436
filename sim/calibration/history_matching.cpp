#include "sim/calibration/history_matching.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>

#include "sim/cluster/cluster.hpp"
#include "sim/kernel/random_streams.hpp"
#include "sim/kernel/replications.hpp"
#include "sim/kernel/statistics.hpp"

namespace ehsim::calibration {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool on_log_scale(const Prior& prior) { return prior.kind == PriorKind::log_uniform; }

std::vector<double> to_natural(const std::vector<Prior>& priors, const Eigen::VectorXd& working) {
    std::vector<double> natural(priors.size());
    for (std::size_t p = 0; p < priors.size(); ++p) {
        const double value = working(static_cast<Eigen::Index>(p));
        natural[p] = on_log_scale(priors[p]) ? std::exp(value) : value;
    }
    return natural;
}

Eigen::VectorXd to_working(const std::vector<Prior>& priors, const std::vector<double>& natural) {
    Eigen::VectorXd working(static_cast<Eigen::Index>(priors.size()));
    for (std::size_t p = 0; p < priors.size(); ++p)
        working(static_cast<Eigen::Index>(p)) = on_log_scale(priors[p]) ? std::log(natural[p]) : natural[p];
    return working;
}

// The bytes of a matrix, appended to what decides the space left (hashed at the end with kernel::purpose_id).
void append_bytes(std::string& bytes, const Eigen::MatrixXd& matrix) {
    bytes.append(reinterpret_cast<const char*>(matrix.data()),
                 static_cast<std::size_t>(matrix.size()) * sizeof(double));
}

void check(const std::vector<Prior>& priors, const std::vector<MatchedFigure>& figures,
           const HistoryMatchingSettings& settings, std::size_t points) {
    if (priors.empty() || figures.empty())
        throw std::invalid_argument("history matching needs at least one parameter and one figure");
    for (const MatchedFigure& figure : figures)
        if (!(figure.lower <= figure.upper) || !(figure.observation_variance >= 0) ||
            !(figure.discrepancy_variance >= 0))
            throw std::invalid_argument("history matching: a figure's range is empty or a variance is negative");
    // The linear mean function has k + 1 coefficients; a few more points leave the covariance something to fit.
    if (points < priors.size() + 4)
        throw std::invalid_argument("history matching needs at least " + std::to_string(priors.size() + 4) +
                                    " design points per wave for " + std::to_string(priors.size()) + " parameters");
    if (settings.replications < 1) throw std::invalid_argument("history matching needs at least one run per point");
    if (!(settings.cutoff > 0)) throw std::invalid_argument("history matching's cut-off must be positive");
    if (settings.maximum_waves < 1) throw std::invalid_argument("history matching needs at least one wave");
    if (settings.volume_samples < 100) throw std::invalid_argument("history matching needs >= 100 volume samples");
}

// Runs every design point `replications` times; the means and the pooled run-to-run variance per figure. Returns
// every run's figures.
std::vector<std::vector<double>> run_design(WaveRecord& record, const std::vector<Prior>& priors,
                                            const Eigen::MatrixXd& working_design, std::size_t figures,
                                            const WaveSimulator& simulator, std::uint64_t wave,
                                            const HistoryMatchingSettings& settings) {
    const auto points = static_cast<std::size_t>(working_design.rows());
    const std::size_t runs_per_point = settings.replications;
    // Spread over an MPI job's ranks when there are several; every rank gets every run (all take the next wave).
    const std::vector<std::vector<double>> runs = cluster::run_number_tasks(
        points * runs_per_point, settings.threads,
        [&](std::uint64_t run) {
            std::vector<double> simulated = simulator(
                to_natural(priors, working_design.row(static_cast<Eigen::Index>(run / runs_per_point))), wave, run);
            if (simulated.size() != figures)
                throw std::logic_error("history matching: the simulator returned the wrong number of figures");
            return simulated;
        },
        true);
    record.simulations = points * runs_per_point;
    record.means.setConstant(static_cast<Eigen::Index>(points), static_cast<Eigen::Index>(figures), kNaN);
    record.run_variance.setConstant(static_cast<Eigen::Index>(figures), kNaN);
    for (std::size_t k = 0; k < figures; ++k) {
        double squares = 0;
        std::size_t degrees = 0;
        for (std::size_t point = 0; point < points; ++point) {
            double sum = 0;
            bool finite = true;
            for (std::size_t r = 0; r < runs_per_point; ++r) {
                const double value = runs[point * runs_per_point + r][k];
                finite = finite && std::isfinite(value);
                sum += value;
            }
            if (!finite) continue;
            const double mean = sum / static_cast<double>(runs_per_point);
            record.means(static_cast<Eigen::Index>(point), static_cast<Eigen::Index>(k)) = mean;
            for (std::size_t r = 0; r < runs_per_point; ++r)
                squares += std::pow(runs[point * runs_per_point + r][k] - mean, 2);
            degrees += runs_per_point - 1;
        }
        if (degrees > 0) record.run_variance(static_cast<Eigen::Index>(k)) = squares / static_cast<double>(degrees);
    }
    return runs;
}

// One emulator per figure, fitted to the points that gave it a value; leave-one-out errors recorded by point.
std::vector<GaussianProcessEmulator> fit_emulators(WaveRecord& record, const Eigen::MatrixXd& working_design,
                                                   std::uint64_t wave, const HistoryMatchingSettings& settings) {
    const Eigen::Index figures = record.means.cols(), points = record.means.rows();
    record.loo_errors.setConstant(points, figures, kNaN);
    record.loo_within_2.setConstant(figures, kNaN);
    std::vector<std::vector<Eigen::Index>> used(static_cast<std::size_t>(figures));
    for (Eigen::Index k = 0; k < figures; ++k) {
        for (Eigen::Index i = 0; i < points; ++i)
            if (std::isfinite(record.means(i, k))) used[static_cast<std::size_t>(k)].push_back(i);
        if (used[static_cast<std::size_t>(k)].size() < static_cast<std::size_t>(working_design.cols()) + 4)
            throw std::runtime_error("history matching: figure " + std::to_string(k) + " has a value at only " +
                                     std::to_string(used[static_cast<std::size_t>(k)].size()) + " of wave " +
                                     std::to_string(wave + 1) + "'s " + std::to_string(points) + " points");
    }
    // Fitted in parallel; optional because the replication runner fills default-constructed slots.
    std::vector<std::optional<GaussianProcessEmulator>> fitted =
        kernel::run_replications(static_cast<std::uint64_t>(figures), settings.threads, [&](std::uint64_t figure) {
            const std::vector<Eigen::Index>& rows = used[figure];
            Eigen::MatrixXd inputs(static_cast<Eigen::Index>(rows.size()), working_design.cols());
            Eigen::VectorXd outputs(static_cast<Eigen::Index>(rows.size()));
            for (std::size_t r = 0; r < rows.size(); ++r) {
                inputs.row(static_cast<Eigen::Index>(r)) = working_design.row(rows[r]);
                outputs(static_cast<Eigen::Index>(r)) = record.means(rows[r], static_cast<Eigen::Index>(figure));
            }
            EmulatorSettings emulator;
            emulator.correlation = settings.correlation;
            emulator.noise = Noise::estimated;  // the mean of a few stochastic runs is not the simulator's mean
            emulator.seed = kernel::purpose_id("history matching emulator") ^ (settings.seed + 1000 * wave + figure);
            return std::optional<GaussianProcessEmulator>(std::in_place, inputs, outputs, emulator);
        });
    std::vector<GaussianProcessEmulator> emulators;
    for (auto& emulator : fitted) emulators.push_back(std::move(*emulator));
    for (Eigen::Index k = 0; k < figures; ++k) {
        const Eigen::VectorXd errors = emulators[static_cast<std::size_t>(k)].leave_one_out().standardised_errors;
        const std::vector<Eigen::Index>& rows = used[static_cast<std::size_t>(k)];
        for (std::size_t r = 0; r < rows.size(); ++r)
            record.loo_errors(rows[r], k) = errors(static_cast<Eigen::Index>(r));
        record.loo_within_2(k) = (errors.array().abs() <= 2.0).cast<double>().mean();
    }
    return emulators;
}

// The wave's cut: each figure's observed value against its emulator, with every source of variance but the
// emulator's own (which implausibility() adds point by point).
Wave make_wave(std::vector<GaussianProcessEmulator> emulators, WaveRecord& record,
               const std::vector<MatchedFigure>& figures, const HistoryMatchingSettings& settings) {
    Wave wave;
    wave.cutoff = settings.cutoff;
    wave.rule = settings.rule;
    record.other_variance.resize(static_cast<Eigen::Index>(figures.size()));
    record.closest.resize(static_cast<Eigen::Index>(figures.size()));
    for (std::size_t k = 0; k < figures.size(); ++k) {
        const MatchedFigure& figure = figures[k];
        // One run of a stochastic model is what a council's year is: its spread about the mean belongs in
        // the comparison. With one run per point, the emulator's nugget is that spread.
        double run_variance = record.run_variance(static_cast<Eigen::Index>(k));
        if (!std::isfinite(run_variance)) run_variance = emulators[k].hyperparameters().nugget_variance;
        const double range_variance = std::pow(figure.upper - figure.lower, 2) / 12.0;
        ObservedOutput target{0.5 * (figure.lower + figure.upper),
                              figure.observation_variance + range_variance + run_variance, figure.discrepancy_variance};
        const double other = target.observation_variance + target.discrepancy_variance;
        record.other_variance(static_cast<Eigen::Index>(k)) = other;
        double closest = std::numeric_limits<double>::infinity();
        for (Eigen::Index i = 0; i < record.means.rows(); ++i)
            if (std::isfinite(record.means(i, static_cast<Eigen::Index>(k))))
                closest = std::min(closest, implausibility(target, record.means(i, static_cast<Eigen::Index>(k)), 0));
        record.closest(static_cast<Eigen::Index>(k)) = closest;
        wave.targets.push_back(target);
    }
    wave.emulators = std::move(emulators);
    return wave;
}

// Per figure, the median emulator variance over (up to 1,000 of) the points left.
Eigen::VectorXd median_emulator_variance(const Wave& wave, const Eigen::MatrixXd& points) {
    Eigen::VectorXd medians = Eigen::VectorXd::Constant(static_cast<Eigen::Index>(wave.emulators.size()), kNaN);
    if (points.rows() == 0) return medians;
    const Eigen::MatrixXd some = points.topRows(std::min<Eigen::Index>(points.rows(), 1000));
    for (std::size_t k = 0; k < wave.emulators.size(); ++k) {
        const Eigen::VectorXd variance = wave.emulators[k].predict(some).variance;
        medians(static_cast<Eigen::Index>(k)) =
            kernel::quantile_of_finite(std::vector<double>(variance.begin(), variance.end()), 0.5);
    }
    return medians;
}

// A maximin Latin hypercube over the priors' box first; then a space-filling design inside the space left,
// sampled in the bounding box of the last wave's non-implausible points. None: too few points found there.
std::optional<Eigen::MatrixXd> wave_design(std::size_t wave, std::size_t points, const Box& prior_box,
                                           const Box& sampling, const NonImplausibleSpace& space, std::uint64_t seed,
                                           unsigned threads) {
    if (wave == 0) return maximin_latin_hypercube(points, prior_box, seed);
    try {
        return region_design(
                   points, prior_box, sampling,
                   [&](const Eigen::MatrixXd& candidates) { return space.contains(candidates, threads); }, seed,
                   RegionDesignSettings{4, 2'000'000})
            .points;
    } catch (const std::runtime_error&) {
        return std::nullopt;
    }
}

// Fewer non-implausible points than this among a wave's volume samples (a relative standard error over 20%) are
// too few to measure the space left or to bound the next design's sampling box: a sharp first wave can leave one
// point in 20,000, and a box around one point is the whole prior's.
constexpr std::size_t kFewestToMeasure = 25;

// The space left after a wave, measured in the sampling box; when too few points fall inside, chains explore the
// space from them first and it is measured again in the bounding box of where they went (a note says so).
VolumeEstimate measure_space(const NonImplausibleSpace& space, const Box& sampling, const Box& prior_box,
                             std::uint64_t seed, const HistoryMatchingSettings& settings, std::size_t wave,
                             std::vector<std::string>& warnings) {
    VolumeEstimate volume =
        non_implausible_volume(space, settings.volume_samples, seed + 1, sampling, settings.threads);
    if (volume.accepted == 0 || volume.accepted >= kFewestToMeasure) return volume;
    const Eigen::MatrixXd reached = explore_region(
        std::max<std::size_t>(settings.volume_samples / 10, 100), prior_box, volume.accepted_points,
        [&](const Eigen::MatrixXd& candidates) { return space.contains(candidates, settings.threads); }, seed + 2);
    VolumeEstimate again = non_implausible_volume(space, settings.volume_samples, seed + 3,
                                                  bounding_box(reached, prior_box), settings.threads);
    if (again.accepted == 0) return volume;
    warnings.push_back("wave " + std::to_string(wave + 1) + " left " + std::to_string(volume.accepted) + " of " +
                       std::to_string(volume.samples) +
                       " points sampled non-implausible, too few to measure: Metropolis chains explored the space "
                       "from them and it was measured again in the box they reached (" +
                       std::to_string(again.accepted) + " of " + std::to_string(again.samples) + " inside)");
    return again;
}

Eigen::MatrixXd natural_design(const std::vector<Prior>& priors, const Eigen::MatrixXd& working_design) {
    Eigen::MatrixXd natural_values = working_design;
    for (Eigen::Index i = 0; i < working_design.rows(); ++i) {
        const std::vector<double> natural = to_natural(priors, working_design.row(i));
        for (std::size_t p = 0; p < natural.size(); ++p) natural_values(i, static_cast<Eigen::Index>(p)) = natural[p];
    }
    return natural_values;
}

// Why the matching stops after this wave ("" to go on): it shrank the space too little, or the emulators are
// already sure against the other variances everywhere in it.
std::string stop_after(const WaveRecord& record, double previous_volume, const HistoryMatchingSettings& settings) {
    if (1.0 - record.volume / previous_volume < settings.minimum_volume_reduction)
        return "the last wave shrank the space left by less than " +
               std::to_string(static_cast<int>(std::lround(100 * settings.minimum_volume_reduction))) + "%";
    if ((record.emulator_variance.array() < settings.emulator_variance_ratio * record.other_variance.array()).all())
        return "the emulators' variance is small against the other variances";
    return "";
}

// Natural parameter values (one set per row) in working coordinates; a row with a value that is not finite is
// placed at the box's lower corner and reported in `finite`.
Eigen::MatrixXd working_rows(const std::vector<Prior>& priors, const Eigen::MatrixXd& natural, const Box& box,
                             std::vector<bool>& finite) {
    Eigen::MatrixXd working(natural.rows(), natural.cols());
    finite.assign(static_cast<std::size_t>(natural.rows()), true);
    for (Eigen::Index i = 0; i < natural.rows(); ++i) {
        finite[static_cast<std::size_t>(i)] = natural.row(i).allFinite();
        if (finite[static_cast<std::size_t>(i)])
            working.row(i) =
                to_working(priors, std::vector<double>(natural.row(i).begin(), natural.row(i).end())).transpose();
        else
            working.row(i) = box.lower.transpose();
    }
    return working;
}

// One run's figures as the last wave predicts them (HistoryMatchingResult::predict_runs). The run-to-run variance is
// the wave's pooled one, or the emulator's nugget where a figure had one run per point.
RunSurrogate run_predictions(const Wave& last, const WaveRecord& record, const std::vector<Prior>& priors,
                             const Box& box) {
    Eigen::VectorXd run_variance = record.run_variance;
    for (Eigen::Index k = 0; k < run_variance.size(); ++k)
        if (!std::isfinite(run_variance(k)))
            run_variance(k) = last.emulators[static_cast<std::size_t>(k)].hyperparameters().nugget_variance;
    auto emulators = std::make_shared<const std::vector<GaussianProcessEmulator>>(last.emulators);
    return [emulators, run_variance, priors, box](const Eigen::MatrixXd& natural) {
        std::vector<bool> finite;
        const Eigen::MatrixXd working = working_rows(priors, natural, box, finite);
        RunPredictions predicted{Eigen::MatrixXd(natural.rows(), run_variance.size()),
                                 Eigen::MatrixXd(natural.rows(), run_variance.size())};
        for (std::size_t k = 0; k < emulators->size(); ++k) {
            const Predictions figure = (*emulators)[k].predict(working);
            predicted.mean.col(static_cast<Eigen::Index>(k)) = figure.mean;
            predicted.variance.col(static_cast<Eigen::Index>(k)) =
                figure.variance.array() + run_variance(static_cast<Eigen::Index>(k));
        }
        for (Eigen::Index i = 0; i < natural.rows(); ++i)
            if (!finite[static_cast<std::size_t>(i)]) predicted.mean.row(i).setConstant(kNaN);
        return predicted;
    };
}

// The space left as the result answers it: one parameter set, or many at once (natural values).
void answer_membership(HistoryMatchingResult& result, const std::shared_ptr<NonImplausibleSpace>& space,
                       const std::vector<Prior>& priors) {
    result.contains = [space, priors](const std::vector<double>& natural) {
        for (const double value : natural)
            if (!std::isfinite(value)) return false;
        return space->contains(to_working(priors, natural));
    };
    result.contains_all = [space, priors](const Eigen::MatrixXd& natural) {
        std::vector<bool> finite;
        const Eigen::MatrixXd working = working_rows(priors, natural, space->prior(), finite);
        std::vector<bool> inside = space->contains(working);
        for (std::size_t i = 0; i < inside.size(); ++i) inside[i] = inside[i] && finite[i];
        return inside;
    };
}

}  // namespace

Box working_box(const std::vector<Prior>& priors) {
    Box box{Eigen::VectorXd(static_cast<Eigen::Index>(priors.size())),
            Eigen::VectorXd(static_cast<Eigen::Index>(priors.size()))};
    for (std::size_t p = 0; p < priors.size(); ++p) {
        const Prior& prior = priors[p];
        const bool bounded = prior.kind == PriorKind::uniform || prior.kind == PriorKind::log_uniform;
        double low = bounded ? prior.lower : prior.quantile(0.001),
               high = bounded ? prior.upper : prior.quantile(0.999);
        if (on_log_scale(prior)) low = std::log(low), high = std::log(high);
        box.lower(static_cast<Eigen::Index>(p)) = low;
        box.upper(static_cast<Eigen::Index>(p)) = high;
    }
    return box;
}

std::size_t points_per_wave(const HistoryMatchingSettings& settings, std::size_t parameters) {
    return settings.points_per_wave > 0 ? settings.points_per_wave : 10 * parameters;
}

HistoryMatchingResult history_match(const std::vector<Prior>& priors, const std::vector<MatchedFigure>& figures,
                                    const WaveSimulator& simulator, const HistoryMatchingSettings& settings,
                                    const HistoryMatchingProgress& progress) {
    const std::size_t points = points_per_wave(settings, priors.size());
    check(priors, figures, settings, points);
    const Box prior_box = working_box(priors);
    auto space = std::make_shared<NonImplausibleSpace>(prior_box);
    HistoryMatchingResult result;
    result.settings = settings;
    result.settings.points_per_wave = points;
    Box sampling = prior_box;
    std::string decides;       // the designs and their mean figures, wave by wave
    RunSurrogate predictions;  // the last wave that stands
    for (std::size_t wave = 0; wave < settings.maximum_waves && result.stop_reason.empty(); ++wave) {
        const auto started = std::chrono::steady_clock::now();
        const std::uint64_t seed = settings.seed + 7919 * wave;
        const std::optional<Eigen::MatrixXd> next =
            wave_design(wave, points, prior_box, sampling, *space, seed, settings.threads);
        if (!next) {
            result.stop_reason = "the space left is too small to place another wave's design";
            break;
        }
        const Eigen::MatrixXd& design = *next;
        WaveRecord record;
        const auto seconds_since = [](std::chrono::steady_clock::time_point from) {
            return std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count();
        };
        auto phase = std::chrono::steady_clock::now();
        std::vector<std::vector<double>> runs =
            run_design(record, priors, design, figures.size(), simulator, wave, settings);
        record.simulation_seconds = seconds_since(phase);
        if (settings.first_wave_runs_only) {
            result.first_wave_runs = std::move(runs);
            result.simulations = record.simulations;
            result.stop_reason = "a shard: wave 1's design runs only";
            return result;
        }
        result.simulations += record.simulations;
        record.design = natural_design(priors, design);
        phase = std::chrono::steady_clock::now();
        Wave cut = make_wave(fit_emulators(record, design, wave, settings), record, figures, settings);
        record.emulation_seconds = seconds_since(phase);
        auto candidate = std::make_shared<NonImplausibleSpace>(*space);
        candidate->add_wave(cut);
        const VolumeEstimate volume =
            measure_space(*candidate, sampling, prior_box, seed, settings, wave, result.warnings);
        record.wall_seconds = seconds_since(started);
        if (volume.accepted == 0) {
            result.warnings.push_back("wave " + std::to_string(wave + 1) + " left no point of " +
                                      std::to_string(volume.samples) +
                                      " non-implausible: the figures cannot all be met within the cut-off, so the "
                                      "space of the wave before stands");
            result.stop_reason = "a wave ruled out every point sampled";
            record.volume = 0;
            result.waves.push_back(std::move(record));
            if (progress.wave_done) progress.wave_done(wave, result.waves.back());
            break;
        }
        const double previous = result.waves.empty() ? 1.0 : result.waves.back().volume;
        record.volume = volume.fraction;
        record.volume_standard_error = volume.standard_error;
        record.emulator_variance = median_emulator_variance(cut, volume.accepted_points);
        space = candidate;
        predictions = run_predictions(cut, record, priors, prior_box);
        sampling = bounding_box(volume.accepted_points, prior_box);
        append_bytes(decides, record.design);
        append_bytes(decides, record.means);
        result.stop_reason = stop_after(record, previous, settings);
        result.waves.push_back(std::move(record));
        if (progress.wave_done) progress.wave_done(wave, result.waves.back());
    }
    if (result.stop_reason.empty()) result.stop_reason = "maximum number of waves reached";
    result.fingerprint = kernel::purpose_id(decides);
    result.box_lower = to_natural(priors, sampling.lower);
    result.box_upper = to_natural(priors, sampling.upper);
    answer_membership(result, space, priors);
    result.predict_runs = predictions;
    if (progress.finished) progress.finished(result);
    return result;
}

}  // namespace ehsim::calibration
