#include "sim/scenario/scenario_paths.hpp"

#include <algorithm>
#include <stdexcept>

#include "sim/model/calendar.hpp"
#include "sim/scenario/scenario_checks.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_schema.hpp"

namespace ehsim::scenario {

namespace {

const char* const kDrawnFile = "(scenario with drawn parameters)";

// The message a file with these values gives, with the line and column of the key at fault: written out
// only to name the place, and so only when the typed checks have already failed.
[[noreturn]] void fail_as_written(const model::Scenario& scenario, const ScenarioError& typed) {
    YAML::Emitter out;
    out << YAML::Load(resolved_yaml(scenario));
    load_scenario_text(out.c_str(), kDrawnFile);
    throw typed;
}

}  // namespace

std::unique_ptr<SchemaValue> scenario_value(model::Scenario& scenario, const std::string& path) {
    return value_at(std::make_unique<SectionValue<model::Scenario>>(scenario, scenario_schema()), path);
}

double& scenario_number(model::Scenario& scenario, const std::string& path) {
    double* number = scenario_value(scenario, path)->number();
    if (number == nullptr) throw std::invalid_argument("'" + path + "' is not a number of the scenario");
    return *number;
}

namespace {

// The node at a path without selectors in a resolved scenario's YAML ("teams[3].role"); an undefined node when
// there is none.
YAML::Node node_at(YAML::Node node, const std::string& path) {
    std::size_t at = 0;
    while (at < path.size() && node.IsDefined()) {
        if (path[at] == '.') ++at;
        if (path[at] == '[') {
            const std::size_t close = path.find(']', at);
            if (close == std::string::npos || !node.IsSequence()) return YAML::Node(YAML::NodeType::Undefined);
            const std::size_t index = std::stoul(path.substr(at + 1, close - at - 1));
            if (index >= node.size()) return YAML::Node(YAML::NodeType::Undefined);
            node.reset(node[index]);  // reset, not =: assigning a YAML::Node writes into the tree it refers to
            at = close + 1;
            continue;
        }
        const std::size_t end = std::min(path.find_first_of(".[", at), path.size());
        if (!node.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
        node.reset(node[path.substr(at, end - at)]);
        at = end;
    }
    return node;
}

void expand(const YAML::Node& root, model::Scenario& scenario, const std::string& path,
            std::vector<std::string>& found) {
    const std::size_t equals = path.find('=');
    if (equals == std::string::npos) {
        found.push_back(path);
        return;
    }
    const std::size_t open = path.rfind('[', equals), close = path.find(']', equals);
    if (open == std::string::npos || close == std::string::npos)
        throw std::invalid_argument("path '" + path + "': a selector is written [key=value]");
    const std::string list = path.substr(0, open), key = path.substr(open + 1, equals - open - 1),
                      wanted = path.substr(equals + 1, close - equals - 1), rest = path.substr(close + 1);
    const std::unique_ptr<SchemaValue> items = scenario_value(scenario, list);
    if (!items->is_list()) throw std::invalid_argument("path '" + path + "': '" + list + "' is not a list");
    bool has_key = false;
    std::vector<std::string> keys, values;
    const std::size_t before = found.size();
    for (std::size_t i = 0; i < items->size(); ++i) {
        const std::string item = list + "[" + std::to_string(i) + "]";
        keys = items->item(i)->keys();
        has_key = has_key || std::find(keys.begin(), keys.end(), key) != keys.end();
        const YAML::Node value = node_at(root, item + "." + key);
        if (value.IsScalar()) values.push_back(value.Scalar());
        if (value.IsScalar() && value.Scalar() == wanted) expand(root, scenario, item + rest, found);
    }
    if (!has_key && !keys.empty()) {
        const std::string close_key = closest_match(key, keys);
        throw std::invalid_argument("path '" + path + "': the items of '" + list + "' have no '" + key + "'" +
                                    (close_key.empty() ? "" : " (did you mean '" + close_key + "'?)"));
    }
    if (found.size() == before) {
        const std::string close_value = closest_match(wanted, values);
        throw std::invalid_argument("path '" + path + "': no item of '" + list + "' has " + key + " '" + wanted + "'" +
                                    (close_value.empty() ? "" : " (did you mean '" + close_value + "'?)"));
    }
}

}  // namespace

std::vector<std::string> matching_paths(const model::Scenario& scenario, const std::string& path) {
    if (path.find('=') == std::string::npos) return {path};
    model::Scenario copy = scenario;
    std::vector<std::string> found;
    expand(YAML::Load(resolved_yaml(copy)), copy, path, found);
    return found;
}

void set_scenario_value(model::Scenario& scenario, const std::string& path, const YAML::Node& value,
                        ReadContext& context) {
    for (const std::string& place : matching_paths(scenario, path))
        scenario_value(scenario, place)->read(value, context, place);
}

ScenarioNumbers::ScenarioNumbers(const model::Scenario& base, std::vector<std::string> paths)
    : base_(base), paths_(std::move(paths)) {
    // As a file holds it: dated parameter sets come from option files, not from the scenario's keys.
    base_.parameter_changes.clear();
    std::vector<std::string> every_place;
    for (const std::string& path : paths_) {
        places_.push_back(matching_paths(base_, path));
        for (const std::string& place : places_.back()) {
            scenario_number(base_, place);
            every_place.push_back(place);
        }
    }
    for (const std::string& path : every_place) {
        const std::size_t dot = path.rfind('.');
        if (dot == std::string::npos) continue;
        const std::string parent = path.substr(0, dot);
        if (!scenario_value(base_, parent)->is_shares()) continue;
        if (std::any_of(shared_sets_.begin(), shared_sets_.end(),
                        [&](const SharedSet& set) { return set.path == parent; }))
            continue;
        SharedSet set{parent, {}};
        for (const std::string& key : scenario_value(base_, parent)->keys())
            if (std::find(every_place.begin(), every_place.end(), parent + "." + key) == every_place.end())
                set.others.push_back(key);
        shared_sets_.push_back(set);
    }
}

void ScenarioNumbers::rescale_others(model::Scenario& scenario) const {
    for (const SharedSet& set : shared_sets_) {
        const std::unique_ptr<SchemaValue> shares = scenario_value(scenario, set.path);
        double named = 0, others = 0;
        for (const std::string& key : shares->keys()) {
            const double value = *shares->member(key)->number();
            const bool other = std::find(set.others.begin(), set.others.end(), key) != set.others.end();
            (other ? others : named) += value;
        }
        // Shares named past 1, or no other share to make up the rest: left as they are, for the check to refuse.
        if (named > 1 || others <= 0) continue;
        for (const std::string& key : set.others) *shares->member(key)->number() *= (1 - named) / others;
    }
}

model::Scenario ScenarioNumbers::with(const std::vector<double>& values, int horizon_months) const {
    if (values.size() != paths_.size()) throw std::invalid_argument("ScenarioNumbers: one value per path");
    model::Scenario scenario = base_;
    for (std::size_t i = 0; i < paths_.size(); ++i)
        for (const std::string& place : places_[i]) scenario_number(scenario, place) = values[i];
    rescale_others(scenario);
    if (horizon_months > 0) {
        scenario.time.horizon_years = horizon_months / 12.0;
        // Dated changes after a shortened horizon cannot happen in it: they are dropped, not refused.
        const auto start = model::parse_iso_date(scenario.time.start_date);
        const std::string end = start ? model::to_iso(model::add_months(*start, horizon_months)) : std::string();
        std::erase_if(scenario.changes, [&](const model::DatedChange& change) { return !(change.date < end); });
    }
    ReadContext context(kDrawnFile);
    try {
        check_scenario(scenario, context);
    } catch (const ScenarioError& error) {
        fail_as_written(scenario, error);
    }
    return scenario;
}

}  // namespace ehsim::scenario
