#include "sim/scenario/option_builder.hpp"

#include <algorithm>
#include <cmath>

#include "sim/scenario/scenario_checks.hpp"
#include "sim/scenario/scenario_paths.hpp"
#include "sim/scenario/scenario_schema.hpp"

namespace ehsim::scenario {

namespace {

bool is_role(const std::string& name) {
    const std::vector<std::string> names = role_names();
    return std::find(names.begin(), names.end(), name) != names.end();
}

model::Role role_named(const std::string& name) {
    for (const auto& [word, role] : role_words())
        if (word == name) return role;
    return model::Role::family_support;
}

}  // namespace

void OptionBuilder::apply(const OptionChange& change, bool first_time) {
    const std::string& kind = change.kind;
    if (kind == "close_site" || kind == "hub_to_spoke") {
        close_site(change, first_time);
    } else if (kind == "open_site") {
        open_site(change);
    } else if (kind == "team_fte") {
        team_fte(change);
    } else if (kind == "caseload") {
        require_keys(change, {"locality", "role", "caseload_per_fte"}, {});
        for (const std::size_t team : teams(change, false))
            scenario_.teams[team].caseload_per_fte = number(change.body["caseload_per_fte"], change);
    } else if (kind == "co_locate_health_visitors") {
        co_locate_health_visitors(change);
    } else if (kind == "lead_professional_shares") {
        set_value("early_help.lead_professional_shares", change.body, change);
    } else if (kind == "demand") {
        demand(change);
    } else if (kind == "response_targets") {
        response_targets(change);
    } else if (kind == "triage") {
        triage(change);
    } else if (kind == "set") {
        set(change);
    }
}

model::Scenario OptionBuilder::checked(const OptionChange& change) const {
    model::Scenario scenario = scenario_;
    ReadContext context(context_.file() + " (resolved)");
    try {
        check_scenario(scenario, context);
    } catch (const ScenarioError& error) {
        fail(change, "makes the scenario invalid: " + error.detail());
    }
    return scenario;
}

// `close_site: NAME` (staff move to the locality's other sites), or
// `close_site: {site: NAME, staff: moved | cut, cut_fte: {role: FTE, ...}}`; `hub_to_spoke` likewise.
void OptionBuilder::close_site(const OptionChange& change, bool first_time) {
    std::string name, staff = "moved";
    if (change.body.IsMap()) {
        require_keys(change, {"site"}, {"staff", "cut_fte"});
        name = text(change.body["site"], change);
        if (change.body["staff"]) staff = text(change.body["staff"], change);
        if (staff != "moved" && staff != "cut") fail(change, "staff: expected 'moved' or 'cut', got '" + staff + "'");
        if ((staff == "cut") != static_cast<bool>(change.body["cut_fte"]))
            fail(change, staff == "cut" ? "staff: cut needs cut_fte: {role: FTE, ...}"
                                        : "cut_fte is given only with staff: cut");
    } else {
        name = text(change.body, change);
    }
    model::Site& site = scenario_.sites[find_site(name, change)];
    if (first_time && change.kind == "hub_to_spoke" && site.type != model::SiteType::hub)
        fail(change, "'" + name + "' is a " + model::to_string(site.type) + ", not a hub");
    site.type = change.kind == "close_site" ? model::SiteType::closed : model::SiteType::spoke;
    if (staff == "cut") cut_staff(site.locality, change.body["cut_fte"], change);
}

void OptionBuilder::open_site(const OptionChange& change) {
    require_keys(change, {"name", "locality", "type"}, {"catchment_share"});
    const std::string name = text(change.body["name"], change);
    for (const model::Site& site : scenario_.sites)
        if (site.name == name) fail(change, "site '" + name + "' already exists");
    const std::string locality = text(change.body["locality"], change);
    check_locality(locality, change);
    model::Site site = default_site();
    site.name = name;
    site.locality = locality;
    std::vector<std::size_t> others;
    double given = 0;
    for (std::size_t i = 0; i < scenario_.sites.size(); ++i)
        if (scenario_.sites[i].locality == locality) {
            others.push_back(i);
            given += scenario_.sites[i].catchment_share;
        }
    if (given > 0 && !change.body["catchment_share"])
        fail(change,
             "locality '" + locality + "' gives its sites catchment shares: give the new site's catchment_share too");
    if (change.body["catchment_share"]) {
        // The new site takes this share of the locality's families; the others keep their proportions of
        // the rest (an equal split, if the locality gave no shares).
        const double share = number(change.body["catchment_share"], change);
        if (!(share >= 0 && share <= 1)) fail(change, "catchment_share must be in [0, 1]");
        for (const std::size_t other : others) {
            double& other_share = scenario_.sites[other].catchment_share;
            other_share = (1.0 - share) * (given > 0 ? other_share / given : 1.0 / static_cast<double>(others.size()));
        }
        site.catchment_share = others.empty() ? 1.0 : share;
    }
    scenario_.sites.push_back(site);
    // The type as the loader reads it: a word it does not know makes the scenario invalid.
    set_value("sites[" + std::to_string(scenario_.sites.size() - 1) + "].type", change.body["type"], change);
}

void OptionBuilder::team_fte(const OptionChange& change) {
    require_keys(change, {"locality", "role"}, {"add", "set", "scale", "caseload_per_fte"});
    const int given = (change.body["add"] ? 1 : 0) + (change.body["set"] ? 1 : 0) + (change.body["scale"] ? 1 : 0);
    if (given != 1) fail(change, "give exactly one of add, set or scale");
    for (const std::size_t index : teams(change, /*create_with_set=*/true)) {
        model::Team& team = scenario_.teams[index];
        double next = team.fte;
        if (change.body["add"]) next = team.fte + number(change.body["add"], change);
        if (change.body["set"]) next = number(change.body["set"], change);
        if (change.body["scale"]) next = team.fte * number(change.body["scale"], change);
        if (next < 0) fail(change, "leaves a team with negative FTE (" + format_number(next) + ")");
        team.fte = next;
        if (change.body["caseload_per_fte"]) team.caseload_per_fte = number(change.body["caseload_per_fte"], change);
    }
}

// Health visitors join each named locality's 0-19 team: `health_visitor_fte` FTE added to its health visitor
// team (which the baseline must have), at their pay, with identification and the health share as given.
void OptionBuilder::co_locate_health_visitors(const OptionChange& change) {
    require_keys(change, {"localities", "health_visitor_fte"}, {"identification_factor", "health_lead_share"});
    const double added = number(change.body["health_visitor_fte"], change);
    if (!(added >= 0)) fail(change, "health_visitor_fte must be >= 0");
    for (const std::size_t locality : localities(change.body["localities"], change)) {
        scenario_.localities[locality].health_visitors_co_located = true;
        const std::string& name = scenario_.localities[locality].name;
        auto team = std::find_if(scenario_.teams.begin(), scenario_.teams.end(), [&](const model::Team& candidate) {
            return candidate.locality == name && candidate.role == model::Role::health_visitor;
        });
        if (team == scenario_.teams.end())
            fail(change,
                 "locality '" + name + "' has no health_visitor team for the co-located health visitors to join");
        team->fte += added;
    }
    if (change.body["identification_factor"])
        scenario_.identification.co_located_health_visitor_factor =
            number(change.body["identification_factor"], change);
    if (change.body["health_lead_share"]) set_health_share(number(change.body["health_lead_share"], change), change);
}

// One step of a demand change (a ramp is expanded into monthly steps when it is read).
void OptionBuilder::demand(const OptionChange& change) {
    model::NeedParameters& need = scenario_.need;
    need.incidence_level_2_per_family_per_year *= change.incidence_step;
    need.incidence_level_3_per_family_per_year *= change.incidence_step;
    need.incidence_level_4_per_family_per_year *= change.incidence_step;
    need.universal_contacts_per_family_per_year *= change.contacts_step;
}

// `response_targets: {red: 2, amber: 7, green: 10}`: days from request to allocation, any of the three.
void OptionBuilder::response_targets(const OptionChange& change) {
    require_keys(change, {}, {kPriorityNames.begin(), kPriorityNames.end()});
    for (std::size_t priority = 0; priority < kPriorityNames.size(); ++priority)
        if (change.body[kPriorityNames[priority]])
            scenario_.front_door.response_target_days[priority] = number(change.body[kPriorityNames[priority]], change);
}

// `triage: {level: 3, no_further_action: 0.1, single_agency: 0.2, early_help: 0.6, social_care: 0.1}`: the
// triage outcomes of families whose true need is at that level (they must sum to 1).
void OptionBuilder::triage(const OptionChange& change) {
    require_keys(change, {"level"}, {kTriageOutcomeNames.begin(), kTriageOutcomeNames.end()});
    const double level = number(change.body["level"], change);
    if (level != 2 && level != 3 && level != 4) fail(change, "level must be 2, 3 or 4");
    auto& outcomes = scenario_.front_door.outcome_by_level[static_cast<std::size_t>(level) - 2];
    for (std::size_t outcome = 0; outcome < kTriageOutcomeNames.size(); ++outcome) {
        const YAML::Node given = change.body[kTriageOutcomeNames[outcome]];
        outcomes[outcome] = given ? number(given, change) : 0.0;
    }
}

// `set: {path: early_help.patience_days, value: 45}`: any value or section by its path in the resolved
// scenario.
void OptionBuilder::set(const OptionChange& change) {
    require_keys(change, {"path", "value"}, {});
    const std::string path = text(change.body["path"], change);
    const std::string top = path.substr(0, path.find_first_of(".["));
    if (top == "time" || top == "name" || top == "council")
        fail(change, "'" + path + "' cannot change in an option (an option runs over its baseline's years)");
    set_value(path, change.body["value"], change);
}

void OptionBuilder::fail(const OptionChange& change, const std::string& problem) const {
    context_.fail(change.mark, change.path, problem);
}

// A path with selectors ("teams[role=social_worker].caseload_per_fte") sets every place it matches.
void OptionBuilder::set_value(const std::string& path, const YAML::Node& value, const OptionChange& change) {
    std::vector<std::string> places;
    try {
        places = matching_paths(scenario_, path);
    } catch (const std::invalid_argument& error) {
        fail(change, error.what());
    }
    for (const std::string& place : places) {
        std::unique_ptr<SchemaValue> target;
        try {
            target = scenario_value(scenario_, place);
        } catch (const std::invalid_argument& error) {
            fail(change, error.what());
        }
        if (target->is_list()) fail(change, "set changes one value or section; '" + path + "' is a list");
        ReadContext context(context_.file());
        try {
            target->read(value, context, place);
        } catch (const ScenarioError& error) {
            fail(change, "makes the scenario invalid: " + error.detail());
        }
    }
}

// Where a value of a change was written: its key's path and its own position, if it is found within the
// change (or one section down, as in cut_fte).
std::pair<YAML::Mark, std::string> OptionBuilder::where(const YAML::Node& node, const OptionChange& change) const {
    if (node && change.body.IsMap())
        for (const auto& entry : change.body) {
            const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "?";
            if (entry.second.is(node)) return {node.Mark(), change.path + "." + key};
            if (entry.second.IsMap())
                for (const auto& inner : entry.second)
                    if (inner.second.is(node))
                        return {node.Mark(),
                                change.path + "." + key + "." + (inner.first.IsScalar() ? inner.first.Scalar() : "?")};
        }
    return {node ? node.Mark() : change.mark, change.path};
}

std::string OptionBuilder::text(const YAML::Node& node, const OptionChange& change) const {
    const auto [mark, path] = where(node, change);
    if (!node || !node.IsScalar()) context_.fail(mark, path, "expected a name");
    return node.Scalar();
}

double OptionBuilder::number(const YAML::Node& node, const OptionChange& change) const {
    const auto [mark, path] = where(node, change);
    if (!node || !node.IsScalar()) context_.fail(mark, path, "expected a number");
    char* end = nullptr;
    const double value = std::strtod(node.Scalar().c_str(), &end);
    if (node.Scalar().empty() || end != node.Scalar().c_str() + node.Scalar().size() || !std::isfinite(value))
        context_.fail(mark, path, "expected a number, got '" + node.Scalar() + "'");
    return value;
}

void OptionBuilder::require_keys(const OptionChange& change, const std::vector<std::string>& required,
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

std::size_t OptionBuilder::find_site(const std::string& name, const OptionChange& change) const {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < scenario_.sites.size(); ++i) {
        if (scenario_.sites[i].name == name) return i;
        names.push_back(scenario_.sites[i].name);
    }
    fail(change, "site '" + name + "' is not in the baseline" + suggestion_text(name, names));
}

std::vector<std::string> OptionBuilder::locality_names() const {
    std::vector<std::string> names;
    for (const model::Locality& locality : scenario_.localities) names.push_back(locality.name);
    return names;
}

void OptionBuilder::check_locality(const std::string& name, const OptionChange& change) const {
    const auto names = locality_names();
    if (std::find(names.begin(), names.end(), name) == names.end())
        fail(change, "locality '" + name + "' is not in the baseline" + suggestion_text(name, names));
}

// The localities named: "all", one name, or a list of names.
std::vector<std::size_t> OptionBuilder::localities(const YAML::Node& names, const OptionChange& change) const {
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
    std::vector<std::size_t> found;
    for (const std::string& name : wanted) {
        check_locality(name, change);
        for (std::size_t i = 0; i < scenario_.localities.size(); ++i)
            if (scenario_.localities[i].name == name) found.push_back(i);
    }
    return found;
}

// The teams of a role in the localities named; `set` may create a missing team (with a caseload).
std::vector<std::size_t> OptionBuilder::teams(const OptionChange& change, bool create_with_set) {
    const std::string role = text(change.body["role"], change);
    if (!is_role(role))
        fail(change, "role '" + role + "' is not one of the roles" + suggestion_text(role, role_names()));
    std::vector<std::size_t> found;
    for (const std::size_t locality : localities(change.body["locality"], change)) {
        const std::string name = scenario_.localities[locality].name;
        bool exists = false;
        for (std::size_t i = 0; i < scenario_.teams.size(); ++i)
            if (scenario_.teams[i].locality == name && model::to_string(scenario_.teams[i].role) == role) {
                found.push_back(i);
                exists = true;
            }
        if (exists) continue;
        if (!create_with_set || !change.body["set"] || !change.body["caseload_per_fte"])
            fail(change,
                 "locality '" + name + "' has no " + role + " team (to create one, use set with caseload_per_fte)");
        model::Team team{name, role_named(role), 0.0, number(change.body["caseload_per_fte"], change)};
        scenario_.teams.push_back(team);
        found.push_back(scenario_.teams.size() - 1);
    }
    return found;
}

// Staff cut with a closing site: each role's FTE comes off the locality's team of that role.
void OptionBuilder::cut_staff(const std::string& locality, const YAML::Node& cuts, const OptionChange& change) {
    if (!cuts.IsMap()) fail(change, "cut_fte: expected {role: FTE, ...}");
    for (const auto& entry : cuts) {
        const std::string role = key_text(entry.first, context_, change.path + ".cut_fte");
        if (!is_role(role))
            fail(change, "cut_fte: role '" + role + "' is not one of the roles" + suggestion_text(role, role_names()));
        const double cut = number(entry.second, change);
        if (cut < 0) fail(change, "cut_fte: " + role + " must be >= 0");
        bool found = false;
        for (model::Team& team : scenario_.teams)
            if (team.locality == locality && model::to_string(team.role) == role) {
                found = true;
                const double left = team.fte - cut;
                if (left < -1e-9)
                    fail(change, "cut_fte: cuts " + format_number(cut) + " FTE of " + role + " but locality '" +
                                     locality + "' has " + format_number(team.fte));
                team.fte = std::max(0.0, left);
            }
        if (!found) fail(change, "cut_fte: locality '" + locality + "' has no " + role + " team");
    }
}

// Health leads a share h of cases; the other agencies keep their proportions of the rest.
void OptionBuilder::set_health_share(double health, const OptionChange& change) {
    if (!(health >= 0 && health <= 1)) fail(change, "health_lead_share must be in [0, 1]");
    auto& shares = scenario_.early_help.lead_professional_shares;
    const double others = 1.0 - shares[model::lead_health];
    for (std::size_t agency = 0; agency < shares.size(); ++agency) {
        if (agency == model::lead_health) continue;
        shares[agency] = others > 0 ? shares[agency] / others * (1.0 - health) : (1.0 - health) / 3.0;
    }
    shares[model::lead_health] = health;
}

}  // namespace ehsim::scenario
