// `ehsim calibrate`: ABC-SMC of a scenario's uncertain parameters against a council's published figures.
// Writes the posterior as ArviZ InferenceData and prints how well it reproduces each figure.
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <sstream>

#include "ehsim/version.hpp"
#include "output/inference_data_writer.hpp"
#include "sim/calibration/abc_smc.hpp"
#include "sim/calibration/calibration_files.hpp"
#include "sim/calibration/model_calibration.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/option_types.hpp"
#include "sim/cli/run_records.hpp"
#include "sim/kernel/replications.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace ehsim::cli {

namespace po = boost::program_options;

namespace {

// The generation index of posterior-predictive runs: far from any ABC generation, so their streams differ.
constexpr std::uint64_t kPredictiveGeneration = 1'000'000;

std::string file_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string file_hash(const std::string& path) {
    const std::uint64_t hash = kernel::purpose_id(file_text(path));
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return hex;
}

output::InferenceVariable draws(const std::string& name, const std::vector<double>& values, const std::string& about) {
    return output::InferenceVariable{name, {"chain", "draw"}, {1, values.size()}, values, about};
}

// What a council would publish if the model were right: each run's figure plus a draw of the figure's
// discrepancy allowance (the run's own randomness is the sampling error already).
void add_discrepancy(std::vector<std::vector<double>>& predicted, const calibration::TargetsFile& targets,
                     const kernel::RandomStreams& streams) {
    for (std::size_t draw = 0; draw < predicted.size(); ++draw) {
        kernel::RandomEngine random = streams.stream(draw, "predictive discrepancy", 0);
        boost::random::normal_distribution<double> standard;
        for (std::size_t k = 0; k < targets.targets.size(); ++k)
            predicted[draw][k] += targets.targets[k].discrepancy_sd() * standard(random);
    }
}

}  // namespace

// The posterior-predictive fit: each target's published value against the model's median and 90% interval.
// Returns how many published figures fall inside.
std::size_t print_fit(const calibration::TargetsFile& targets, const std::vector<std::vector<double>>& predicted) {
    std::size_t inside_count = 0;
    std::printf("\n%-30s %22s %12s %24s %8s\n", "target", "published", "median", "90% interval", "inside");
    for (std::size_t k = 0; k < targets.targets.size(); ++k) {
        const calibration::Target& target = targets.targets[k];
        std::vector<double> column;
        for (const auto& row : predicted) column.push_back(row[k]);
        const double low = quantile(column, 0.05), median = quantile(column, 0.5), high = quantile(column, 0.95);
        const std::string published = target.kind == calibration::TargetKind::range
                                          ? format_value(target.lower) + " to " + format_value(target.upper)
                                          : format_value(target.value);
        const bool inside = target.upper >= low && target.lower <= high;
        if (inside) ++inside_count;
        const std::string interval = "[" + format_value(low) + ", " + format_value(high) + "]";
        std::printf("%-30s %22s %12s %24s %8s\n", target.name.c_str(), published.c_str(), format_value(median).c_str(),
                    interval.c_str(), inside ? "yes" : "NO");
    }
    return inside_count;
}

// `--predict`: how a scenario (or option), with parameters drawn from a posterior, reproduces a targets
// file's figures that the calibration did not see: a held-out check.
int predict(const std::string& targets_file, const std::string& scenario_file, const std::string& posterior_file,
            std::uint64_t replications, std::uint64_t seed, unsigned threads) {
    const calibration::TargetsFile targets = calibration::load_targets_file(targets_file);
    const model::Scenario scenario = scenario::load_scenario_or_option_file(scenario_file);
    const calibration::TargetFigures figures(scenario, targets);
    const int horizon = static_cast<int>(std::lround(scenario.time.horizon_years * 12.0));
    if (figures.months_needed() > horizon)
        throw scenario::ScenarioError(scenario_file + ": its " + std::to_string(horizon) +
                                      " reported months end before " + targets_file + " needs (" +
                                      std::to_string(figures.months_needed()) + ")");
    const kernel::RandomStreams streams(seed);
    const ParameterDraws draws(posterior_file, {scenario_file}, streams);
    auto predicted = kernel::run_replications(replications, threads, [&](std::uint64_t replication) {
        const model::Scenario run = draws.active() ? draws.scenarios(replication).front() : scenario;
        return figures.figures(model::EarlyHelpModel(run, streams, replication).run());
    });
    add_discrepancy(predicted, targets, streams);
    std::printf("%s against %s: %llu replications%s%s\n", scenario_file.c_str(), targets_file.c_str(),
                static_cast<unsigned long long>(replications), draws.active() ? ", parameters drawn from " : "",
                posterior_file.c_str());
    const std::size_t inside = print_fit(targets, predicted);
    std::printf("\n%zu of %zu published figures inside the model's 90%% interval.\n", inside, targets.targets.size());
    return 0;
}

int calibrate_command(const std::vector<std::string>& arguments) {
    std::string setup_file, out, checkpoint, predict_targets, posterior_file;
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
        "quiet,q", "no progress and no table");
    ReportRequest report;
    add_report_options(options, report);
    const po::variables_map values = parse_command_line("calibrate", arguments, options, &setup_file);
    if (values.count("help")) {
        std::cout
            << "Usage: ehsim calibrate SETUP.yaml [options]\n"
               "       ehsim calibrate --predict TARGETS.yaml SCENARIO [--posterior FILE.h5] [-r N]\n\n"
               "Fits the uncertain parameters named in SETUP.yaml (with their priors) to the published figures\n"
               "of its targets file by ABC-SMC, and writes the posterior as ArviZ InferenceData (HDF5). Prints\n"
               "each generation's tolerance, acceptance rate, effective sample size, simulations and wall time,\n"
               "then each figure against the posterior-predictive median and 90% interval (docs/calibration.md).\n\n"
            << options;
        return 0;
    }
    if (setup_file.empty()) throw UsageError("calibrate: no calibration set-up file given");
    if (!predict_targets.empty() && (values.count("report") || values.count("pdf")))
        throw UsageError("calibrate: --report and --pdf go with a calibration, not with --predict");
    if (!predict_targets.empty()) {
        if (replications.value < 2 || replications.value > 1'000'000)
            throw UsageError("calibrate: --replications must be in [2, 1000000]");
        return predict(predict_targets, setup_file, posterior_file, replications.value, seed.value,
                       static_cast<unsigned>(threads.value));
    }
    if (!posterior_file.empty()) throw UsageError("calibrate: --posterior goes with --predict");
    if (threads.value < 1 || threads.value > 1024) throw UsageError("calibrate: --threads must be in [1, 1024]");
    if (values.count("particles") && (particles.value < 2 || particles.value > 10'000'000))
        throw UsageError("calibrate: --particles must be in [2, 10000000]");
    if (values.count("budget-minutes") && !(budget_minutes > 0 && std::isfinite(budget_minutes)))
        throw UsageError("calibrate: --budget-minutes must be a positive number");

    calibration::CalibrationSetup setup = calibration::load_calibration_setup(setup_file);
    const model::Scenario scenario = scenario::load_scenario_file(setup.scenario_file);
    const calibration::TargetsFile targets = calibration::load_targets_file(setup.targets_file);
    const calibration::ModelCalibration model(scenario, targets, setup.parameters, setup_file, setup.algorithm.seed);

    calibration::AbcSettings settings = setup.algorithm;
    settings.threads = static_cast<unsigned>(threads.value);
    if (values.count("particles")) settings.particles = particles.value;
    if (values.count("budget-minutes")) settings.wall_time_budget_seconds = 60.0 * budget_minutes;
    const std::string name = std::filesystem::path(setup_file).stem().string();
    if (out.empty()) out = "out/" + name + "-posterior.h5";
    check_report_options("calibrate", values, report, out);
    if (const auto folder = std::filesystem::path(out).parent_path(); !folder.empty())
        std::filesystem::create_directories(folder);
    settings.checkpoint_file = checkpoint.empty() ? out + ".checkpoint" : checkpoint;
    // A checkpoint belongs to this scenario, these parameter paths and these figures, as well as the priors.
    std::string decides = scenario::resolved_yaml(scenario) + file_text(setup.targets_file);
    for (const auto& parameter : setup.parameters) decides += "\n" + parameter.path;
    settings.salt = kernel::purpose_id(decides);
    const bool quiet = values.count("quiet") > 0, resume = values.count("resume") > 0;
    const std::size_t predictive_runs =
        values.count("predictive") ? predictive.value : std::min<std::size_t>(settings.particles, 500);
    if (predictive_runs < 1 || predictive_runs > settings.particles)
        throw UsageError("calibrate: --predictive must be in [1, particles]");

    calibration::AbcSmc abc(model.priors(), model.observations(), settings);
    calibration::AbcProgress progress;
    const bool on_terminal = !quiet && isatty(STDERR_FILENO);
    if (!quiet) {
        std::printf("Calibrating %s (%zu parameters) to %zu figures of %s: %zu particles, %u threads\n",
                    scenario.name.c_str(), setup.parameters.size(), targets.targets.size(), targets.council.c_str(),
                    settings.particles, settings.threads);
        std::printf("%10s %12s %11s %9s %12s %10s\n", "generation", "tolerance", "acceptance", "ESS", "simulations",
                    "wall (s)");
        progress.generation_done = [&](const calibration::GenerationSummary& summary) {
            if (on_terminal) std::fprintf(stderr, "\r%70s\r", "");
            std::printf("%10zu %12.4g %10.1f%% %9.0f %12llu %10.1f\n", summary.generation, summary.tolerance,
                        100.0 * summary.acceptance_rate, summary.effective_sample_size,
                        static_cast<unsigned long long>(summary.simulations), summary.wall_seconds);
            std::fflush(stdout);
        };
    }
    if (on_terminal)
        progress.working = [&](std::size_t generation, std::uint64_t simulated, std::size_t accepted) {
            std::fprintf(stderr, "\rgeneration %zu: %zu of %zu accepted after %llu simulations ", generation, accepted,
                         settings.particles, static_cast<unsigned long long>(simulated));
            std::fflush(stderr);
        };
    const calibration::AbcResult result =
        abc.run([&](const std::vector<double>& parameters, std::uint64_t generation,
                    std::uint64_t index) { return model.simulate(parameters, generation, index); },
                resume, progress);

    // An equal-weight resample of the weighted particles, and fresh posterior-predictive runs of it.
    const calibration::Population& population = result.population;
    const std::size_t parameter_count = setup.parameters.size(), figure_count = targets.targets.size();
    const kernel::RandomStreams streams(settings.seed);
    kernel::RandomEngine resampling = streams.stream(0, "posterior resample", 0);
    std::vector<std::size_t> chosen = calibration::AbcSmc::resample(population.weights, population.size(), resampling);
    // Shuffled: systematic resampling lists copies side by side, which a chain's diagnostics would misread,
    // and the predictive runs take the first draws.
    for (std::size_t i = chosen.size(); i > 1; --i)
        std::swap(chosen[i - 1], chosen[static_cast<std::size_t>(resampling.uniform() * static_cast<double>(i))]);
    auto predicted = kernel::run_replications(predictive_runs, settings.threads, [&](std::uint64_t draw) {
        std::vector<double> parameters(parameter_count);
        for (std::size_t p = 0; p < parameter_count; ++p) parameters[p] = population.value(chosen[draw], p);
        return model.simulate(parameters, kPredictiveGeneration, draw);
    });
    add_discrepancy(predicted, targets, streams);

    // ArviZ InferenceData.
    output::InferenceData data;
    std::vector<std::string> target_names;
    for (const auto& target : targets.targets) target_names.push_back(target.name);
    output::InferenceGroup posterior{"posterior", {}, {}, {}}, prior{"prior", {}, {}, {}};
    kernel::RandomEngine prior_draws = streams.stream(0, "prior draws", 0);
    std::vector<std::vector<double>> prior_values(parameter_count);
    for (std::size_t draw = 0; draw < chosen.size(); ++draw)
        for (std::size_t p = 0; p < parameter_count; ++p)
            prior_values[p].push_back(setup.parameters[p].prior.sample(prior_draws));
    for (std::size_t p = 0; p < parameter_count; ++p) {
        std::vector<double> resampled;
        for (const std::size_t particle : chosen) resampled.push_back(population.value(particle, p));
        const std::string about =
            std::string(calibration::to_string(setup.parameters[p].prior.kind)) + " prior; " + setup.parameters[p].why;
        posterior.variables.push_back(draws(setup.parameters[p].path, resampled, about));
        prior.variables.push_back(draws(setup.parameters[p].path, prior_values[p], about));
    }
    output::InferenceGroup sample_stats{"sample_stats", {}, {}, {}};
    std::vector<double> distance, particle_index;
    for (const std::size_t particle : chosen) {
        distance.push_back(population.distances[particle]);
        particle_index.push_back(static_cast<double>(particle));
    }
    sample_stats.variables.push_back(draws("distance", distance, "ABC distance of the particle drawn"));
    sample_stats.variables.push_back(draws("particle", particle_index, "index of the weighted particle drawn"));
    output::InferenceGroup predictive_group{"posterior_predictive", {}, {}, {}};
    output::InferenceGroup observed{"observed_data", {}, {}, {}}, constant{"constant_data", {}, {}, {}};
    for (std::size_t k = 0; k < figure_count; ++k) {
        const calibration::Target& target = targets.targets[k];
        std::vector<double> column;
        for (const auto& row : predicted) column.push_back(row[k]);
        predictive_group.variables.push_back(
            draws(target.name, column, target.indicator + " from " + target.from + " to " + target.to));
        observed.variables.push_back(output::InferenceVariable{target.name, {}, {}, {target.value}, target.source});
    }
    // What each figure is, as the targets file gives it: group attributes "<key>:<target>" (a variable has no
    // attributes but its description), so that the report need not guess (docs/output-format.md).
    observed.attributes.push_back({"council", targets.council});
    for (const calibration::Target& target : targets.targets) {
        const auto attribute = [&](const std::string& key, const std::string& value) {
            observed.attributes.push_back({key + ":" + target.name, value});
        };
        attribute("kind", calibration::to_string(target.kind));
        attribute("indicator", target.indicator);
        attribute("from", target.from);
        attribute("to", target.to);
        if (target.kind == calibration::TargetKind::difference) {
            attribute("compared_with_from", target.compared_with_from);
            attribute("compared_with_to", target.compared_with_to);
        }
        attribute("source", target.source);
    }
    std::vector<double> lower, upper, error_sd;
    for (const auto& target : targets.targets) {
        lower.push_back(target.lower);
        upper.push_back(target.upper);
        error_sd.push_back(target.error_sd());
    }
    const std::size_t n = figure_count;
    constant.coordinates.push_back({"target", target_names});
    constant.variables.push_back({"lower", {"target"}, {n}, lower, "published value, or the lower end of a range"});
    constant.variables.push_back({"upper", {"target"}, {n}, upper, "published value, or the upper end of a range"});
    constant.variables.push_back(
        {"error_sd", {"target"}, {n}, error_sd, "sampling error and discrepancy, in quadrature"});
    constant.variables.push_back(
        {"distance_scale", {"target"}, {n}, result.scales, "each figure's scale in the distance"});
    // Each parameter's prior as the set-up file gives it: the numbers as variables along `parameter`, the
    // distribution and what its two numbers mean as attributes "<key>:<parameter path>".
    std::vector<std::string> parameter_paths;
    std::vector<double> prior_first, prior_second, prior_lower, prior_upper;
    for (const calibration::UncertainParameter& parameter : setup.parameters) {
        const calibration::Prior& distribution = parameter.prior;
        const auto [first_name, second_name] = [&]() -> std::pair<const char*, const char*> {
            switch (distribution.kind) {
                case calibration::PriorKind::normal:
                    return {"mean", "sd"};
                case calibration::PriorKind::beta:
                    return {"alpha", "beta"};
                case calibration::PriorKind::gamma:
                    return {"shape", "scale"};
                default:
                    return {"", ""};  // uniform and log_uniform: the bounds alone
            }
        }();
        const bool has_numbers = *first_name != '\0';
        const double nan = std::numeric_limits<double>::quiet_NaN();
        parameter_paths.push_back(parameter.path);
        prior_first.push_back(has_numbers ? distribution.first : nan);
        prior_second.push_back(has_numbers ? distribution.second : nan);
        prior_lower.push_back(distribution.lower);
        prior_upper.push_back(distribution.upper);
        constant.attributes.push_back(
            {"prior_distribution:" + parameter.path, calibration::to_string(distribution.kind)});
        if (has_numbers) {
            constant.attributes.push_back({"prior_first:" + parameter.path, first_name});
            constant.attributes.push_back({"prior_second:" + parameter.path, second_name});
        }
    }
    constant.coordinates.push_back({"parameter", parameter_paths});
    const auto per_parameter = [&](const char* key, const std::vector<double>& column, const char* about) {
        constant.variables.push_back({key, {"parameter"}, {parameter_count}, column, about});
    };
    per_parameter("prior_first", prior_first,
                  "the prior's first number (normal: mean, beta: alpha, gamma: shape; named by the attribute "
                  "prior_first:<parameter>); NaN for uniform and log_uniform");
    per_parameter("prior_second", prior_second,
                  "the prior's second number (normal: sd, beta: beta, gamma: scale; named by the attribute "
                  "prior_second:<parameter>); NaN for uniform and log_uniform");
    per_parameter("prior_lower", prior_lower, "the prior's lower bound (-inf when unbounded)");
    per_parameter("prior_upper", prior_upper, "the prior's upper bound (inf when unbounded)");

    output::InferenceGroup particles_group{"abc_particles", {}, {}, {}};
    particles_group.coordinates.push_back({"target", target_names});
    const std::size_t count = population.size();
    for (std::size_t p = 0; p < parameter_count; ++p) {
        std::vector<double> column;
        for (std::size_t i = 0; i < count; ++i) column.push_back(population.value(i, p));
        particles_group.variables.push_back({setup.parameters[p].path, {"particle"}, {count}, column, ""});
    }
    particles_group.variables.push_back({"weight", {"particle"}, {count}, population.weights, "importance weight"});
    particles_group.variables.push_back({"distance", {"particle"}, {count}, population.distances, "ABC distance"});
    particles_group.variables.push_back(
        {"simulated", {"particle", "target"}, {count, n}, population.simulated, "figures of the accepted simulation"});

    output::InferenceGroup history{"abc_generations", {}, {}, {}};
    const std::size_t generations = result.history.size();
    auto per_generation = [&](const char* key, auto field, const char* about) {
        std::vector<double> column;
        for (const auto& summary : result.history) column.push_back(static_cast<double>(field(summary)));
        history.variables.push_back({key, {"generation"}, {generations}, column, about});
    };
    using Summary = calibration::GenerationSummary;
    per_generation(
        "tolerance", [](const Summary& s) { return s.tolerance; }, "acceptance tolerance (scaled distance)");
    per_generation(
        "acceptance_rate", [](const Summary& s) { return s.acceptance_rate; }, "accepted / simulated");
    per_generation(
        "effective_sample_size", [](const Summary& s) { return s.effective_sample_size; }, "(sum w)^2 / sum w^2");
    per_generation(
        "simulations", [](const Summary& s) { return s.simulations; }, "model runs in the generation");
    per_generation(
        "proposals_outside_prior", [](const Summary& s) { return s.proposals_outside_prior; },
        "proposals with zero prior density (not simulated)");
    per_generation(
        "wall_seconds", [](const Summary& s) { return s.wall_seconds; }, "wall time of the generation");

    data.groups = {posterior, prior, sample_stats, predictive_group, observed, constant, particles_group, history};
    data.attributes = {{"format", "ehsim-calibration"},
                       {"ehsim_version", kVersion},
                       {"git_commit", kGitCommit},
                       {"created_utc", utc_now()},
                       {"seed", std::to_string(settings.seed)},
                       {"particles", std::to_string(settings.particles)},
                       {"stop_reason", result.stop_reason},
                       {"total_simulations", std::to_string(result.total_simulations)},
                       {"setup_file", setup_file},
                       {"setup_fnv1a64", file_hash(setup_file)},
                       {"scenario_file", setup.scenario_file},
                       {"scenario_fnv1a64", file_hash(setup.scenario_file)},
                       {"targets_file", setup.targets_file},
                       {"targets_fnv1a64", file_hash(setup.targets_file)},
                       {"scenario_resolved", scenario::resolved_yaml(scenario)}};
    output::write_inference_data(data, out);
    if (quiet) {
        if (!report.html.empty()) write_report(out, report);
        return 0;
    }
    std::printf("\nStopped: %s, after %zu generations and %llu simulations.\n", result.stop_reason.c_str(), generations,
                static_cast<unsigned long long>(result.total_simulations));
    std::printf("Posterior (equal-weight resample): median [90%% interval]\n");
    for (std::size_t p = 0; p < parameter_count; ++p) {
        const auto& values_of = posterior.variables[p].values;
        std::printf("  %-55s %10.4g [%.4g, %.4g]\n", setup.parameters[p].path.c_str(), quantile(values_of, 0.5),
                    quantile(values_of, 0.05), quantile(values_of, 0.95));
    }
    std::printf("\nPosterior-predictive fit (%zu runs):", predictive_runs);
    print_fit(targets, predicted);
    std::printf("\nWritten: %s\n", out.c_str());
    if (!report.html.empty()) write_report(out, report);
    return 0;
}

}  // namespace ehsim::cli
