// `ehsim calibrate`: ABC-SMC of a scenario's uncertain parameters against a council's published figures.
// Writes the posterior as ArviZ InferenceData and prints how well it reproduces each figure.
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

#include "output/inference_data_writer.hpp"
#include "output/sensitivity_writer.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/interruption.hpp"
#include "sim/cli/option_types.hpp"
#include "sim/cli/printing.hpp"
#include "sim/cli/replication_jobs.hpp"
#include "sim/cluster/cluster.hpp"
#include "sim/experiment/calibration_results.hpp"
#include "sim/experiment/calibration_run.hpp"
#include "sim/kernel/replications.hpp"
#include "sim/kernel/statistics.hpp"

namespace ehsim::cli {

namespace po = boost::program_options;

namespace {

// The posterior-predictive fit: each target's published value against the model's median and 90% interval.
// Returns how many published figures fall inside.
std::size_t print_fit(const calibration::TargetsFile& targets, const std::vector<std::vector<double>>& predicted) {
    std::size_t inside_count = 0;
    std::printf("\n%-30s %22s %12s %24s %8s\n", "target", "published", "median", "90% interval", "inside");
    const std::vector<experiment::FigureFit> fits = experiment::figure_fits(targets, predicted);
    for (std::size_t k = 0; k < targets.targets.size(); ++k) {
        const calibration::Target& target = targets.targets[k];
        const experiment::FigureFit& fit = fits[k];
        const std::string published = target.kind == calibration::TargetKind::range
                                          ? format_value(target.lower) + " to " + format_value(target.upper)
                                          : format_value(target.value);
        if (fit.inside) ++inside_count;
        const std::string interval = "[" + format_value(fit.low) + ", " + format_value(fit.high) + "]";
        std::printf("%-30s %22s %12s %24s %8s%s\n", target.name.c_str(), published.c_str(),
                    format_value(fit.median).c_str(), interval.c_str(), fit.inside ? "yes" : "NO",
                    target.not_fitted.empty() ? "" : "  (not fitted)");
    }
    // Why figures fall outside, where the targets file says what the model lacks: once per gap, naming its figures.
    std::vector<std::pair<std::string, std::string>> gaps;  // the gap, the figures outside that it explains
    for (std::size_t k = 0; k < targets.targets.size(); ++k) {
        const calibration::Target& target = targets.targets[k];
        if (fits[k].inside || target.known_gap.empty()) continue;
        const auto same =
            std::find_if(gaps.begin(), gaps.end(), [&](const auto& gap) { return gap.first == target.known_gap; });
        if (same == gaps.end())
            gaps.emplace_back(target.known_gap, target.name);
        else
            same->second += ", " + target.name;
    }
    if (!gaps.empty()) std::printf("\nWhat the model lacks, for the figures outside (from the targets file):\n");
    for (const auto& [gap, names] : gaps) std::printf("  %s: %s\n", names.c_str(), gap.c_str());
    return inside_count;
}

// `--predict`: how a scenario (or option), with parameters drawn from a posterior, reproduces a targets
// file's figures that the calibration did not see: a held-out check.
int predict(const std::string& targets_file, const std::string& scenario_file, const std::string& posterior_file,
            std::uint64_t replications, std::uint64_t seed, unsigned threads) {
    if (replications < 2 || replications > 1'000'000)
        throw UsageError("calibrate: --replications must be in [2, 1000000]");
    const experiment::Prediction prediction =
        experiment::predict(targets_file, scenario_file, posterior_file, replications, seed, threads);
    std::printf("%s against %s: %llu replications%s%s\n", scenario_file.c_str(), targets_file.c_str(),
                static_cast<unsigned long long>(replications), prediction.drawn ? ", parameters drawn from " : "",
                posterior_file.c_str());
    const std::size_t inside = print_fit(prediction.targets, prediction.predicted);
    std::printf("\n%zu of %zu published figures inside the model's 90%% interval.\n", inside,
                prediction.targets.targets.size());
    return 0;
}

// Prints the calibration's heading now; then, with history matching, a line per wave as it completes (its runs,
// the emulators' leave-one-out check, the share of the priors' box it leaves) and how it stopped; then a line per
// ABC generation. On a terminal, also the generation under way on stderr. Quiet: nothing.
experiment::CalibrationProgress show_progress(const experiment::Calibration& calibration,
                                              const calibration::AbcSettings& settings,
                                              const std::optional<calibration::HistoryMatchingSettings>& matching,
                                              bool quiet) {
    experiment::CalibrationProgress progress;
    if (quiet) return progress;
    const bool on_terminal = isatty(STDERR_FILENO);
    const std::size_t figures = calibration.targets().targets.size(),
                      fitted = calibration::fitted_targets(calibration.targets()).targets.size();
    const std::string shown = fitted < figures ? " (" + std::to_string(figures - fitted) + " shown, not fitted)" : "";
    std::printf("Calibrating %s (%zu parameters) to %zu figures of %s%s: %zu particles, %u threads\n",
                calibration.scenario().name.c_str(), calibration.setup().parameters.size(), fitted,
                calibration.targets().council.c_str(), shown.c_str(), settings.particles, settings.threads);
    // With delayed acceptance, the steps the emulators screened out (no simulation) get a column of their own.
    const bool screened = settings.delayed_acceptance;
    const auto abc_heading = [screened] {
        std::printf("%10s %12s %11s %9s %9s %6s %12s%s %10s\n", "generation", "tolerance", "acceptance", "ESS",
                    "distinct", "steps", "simulations", screened ? "     screened" : "", "wall (s)");
    };
    if (matching) {
        std::printf("History matching first (cut-off %.3g on the %s implausibility, %zu runs a point):\n",
                    matching->cutoff,
                    matching->rule == calibration::ImplausibilityRule::maximum ? "largest" : "second-largest",
                    matching->replications);
        std::printf("%10s %8s %12s %22s %14s %10s\n", "wave", "points", "simulations", "leave-one-out in +-2",
                    "space left", "wall (s)");
        progress.history_matching.wave_done = [](std::size_t wave, const calibration::WaveRecord& record) {
            std::printf("%10zu %8lld %12llu %21.0f%% %13.3g%% %10.1f\n", wave + 1,
                        static_cast<long long>(record.design.rows()),
                        static_cast<unsigned long long>(record.simulations), 100.0 * record.loo_within_2.mean(),
                        100.0 * record.volume, record.wall_seconds);
            std::fflush(stdout);
        };
        progress.history_matching.finished = [abc_heading](const calibration::HistoryMatchingResult& matched) {
            std::printf("Stopped: %s, after %zu waves and %llu simulations.\n", matched.stop_reason.c_str(),
                        matched.waves.size(), static_cast<unsigned long long>(matched.simulations));
            for (const std::string& warning : matched.warnings) std::printf("  Note: %s.\n", warning.c_str());
            std::printf("ABC-SMC inside the space left:\n");
            abc_heading();
            std::fflush(stdout);
        };
    } else {
        abc_heading();
    }
    progress.abc.generation_done = [on_terminal, screened](const calibration::GenerationSummary& summary) {
        if (on_terminal) std::fprintf(stderr, "\r%70s\r", "");
        char screened_column[32] = "";
        if (screened)
            std::snprintf(screened_column, sizeof screened_column, " %12llu",
                          static_cast<unsigned long long>(summary.proposals_screened));
        std::printf("%10zu %12.4g %10.1f%% %9.0f %9zu %6zu %12llu%s %10.1f\n", summary.generation, summary.tolerance,
                    100.0 * summary.acceptance_rate, summary.effective_sample_size, summary.distinct_particles,
                    summary.moves, static_cast<unsigned long long>(summary.simulations), screened_column,
                    summary.wall_seconds);
        std::fflush(stdout);
    };
    if (on_terminal)
        progress.abc.working = [particles = settings.particles,
                                moves = settings.method == calibration::AbcMethod::mcmc_moves](
                                   std::size_t generation, std::uint64_t simulated, std::size_t accepted) {
            if (moves && generation > 0)
                std::fprintf(stderr, "\rgeneration %zu: %zu steps accepted of %llu simulated ", generation, accepted,
                             static_cast<unsigned long long>(simulated));
            else
                std::fprintf(stderr, "\rgeneration %zu: %zu of %zu accepted after %llu simulations ", generation,
                             accepted, particles, static_cast<unsigned long long>(simulated));
            std::fflush(stderr);
        };
    return progress;
}

void print_outcome(const experiment::Calibration& calibration, const experiment::CalibrationOutcome& outcome,
                   const std::string& out) {
    const calibration::AbcResult& result = outcome.result;
    if (outcome.history_matching)
        std::printf("\nHistory matching: %llu simulations; ABC-SMC: %llu.",
                    static_cast<unsigned long long>(outcome.history_matching->simulations),
                    static_cast<unsigned long long>(result.total_simulations));
    std::printf("\nStopped: %s, after %zu generations and %llu simulations.\n", result.stop_reason.c_str(),
                result.history.size(), static_cast<unsigned long long>(result.total_simulations));
    std::printf("Posterior (equal-weight resample): median [90%% interval]\n");
    const auto& parameters = calibration.setup().parameters;
    for (std::size_t p = 0; p < parameters.size(); ++p) {
        const std::vector<double> values = outcome.resampled(p);
        std::printf("  %-55s %10.4g [%.4g, %.4g]\n", parameters[p].path.c_str(),
                    kernel::quantile_of_finite(values, 0.5), kernel::quantile_of_finite(values, 0.05),
                    kernel::quantile_of_finite(values, 0.95));
    }
    std::printf("\nPosterior-predictive fit (%zu runs):", outcome.predicted.size());
    print_fit(calibration.targets(), outcome.predicted);
    std::printf("\nWritten: %s\n", out.c_str());
}

std::optional<bool> history_match_flag(const po::variables_map& values) {
    if (values.count("history-match") && values.count("no-history-match"))
        throw UsageError("calibrate: --history-match and --no-history-match contradict each other");
    if (values.count("history-match")) return true;
    if (values.count("no-history-match")) return false;
    return std::nullopt;
}

int print_help(const po::options_description& options) {
    std::cout << "Usage: ehsim calibrate SETUP.yaml [options]\n"
                 "       ehsim calibrate --predict TARGETS.yaml SCENARIO [--posterior FILE.h5] [-r N]\n\n"
                 "Fits the uncertain parameters named in SETUP.yaml (with their priors) to the published figures\n"
                 "of its targets file by ABC-SMC, and writes the posterior as ArviZ InferenceData (HDF5). With\n"
                 "history matching, waves of emulated runs first rule out the parameters the figures forbid, and\n"
                 "ABC-SMC starts inside the space left. Prints each wave and generation as it completes, then each\n"
                 "figure against the posterior-predictive median and 90% interval (docs/calibration.md).\n\n"
              << options;
    return 0;
}

// A sensitivity study for the report is read now, so that a bad one is refused before the calibration, not after.
void check_sensitivity_option(const ReportRequest& report) {
    if (report.sensitivity.empty()) return;
    if (report.html.empty()) throw UsageError("calibrate: --sensitivity goes with --report (or --pdf)");
    output::read_sensitivity_hdf5(report.sensitivity);
}

// Options that cannot work with the set-up, refused before anything runs.
void check_run_options(const calibration::AbcSettings& settings,
                       const std::optional<calibration::HistoryMatchingSettings>& history_matching,
                       std::size_t predictive_runs) {
    if (predictive_runs < 1 || predictive_runs > settings.particles)
        throw UsageError("calibrate: --predictive must be in [1, particles]");
    if (settings.delayed_acceptance && !history_matching)
        throw UsageError(
            "calibrate: the set-up's delayed_acceptance screens the steps with history matching's emulators, so "
            "--no-history-match cannot be used with it (drop the option, or set delayed_acceptance: false)");
}

}  // namespace

// --shard K/N and --from-shards: history matching's first wave spread over a job array's tasks, then joined.
void add_design_shard_options(po::options_description& options, std::string& shard_text,
                              std::vector<std::string>& from_shards) {
    options.add_options()("shard", po::value(&shard_text),
                          "K/N: run only the K-th of N equal parts of history matching's first-wave runs into a shard "
                          "file (--out), for a job array without MPI")(
        "from-shards", po::value(&from_shards)->multitoken()->composing(),
        "the N shard files of the same command with --shard: the first wave's runs from them, then the calibration "
        "as one process runs it");
}

// Usage errors of a calibration's numbers, found before anything is loaded.
void check_calibration_values(const po::variables_map& values, const std::string& posterior_file, std::uint64_t threads,
                              std::uint64_t particles, double budget_minutes) {
    if (!posterior_file.empty()) throw UsageError("calibrate: --posterior goes with --predict");
    if (threads < 1 || threads > 1024) throw UsageError("calibrate: --threads must be in [1, 1024]");
    if (values.count("particles") && (particles < 2 || particles > 10'000'000))
        throw UsageError("calibrate: --particles must be in [2, 10000000]");
    if (values.count("budget-minutes") && !(budget_minutes > 0 && std::isfinite(budget_minutes)))
        throw UsageError("calibrate: --budget-minutes must be a positive number");
}

// What an interrupted calibration's message says of its checkpoint.
constexpr const char* kHowToResume = "the same command with --resume goes on from it to the same result";

// The command line's changes to the set-up file's settings; the checkpoint named if the command is interrupted.
experiment::CalibrationOverrides overrides_of(const po::variables_map& values, std::uint64_t threads,
                                              std::uint64_t particles, double budget_minutes,
                                              const std::string& checkpoint) {
    experiment::CalibrationOverrides overrides;
    overrides.threads = static_cast<unsigned>(threads);
    if (values.count("particles")) overrides.particles = particles;
    if (values.count("budget-minutes")) overrides.budget_minutes = budget_minutes;
    overrides.checkpoint_file = checkpoint;
    name_checkpoint_on_interruption(overrides.checkpoint_file, kHowToResume);
    overrides.history_match = history_match_flag(values);
    return overrides;
}

int calibrate_command(const std::vector<std::string>& arguments) {
    std::string setup_file, out, checkpoint, predict_targets, posterior_file, shard_text;
    std::vector<std::string> from_shards;
    WholeNumber replications{200}, seed{1};
    WholeNumber threads{kernel::default_thread_count()};
    WholeNumber particles{0}, predictive{0};
    double budget_minutes = 0;
    po::options_description options("Options of 'ehsim calibrate'");
    options.add_options()("help,h", "show this help and exit")(
        "out,o", po::value(&out), "HDF5 file for the posterior (default: out/<set-up name>-posterior.h5)")(
        "threads,t", po::value(&threads)->default_value(threads), "worker threads (results do not depend on it)")(
        "particles,n", po::value(&particles), "particles (overrides the set-up file's algorithm.particles)")(
        "budget-minutes", po::value(&budget_minutes), "wall-time budget (overrides the set-up file)")(
        "predictive", po::value(&predictive),
        "posterior-predictive runs for the fit table (default: particles, at most 500)")(
        "checkpoint", po::value(&checkpoint),
        "checkpoint file, written after each generation (default: <out>.checkpoint)")(
        "resume", "continue from the checkpoint; the result is the one an uninterrupted run gives")(
        "predict", po::value(&predict_targets),
        "TARGETS.yaml: instead of calibrating, run the scenario given (or option) and set its figures beside these")(
        "posterior", po::value(&posterior_file),
        "with --predict: draw each replication's parameters from this posterior")(
        "replications,r", po::value(&replications)->default_value(replications), "with --predict: replications")(
        "seed,s", po::value(&seed)->default_value(seed), "with --predict: master random seed")(
        "history-match",
        "history matching before ABC-SMC (the set-up file's history_matching section, or its "
        "defaults)")("no-history-match",
                     "ABC-SMC from the prior, even if the set-up file asks for "
                     "history matching")("quiet,q", "no progress and no table");
    add_design_shard_options(options, shard_text, from_shards);
    ReportRequest report;
    add_report_options(options, report);
    options.add_options()("sensitivity", po::value(&report.sensitivity),
                          "with --report: a sensitivity study of this set-up (ehsim sensitivity) whose ranking the "
                          "report shows");
    const po::variables_map values = parse_command_line("calibrate", arguments, options, &setup_file);
    if (values.count("help")) return print_help(options);
    if (setup_file.empty()) throw UsageError("calibrate: no calibration set-up file given");
    if (!predict_targets.empty() && (values.count("report") || values.count("pdf")))
        throw UsageError("calibrate: --report and --pdf go with a calibration, not with --predict");
    if (!predict_targets.empty()) {
        return predict(predict_targets, setup_file, posterior_file, replications.value, seed.value,
                       static_cast<unsigned>(threads.value));
    }
    check_calibration_values(values, posterior_file, threads.value, particles.value, budget_minutes);

    const experiment::Calibration calibration(setup_file);
    const experiment::DesignShardRequest shards = design_shard_request(
        "calibrate", shard_text, from_shards, setup_file, "first-wave", out,
        values.count("report") || values.count("pdf") || values.count("resume") ? "--report, --pdf and --resume" : "");
    if (out.empty()) out = "out/" + std::filesystem::path(setup_file).stem().string() + "-posterior.h5";
    check_report_options("calibrate", values, report, out);
    check_sensitivity_option(report);
    if (const auto folder = std::filesystem::path(out).parent_path(); !folder.empty())
        std::filesystem::create_directories(folder);
    const experiment::CalibrationOverrides overrides = overrides_of(
        values, threads.value, particles.value, budget_minutes, checkpoint.empty() ? out + ".checkpoint" : checkpoint);
    const std::optional<calibration::HistoryMatchingSettings> history_matching =
        calibration.history_matching(overrides);
    const calibration::AbcSettings settings = calibration.settings(overrides);
    const bool quiet = values.count("quiet") > 0, resume = values.count("resume") > 0;
    const std::size_t predictive_runs =
        values.count("predictive") ? predictive.value : std::min<std::size_t>(settings.particles, 500);
    check_run_options(settings, history_matching, predictive_runs);
    calibration.check(settings);

    const experiment::CalibrationOutcome outcome =
        calibration.run(settings, history_matching, resume, predictive_runs,
                        show_progress(calibration, settings, history_matching, quiet), shards);
    if (outcome.shard_only) {
        say_shard_written(shards, "history matching's first-wave runs", outcome.shard_first, outcome.shard_end,
                          outcome.design_runs);
        return 0;
    }
    if (!cluster::is_manager()) return 0;  // a worker rank of an MPI job: the manager writes
    output::write_inference_data(experiment::calibration_results(calibration, settings, outcome), out);
    if (!quiet) print_outcome(calibration, outcome, out);
    if (!report.html.empty()) write_report(out, report);
    return 0;
}

}  // namespace ehsim::cli
