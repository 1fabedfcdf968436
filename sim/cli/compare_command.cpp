// `ehsim compare`: a baseline and commissioning options on common random numbers, so that each
// option's effect is a paired difference per replication.
#include <algorithm>
#include <array>
#include <boost/program_options.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <iterator>

#include "output/hdf5_writer.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/interruption.hpp"
#include "sim/cli/option_types.hpp"
#include "sim/cli/printing.hpp"
#include "sim/cli/replication_jobs.hpp"
#include "sim/cluster/cluster.hpp"
#include "sim/experiment/comparison.hpp"
#include "sim/experiment/paired_effects.hpp"
#include "sim/experiment/shards.hpp"
#include "sim/kernel/replications.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace ehsim::cli {

namespace po = boost::program_options;

namespace {

using experiment::kKeyIndicators;
using experiment::PairedEffect;

// The ranking table's columns: social-care demand, then cost (indices into kKeyIndicators).
constexpr std::size_t kRanked[] = {experiment::key_indicator("children_in_need_per_10000"),
                                   experiment::key_indicator("contacts_to_social_care"),
                                   experiment::key_indicator("cost_total")};

std::string with_interval(double mean, double half_width) {
    if (!std::isfinite(mean)) return "-";
    std::string text = (mean > 0 ? "+" : "") + format_value(mean);
    if (std::isfinite(half_width)) text += " +/- " + format_value(half_width);
    return text;
}

void print_comparison(const std::vector<output::RunRecord>& records, const std::vector<std::string>& names,
                      const std::vector<experiment::EffectsByYear>& effects, std::uint64_t replications,
                      std::uint64_t seed, const std::string& out) {
    const std::size_t years = records.front().years.size(), last = years - 1;
    std::printf("\n%s against the baseline %s: %llu replications on common random numbers, seed %llu\n",
                records.front().years[last].c_str(), names.front().c_str(),
                static_cast<unsigned long long>(replications), static_cast<unsigned long long>(seed));
    std::printf("Effect of each option (option minus baseline): mean +/- 90%% interval of the mean difference.\n");
    std::printf("Ranked by the effect on children in need; [n] is the rank on each column (1 = lowest).\n\n");
    std::printf("%-28s", "option");
    for (const std::size_t key : kRanked) std::printf(" %30s", kKeyIndicators[key].label);
    std::printf(" %13s %11s\n", "P(fewer CIN)", "var. ratio");
    std::vector<std::size_t> order;
    for (std::size_t k = 1; k < records.size(); ++k) order.push_back(k);
    // Undefined effects (NaN) rank last.
    auto effect_below = [&](std::size_t a, std::size_t b, std::size_t key) {
        const double x = effects[a][last][key].difference_mean, y = effects[b][last][key].difference_mean;
        return std::isnan(y) ? !std::isnan(x) : x < y;
    };
    auto rank_of = [&](std::size_t option, std::size_t key) {
        std::size_t rank = 1;
        for (const std::size_t other : order)
            if (effect_below(other, option, key)) ++rank;
        return rank;
    };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return effect_below(a, b, 0); });
    for (const std::size_t k : order) {
        std::printf("%-28s", names[k].c_str());
        for (const std::size_t key : kRanked) {
            const PairedEffect& paired = effects[k][last][key];
            const std::string cell = with_interval(paired.difference_mean, paired.difference_half_width) + " [" +
                                     std::to_string(rank_of(k, key)) + "]";
            std::printf(" %30s", cell.c_str());
        }
        const PairedEffect& headline = effects[k][last][0];
        const std::string share =
            std::isnan(headline.probability_lower) ? "-" : format_value(100.0 * headline.probability_lower) + "%";
        std::printf(" %13s %11.3f\n", share.c_str(), headline.variance_ratio);
    }
    const auto& first = effects[order.front()][last];
    // Each figure by its indicator's key, never by its place in the table.
    const auto baseline = [&](std::string_view key) {
        return format_value(first[experiment::key_indicator(key)].baseline_mean);
    };
    std::printf(
        "\nBaseline, same year: children in need per 10,000 %s, contacts to social care %s, staff cost %s, total "
        "cost %s.\n",
        baseline("children_in_need_per_10000").c_str(), baseline("contacts_to_social_care").c_str(),
        baseline("cost_staff").c_str(), baseline("cost_total").c_str());

    // Year by year, for each option: baseline, option, and the paired difference.
    for (const std::size_t k : order) {
        std::printf("\n%s, year by year (baseline -> option: difference +/- 90%% interval)\n", names[k].c_str());
        std::printf("%-32s", "");
        for (std::size_t year = 0; year < years; ++year) std::printf(" %26s", records.front().years[year].c_str());
        std::printf("\n");
        for (std::size_t key = 0; key < std::size(kKeyIndicators); ++key) {
            std::printf("%-32s", kKeyIndicators[key].label);
            for (std::size_t year = 0; year < years; ++year) {
                const PairedEffect& paired = effects[k][year][key];
                std::printf(" %26s", with_interval(paired.difference_mean, paired.difference_half_width).c_str());
            }
            std::printf("\n%-32s", "");
            for (std::size_t year = 0; year < years; ++year) {
                const PairedEffect& paired = effects[k][year][key];
                const std::string cell = format_value(paired.baseline_mean) + " -> " + format_value(paired.option_mean);
                std::printf(" %26s", cell.c_str());
            }
            std::printf("\n");
        }
    }
    std::printf(
        "\nP(fewer CIN): share of replications in which the option ends the year with strictly fewer children in\n"
        "need than the baseline (where it makes no difference to a replication, that counts as not fewer).\n"
        "var. ratio: variance of the paired difference over the sum of the two variances; far below 1\n"
        "means common random numbers made the comparison that much sharper than two separate runs.\n"
        "Every replication, month and locality, and this summary: %s\n",
        out.c_str());
}

// Usage errors found before anything runs.
void check_arguments(const std::vector<std::string>& files, std::uint64_t replications, std::uint64_t threads,
                     bool no_posterior, const std::string& posterior_file) {
    if (files.size() < 2) throw UsageError("compare: give a baseline scenario and at least one option file");
    if (replications < 2 || replications > 1'000'000)
        throw UsageError("compare: --replications must be in [2, 1000000]");
    if (threads < 1 || threads > 1024) throw UsageError("compare: --threads must be in [1, 1024]");
    if (no_posterior && !posterior_file.empty())
        throw UsageError("compare: --posterior and --no-posterior contradict each other");
}

// What `ehsim compare` was asked.
struct CompareRequest {
    WholeNumber replications{100}, seed{1}, threads{kernel::default_thread_count()};
    std::string out, posterior_file, shard_text, checkpoint;
    std::vector<std::string> files, targets_files;
    ReportRequest report;
};

po::options_description compare_options(CompareRequest& request) {
    po::options_description options("Options of 'ehsim compare'");
    options.add_options()("help,h", "show this help and exit")(
        "replications,n", po::value(&request.replications)->default_value(request.replications),
        "independent replications")("seed,s", po::value(&request.seed)->default_value(request.seed),
                                    "master random seed (shared by every scenario)")(
        "threads,t", po::value(&request.threads)->default_value(request.threads),
        "worker threads (results do not depend on it)")(
        "out,o", po::value(&request.out), "HDF5 file for every result (default: out/compare-<baseline name>.h5)")(
        "posterior", po::value(&request.posterior_file),
        "calibration file: each replication draws its parameters from its posterior, the same for every option "
        "(default: the shipped posterior fitted to the baseline, if one is)")(
        "no-posterior", "the scenarios' own values, even where a shipped posterior was fitted to the baseline")(
        "targets", po::value(&request.targets_files)->composing(),
        "calibration targets file whose published figures the results keep beside the baseline's (repeatable; "
        "default: the baseline's council's files in the nearest calibration/targets folder)")("quiet,q", "no tables");
    add_job_options(options, request.shard_text, request.checkpoint);
    add_report_options(options, request.report);
    return options;
}

// The comparison's file: the baseline, each option, their paired differences and the summary.
void write_comparison(const experiment::ComparisonRecords& results, const std::vector<std::string>& names,
                      const std::vector<experiment::EffectsByYear>& effects, const std::string& out) {
    const std::vector<output::RunRecord>& records = results.records;
    if (const auto folder = std::filesystem::path(out).parent_path(); !folder.empty())
        std::filesystem::create_directories(folder);
    std::vector<output::ComparedOption> options_written;
    for (std::size_t k = 1; k < records.size(); ++k)
        options_written.push_back({&records[k], &results.differences[k - 1]});
    output::write_comparison_hdf5(records[0], std::vector<std::string>(names.begin() + 1, names.end()), options_written,
                                  experiment::summary_rows(records, effects), out);
}

}  // namespace

int compare_command(const std::vector<std::string>& arguments) {
    CompareRequest request;
    const po::options_description options = compare_options(request);
    const po::variables_map values = parse_command_line("compare", arguments, options, &request.files);
    if (values.count("help")) {
        std::cout << "Usage: ehsim compare BASELINE OPTION... [options]\n\n"
                     "Runs the baseline scenario and each option file (which names the baseline with 'extends:')\n"
                     "on the same random streams, so each option's effect is a difference paired by replication.\n"
                     "Prints each option's effect on children in need, contacts to social care and cost in the final\n"
                     "reported year with its 90% interval, ranked, then every key indicator year by year. Writes one\n"
                     "HDF5 file with the baseline, each option, the paired differences and the summary\n"
                     "(docs/output-format.md).\n\n"
                  << options;
        return 0;
    }
    const bool quiet = values.count("quiet") > 0;
    const std::vector<std::string>& files = request.files;
    std::string &out = request.out, &posterior_file = request.posterior_file;
    check_arguments(files, request.replications.value, request.threads.value, values.count("no-posterior") > 0,
                    posterior_file);
    const Shard shard = request.shard_text.empty() ? Shard{} : parse_shard("compare", request.shard_text);
    const std::string baseline_file = files.front();
    model::Scenario baseline = scenario::load_scenario_file(baseline_file);
    if (out.empty()) out = "out/compare-" + baseline.name + shard_suffix(shard) + ".h5";
    check_report_options("compare", values, request.report, out);
    const std::vector<calibration::TargetsFile> targets =
        targets_for_report(baseline, baseline_file, request.targets_files);
    const experiment::ComparedScenarios compared = experiment::load_comparison(
        std::move(baseline), baseline_file, std::vector<std::string>(files.begin() + 1, files.end()));
    std::vector<std::string> names;
    for (const model::Scenario& scenario : compared.scenarios) names.push_back(scenario.name);
    // As `run` does: options are rebuilt on each replication's drawn baseline, so they keep their changes.
    if (posterior_file.empty() && !values.count("no-posterior"))
        posterior_file = shipped_posterior(baseline_file, quiet);

    experiment::RunSettings settings{request.replications.value, request.seed.value,
                                     static_cast<unsigned>(request.threads.value), posterior_file};
    restrict_to_shard(settings, shard, "compare", request.shard_text);
    const std::string checkpoint = job_checkpoint(request.checkpoint, out);
    experiment::KeptTasks kept(
        {checkpoint, experiment::comparison_identity(compared, settings), values.count("resume") > 0},
        settings.replications);
    settings.kept = &kept;
    say_what_was_kept(kept, settings.replications, checkpoint, quiet);
    experiment::ComparisonRecords results = experiment::run_comparison(compared, settings, targets);
    if (!cluster::is_manager()) return 0;  // a worker rank of an MPI job: the manager writes
    if (shard.count)
        for (auto* group : {&results.records, &results.differences})
            for (output::RunRecord& record : *group)
                record.metadata = experiment::shard_metadata(record.metadata, shard.index, shard.count,
                                                             settings.first_replication, request.replications.value);
    // Each option's paired effect on each key indicator in each reported year, computed once.
    const std::vector<experiment::EffectsByYear> effects = experiment::paired_effects(results.records);
    write_comparison(results, names, effects, out);
    kept.finished();
    if (!quiet) print_comparison(results.records, names, effects, settings.replications, request.seed.value, out);
    if (!request.report.html.empty()) write_report(out, request.report);
    return 0;
}

}  // namespace ehsim::cli
