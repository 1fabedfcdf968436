#include "sim/scenario/option_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <memory>

#include "sim/model/calendar.hpp"
#include "sim/scenario/option_builder.hpp"
#include "sim/scenario/option_changes.hpp"
#include "sim/scenario/scenario_checks.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/schema.hpp"

namespace ehsim::scenario {

namespace {

const std::vector<std::string> kTopLevelKeys{"extends", "name", "description", "changes"};

// The option file's own keys: which may appear, which must, and the baseline `extends` names.
YAML::Node read_header(const std::string& text, ReadContext& context, LoadedOption& option) {
    const YAML::Node root = parse_yaml(text, context);
    if (!root || !root.IsMap())
        context.fail(root ? root.Mark() : YAML::Mark::null_mark(), "", "expected an option: extends, name, changes");
    for (const auto& entry : root) {
        const std::string key = key_text(entry.first, context, "");
        if (std::find(kTopLevelKeys.begin(), kTopLevelKeys.end(), key) == kTopLevelKeys.end())
            context.fail(entry.first.Mark(), key, "unknown key" + suggestion_text(key, kTopLevelKeys));
    }
    for (const char* key : {"extends", "name", "changes"})
        if (!root[key]) context.fail(root.Mark(), key, "required key is missing");
    const YAML::Node extends = root["extends"];
    if (!extends.IsScalar()) context.fail(extends.Mark(), "extends", "expected the baseline's file name");
    const std::filesystem::path folder = std::filesystem::path(context.file()).parent_path();
    option.baseline_file = (folder / extends.Scalar()).lexically_normal().string();
    if (const std::string missing = why_path_is_missing(option.baseline_file); !missing.empty())
        context.fail(extends.Mark(), "extends",
                     "baseline '" + extends.Scalar() + "' " + missing + " (looked for " + option.baseline_file + ")");
    if (root["description"]) option.description = read_text(root["description"], context, "description");
    return root;
}

// The name becomes a file name in `ehsim compare`'s output folder.
void check_name(const std::string& name, const YAML::Node& node, const ReadContext& context) {
    const bool plain = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    }) && name.front() != '.';
    if (!plain)
        context.fail(node.Mark(), "name",
                     "'" + name + "' must be letters, digits, '-', '_' or '.' (it names output files)");
}

// The baseline as the option starts from it: without its own dated changes, which join the option's.
model::Scenario without_dated_changes(const model::Scenario& baseline, const ReadContext& context) {
    model::Scenario scenario = baseline;
    scenario.changes.clear();
    scenario.parameter_changes.clear();
    ReadContext checks(context.file() + " (resolved)");
    check_scenario(scenario, checks);
    return scenario;
}

// By date; within a date the baseline's own changes first (the baseline in force), then the option's in
// the order written.
std::vector<std::size_t> in_date_order(const std::vector<OptionChange>& changes) {
    std::vector<std::size_t> sequence(changes.size());
    for (std::size_t i = 0; i < sequence.size(); ++i) sequence[i] = i;
    std::stable_sort(sequence.begin(), sequence.end(), [&](std::size_t a, std::size_t b) {
        if (changes[a].date_days != changes[b].date_days) return changes[a].date_days < changes[b].date_days;
        return changes[a].from_baseline && !changes[b].from_baseline;
    });
    return sequence;
}

// Each date with changes becomes a parameter set: the baseline with its own changes up to that date, and
// then every change of the option up to that date, so that an option's change stays relative to the
// baseline in force ("add 1 FTE" is still one more after the baseline's own change of that team).
std::vector<model::ParameterChange> parameter_sets(const model::Scenario& start,
                                                   const std::vector<OptionChange>& changes,
                                                   const ReadContext& context) {
    const std::vector<std::size_t> sequence = in_date_order(changes);
    const auto first_day = *model::parse_iso_date(start.time.start_date);
    const model::Calendar calendar(
        model::add_months(first_day, -static_cast<int>(std::lround(start.time.warm_up_years * 12.0))), 1);
    std::vector<model::ParameterChange> sets;
    for (std::size_t next = 0; next < sequence.size();) {
        const std::int64_t date = changes[sequence[next]].date_days;
        std::size_t through = next;
        while (through < sequence.size() && changes[sequence[through]].date_days == date) ++through;
        OptionBuilder builder(context, start);
        std::string described;
        // Earlier changes apply again (the baseline's first, then the option's, each in order); this date's
        // are checked one by one, so that an error names the change that caused it.
        for (const bool baseline_pass : {true, false})
            for (std::size_t k = 0; k < through; ++k) {
                const OptionChange& change = changes[sequence[k]];
                if (change.from_baseline != baseline_pass) continue;
                const bool today = change.date_days == date;
                builder.apply(change, today);
                if (today) {
                    builder.checked(change);
                    if (!change.from_baseline) described += (described.empty() ? "" : ", ") + change.kind;
                }
            }
        auto parameters = std::make_shared<model::Scenario>(builder.checked(changes[sequence[through - 1]]));
        if (described.empty()) described = "the baseline's own change";
        const std::string iso = changes[sequence[next]].date;
        const double day = calendar.day_of(*model::parse_iso_date(iso));
        sets.push_back(model::ParameterChange{iso, day, described, parameters});
        next = through;
    }
    return sets;
}

}  // namespace

LoadedOption load_option_text(const std::string& text, const std::string& file, const model::Scenario* drawn_baseline) {
    ReadContext context(file);
    LoadedOption option;
    const YAML::Node root = read_header(text, context, option);
    const model::Scenario baseline = drawn_baseline ? *drawn_baseline : load_scenario_file(option.baseline_file);
    const YAML::Node list = root["changes"];
    if (!list.IsSequence() && !list.IsNull()) context.fail(list.Mark(), "changes", "expected a list of changes");
    std::vector<OptionChange> changes = read_option_changes(list, baseline, context);
    for (OptionChange& own : baseline_changes(baseline)) changes.push_back(std::move(own));
    option.scenario = without_dated_changes(baseline, context);
    option.scenario.parameter_changes = parameter_sets(option.scenario, changes, context);
    option.scenario.name = read_text(root["name"], context, "name");
    check_name(option.scenario.name, root["name"], context);
    return option;
}

LoadedOption load_option_file(const std::string& path) {
    return load_option_text(read_text_file(path, "option"), path);
}

namespace {

bool is_option_text(const std::string& text, const std::string& path) {
    ReadContext context(path);
    const YAML::Node root = parse_yaml(text, context);
    return root && root.IsMap() && root["extends"];
}

model::Scenario baseline_of(const std::string& text, const std::string& path) {
    if (!is_option_text(text, path)) return load_scenario_text(text, path);
    return load_scenario_file(load_option_text(text, path).baseline_file);
}

ScenarioNumbers numbers_at(const model::Scenario& baseline, const std::vector<std::string>& paths,
                           const std::string& file) {
    try {
        return ScenarioNumbers(baseline, paths);
    } catch (const std::invalid_argument& error) {
        throw ScenarioError(file + ": cannot take the posterior's parameters: " + error.what());
    }
}

}  // namespace

DrawnScenario::DrawnScenario(const std::string& file, const std::vector<std::string>& paths)
    : file_(file),
      text_(read_text_file(file, "scenario")),
      option_(is_option_text(text_, file)),
      baseline_(baseline_of(text_, file)),
      numbers_(numbers_at(baseline_, paths, file)) {}

model::Scenario DrawnScenario::with(const std::vector<double>& values) const {
    model::Scenario baseline = numbers_.with(values);
    if (!option_) return baseline;
    return load_option_text(text_, file_, &baseline).scenario;
}

model::Scenario load_scenario_or_option_file(const std::string& path) {
    const std::string text = read_text_file(path, "scenario");
    if (is_option_text(text, path)) return load_option_text(text, path).scenario;
    return load_scenario_text(text, path);
}

}  // namespace ehsim::scenario
