// `ehsim run`: a scenario over independent replications, to HDF5 and a table on the terminal.
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

#include "ehsim/version.hpp"
#include "output/hdf5_writer.hpp"
#include "output/results_reader.hpp"
#include "output/run_record.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/data_location.hpp"
#include "sim/cli/interruption.hpp"
#include "sim/cli/option_types.hpp"
#include "sim/cli/printing.hpp"
#include "sim/cli/replication_jobs.hpp"
#include "sim/cluster/cluster.hpp"
#include "sim/experiment/scenario_run.hpp"
#include "sim/experiment/shards.hpp"
#include "sim/experiment/targets_discovery.hpp"
#include "sim/kernel/replications.hpp"
#include "sim/kernel/statistics.hpp"
#include "sim/model/dfe_comparisons.hpp"
#include "sim/model/indicator_values.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace ehsim::cli {

namespace po = boost::program_options;

namespace {

// The indicators shown on the terminal; the HDF5 file has them all.
constexpr std::string_view kHeadline[] = {"contacts_to_social_care",
                                          "early_help_requests",
                                          "assessments",
                                          "open_early_help_cases",
                                          "lead_professional_within_target_pct",
                                          "mean_wait_days_green",
                                          "needs_met_pct",
                                          "rereferral_within_12_months_pct",
                                          "step_ups",
                                          "children_in_need_per_10000",
                                          "cost_total"};

// Replications done, elapsed and an estimate of what is left, redrawn in place on a terminal.
class ProgressBar {
public:
    ProgressBar(std::uint64_t total, bool enabled)
        : total_(total), enabled_(enabled), started_(std::chrono::steady_clock::now()) {}
    void update(std::uint64_t done) {
        if (!enabled_) return;
        const std::lock_guard<std::mutex> lock(mutex_);
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
        if (done < total_ && elapsed - last_drawn_ < 0.1) return;
        last_drawn_ = elapsed;
        constexpr int kWidth = 30;
        const int filled = static_cast<int>(kWidth * static_cast<double>(done) / static_cast<double>(total_));
        const double left = done > 0 ? elapsed * static_cast<double>(total_ - done) / static_cast<double>(done) : 0.0;
        std::fprintf(stderr, "\r[%.*s%*s] %llu/%llu replications, %.1f s elapsed, about %.1f s left ", filled,
                     "##############################", kWidth - filled, "", static_cast<unsigned long long>(done),
                     static_cast<unsigned long long>(total_), elapsed, left);
        if (done == total_) std::fprintf(stderr, "\n");
        std::fflush(stderr);
    }

private:
    std::uint64_t total_;
    bool enabled_;
    std::chrono::steady_clock::time_point started_;
    double last_drawn_ = -1.0;
    std::mutex mutex_;
};

void print_table(const output::RunRecord& record) {
    const std::size_t replications = record.metadata.replications;
    const std::size_t years = record.years.size();
    std::printf("\n%s (%s): %llu replications, seed %llu; mean [90%% interval] across replications\n\n",
                record.metadata.scenario_name.c_str(), record.metadata.scenario_file.c_str(),
                static_cast<unsigned long long>(replications), static_cast<unsigned long long>(record.metadata.seed));
    std::printf("%-38s", "indicator");
    for (const auto& year : record.years) std::printf(" %22s", year.c_str());
    std::printf("\n");
    for (const std::string_view headline : kHeadline) {
        const auto found = std::find_if(record.annual.begin(), record.annual.end(),
                                        [&](const output::Indicator& indicator) { return indicator.name == headline; });
        if (found == record.annual.end()) continue;
        std::printf("%-38s", found->name.c_str());
        for (std::size_t year = 0; year < years; ++year) {
            std::vector<double> values;
            for (std::size_t replication = 0; replication < replications; ++replication)
                values.push_back(found->values[replication * years + year]);
            const std::string cell = format_value(kernel::mean_of_finite(values)) + " [" +
                                     format_value(kernel::quantile_of_finite(values, 0.05)) + ", " +
                                     format_value(kernel::quantile_of_finite(values, 0.95)) + "]";
            std::printf(" %22s", cell.c_str());
        }
        std::printf("\n");
    }
    std::printf("\n'-': not yet defined (a 12-month rate needs 12 months after the closures it counts).\n");
}

const char* kind_text(const model::IndicatorDefinition& indicator) {
    switch (indicator.kind) {
        case model::IndicatorKind::flow:
            return "count over the period";
        case model::IndicatorKind::stock:
            return "value at the period's end";
        case model::IndicatorKind::ratio:
            if (model::is_twelve_month_cohort(indicator)) return "12-month cohort ratio (NaN until complete)";
            return model::is_stock(indicator.numerator) ? "ratio at the period's end" : "ratio over the period";
    }
    return "";
}

void print_indicator_reference() {
    std::printf(
        "# Indicators\n\nGenerated by `ehsim run --indicators` from the model's own table "
        "(`sim/model/indicators.hpp`); a test fails if this file and the table differ.\n\n"
        "Each is written to `/monthly/<name>` [replication, month] and `/annual/<name>` [replication, year] "
        "(docs/output-format.md). A month's or a year's ratio is the ratio of the period's totals (not a mean "
        "of monthly ratios); stocks are read at the period's end.\n\n"
        "| name | unit | how a period's value is made | meaning |\n| --- | --- | --- | --- |\n");
    for (const auto& indicator : model::kIndicators)
        std::printf("| `%.*s` | %.*s | %s | %.*s |\n", static_cast<int>(indicator.name.size()), indicator.name.data(),
                    static_cast<int>(indicator.unit.size()), indicator.unit.data(), kind_text(indicator),
                    static_cast<int>(indicator.description.size()), indicator.description.data());
    std::printf(
        "\n## By locality\n\nWritten to `/by_locality/<name>` [replication, locality, month].\n\n"
        "| name | unit | meaning |\n| --- | --- | --- |\n");
    for (const auto& indicator : model::kLocalityIndicators)
        std::printf("| `%.*s` | %.*s | %.*s |\n", static_cast<int>(indicator.name.size()), indicator.name.data(),
                    static_cast<int>(indicator.unit.size()), indicator.unit.data(),
                    static_cast<int>(indicator.description.size()), indicator.description.data());
    std::printf(
        "\n## Beside DfE's figures\n\nDfE counts children; the model holds families, and a family's children go "
        "through social care together, so each count adds the family's children. The figures are in "
        "`../shared/data/dfe/` (README there); each council's are targets in `calibration/targets/`.\n\n"
        "| indicator | DfE figure | DfE's definition | where the model's count differs |\n| --- | --- | --- | --- |\n");
    for (const auto& row : model::kDfeComparisons)
        std::printf("| `%.*s` | %.*s | %.*s | %.*s |\n", static_cast<int>(row.indicator.size()), row.indicator.data(),
                    static_cast<int>(row.dfe_figure.size()), row.dfe_figure.data(),
                    static_cast<int>(row.dfe_definition.size()), row.dfe_definition.data(),
                    static_cast<int>(row.difference.size()), row.difference.data());
}

void check_run_values(const po::variables_map& values, std::uint64_t replications, std::uint64_t threads,
                      double years) {
    if (replications < 1 || replications > 1'000'000) throw UsageError("run: --replications must be in [1, 1000000]");
    if (threads < 1 || threads > 1024) throw UsageError("run: --threads must be in [1, 1024]");
    if (values.count("years") && !(years >= 1.0 / 12.0 && years <= 100.0))
        throw UsageError("run: --years must be in [1/12, 100]");
}

// The scenarios named on the command line: files as given, and for a folder every baseline.yaml below it, in
// name order (`ehsim run england/` after `ehsim new-scenario --all england`).
std::vector<std::string> scenarios_named(const std::vector<std::string>& arguments) {
    std::vector<std::string> files;
    for (const std::string& argument : arguments) {
        if (argument.empty()) throw UsageError("run: a scenario file name is empty");
        std::error_code error;
        if (!std::filesystem::is_directory(argument, error)) {
            files.push_back(argument);
            continue;
        }
        std::vector<std::string> found;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(argument, error))
            if (entry.path().filename() == "baseline.yaml") found.push_back(entry.path().string());
        if (found.empty()) throw UsageError("run: the folder " + argument + " holds no baseline.yaml");
        std::sort(found.begin(), found.end());
        files.insert(files.end(), found.begin(), found.end());
    }
    return files;
}

// Whether `out` is the file this job writes for `run`: the same scenario as resolved, seed, replications and
// posterior, by the same ehsim. A file that cannot be read is not.
bool already_written(const std::string& out, const experiment::ScenarioRun& run,
                     const experiment::RunSettings& settings) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(out, error)) return false;
    try {
        const output::ResultsSelection nothing{std::vector<std::string>{}, std::vector<std::string>{},
                                               std::vector<std::string>{}, false};
        const output::RunMetadata written = output::read_run(out, nothing).metadata;
        return written.scenario_resolved == scenario::resolved_yaml(run.scenario()) && written.seed == settings.seed &&
               written.replications == settings.replications && written.shard_count == 0 &&
               written.posterior_file == settings.posterior_file && written.ehsim_version == kVersion &&
               written.git_commit == kGitCommit;
    } catch (const std::exception&) {
        return false;
    }
}

// Several scenarios in one job, one after another, each one's replications spread as a single scenario's are
// (over threads and, under mpirun, ranks); each written to <out folder>/<scenario name>.h5, a line each.
int run_several(const std::vector<std::string>& files, const experiment::RunSettings& given,
                std::optional<double> years, const std::string& out_folder, bool no_posterior, bool quiet,
                bool resume) {
    std::vector<std::unique_ptr<experiment::ScenarioRun>> runs;
    std::set<std::string> names;
    for (const std::string& file : files) {
        runs.push_back(std::make_unique<experiment::ScenarioRun>(file, years));
        if (!names.insert(runs.back()->scenario().name).second)
            throw UsageError("run: two scenarios are named '" + runs.back()->scenario().name +
                             "': each is written to <out>/<name>.h5");
    }
    if (cluster::is_manager()) std::filesystem::create_directories(out_folder);
    for (std::size_t k = 0; k < files.size(); ++k) {
        experiment::RunSettings settings = given;
        if (!no_posterior) settings.posterior_file = shipped_posterior(files[k], true);
        const std::string out = (std::filesystem::path(out_folder) / (runs[k]->scenario().name + ".h5")).string();
        const std::string checkpoint = out + ".checkpoint";
        const bool has_checkpoint = std::filesystem::exists(checkpoint);
        // Resumed, a scenario whose file this job already wrote is kept: the manager decides for every rank.
        const bool written = cluster::managers(resume && !has_checkpoint && cluster::is_manager() &&
                                                       already_written(out, *runs[k], settings)
                                                   ? 1.0
                                                   : 0.0) > 0.0;
        if (written) {
            if (!quiet && cluster::is_manager())
                std::printf("%zu/%zu %s: already written -> %s\n", k + 1, files.size(), files[k].c_str(), out.c_str());
            continue;
        }
        const RemovalsWhileWriting writing;
        experiment::KeptTasks kept(
            {job_checkpoint(checkpoint, out), runs[k]->identity(settings), resume && has_checkpoint},
            settings.replications);
        settings.kept = &kept;
        const auto results = runs[k]->replications(settings);
        if (!cluster::is_manager()) continue;
        remove_temporary_on_interruption(out);
        output::write_hdf5(runs[k]->record(settings, results, targets_for_report(runs[k]->scenario(), files[k], {})),
                           out);
        kept.finished();
        if (!quiet)
            std::printf(
                "%zu/%zu %s: %llu replications%s%s -> %s\n", k + 1, files.size(), files[k].c_str(),
                static_cast<unsigned long long>(settings.replications),
                settings.posterior_file.empty() ? "" : " on its shipped posterior",
                kept.kept() > 0 ? (" (" + std::to_string(kept.kept()) + " kept from the checkpoint)").c_str() : "",
                out.c_str());
    }
    return 0;
}

// What `ehsim run` was asked.
struct RunRequest {
    std::vector<std::string> scenarios;
    WholeNumber replications{100}, seed{1}, threads{kernel::default_thread_count()};
    double years = 0.0;
    std::string out, posterior_file, shard_text, checkpoint;
    std::vector<std::string> targets_files;
    ReportRequest report;
    Shard shard;
};

po::options_description run_options(RunRequest& request) {
    po::options_description options("Options of 'ehsim run'");
    options.add_options()("help,h", "show this help and exit")(
        "replications,n", po::value(&request.replications)->default_value(request.replications),
        "independent replications")("seed,s", po::value(&request.seed)->default_value(request.seed),
                                    "master random seed")("years,y", po::value(&request.years),
                                                          "reported years (default: the scenario's horizon)")(
        "threads,t", po::value(&request.threads)->default_value(request.threads),
        "worker threads (results do not depend on it)")(
        "out,o", po::value(&request.out),
        "HDF5 file to write (default: out/<scenario name>.h5); with several scenarios, the folder they go in")(
        "posterior", po::value(&request.posterior_file),
        "calibration file (ehsim calibrate): each replication draws its parameters from its posterior (default: "
        "the shipped posterior fitted to this scenario, if calibration/posteriors holds one)")(
        "no-posterior", "the scenario's own values, even where a shipped posterior was fitted to it")(
        "targets", po::value(&request.targets_files)->composing(),
        "calibration targets file whose published figures the results keep beside the model's (repeatable; "
        "default: the scenario's council's files in the nearest calibration/targets folder)")(
        "quiet,q", "no progress bar and no table")("indicators",
                                                   "print the table of indicators (docs/indicators.md) and exit");
    add_job_options(options, request.shard_text, request.checkpoint);
    add_report_options(options, request.report);
    return options;
}

// One scenario (or one shard of its replications): its file, its table, its report.
int run_one(RunRequest& request, const po::variables_map& values, const std::string& scenario_file) {
    const bool quiet = values.count("quiet") > 0;
    const Shard& shard = request.shard;
    const experiment::ScenarioRun run(scenario_file,
                                      values.count("years") ? std::optional(request.years) : std::nullopt);
    std::string& out = request.out;
    if (out.empty()) out = "out/" + run.scenario().name + shard_suffix(shard) + ".h5";
    check_report_options("run", values, request.report, out);
    const std::vector<calibration::TargetsFile> targets =
        targets_for_report(run.scenario(), scenario_file, request.targets_files);
    if (values.count("no-posterior") && !request.posterior_file.empty())
        throw UsageError("run: --posterior and --no-posterior contradict each other");
    if (request.posterior_file.empty() && !values.count("no-posterior"))
        request.posterior_file = shipped_posterior(scenario_file, quiet);
    experiment::RunSettings settings{request.replications.value, request.seed.value,
                                     static_cast<unsigned>(request.threads.value), request.posterior_file};
    restrict_to_shard(settings, shard, "run", request.shard_text);
    const std::string checkpoint = job_checkpoint(request.checkpoint, out);
    experiment::KeptTasks kept({checkpoint, run.identity(settings), values.count("resume") > 0}, settings.replications);
    settings.kept = &kept;
    say_what_was_kept(kept, settings.replications, checkpoint, quiet);
    ProgressBar progress(settings.replications, !quiet && isatty(STDERR_FILENO));
    const auto results = run.replications(settings, [&](std::uint64_t done) { progress.update(done); });
    if (!cluster::is_manager()) return 0;  // a worker rank of an MPI job: the manager writes
    output::RunRecord record = run.record(settings, results, targets);
    if (shard.count)
        record.metadata = experiment::shard_metadata(record.metadata, shard.index, shard.count,
                                                     settings.first_replication, request.replications.value);
    const std::filesystem::path out_path(out);
    if (out_path.has_parent_path()) std::filesystem::create_directories(out_path.parent_path());
    output::write_hdf5(record, out);
    kept.finished();
    if (!quiet) {
        print_table(record);
        std::printf("Every replication, month and locality: %s\n", out.c_str());
    }
    if (!request.report.html.empty()) write_report(out, request.report);
    return 0;
}

}  // namespace

int run_command(const std::vector<std::string>& arguments) {
    RunRequest request;
    const po::options_description options = run_options(request);
    const po::variables_map values = parse_command_line("run", arguments, options, &request.scenarios);
    if (values.count("help")) {
        std::cout
            << "Usage: ehsim run [SCENARIO...] [options]\n\n"
               "Runs SCENARIO (default: the bundled scenarios/walsall/baseline.yaml) over independent replications,\n"
               "writes every replication's monthly, per-locality and annual indicators to HDF5\n"
               "(docs/output-format.md) and prints the key indicators per reported year. Several scenarios, or a\n"
               "folder (every baseline.yaml below it), run one after another in one job, each to <out>/<name>.h5.\n\n"
            << options;
        return 0;
    }
    if (values.count("indicators")) {
        print_indicator_reference();
        return 0;
    }
    check_run_values(values, request.replications.value, request.threads.value, request.years);
    const std::vector<std::string> scenario_files = scenarios_named(request.scenarios);
    if (!request.shard_text.empty()) request.shard = parse_shard("run", request.shard_text);
    if (scenario_files.size() > 1) {
        if (request.shard.count > 0 || !request.posterior_file.empty() || !request.targets_files.empty() ||
            values.count("report") || values.count("pdf") || !request.checkpoint.empty())
            throw UsageError(
                "run: --shard, --posterior, --targets, --checkpoint, --report and --pdf go with one scenario");
        return run_several(
            scenario_files,
            {request.replications.value, request.seed.value, static_cast<unsigned>(request.threads.value), ""},
            values.count("years") ? std::optional(request.years) : std::nullopt,
            request.out.empty() ? "out" : request.out, values.count("no-posterior") > 0, values.count("quiet") > 0,
            values.count("resume") > 0);
    }
    return run_one(request, values, scenario_files.empty() ? default_scenario() : scenario_files.front());
}

}  // namespace ehsim::cli
