#include "sim/scenario/option_changes.hpp"

#include <algorithm>
#include <cmath>

namespace ehsim::scenario {

// A key as written; a key that is not plain text (a list, a section) is refused with its place.
std::string key_text(const YAML::Node& key, const ReadContext& context, const std::string& path) {
    if (!key.IsScalar()) context.fail(key.Mark(), path, "a key must be a plain name");
    return key.Scalar();
}

std::string suggestion_text(const std::string& word, const std::vector<std::string>& known) {
    const std::string suggestion = closest_match(word, known);
    return suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)";
}

namespace {

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

// `demand: {incidence_factor, contacts_factor, over_months}`: a step, or a linear ramp of monthly steps
// whose product is the factor. Steps that would fall after the horizon are dropped.
std::vector<OptionChange> demand_steps(const OptionChange& change, const model::Date& first, const model::Date& end,
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
    std::vector<OptionChange> expanded;
    for (int step = 0; step < steps; ++step) {
        const model::Date date = model::add_months(first, step);
        if (model::days_from_civil(date) >= model::days_from_civil(end)) break;
        OptionChange one = change;
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

// A change's date: a date, the first of a month, within the horizon.
void check_date(const std::string& text, const YAML::Mark& mark, const std::string& path,
                const model::Scenario& baseline, const model::Date& end, ReadContext& context) {
    const auto date = model::parse_iso_date(text);
    if (!date) context.fail(mark, path, "'" + text + "' is not a date (YYYY-MM-DD)");
    const std::int64_t days = model::days_from_civil(*date);
    // Unit costs are applied month by month: a change mid-month would price the whole month.
    if (date->day != 1) context.fail(mark, path, text + ": changes take effect on the first day of a month");
    if (days < model::days_from_civil(*model::parse_iso_date(baseline.time.start_date)) ||
        days >= model::days_from_civil(end))
        context.fail(mark, path,
                     text + " is outside the horizon " + baseline.time.start_date + " to " + model::to_iso(end) +
                         " (exclusive)");
}

// One item of the list: its change and the date it takes effect.
OptionChange read_change(const YAML::Node& item, const std::string& item_path, const model::Scenario& baseline,
                         const model::Date& end, ReadContext& context) {
    OptionChange change;
    change.mark = item.Mark();
    if (!item.IsMap()) context.fail(item.Mark(), item_path, "expected a change such as 'close_site: NAME'");
    for (const auto& entry : item) {
        const std::string key = key_text(entry.first, context, item_path);
        if (key == "date") {
            if (!change.date.empty()) context.fail(entry.first.Mark(), item_path + ".date", "a change has one date");
            change.date = read_text(entry.second, context, item_path + ".date");
            check_date(change.date, entry.second.Mark(), item_path + ".date", baseline, end, context);
        } else if (std::find(kChangeKinds.begin(), kChangeKinds.end(), key) != kChangeKinds.end()) {
            if (!change.kind.empty()) context.fail(entry.first.Mark(), item_path + "." + key, "one change per item");
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
    const model::Date first =
        change.date.empty() ? *model::parse_iso_date(baseline.time.start_date) : *model::parse_iso_date(change.date);
    change.date = model::to_iso(first);
    change.date_days = model::days_from_civil(first);
    return change;
}

}  // namespace

std::vector<OptionChange> read_option_changes(const YAML::Node& list, const model::Scenario& baseline,
                                              ReadContext& context) {
    const auto start = *model::parse_iso_date(baseline.time.start_date);
    const model::Date end = model::add_months(start, static_cast<int>(std::lround(baseline.time.horizon_years * 12.0)));
    std::vector<OptionChange> changes;
    std::size_t index = 0;
    for (const auto& item : list) {
        const OptionChange change =
            read_change(item, "changes[" + std::to_string(index++) + "]", baseline, end, context);
        if (change.kind == "demand") {
            const model::Date first = *model::parse_iso_date(change.date);
            for (const OptionChange& step : demand_steps(change, first, end, context)) changes.push_back(step);
        } else {
            changes.push_back(change);
        }
    }
    return changes;
}

std::vector<OptionChange> baseline_changes(const model::Scenario& baseline) {
    std::vector<OptionChange> changes;
    for (std::size_t dated = 0; dated < baseline.changes.size(); ++dated) {
        const model::DatedChange& own = baseline.changes[dated];
        OptionChange change;
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
    return changes;
}

}  // namespace ehsim::scenario
