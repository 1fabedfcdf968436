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

// What the ranking table shows, in the final reported year.
struct Headline {
    const char* indicator;
    const char* label;
};
constexpr Headline kHeadlines[] = {{"children_in_need_per_10000", "children in need per 10,000"},
                                   {"contacts_to_social_care", "contacts to social care"},
                                   {"cost_total", "cost (GBP)"}};

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

}  // namespace

int compare_command(const std::vector<std::string>& arguments) {
    WholeNumber replications{100};
    WholeNumber seed{1};
    WholeNumber threads{kernel::default_thread_count()};
    std::string out;
    std::vector<std::string> files;
    po::options_description options("Options of 'ehsim compare'");
    options.add_options()("help,h", "show this help and exit")(
        "replications,n", po::value(&replications)->default_value(replications), "independent replications")(
        "seed,s", po::value(&seed)->default_value(seed), "master random seed (shared by every scenario)")(
        "threads,t", po::value(&threads)->default_value(threads), "worker threads (results do not depend on it)")(
        "out,o", po::value(&out), "folder for the HDF5 files (default: out/compare-<baseline name>)")("quiet,q",
                                                                                                      "no tables");
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
                     "Prints, for the final reported year, each option's effect on children in need, contacts to\n"
                     "social care and cost with its 90% interval, ranked by the effect on children in need.\n"
                     "Writes <out>/baseline.h5, <out>/<option>.h5 and <out>/<option>-minus-baseline.h5.\n\n"
                  << options;
        return 0;
    }
    if (files.size() < 2) throw UsageError("compare: give a baseline scenario and at least one option file");
    if (replications.value < 2 || replications.value > 1'000'000)
        throw UsageError("compare: --replications must be in [2, 1000000]");
    if (threads.value < 1 || threads.value > 1024) throw UsageError("compare: --threads must be in [1, 1024]");

    const std::string baseline_file = files.front();
    const model::Scenario baseline = scenario::load_scenario_file(baseline_file);
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

    // Common random numbers: replication r of every scenario draws from the same streams.
    const kernel::RandomStreams streams(seed.value);
    const auto results = kernel::run_replications(
        replications.value, static_cast<unsigned>(threads.value), [&](std::uint64_t replication) {
            std::vector<model::ReplicationResult> per_scenario;
            for (const auto& scenario : scenarios)
                per_scenario.push_back(model::EarlyHelpModel(scenario, streams, replication).run());
            return per_scenario;
        });
    std::vector<output::RunRecord> records;
    for (std::size_t k = 0; k < scenarios.size(); ++k) {
        std::vector<model::ReplicationResult> of_scenario;
        for (const auto& replication : results) of_scenario.push_back(replication[k]);
        records.push_back(build_run_record(scenarios[k], files[k], seed.value, of_scenario));
    }

    if (out.empty()) out = "out/compare-" + baseline.name;
    std::filesystem::create_directories(out);
    output::write_hdf5(records.front(), out + "/baseline.h5");
    for (std::size_t k = 1; k < records.size(); ++k) {
        output::write_hdf5(records[k], out + "/" + names[k] + ".h5");
        output::write_hdf5(difference_record(records[k], records.front()), out + "/" + names[k] + "-minus-baseline.h5");
    }
    if (values.count("quiet")) return 0;

    const std::size_t last_year = records.front().years.size() - 1;
    std::printf("\n%s against %s: %llu replications on common random numbers, seed %llu\n",
                records.front().years.empty() ? "" : records.front().years[last_year].c_str(), baseline.name.c_str(),
                static_cast<unsigned long long>(replications.value), static_cast<unsigned long long>(seed.value));
    std::printf("Effect of each option (option minus baseline): mean +/- 90%% interval of the mean difference\n\n");
    std::printf("%-28s", "option");
    for (const auto& headline : kHeadlines) std::printf(" %26s", headline.label);
    std::printf(" %14s %12s\n", "P(fewer CIN)", "var. ratio");
    // Each option's paired effects, computed once, then ranked by the effect on children in need.
    constexpr std::size_t kShown = std::size(kHeadlines);
    std::vector<std::array<Paired, kShown>> effects(records.size());
    std::vector<std::size_t> order;
    for (std::size_t k = 1; k < records.size(); ++k) {
        for (std::size_t h = 0; h < kShown; ++h)
            effects[k][h] = pair_up(records.front(), records[k], kHeadlines[h].indicator, last_year);
        order.push_back(k);
    }
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return effects[a][0].difference_mean < effects[b][0].difference_mean;
    });
    for (const std::size_t k : order) {
        std::printf("%-28s", names[k].c_str());
        for (const Paired& paired : effects[k])
            std::printf(" %26s", with_interval(paired.difference_mean, paired.difference_half_width).c_str());
        std::printf(" %13.0f%% %12.3f\n", 100.0 * effects[k][0].probability_lower, effects[k][0].variance_ratio);
    }
    const auto& first = effects[order.front()];
    std::printf("\nBaseline, same year: children in need per 10,000 %s, contacts to social care %s, cost %s.\n",
                format_value(first[0].baseline_mean).c_str(), format_value(first[1].baseline_mean).c_str(),
                format_value(first[2].baseline_mean).c_str());
    std::printf(
        "P(fewer CIN): share of replications in which the option has fewer children in need.\n"
        "var. ratio: variance of the paired difference over the sum of the two variances; far below 1\n"
        "means common random numbers made the comparison that much sharper than two separate runs.\n"
        "Every replication, month and locality: %s/\n",
        out.c_str());
    return 0;
}

}  // namespace ehsim::cli
