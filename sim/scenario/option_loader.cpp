#include "sim/scenario/option_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "sim/model/calendar.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/schema.hpp"

namespace ehsim::scenario {

namespace {

const std::vector<std::string> kTopLevelKeys{"extends", "name", "description", "changes"};
const std::vector<std::string> kChangeKinds{"close_site",
                                            "hub_to_spoke",
                                            "open_site",
                                            "team_fte",
                                            "caseload",
                                            "co_locate_health_visitors",
                                            "lead_professional_shares",
                                            "demand",
                                            "set"};
const std::vector<std::string> kRoles{"family_support", "health_visitor", "youth_worker", "social_worker",
                                      "voluntary_sector"};
const std::vector<std::string> kAgencies{"family_support", "school", "health", "voluntary_sector"};

// One change as written, with where it was written.
struct Change {
    std::string kind;
    YAML::Node body;
    YAML::Mark mark;
    std::string path;            // "changes[3].close_site"
    std::string date;            // empty: from the start
    std::int64_t date_days = 0;  // days since 1970 (for ordering)
};

std::string without_position(const std::string& message) {
    // "file:12:3: key: problem" -> "key: problem" (a file name may hold ':' only before the line number).
    std::size_t at = 0;
    for (int colons = 0; colons < 3 && at != std::string::npos; ++colons) at = message.find(':', at + 1);
    return at == std::string::npos ? message : message.substr(std::min(at + 2, message.size()));
}

std::string suggestion_text(const std::string& word, const std::vector<std::string>& known) {
    const std::string suggestion = closest_match(word, known);
    return suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)";
}

class OptionBuilder {
public:
    OptionBuilder(const ReadContext& context, YAML::Node tree) : context_(context), tree_(std::move(tree)) {}

    const YAML::Node& tree() const { return tree_; }

    void apply(const Change& change) {
        if (change.kind == "close_site" || change.kind == "hub_to_spoke") {
            const std::string name = text(change.body, change);
            YAML::Node site = find_site(name, change);
            if (change.kind == "hub_to_spoke" && site["type"].as<std::string>() != "hub")
                fail(change, "'" + name + "' is a " + site["type"].as<std::string>() + ", not a hub");
            site["type"] = change.kind == "close_site" ? "closed" : "spoke";
        } else if (change.kind == "open_site") {
            require_keys(change, {"name", "locality", "type"}, {});
            const std::string name = text(change.body["name"], change);
            for (const auto& site : tree_["sites"])
                if (site["name"].as<std::string>() == name) fail(change, "site '" + name + "' already exists");
            check_locality(text(change.body["locality"], change), change);
            YAML::Node site;
            site["name"] = name;
            site["locality"] = change.body["locality"];
            site["type"] = change.body["type"];
            tree_["sites"].push_back(site);
        } else if (change.kind == "team_fte") {
            require_keys(change, {"locality", "role"}, {"add", "set", "scale", "caseload_per_fte"});
            const int given =
                (change.body["add"] ? 1 : 0) + (change.body["set"] ? 1 : 0) + (change.body["scale"] ? 1 : 0);
            if (given != 1) fail(change, "give exactly one of add, set or scale");
            for (YAML::Node team : teams(change, /*create_with_set=*/true)) {
                const double fte = team["fte"].as<double>();
                double next = fte;
                if (change.body["add"]) next = fte + number(change.body["add"], change);
                if (change.body["set"]) next = number(change.body["set"], change);
                if (change.body["scale"]) next = fte * number(change.body["scale"], change);
                if (next < 0) fail(change, "leaves a team with negative FTE (" + format_number(next) + ")");
                team["fte"] = next;
            }
        } else if (change.kind == "caseload") {
            require_keys(change, {"locality", "role", "caseload_per_fte"}, {});
            for (YAML::Node team : teams(change, false))
                team["caseload_per_fte"] = number(change.body["caseload_per_fte"], change);
        } else if (change.kind == "co_locate_health_visitors") {
            require_keys(change, {"localities"}, {"identification_factor", "health_lead_share"});
            for (YAML::Node locality : localities(change.body["localities"], change))
                locality["health_visitors_co_located"] = true;
            if (change.body["identification_factor"])
                tree_["identification"]["co_located_health_visitor_factor"] =
                    number(change.body["identification_factor"], change);
            if (change.body["health_lead_share"])
                set_health_share(number(change.body["health_lead_share"], change), change);
        } else if (change.kind == "lead_professional_shares") {
            tree_["early_help"]["lead_professional_shares"] = YAML::Clone(change.body);
        } else if (change.kind == "demand") {
            require_keys(change, {"incidence_factor"}, {});
            const double factor = number(change.body["incidence_factor"], change);
            if (factor < 0) fail(change, "incidence_factor must be >= 0");
            YAML::Node need = tree_["need"];
            for (const char* key : {"incidence_level_2_per_family_per_year", "incidence_level_3_per_family_per_year"})
                need[key] = need[key].as<double>() * factor;
        } else if (change.kind == "set") {
            require_keys(change, {"path", "value"}, {});
            const std::string path = text(change.body["path"], change);
            YAML::Node target = at_path(path, change);
            target = YAML::Clone(change.body["value"]);
        }
    }

private:
    [[noreturn]] void fail(const Change& change, const std::string& problem) const {
        context_.fail(change.mark, change.path, problem);
    }

    std::string text(const YAML::Node& node, const Change& change) const {
        if (!node || !node.IsScalar()) fail(change, "expected a name");
        return node.Scalar();
    }

    double number(const YAML::Node& node, const Change& change) const {
        if (!node || !node.IsScalar()) fail(change, "expected a number");
        char* end = nullptr;
        const double value = std::strtod(node.Scalar().c_str(), &end);
        if (end != node.Scalar().c_str() + node.Scalar().size() || !std::isfinite(value))
            fail(change, "expected a number, got '" + node.Scalar() + "'");
        return value;
    }

    void require_keys(const Change& change, const std::vector<std::string>& required,
                      const std::vector<std::string>& optional) const {
        if (!change.body.IsMap()) fail(change, "expected a section of 'key: value' lines");
        std::vector<std::string> known = required;
        known.insert(known.end(), optional.begin(), optional.end());
        for (const auto& entry : change.body) {
            const std::string key = entry.first.as<std::string>();
            if (std::find(known.begin(), known.end(), key) == known.end())
                context_.fail(entry.first.Mark(), change.path + "." + key, "unknown key" + suggestion_text(key, known));
        }
        for (const std::string& key : required)
            if (!change.body[key]) fail(change, "needs '" + key + "'");
    }

    YAML::Node find_site(const std::string& name, const Change& change) {
        std::vector<std::string> names;
        for (YAML::Node site : tree_["sites"]) {
            if (site["name"].as<std::string>() == name) return site;
            names.push_back(site["name"].as<std::string>());
        }
        fail(change, "site '" + name + "' is not in the baseline" + suggestion_text(name, names));
    }

    std::vector<std::string> locality_names() const {
        std::vector<std::string> names;
        for (const auto& locality : tree_["localities"]) names.push_back(locality["name"].as<std::string>());
        return names;
    }

    void check_locality(const std::string& name, const Change& change) const {
        const auto names = locality_names();
        if (std::find(names.begin(), names.end(), name) == names.end())
            fail(change, "locality '" + name + "' is not in the baseline" + suggestion_text(name, names));
    }

    // The localities named: "all", one name, or a list of names.
    std::vector<YAML::Node> localities(const YAML::Node& names, const Change& change) {
        std::vector<std::string> wanted;
        if (names.IsScalar() && names.Scalar() == "all") {
            wanted = locality_names();
        } else if (names.IsScalar()) {
            wanted = {names.Scalar()};
        } else if (names.IsSequence()) {
            for (const auto& name : names) wanted.push_back(text(name, change));
        } else {
            fail(change, "localities: expected 'all', a name or a list of names");
        }
        std::vector<YAML::Node> found;
        for (const std::string& name : wanted) {
            check_locality(name, change);
            for (YAML::Node locality : tree_["localities"])
                if (locality["name"].as<std::string>() == name) found.push_back(locality);
        }
        return found;
    }

    // The teams of a role in the localities named; `set` may create a missing team (with a caseload).
    std::vector<YAML::Node> teams(const Change& change, bool create_with_set) {
        const std::string role = text(change.body["role"], change);
        if (std::find(kRoles.begin(), kRoles.end(), role) == kRoles.end())
            fail(change, "role '" + role + "' is not one of the roles" + suggestion_text(role, kRoles));
        std::vector<YAML::Node> found;
        for (YAML::Node locality : localities(change.body["locality"], change)) {
            const std::string name = locality["name"].as<std::string>();
            bool exists = false;
            for (YAML::Node team : tree_["teams"])
                if (team["locality"].as<std::string>() == name && team["role"].as<std::string>() == role) {
                    found.push_back(team);
                    exists = true;
                }
            if (exists) continue;
            if (!create_with_set || !change.body["set"] || !change.body["caseload_per_fte"])
                fail(change,
                     "locality '" + name + "' has no " + role + " team (to create one, use set with caseload_per_fte)");
            YAML::Node team;
            team["locality"] = name;
            team["role"] = role;
            team["fte"] = 0.0;
            team["caseload_per_fte"] = number(change.body["caseload_per_fte"], change);
            tree_["teams"].push_back(team);
            found.push_back(tree_["teams"][tree_["teams"].size() - 1]);
        }
        return found;
    }

    // Health leads a share h of cases; the other agencies keep their proportions of the rest.
    void set_health_share(double health, const Change& change) {
        if (!(health >= 0 && health <= 1)) fail(change, "health_lead_share must be in [0, 1]");
        YAML::Node shares = tree_["early_help"]["lead_professional_shares"];
        const double old_health = shares["health"].as<double>();
        const double others = 1.0 - old_health;
        for (const std::string& agency : kAgencies) {
            if (agency == "health") continue;
            const double share = shares[agency].as<double>();
            shares[agency] = others > 0 ? share / others * (1.0 - health) : (1.0 - health) / 3.0;
        }
        shares["health"] = health;
    }

    // A node by its path in the resolved scenario ("early_help.patience_days", "teams[2].fte").
    YAML::Node at_path(const std::string& path, const Change& change) {
        YAML::Node node = tree_;
        std::string walked;
        std::size_t at = 0;
        while (at < path.size()) {
            std::size_t end = path.find_first_of(".[", at);
            std::string key = path.substr(at, end == std::string::npos ? std::string::npos : end - at);
            std::vector<std::string> keys;
            if (node.IsMap())
                for (const auto& entry : node) keys.push_back(entry.first.as<std::string>());
            if (!node.IsMap() || !node[key])
                fail(change, "the scenario has no '" + (walked.empty() ? key : walked + "." + key) + "'" +
                                 suggestion_text(key, keys));
            node.reset(node[key]);
            walked += (walked.empty() ? "" : ".") + key;
            at = end == std::string::npos ? path.size() : end;
            while (at < path.size() && path[at] == '[') {
                const std::size_t close = path.find(']', at);
                if (close == std::string::npos) fail(change, "path '" + path + "': unclosed '['");
                const std::string index_text = path.substr(at + 1, close - at - 1);
                char* index_end = nullptr;
                const long index = std::strtol(index_text.c_str(), &index_end, 10);
                if (index_text.empty() || *index_end != '\0' || !node.IsSequence() || index < 0 ||
                    static_cast<std::size_t>(index) >= node.size())
                    fail(change, "path '" + path + "': no item [" + index_text + "] in '" + walked + "'");
                node.reset(node[static_cast<std::size_t>(index)]);
                walked += "[" + index_text + "]";
                at = close + 1;
            }
            if (at < path.size() && path[at] == '.') ++at;
        }
        if (!node.IsScalar() && !node.IsMap())
            fail(change, "set changes one value or section; '" + path + "' is a list");
        return node;
    }

    const ReadContext& context_;
    YAML::Node tree_;
};

model::Scenario scenario_of(const YAML::Node& tree, const Change* change, const ReadContext& context) {
    YAML::Emitter out;
    out << tree;
    try {
        return load_scenario_text(out.c_str(), context.file() + " (resolved)");
    } catch (const ScenarioError& error) {
        if (change == nullptr) throw;
        context.fail(change->mark, change->path, "makes the scenario invalid: " + without_position(error.what()));
    }
}

}  // namespace

LoadedOption load_option_text(const std::string& text, const std::string& file) {
    ReadContext context(file);
    const YAML::Node root = parse_yaml(text, context);
    if (!root || !root.IsMap())
        context.fail(root ? root.Mark() : YAML::Mark::null_mark(), "", "expected an option: extends, name, changes");
    for (const auto& entry : root) {
        const std::string key = entry.first.as<std::string>();
        if (std::find(kTopLevelKeys.begin(), kTopLevelKeys.end(), key) == kTopLevelKeys.end())
            context.fail(entry.first.Mark(), key, "unknown key" + suggestion_text(key, kTopLevelKeys));
    }
    for (const char* key : {"extends", "name", "changes"})
        if (!root[key]) context.fail(root.Mark(), key, "required key is missing");
    LoadedOption option;
    const YAML::Node extends = root["extends"];
    if (!extends.IsScalar()) context.fail(extends.Mark(), "extends", "expected the baseline's file name");
    const std::filesystem::path folder = std::filesystem::path(file).parent_path();
    option.baseline_file = (folder / extends.Scalar()).lexically_normal().string();
    if (!std::filesystem::exists(option.baseline_file))
        context.fail(extends.Mark(), "extends",
                     "baseline '" + extends.Scalar() + "' cannot be found (looked for " + option.baseline_file + ")");
    if (root["description"]) option.description = read_text(root["description"], context, "description");
    const model::Scenario baseline = load_scenario_file(option.baseline_file);

    // Collect the changes, with their dates; the baseline's own dated changes join them, so that one
    // mechanism (parameter changes) carries everything dated.
    const YAML::Node list = root["changes"];
    if (!list.IsSequence() && !list.IsNull()) context.fail(list.Mark(), "changes", "expected a list of changes");
    const auto start = *model::parse_iso_date(baseline.time.start_date);
    const int horizon_months = static_cast<int>(std::lround(baseline.time.horizon_years * 12.0));
    const model::Date end = model::add_months(start, horizon_months);
    std::vector<Change> changes;
    std::size_t index = 0;
    for (const auto& item : list) {
        Change change;
        change.mark = item.Mark();
        const std::string item_path = "changes[" + std::to_string(index++) + "]";
        if (!item.IsMap()) context.fail(item.Mark(), item_path, "expected a change such as 'close_site: NAME'");
        for (const auto& entry : item) {
            const std::string key = entry.first.as<std::string>();
            if (key == "date") {
                change.date = read_text(entry.second, context, item_path + ".date");
                const auto date = model::parse_iso_date(change.date);
                if (!date)
                    context.fail(entry.second.Mark(), item_path + ".date",
                                 "'" + change.date + "' is not a date (YYYY-MM-DD)");
                change.date_days = model::days_from_civil(*date);
                if (change.date_days < model::days_from_civil(start) || change.date_days >= model::days_from_civil(end))
                    context.fail(entry.second.Mark(), item_path + ".date",
                                 change.date + " is outside the horizon " + baseline.time.start_date + " to " +
                                     model::to_iso(end) + " (exclusive)");
            } else if (std::find(kChangeKinds.begin(), kChangeKinds.end(), key) != kChangeKinds.end()) {
                if (!change.kind.empty())
                    context.fail(entry.first.Mark(), item_path + "." + key, "one change per item");
                change.kind = key;
                change.body = entry.second;
                change.mark = entry.first.Mark();
                change.path = item_path + "." + key;
            } else {
                context.fail(entry.first.Mark(), item_path + "." + key,
                             "unknown change" + suggestion_text(key, kChangeKinds));
            }
        }
        if (change.kind.empty()) context.fail(item.Mark(), item_path, "names no change");
        changes.push_back(change);
    }
    YAML::Node tree = YAML::Load(resolved_yaml(baseline));
    for (std::size_t dated = 0; dated < baseline.changes.size(); ++dated) {
        const model::DatedChange& own = baseline.changes[dated];
        Change change;
        change.path = "(baseline) changes[" + std::to_string(dated) + "]";
        change.date = own.date;
        change.date_days = model::days_from_civil(*model::parse_iso_date(own.date));
        if (!own.site.empty()) {
            change.kind = "set";
            std::size_t site = 0;
            while (baseline.sites[site].name != own.site) ++site;
            change.body["path"] = "sites[" + std::to_string(site) + "].type";
            change.body["value"] = model::to_string(own.site_becomes);
        } else {
            change.kind = "team_fte";
            change.body["locality"] = own.team_locality;
            change.body["role"] = model::to_string(own.team_role);
            change.body["set"] = own.team_fte;
        }
        changes.push_back(change);
    }
    tree["changes"] = YAML::Node(YAML::NodeType::Sequence);
    // Undated first, then by date; within a date, in the order written. (Indices are sorted, not the
    // changes: assigning a YAML::Node that already refers to a node rewrites that node.)
    auto order = [&](std::size_t position) {
        return changes[position].date.empty() ? std::numeric_limits<std::int64_t>::min() : changes[position].date_days;
    };
    std::vector<std::size_t> sequence(changes.size());
    for (std::size_t i = 0; i < sequence.size(); ++i) sequence[i] = i;
    std::stable_sort(sequence.begin(), sequence.end(),
                     [&](std::size_t a, std::size_t b) { return order(a) < order(b); });

    // The undated changes make the scenario the option starts from; each later date, a parameter change.
    OptionBuilder builder(context, tree);
    const model::Calendar calendar(
        model::add_months(start, -static_cast<int>(std::lround(baseline.time.warm_up_years * 12.0))), 1);
    // Each change is validated as it is applied (so an error names it); the scenario after the last
    // change of a date is the one kept.
    std::size_t next = 0;
    option.scenario = scenario_of(builder.tree(), nullptr, context);
    for (; next < sequence.size() && changes[sequence[next]].date.empty(); ++next) {
        builder.apply(changes[sequence[next]]);
        option.scenario = scenario_of(builder.tree(), &changes[sequence[next]], context);
    }
    while (next < sequence.size()) {
        const std::string date = changes[sequence[next]].date;
        std::string described;
        auto parameters = std::make_shared<model::Scenario>();
        for (; next < sequence.size() && changes[sequence[next]].date == date; ++next) {
            const Change& change = changes[sequence[next]];
            builder.apply(change);
            *parameters = scenario_of(builder.tree(), &change, context);
            described += (described.empty() ? "" : ", ") + change.kind;
        }
        const double day = calendar.day_of(*model::parse_iso_date(date));
        option.scenario.parameter_changes.push_back(model::ParameterChange{date, day, described, parameters});
    }
    option.scenario.name = read_text(root["name"], context, "name");
    // The name becomes a file name in `ehsim compare`'s output folder.
    const bool plain =
        !option.scenario.name.empty() &&
        std::all_of(
            option.scenario.name.begin(), option.scenario.name.end(),
            [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'; }) &&
        option.scenario.name.front() != '.';
    if (!plain)
        context.fail(root["name"].Mark(), "name",
                     "'" + option.scenario.name + "' must be letters, digits, '-', '_' or '.' (it names output files)");
    return option;
}

LoadedOption load_option_file(const std::string& path) {
    return load_option_text(read_text_file(path, "option"), path);
}

}  // namespace ehsim::scenario
