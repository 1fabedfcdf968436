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
                                            "response_targets",
                                            "triage",
                                            "set"};
const std::vector<std::string> kRoles{"family_support", "health_visitor", "youth_worker", "social_worker",
                                      "voluntary_sector"};
const std::vector<std::string> kAgencies{"family_support", "school", "health", "voluntary_sector"};

// One change as written, with where it was written.
struct Change {
    std::string kind;
    YAML::Node body;
    YAML::Mark mark;
    std::string path;                              // "changes[3].close_site"
    std::string date;                              // empty: from the start
    std::int64_t date_days = 0;                    // days since 1970 (for ordering)
    double incidence_step = 1, contacts_step = 1;  // demand: this step's factors
    bool from_baseline = false;                    // one of the baseline's own dated changes
};

std::string without_position(const std::string& message) {
    // "file:12:3: key: problem" -> "key: problem" (a file name may hold ':' only before the line number).
    std::size_t at = 0;
    for (int colons = 0; colons < 3 && at != std::string::npos; ++colons) at = message.find(':', at + 1);
    return at == std::string::npos ? message : message.substr(std::min(at + 2, message.size()));
}

// A key as written; a key that is not plain text (a list, a section) is refused with its place.
std::string key_text(const YAML::Node& key, const ReadContext& context, const std::string& path) {
    if (!key.IsScalar()) context.fail(key.Mark(), path, "a key must be a plain name");
    return key.Scalar();
}

std::string suggestion_text(const std::string& word, const std::vector<std::string>& known) {
    const std::string suggestion = closest_match(word, known);
    return suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)";
}

// `demand: {incidence_factor, contacts_factor, over_months}`: a step, or a linear ramp of monthly steps
// whose product is the factor. Steps that would fall after the horizon are dropped.
std::vector<Change> demand_steps(const Change& change, const model::Date& first, const model::Date& end,
                                 ReadContext& context) {
    auto fail = [&](const std::string& problem) { context.fail(change.mark, change.path, problem); };
    if (!change.body.IsMap()) fail("expected {incidence_factor: F, contacts_factor: F, over_months: N}");
    const std::vector<std::string> known{"incidence_factor", "contacts_factor", "over_months"};
    for (const auto& entry : change.body) {
        const std::string key = key_text(entry.first, context, change.path);
        if (std::find(known.begin(), known.end(), key) == known.end())
            context.fail(entry.first.Mark(), change.path + "." + key, "unknown key" + suggestion_text(key, known));
    }
    if (!change.body["incidence_factor"]) fail("needs 'incidence_factor'");
    auto factor = [&](const char* key, double fallback) {
        if (!change.body[key]) return fallback;
        return read_number(change.body[key], context, change.path + "." + key, between(0, 1e6));
    };
    const double incidence = factor("incidence_factor", 1.0);
    const double contacts = factor("contacts_factor", incidence);
    const double months = factor("over_months", 1.0);
    if (months < 1 || months > 1200 || months != std::floor(months)) fail("over_months must be a whole number >= 1");
    const int steps = static_cast<int>(months);
    std::vector<Change> expanded;
    for (int step = 0; step < steps; ++step) {
        const model::Date date = model::add_months(first, step);
        if (model::days_from_civil(date) >= model::days_from_civil(end)) break;
        Change one = change;
        one.date = model::to_iso(date);
        one.date_days = model::days_from_civil(date);
        // Linear in time: after step k of n the factor is 1 + (F - 1)(k + 1)/n.
        auto ratio = [&](double total) {
            const double before = 1.0 + (total - 1.0) * step / steps, after = 1.0 + (total - 1.0) * (step + 1) / steps;
            return before > 0 ? after / before : 0.0;
        };
        one.incidence_step = ratio(incidence);
        one.contacts_step = ratio(contacts);
        expanded.push_back(one);
    }
    return expanded;
}

class OptionBuilder {
public:
    OptionBuilder(const ReadContext& context, YAML::Node tree) : context_(context), tree_(std::move(tree)) {}

    const YAML::Node& tree() const { return tree_; }

    // `first_time`: the change is applied on its own date (checked strictly); later dates apply it again
    // on top of the baseline in force then, where a site may already have become a spoke or closed.
    void apply(const Change& change, bool first_time) {
        if (change.kind == "close_site" || change.kind == "hub_to_spoke") {
            // `close_site: NAME` (staff move to the locality's other sites), or
            // `close_site: {site: NAME, staff: moved | cut, cut_fte: {role: FTE, ...}}`.
            std::string name, staff = "moved";
            if (change.body.IsMap()) {
                require_keys(change, {"site"}, {"staff", "cut_fte"});
                name = text(change.body["site"], change);
                if (change.body["staff"]) staff = text(change.body["staff"], change);
                if (staff != "moved" && staff != "cut")
                    fail(change, "staff: expected 'moved' or 'cut', got '" + staff + "'");
                if ((staff == "cut") != static_cast<bool>(change.body["cut_fte"]))
                    fail(change, staff == "cut" ? "staff: cut needs cut_fte: {role: FTE, ...}"
                                                : "cut_fte is given only with staff: cut");
            } else {
                name = text(change.body, change);
            }
            YAML::Node site = find_site(name, change);
            const std::string type = site["type"].as<std::string>();
            if (first_time && change.kind == "hub_to_spoke" && type != "hub")
                fail(change, "'" + name + "' is a " + type + ", not a hub");
            site["type"] = change.kind == "close_site" ? "closed" : "spoke";
            if (staff == "cut") cut_staff(site["locality"].as<std::string>(), change.body["cut_fte"], change);
        } else if (change.kind == "open_site") {
            require_keys(change, {"name", "locality", "type"}, {"catchment_share"});
            const std::string name = text(change.body["name"], change);
            for (const auto& site : tree_["sites"])
                if (site["name"].as<std::string>() == name) fail(change, "site '" + name + "' already exists");
            const std::string locality = text(change.body["locality"], change);
            check_locality(locality, change);
            YAML::Node site;
            site["name"] = name;
            site["locality"] = locality;
            site["type"] = change.body["type"];
            double given = 0;
            for (const auto& other : tree_["sites"])
                if (other["locality"].as<std::string>() == locality) given += other["catchment_share"].as<double>();
            if (given > 0 && !change.body["catchment_share"])
                fail(change, "locality '" + locality +
                                 "' gives its sites catchment shares: give the new site's catchment_share too");
            if (change.body["catchment_share"]) {
                // The new site takes this share of the locality's families; the others keep their
                // proportions of the rest (an equal split, if the locality gave no shares).
                const double share = number(change.body["catchment_share"], change);
                if (!(share >= 0 && share <= 1)) fail(change, "catchment_share must be in [0, 1]");
                std::vector<YAML::Node> others;
                double total = 0;
                for (YAML::Node other : tree_["sites"])
                    if (other["locality"].as<std::string>() == locality) {
                        others.push_back(other);
                        total += other["catchment_share"].as<double>();
                    }
                for (YAML::Node other : others)
                    other["catchment_share"] =
                        (1.0 - share) * (total > 0 ? other["catchment_share"].as<double>() / total
                                                   : 1.0 / static_cast<double>(others.size()));
                site["catchment_share"] = others.empty() ? 1.0 : share;
            }
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
                if (change.body["caseload_per_fte"])
                    team["caseload_per_fte"] = number(change.body["caseload_per_fte"], change);
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
            // One step of a demand change (a ramp is expanded into monthly steps when it is read).
            YAML::Node need = tree_["need"];
            for (const char* key : {"incidence_level_2_per_family_per_year", "incidence_level_3_per_family_per_year"})
                need[key] = need[key].as<double>() * change.incidence_step;
            need["universal_contacts_per_family_per_year"] =
                need["universal_contacts_per_family_per_year"].as<double>() * change.contacts_step;
        } else if (change.kind == "response_targets") {
            // `response_targets: {red: 2, amber: 7, green: 10}`: days from request to allocation, any of the three.
            require_keys(change, {}, {"red", "amber", "green"});
            for (const char* priority : {"red", "amber", "green"})
                if (change.body[priority])
                    tree_["front_door"][std::string("response_target_days_") + priority] =
                        number(change.body[priority], change);
        } else if (change.kind == "triage") {
            // `triage: {level: 3, no_further_action: 0.1, single_agency: 0.2, early_help: 0.6, social_care: 0.1}`:
            // the triage outcomes of families whose true need is at that level (they must sum to 1).
            require_keys(change, {"level"}, {"no_further_action", "single_agency", "early_help", "social_care"});
            const double level = number(change.body["level"], change);
            if (level != 2 && level != 3 && level != 4) fail(change, "level must be 2, 3 or 4");
            YAML::Node outcomes;
            for (const char* outcome : {"no_further_action", "single_agency", "early_help", "social_care"})
                outcomes[outcome] = change.body[outcome] ? number(change.body[outcome], change) : 0.0;
            tree_["front_door"]["triage_level_" + std::to_string(static_cast<int>(level))] = outcomes;
        } else if (change.kind == "set") {
            require_keys(change, {"path", "value"}, {});
            const std::string path = text(change.body["path"], change);
            const std::string top = path.substr(0, path.find_first_of(".["));
            if (top == "time" || top == "name" || top == "council")
                fail(change, "'" + path + "' cannot change in an option (an option runs over its baseline's years)");
            YAML::Node target = at_path(path, change);
            target = YAML::Clone(change.body["value"]);
        }
    }

private:
    [[noreturn]] void fail(const Change& change, const std::string& problem) const {
        context_.fail(change.mark, change.path, problem);
    }

    // Where a value of a change was written: its key's path and its own position, if it is found
    // within the change (or one section down, as in cut_fte).
    std::pair<YAML::Mark, std::string> where(const YAML::Node& node, const Change& change) const {
        if (node && change.body.IsMap())
            for (const auto& entry : change.body) {
                const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "?";
                if (entry.second.is(node)) return {node.Mark(), change.path + "." + key};
                if (entry.second.IsMap())
                    for (const auto& inner : entry.second)
                        if (inner.second.is(node))
                            return {node.Mark(), change.path + "." + key + "." +
                                                     (inner.first.IsScalar() ? inner.first.Scalar() : "?")};
            }
        return {node ? node.Mark() : change.mark, change.path};
    }

    std::string text(const YAML::Node& node, const Change& change) const {
        const auto [mark, path] = where(node, change);
        if (!node || !node.IsScalar()) context_.fail(mark, path, "expected a name");
        return node.Scalar();
    }

    double number(const YAML::Node& node, const Change& change) const {
        const auto [mark, path] = where(node, change);
        if (!node || !node.IsScalar()) context_.fail(mark, path, "expected a number");
        char* end = nullptr;
        const double value = std::strtod(node.Scalar().c_str(), &end);
        if (node.Scalar().empty() || end != node.Scalar().c_str() + node.Scalar().size() || !std::isfinite(value))
            context_.fail(mark, path, "expected a number, got '" + node.Scalar() + "'");
        return value;
    }

    void require_keys(const Change& change, const std::vector<std::string>& required,
                      const std::vector<std::string>& optional) const {
        if (!change.body.IsMap()) fail(change, "expected a section of 'key: value' lines");
        std::vector<std::string> known = required;
        known.insert(known.end(), optional.begin(), optional.end());
        for (const auto& entry : change.body) {
            const std::string key = key_text(entry.first, context_, change.path);
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

    // Staff cut with a closing site: each role's FTE comes off the locality's team of that role.
    void cut_staff(const std::string& locality, const YAML::Node& cuts, const Change& change) {
        if (!cuts.IsMap()) fail(change, "cut_fte: expected {role: FTE, ...}");
        for (const auto& entry : cuts) {
            const std::string role = key_text(entry.first, context_, change.path + ".cut_fte");
            if (std::find(kRoles.begin(), kRoles.end(), role) == kRoles.end())
                fail(change, "cut_fte: role '" + role + "' is not one of the roles" + suggestion_text(role, kRoles));
            const double cut = number(entry.second, change);
            if (cut < 0) fail(change, "cut_fte: " + role + " must be >= 0");
            bool found = false;
            for (YAML::Node team : tree_["teams"])
                if (team["locality"].as<std::string>() == locality && team["role"].as<std::string>() == role) {
                    found = true;
                    const double left = team["fte"].as<double>() - cut;
                    if (left < -1e-9)
                        fail(change, "cut_fte: cuts " + format_number(cut) + " FTE of " + role + " but locality '" +
                                         locality + "' has " + format_number(team["fte"].as<double>()));
                    team["fte"] = std::max(0.0, left);
                }
            if (!found) fail(change, "cut_fte: locality '" + locality + "' has no " + role + " team");
        }
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
        try {
            YAML::Node node = node_at_path(tree_, path);
            if (!node.IsScalar() && !node.IsMap())
                fail(change, "set changes one value or section; '" + path + "' is a list");
            return node;
        } catch (const std::invalid_argument& error) {
            fail(change, error.what());
        }
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

LoadedOption load_option_text(const std::string& text, const std::string& file, const model::Scenario* drawn_baseline) {
    ReadContext context(file);
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
    LoadedOption option;
    const YAML::Node extends = root["extends"];
    if (!extends.IsScalar()) context.fail(extends.Mark(), "extends", "expected the baseline's file name");
    const std::filesystem::path folder = std::filesystem::path(file).parent_path();
    option.baseline_file = (folder / extends.Scalar()).lexically_normal().string();
    if (!std::filesystem::exists(option.baseline_file))
        context.fail(extends.Mark(), "extends",
                     "baseline '" + extends.Scalar() + "' cannot be found (looked for " + option.baseline_file + ")");
    if (root["description"]) option.description = read_text(root["description"], context, "description");
    const model::Scenario baseline = drawn_baseline ? *drawn_baseline : load_scenario_file(option.baseline_file);

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
            const std::string key = key_text(entry.first, context, item_path);
            if (key == "date") {
                if (!change.date.empty())
                    context.fail(entry.first.Mark(), item_path + ".date", "a change has one date");
                change.date = read_text(entry.second, context, item_path + ".date");
                const auto date = model::parse_iso_date(change.date);
                if (!date)
                    context.fail(entry.second.Mark(), item_path + ".date",
                                 "'" + change.date + "' is not a date (YYYY-MM-DD)");
                change.date_days = model::days_from_civil(*date);
                // Unit costs are applied month by month: a change mid-month would price the whole month.
                if (date->day != 1)
                    context.fail(entry.second.Mark(), item_path + ".date",
                                 change.date + ": changes take effect on the first day of a month");
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
        // A change with no date takes effect on the first reported day: the warm-up is the past.
        const model::Date first = change.date.empty() ? start : *model::parse_iso_date(change.date);
        change.date = model::to_iso(first);
        change.date_days = model::days_from_civil(first);
        if (change.kind == "demand") {
            for (const Change& step : demand_steps(change, first, end, context)) changes.push_back(step);
        } else {
            changes.push_back(change);
        }
    }
    YAML::Node tree = YAML::Load(resolved_yaml(baseline));
    for (std::size_t dated = 0; dated < baseline.changes.size(); ++dated) {
        const model::DatedChange& own = baseline.changes[dated];
        Change change;
        change.from_baseline = true;
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
    // By date; within a date the baseline's own changes first (the baseline in force), then the option's in
    // the order written. (Indices are sorted, not the changes: assigning a YAML::Node that already refers
    // to a node rewrites that node.)
    std::vector<std::size_t> sequence(changes.size());
    for (std::size_t i = 0; i < sequence.size(); ++i) sequence[i] = i;
    std::stable_sort(sequence.begin(), sequence.end(), [&](std::size_t a, std::size_t b) {
        if (changes[a].date_days != changes[b].date_days) return changes[a].date_days < changes[b].date_days;
        return changes[a].from_baseline && !changes[b].from_baseline;
    });

    // The option starts as the baseline (without its own dated changes, which join the option's). Each
    // date with changes becomes a parameter set: the baseline with its own changes up to that date, and
    // then every change of the option up to that date, so that an option's change stays relative to the
    // baseline in force ("add 1 FTE" is still one more after the baseline's own change of that team).
    const model::Calendar calendar(
        model::add_months(start, -static_cast<int>(std::lround(baseline.time.warm_up_years * 12.0))), 1);
    option.scenario = scenario_of(tree, nullptr, context);
    for (std::size_t next = 0; next < sequence.size();) {
        const std::int64_t date = changes[sequence[next]].date_days;
        std::size_t through = next;
        while (through < sequence.size() && changes[sequence[through]].date_days == date) ++through;
        OptionBuilder builder(context, YAML::Clone(tree));
        std::string described;
        auto parameters = std::make_shared<model::Scenario>();
        // Earlier changes apply again (the baseline's first, then the option's, each in order); this date's
        // are checked one by one, so that an error names the change that caused it.
        for (const bool baseline_pass : {true, false})
            for (std::size_t k = 0; k < through; ++k) {
                const Change& change = changes[sequence[k]];
                if (change.from_baseline != baseline_pass) continue;
                const bool today = change.date_days == date;
                builder.apply(change, today);
                if (today) {
                    *parameters = scenario_of(builder.tree(), &change, context);
                    if (!change.from_baseline) described += (described.empty() ? "" : ", ") + change.kind;
                }
            }
        *parameters = scenario_of(builder.tree(), &changes[sequence[through - 1]], context);
        if (described.empty()) described = "the baseline's own change";
        const std::string iso = changes[sequence[next]].date;
        const double day = calendar.day_of(*model::parse_iso_date(iso));
        option.scenario.parameter_changes.push_back(model::ParameterChange{iso, day, described, parameters});
        next = through;
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
