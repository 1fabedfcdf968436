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
#include "sim/cli/option_types.hpp"
#include "sim/cli/run_records.hpp"
#include "sim/kernel/replications.hpp"
#include "sim/kernel/statistics.hpp"
#include "sim/scenario/option_loader.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace ehsim::cli {

namespace po = boost::program_options;

namespace {

// The indicators whose paired effects are summarised (terminal and HDF5 summary), per reported year.
struct KeyIndicator {
    const char* indicator;
    const char* label;
};
constexpr KeyIndicator kKeyIndicators[] = {
    {"children_in_need_per_10000", "children in need per 10,000"},
    {"contacts_to_social_care", "contacts to social care"},
    {"social_care_referrals", "referrals to social care"},
    {"open_early_help_cases", "open early help cases"},
    {"lead_professional_within_target_pct", "lead professional in target %"},
    {"mean_wait_days", "wait for a lead professional (days)"},
    {"disengaged_pct", "closures disengaged %"},
    {"cost_staff", "staff cost (GBP)"},
    {"cost_total", "total cost (GBP)"},
};
// The ranking table's columns: social-care demand, then cost (indices into kKeyIndicators).
constexpr std::size_t kRanked[] = {0, 1, 8};

const output::Indicator& annual_indicator(const output::RunRecord& record, const std::string& name) {
    for (const auto& indicator : record.annual)
        if (indicator.name == name) return indicator;
    throw std::logic_error("no annual indicator " + name);
}

// One indicator in one year: baseline, option, and their paired difference across replications.
struct Paired {
    double baseline_mean, option_mean, difference_mean, difference_half_width;
    double probability_lower;  // share of replications where the option is lower
    double variance_ratio;     // var(difference) / (var(baseline) + var(option))
};

Paired pair_up(const output::RunRecord& baseline, const output::RunRecord& option, const std::string& name,
               std::size_t year) {
    const auto& base = annual_indicator(baseline, name);
    const auto& opt = annual_indicator(option, name);
    const std::size_t years = baseline.years.size();
    kernel::RunningStatistics base_stats, option_stats, difference;
    std::size_t lower = 0;
    for (std::size_t replication = 0; replication < baseline.metadata.replications; ++replication) {
        const double b = base.values[replication * years + year], o = opt.values[replication * years + year];
        if (!std::isfinite(b) || !std::isfinite(o)) continue;
        base_stats.add(b);
        option_stats.add(o);
        difference.add(o - b);
        if (o < b) ++lower;
    }
    const double nan = std::nan("");
    if (difference.count() < 2) return Paired{nan, nan, nan, nan, nan, nan};
    const auto interval = kernel::confidence_interval(difference, 0.90);
    const double spread = base_stats.variance() + option_stats.variance();
    return Paired{base_stats.mean(),
                  option_stats.mean(),
                  interval.mean,
                  interval.half_width,
                  static_cast<double>(lower) / static_cast<double>(difference.count()),
                  spread > 0 ? difference.variance() / spread : nan};
}

std::string with_interval(double mean, double half_width) {
    if (!std::isfinite(mean)) return "-";
    std::string text = (mean > 0 ? "+" : "") + format_value(mean);
    if (std::isfinite(half_width)) text += " +/- " + format_value(half_width);
    return text;
}

// Every replication of the baseline and each option on common random numbers. Each option branches from
// its baseline's run at its first change (the model guarantees the same results as running it alone), so
// the warm-up and the years before a change are simulated once.
// With a posterior, every scenario of a replication is rebuilt on that replication's drawn parameters.
std::vector<std::vector<model::ReplicationResult>> run_on_common_random_numbers(
    const std::vector<model::Scenario>& fixed, const ParameterDraws& draws, const kernel::RandomStreams& streams,
    std::uint64_t replications, unsigned threads) {
    return kernel::run_replications(replications, threads, [&](std::uint64_t replication) {
        const std::vector<model::Scenario> drawn =
            draws.active() ? draws.scenarios(replication) : std::vector<model::Scenario>{};
        const std::vector<model::Scenario>& scenarios = draws.active() ? drawn : fixed;
        std::vector<std::size_t> by_first_change;
        for (std::size_t k = 1; k < scenarios.size(); ++k) by_first_change.push_back(k);
        std::stable_sort(by_first_change.begin(), by_first_change.end(), [&](std::size_t a, std::size_t b) {
            return model::EarlyHelpModel::first_change_day(scenarios[a]) <
                   model::EarlyHelpModel::first_change_day(scenarios[b]);
        });
        std::vector<model::ReplicationResult> per_scenario(scenarios.size());
        model::EarlyHelpModel baseline(scenarios.front(), streams, replication);
        for (const std::size_t k : by_first_change) {
            baseline.advance_to(model::EarlyHelpModel::first_change_day(scenarios[k]));
            per_scenario[k] = baseline.continue_as(scenarios[k]).finish();
        }
        per_scenario.front() = baseline.finish();
        return per_scenario;
    });
}

void print_comparison(const std::vector<output::RunRecord>& records, const std::vector<std::string>& names,
                      const std::vector<std::vector<std::array<Paired, std::size(kKeyIndicators)>>>& effects,
                      std::uint64_t replications, std::uint64_t seed, const std::string& out) {
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
            const Paired& paired = effects[k][last][key];
            const std::string cell = with_interval(paired.difference_mean, paired.difference_half_width) + " [" +
                                     std::to_string(rank_of(k, key)) + "]";
            std::printf(" %30s", cell.c_str());
        }
        const Paired& headline = effects[k][last][0];
        const std::string share =
            std::isnan(headline.probability_lower) ? "-" : format_value(100.0 * headline.probability_lower) + "%";
        std::printf(" %13s %11.3f\n", share.c_str(), headline.variance_ratio);
    }
    const auto& first = effects[order.front()][last];
    std::printf("\nBaseline, same year: children in need per 10,000 %s, contacts to social care %s, total cost %s.\n",
                format_value(first[0].baseline_mean).c_str(), format_value(first[1].baseline_mean).c_str(),
                format_value(first[7].baseline_mean).c_str());

    // Year by year, for each option: baseline, option, and the paired difference.
    for (const std::size_t k : order) {
        std::printf("\n%s, year by year (baseline -> option: difference +/- 90%% interval)\n", names[k].c_str());
        std::printf("%-32s", "");
        for (std::size_t year = 0; year < years; ++year) std::printf(" %26s", records.front().years[year].c_str());
        std::printf("\n");
        for (std::size_t key = 0; key < std::size(kKeyIndicators); ++key) {
            std::printf("%-32s", kKeyIndicators[key].label);
            for (std::size_t year = 0; year < years; ++year) {
                const Paired& paired = effects[k][year][key];
                std::printf(" %26s", with_interval(paired.difference_mean, paired.difference_half_width).c_str());
            }
            std::printf("\n%-32s", "");
            for (std::size_t year = 0; year < years; ++year) {
                const Paired& paired = effects[k][year][key];
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

}  // namespace

int compare_command(const std::vector<std::string>& arguments) {
    WholeNumber replications{100};
    WholeNumber seed{1};
    WholeNumber threads{kernel::default_thread_count()};
    std::string out, posterior_file;
    std::vector<std::string> files;
    std::vector<std::string> targets_files;
    ReportRequest report;
    po::options_description options("Options of 'ehsim compare'");
    options.add_options()("help,h", "show this help and exit")(
        "replications,n", po::value(&replications)->default_value(replications), "independent replications")(
        "seed,s", po::value(&seed)->default_value(seed), "master random seed (shared by every scenario)")(
        "threads,t", po::value(&threads)->default_value(threads), "worker threads (results do not depend on it)")(
        "out,o", po::value(&out), "HDF5 file for every result (default: out/compare-<baseline name>.h5)")(
        "posterior", po::value(&posterior_file),
        "calibration file: each replication draws its parameters from its posterior, the same for every option")(
        "targets", po::value(&targets_files)->composing(),
        "calibration targets file whose published figures the results keep beside the baseline's (repeatable; "
        "default: the baseline's council's files in the nearest calibration/targets folder)")("quiet,q", "no tables");
    add_report_options(options, report);
    po::options_description all;
    all.add(options).add_options()("file", po::value(&files));
    po::positional_options_description positional;
    positional.add("file", -1);
    po::variables_map values;
    try {
        po::store(po::command_line_parser(arguments).options(all).positional(positional).run(), values);
        po::notify(values);
    } catch (const po::error& error) {
        throw UsageError(std::string("compare: ") + error.what());
    }
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
    if (files.size() < 2) throw UsageError("compare: give a baseline scenario and at least one option file");
    if (replications.value < 2 || replications.value > 1'000'000)
        throw UsageError("compare: --replications must be in [2, 1000000]");
    if (threads.value < 1 || threads.value > 1024) throw UsageError("compare: --threads must be in [1, 1024]");

    const std::string baseline_file = files.front();
    const model::Scenario baseline = scenario::load_scenario_file(baseline_file);
    if (out.empty()) out = "out/compare-" + baseline.name + ".h5";
    check_report_options("compare", values, report, out);
    const std::vector<calibration::TargetsFile> targets = targets_for_report(baseline, baseline_file, targets_files);
    std::vector<model::Scenario> scenarios{baseline};
    std::vector<std::string> names{baseline.name};
    for (std::size_t i = 1; i < files.size(); ++i) {
        scenario::LoadedOption option = scenario::load_option_file(files[i]);
        std::error_code error;
        if (!std::filesystem::equivalent(option.baseline_file, baseline_file, error))
            throw scenario::ScenarioError(files[i] + ": extends " + option.baseline_file + ", not the baseline " +
                                          baseline_file + " being compared");
        if (std::find(names.begin(), names.end(), option.scenario.name) != names.end())
            throw scenario::ScenarioError(files[i] + ": name '" + option.scenario.name + "' is used twice");
        names.push_back(option.scenario.name);
        scenarios.push_back(std::move(option.scenario));
    }

    std::vector<ScenarioNotes> notes;  // read now: the files as they were run
    for (const std::string& file : files) notes.push_back(read_scenario_notes(file, false));

    // Common random numbers: replication r of every scenario draws from the same streams.
    const kernel::RandomStreams streams(seed.value);
    const ParameterDraws draws(posterior_file, files, streams);
    auto results = run_on_common_random_numbers(scenarios, draws, streams, replications.value,
                                                static_cast<unsigned>(threads.value));
    std::vector<output::RunRecord> records;
    for (std::size_t k = 0; k < scenarios.size(); ++k) {
        std::vector<model::ReplicationResult> of_scenario;
        for (const auto& replication : results) of_scenario.push_back(replication[k]);
        records.push_back(build_run_record(scenarios[k], files[k], seed.value, of_scenario, notes[k]));
        records.back().metadata.posterior_file = posterior_file;
        if (k == 0) add_published_figures(records.back(), scenarios[0], of_scenario, targets);
    }
    results = {};  // the records hold everything from here on
    std::vector<output::RunRecord> differences;
    for (std::size_t k = 1; k < records.size(); ++k) differences.push_back(difference_record(records[k], records[0]));

    // Each option's paired effect on each key indicator in each reported year, computed once.
    constexpr std::size_t kKeys = std::size(kKeyIndicators);
    const std::size_t years = records.front().years.size();
    std::vector<std::vector<std::array<Paired, kKeys>>> effects(records.size(),
                                                                std::vector<std::array<Paired, kKeys>>(years));
    std::vector<output::ComparisonSummaryRow> summary;
    for (std::size_t k = 1; k < records.size(); ++k)
        for (std::size_t year = 0; year < years; ++year)
            for (std::size_t key = 0; key < kKeys; ++key) {
                const Paired paired = pair_up(records[0], records[k], kKeyIndicators[key].indicator, year);
                effects[k][year][key] = paired;
                summary.push_back(output::ComparisonSummaryRow{
                    names[k], kKeyIndicators[key].indicator, records[0].years[year], paired.baseline_mean,
                    paired.option_mean, paired.difference_mean, paired.difference_mean - paired.difference_half_width,
                    paired.difference_mean + paired.difference_half_width, paired.probability_lower,
                    paired.variance_ratio});
            }

    if (const auto folder = std::filesystem::path(out).parent_path(); !folder.empty())
        std::filesystem::create_directories(folder);
    std::vector<output::ComparedOption> compared;
    for (std::size_t k = 1; k < records.size(); ++k) compared.push_back({&records[k], &differences[k - 1]});
    output::write_comparison_hdf5(records[0], std::vector<std::string>(names.begin() + 1, names.end()), compared,
                                  summary, out);
    if (!values.count("quiet")) print_comparison(records, names, effects, replications.value, seed.value, out);
    if (!report.html.empty()) write_report(out, report);
    return 0;
}

}  // namespace ehsim::cli
