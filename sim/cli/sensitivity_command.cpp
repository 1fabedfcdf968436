// `ehsim sensitivity`: which of a calibration set-up's uncertain parameters matter for which published figure,
// by Morris screening and Sobol' indices over the priors' ranges; an HDF5 file and a ranked table.
#include <algorithm>
#include <boost/program_options.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <numeric>

#include "ehsim/version.hpp"
#include "output/sensitivity_writer.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/option_types.hpp"
#include "sim/cli/printing.hpp"
#include "sim/cli/replication_jobs.hpp"
#include "sim/cluster/cluster.hpp"
#include "sim/experiment/sensitivity_run.hpp"
#include "sim/kernel/replications.hpp"

namespace ehsim::cli {

namespace po = boost::program_options;

namespace {

output::SensitivityRecord record_of(const experiment::SensitivityStudy& study) {
    output::SensitivityRecord record;
    record.setup_file = study.setup_file;
    record.scenario_file = study.scenario_file;
    record.targets_file = study.targets_file;
    record.version = std::string(ehsim::kVersion) + " (commit " + ehsim::kGitCommit + ")";
    record.seed = study.settings.seed;
    record.replications = study.settings.replications;
    record.inputs = study.inputs;
    record.input_why = study.why;
    record.input_lower = study.lower;
    record.input_upper = study.upper;
    record.outputs = study.outputs;
    record.indicators = study.indicators;
    record.output_periods = study.periods;
    for (const bool effect : study.is_effect)
        record.output_kinds.push_back(effect ? output::kEffectOutput : output::kFigureOutput);
    record.replication_noise = study.replication_noise;
    record.negligible = study.negligible;
    record.negligible_threshold = study.settings.negligible_threshold;
    record.negligible_for.assign(study.negligible_for.begin(), study.negligible_for.end());
    record.option_file = study.settings.option_file;
    record.option_name = study.option_name;
    record.option_changes = study.option_changes;
    if (study.morris) {
        record.has_morris = true;
        record.trajectories = study.morris->trajectories;
        record.levels = study.settings.levels;
        std::tie(record.mu, record.mu_star, record.sigma) =
            std::tie(study.morris->mu, study.morris->mu_star, study.morris->sigma);
    }
    if (study.sobol) {
        record.has_sobol = true;
        record.base_samples = study.sobol->base_samples;
        record.evaluations = study.sobol->evaluations;
        for (const auto& [from, estimate, lower, upper] :
             {std::tuple{&study.sobol->first_order, &record.first, &record.first_lower, &record.first_upper},
              std::tuple{&study.sobol->total, &record.total, &record.total_lower, &record.total_upper}})
            for (const calibration::IndexEstimate& index : *from) {
                estimate->push_back(index.estimate);
                lower->push_back(index.lower);
                upper->push_back(index.upper);
            }
        record.output_variance = study.sobol->variance;
    }
    return record;
}

// Per figure: the parameters ranked by Sobol's total index (or Morris's mu*), with the replication noise.
void print_ranking(const experiment::SensitivityStudy& study) {
    const std::size_t inputs = study.inputs.size(), outputs = study.outputs.size();
    for (std::size_t output = 0; output < outputs; ++output) {
        // An effect's name says its indicator and year already.
        const std::string what = study.is_effect[output] ? study.outputs[output]
                                                         : study.outputs[output] + " (" + study.indicators[output] +
                                                               ", " + study.periods[output] + ")";
        std::printf("\n%s: replication noise of a point's mean %s\n", what.c_str(),
                    format_value(study.replication_noise[output]).c_str());
        std::printf("  %-52s %12s %12s %26s %26s\n", "parameter", "Morris mu*", "sigma", "Sobol first order",
                    "Sobol total");
        auto importance = [&](std::size_t input) {
            return study.sobol ? study.sobol->total_effect(input, output).estimate
                               : study.morris->mean_absolute(input, output);
        };
        std::vector<std::size_t> order(inputs);
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return importance(a) > importance(b); });
        for (const std::size_t input : order) {
            auto index_text = [](const calibration::IndexEstimate& index) {
                return format_value(index.estimate) + " [" + format_value(index.lower) + ", " +
                       format_value(index.upper) + "]";
            };
            std::printf("  %-52s %12s %12s %26s %26s\n", study.inputs[input].c_str(),
                        study.morris ? format_value(study.morris->mean_absolute(input, output)).c_str() : "-",
                        study.morris ? format_value(study.morris->sd(input, output)).c_str() : "-",
                        study.sobol ? index_text(study.sobol->first(input, output)).c_str() : "-",
                        study.sobol ? index_text(study.sobol->total_effect(input, output)).c_str() : "-");
        }
    }
    std::printf("\nParameters that matter for no output (they may be fixed): ");
    if (study.negligible.empty()) std::printf("none");
    for (std::size_t i = 0; i < study.negligible.size(); ++i)
        std::printf("%s%s", i ? ", " : "", study.negligible[i].c_str());
    std::printf("\n");
}

void check(const experiment::SensitivitySettings& settings, const std::string& method) {
    if (method != "morris" && method != "sobol" && method != "both")
        throw UsageError("sensitivity: --method must be morris, sobol or both, not '" + method + "'");
    if (settings.trajectories < 2 || settings.trajectories > 100'000)
        throw UsageError("sensitivity: --trajectories must be in [2, 100000]");
    if (settings.levels < 2 || settings.levels % 2 != 0 || settings.levels > 1000)
        throw UsageError("sensitivity: --levels must be even, in [2, 1000]");
    if (settings.base_samples < 2 || settings.base_samples > 10'000'000)
        throw UsageError("sensitivity: --samples must be in [2, 10000000]");
    if (settings.bootstrap > 1'000'000) throw UsageError("sensitivity: --bootstrap must be at most 1000000");
    if (settings.replications < 1 || settings.replications > 100'000)
        throw UsageError("sensitivity: --replications must be in [1, 100000]");
    if (settings.threads < 1 || settings.threads > 1024)
        throw UsageError("sensitivity: --threads must be in [1, 1024]");
    if (!(settings.negligible_threshold >= 0 && settings.negligible_threshold <= 1))
        throw UsageError("sensitivity: --threshold must be in [0, 1]");
    if (settings.option_file.empty() && !(settings.effect_indicators.empty() && settings.effect_years.empty()))
        throw UsageError("sensitivity: --effect-indicator and --effect-year need --option");
    if (!settings.option_file.empty() && settings.replications < 2)
        throw UsageError("sensitivity: --option needs --replications of at least 2 (for the effect's noise)");
}

// Runs the study, writes its file (and report), prints its table.
int run(const std::string& setup_file, const experiment::SensitivitySettings& settings, const std::string& out,
        const ReportRequest& report, bool quiet) {
    const experiment::SensitivityStudy study = experiment::run_sensitivity(setup_file, settings);
    if (!cluster::is_manager()) return 0;  // a worker rank of an MPI job: the manager writes
    if (study.shard_only) {
        say_shard_written(settings.design_shards, "design points", study.shard_first, study.shard_end,
                          study.design_points);
        return 0;
    }
    if (const auto folder = std::filesystem::path(out).parent_path(); !folder.empty())
        std::filesystem::create_directories(folder);
    output::write_sensitivity_hdf5(record_of(study), out);
    if (!quiet) print_ranking(study);
    std::printf("Sensitivity of %zu outputs to %zu parameters: %s\n", study.outputs.size(), study.inputs.size(),
                out.c_str());
    if (!report.html.empty()) write_report(out, report);
    return 0;
}

}  // namespace

int sensitivity_command(const std::vector<std::string>& arguments) {
    std::string setup_file, out, method = "morris", shard_text;
    std::vector<std::string> from_shards;
    WholeNumber trajectories{20}, levels{4}, samples{64}, bootstrap{1000}, replications{4}, seed{1};
    WholeNumber threads{kernel::default_thread_count()};
    experiment::SensitivitySettings settings;
    ReportRequest report;
    po::options_description options("Options of 'ehsim sensitivity'");
    options.add_options()("help,h", "show this help and exit")("method,m", po::value(&method)->default_value(method),
                                                               "morris (screening), sobol, or both")(
        "trajectories", po::value(&trajectories)->default_value(trajectories), "Morris: trajectories r")(
        "levels", po::value(&levels)->default_value(levels), "Morris: grid levels p (even)")(
        "samples", po::value(&samples)->default_value(samples), "Sobol: base samples N (N (k + 2) points)")(
        "bootstrap", po::value(&bootstrap)->default_value(bootstrap), "Sobol: bootstrap resamples (0: none)")(
        "replications,r", po::value(&replications)->default_value(replications),
        "replications per point, on the same streams at every point (common random numbers)")(
        "seed,s", po::value(&seed)->default_value(seed), "master random seed")(
        "threshold", po::value(&settings.negligible_threshold)->default_value(settings.negligible_threshold),
        "an input matters for nothing below this (Morris: mu* over the largest; Sobol: total's upper bound)")(
        "option", po::value(&settings.option_file),
        "an option file (as ehsim compare takes) extending the set-up's scenario: its paired effect is an output too")(
        "effect-indicator", po::value(&settings.effect_indicators)->composing(),
        "with --option: an indicator whose effect is measured (repeatable; default children_in_need_per_10000, "
        "social_care_referrals, cost_total)")(
        "effect-year", po::value(&settings.effect_years)->composing(),
        "with --option: a reported year, by its first month (2020-04) or label (repeatable; default the last)")(
        "threads,t", po::value(&threads)->default_value(threads), "worker threads (results do not depend on it)")(
        "out,o", po::value(&out), "HDF5 file (default: out/<set-up name>-sensitivity.h5)")("quiet,q", "no table")(
        "shard", po::value(&shard_text),
        "K/N: evaluate only the K-th of N equal parts of the design's points, into a shard file (--out), for a job "
        "array without MPI")("from-shards", po::value(&from_shards)->multitoken()->composing(),
                             "the N shard files of the same command with --shard: every point from them, then the "
                             "indices as one process computes them");
    add_report_options(options, report);
    const po::variables_map values = parse_command_line("sensitivity", arguments, options, &setup_file);
    if (values.count("help")) {
        std::cout << "Usage: ehsim sensitivity SETUP.yaml [options]\n\n"
                     "For a calibration set-up (ehsim calibrate), how much each uncertain parameter moves each\n"
                     "published figure's model counterpart over the parameter's prior range: Morris elementary\n"
                     "effects (mu*, sigma) and Sobol first-order and total indices with bootstrap intervals, for the\n"
                     "mean over replications run on common random numbers (docs/calibration.md). With --option, also\n"
                     "the option's paired effect (option minus baseline on the same streams) on chosen indicators.\n\n"
                  << options;
        return 0;
    }
    if (setup_file.empty()) throw UsageError("sensitivity: no calibration set-up file given");
    settings.morris = method != "sobol";
    settings.sobol = method != "morris";
    settings.trajectories = trajectories.value;
    settings.levels = static_cast<unsigned>(std::min<std::uint64_t>(levels.value, 1001));
    settings.base_samples = samples.value;
    settings.bootstrap = bootstrap.value;
    settings.replications = replications.value;
    settings.seed = seed.value;
    settings.threads = static_cast<unsigned>(std::min<std::uint64_t>(threads.value, 1025));
    check(settings, method);
    settings.design_shards =
        design_shard_request("sensitivity", shard_text, from_shards, setup_file, "sensitivity", out,
                             values.count("report") || values.count("pdf") ? "--report and --pdf" : "");
    if (out.empty()) out = "out/" + std::filesystem::path(setup_file).stem().string() + "-sensitivity.h5";
    check_report_options("sensitivity", values, report, out);
    return run(setup_file, settings, out, report, values.count("quiet") > 0);
}

}  // namespace ehsim::cli
