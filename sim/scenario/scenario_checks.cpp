#include "sim/scenario/scenario_checks.hpp"

#include <cmath>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sim/model/calendar.hpp"
#include "sim/scenario/scenario_schema.hpp"

namespace ehsim::scenario {

using namespace ehsim::model;

namespace {

std::string did_you_mean(const std::string& word, const std::set<std::string>& known) {
    const std::string suggestion = closest_match(word, std::vector<std::string>(known.begin(), known.end()));
    return suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)";
}

// The checks in the order a file's reader has always made them, so that the first failure is the same.
class AcrossKeys {
public:
    AcrossKeys(Scenario& scenario, ReadContext& context) : scenario_(scenario), context_(context) {}

    void check() {
        check_localities();
        check_sites();
        check_teams();
        check_lead_professional_teams();
        check_time();
        for (std::size_t i = 0; i < scenario_.changes.size(); ++i) check_change(i);
        double children = 0.0;
        for (const Locality& locality : scenario_.localities) children += locality.children.total();
        if (!(children > 0.0)) context_.fail("localities", "the localities hold no children");
    }

private:
    void check_localities() {
        for (std::size_t i = 0; i < scenario_.localities.size(); ++i)
            if (!localities_.insert(scenario_.localities[i].name).second)
                context_.fail("localities[" + std::to_string(i) + "].name",
                              "locality '" + scenario_.localities[i].name + "' is declared twice");
    }

    void check_locality(const std::string& name, const std::string& path) {
        if (!localities_.count(name))
            context_.fail(path,
                          "locality '" + name + "' is not declared under localities" + did_you_mean(name, localities_));
    }

    void check_sites() {
        std::map<std::string, double> catchment_total;
        std::map<std::string, std::size_t> last_site_of;
        for (std::size_t i = 0; i < scenario_.sites.size(); ++i) {
            const Site& site = scenario_.sites[i];
            const std::string path = "sites[" + std::to_string(i) + "]";
            check_locality(site.locality, path + ".locality");
            if (!sites_.insert(site.name).second)
                context_.fail(path + ".name", "site '" + site.name + "' is declared twice");
            catchment_total[site.locality] += site.catchment_share;
            last_site_of[site.locality] = i;
        }
        for (const auto& [locality, total] : catchment_total)
            if (total != 0.0 && std::abs(total - 1.0) > 1e-6)
                context_.fail("sites[" + std::to_string(last_site_of[locality]) + "].catchment_share",
                              "the catchment shares of locality '" + locality + "' sum to " + format_number(total) +
                                  ", not 1 (or give none: 0 for every site splits the locality equally)");
    }

    void check_teams() {
        for (std::size_t i = 0; i < scenario_.teams.size(); ++i) {
            const Team& team = scenario_.teams[i];
            const std::string path = "teams[" + std::to_string(i) + "]";
            check_locality(team.locality, path + ".locality");
            if (!teams_.insert({team.locality, team.role}).second)
                context_.fail(path + ".role", "a second team of this role in locality '" + team.locality +
                                                  "': give one team its combined FTE");
        }
    }

    // Every lead professional has a caseload place and a price: an agency given a share must have a team in
    // every locality (with FTE 0 if it leads no cases there yet).
    void check_lead_professional_teams() {
        const auto& shares = scenario_.early_help.lead_professional_shares;
        for (std::size_t agency = 0; agency < shares.size(); ++agency) {
            if (!(shares[agency] > 0.0)) continue;
            const Role role = kLeadRoles[agency];
            for (const Locality& locality : scenario_.localities)
                if (!teams_.count({locality.name, role}))
                    context_.fail(std::string("early_help.lead_professional_shares.") + kLeadAgencyNames[agency],
                                  "gives " + std::string(kLeadAgencyNames[agency]) + " lead professionals a share of " +
                                      format_number(shares[agency]) + ", but locality '" + locality.name + "' has no " +
                                      kRoleNames[static_cast<int>(role)] +
                                      " team: give it one (teams: locality, role, fte, caseload_per_fte) or set the "
                                      "share to 0");
        }
    }

    void check_time() {
        TimeParameters& time = scenario_.time;
        const auto start = parse_iso_date(time.start_date);
        if (!start) context_.fail("time.start_date", "'" + time.start_date + "' is not a date (YYYY-MM-DD)");
        time.start_year = start->year;
        time.start_month = start->month;
        time.start_day = start->day;
        start_ = *start;
        const int warm_up_months = static_cast<int>(std::lround(time.warm_up_years * 12.0));
        const int horizon_months = static_cast<int>(std::lround(time.horizon_years * 12.0));
        calendar_ = Calendar(add_months(start_, -warm_up_months), warm_up_months + horizon_months);
        end_ = add_months(start_, horizon_months);
    }

    void check_change(std::size_t i) {
        DatedChange& change = scenario_.changes[i];
        const std::string path = "changes[" + std::to_string(i) + "]";
        const auto date = parse_iso_date(change.date);
        if (!date) context_.fail(path + ".date", "'" + change.date + "' is not a date (YYYY-MM-DD)");
        if (days_from_civil(*date) < days_from_civil(start_) || days_from_civil(*date) >= days_from_civil(end_))
            context_.fail(path + ".date", change.date + " is outside the horizon " + scenario_.time.start_date +
                                              " to " + to_iso(end_) + " (exclusive)");
        change.day = calendar_.day_of(*date);
        if (change.site.empty() == change.team_locality.empty())
            context_.fail(path, "a change names either a site or a team_locality (and team_role), not both or neither");
        if (!change.site.empty() && !sites_.count(change.site))
            context_.fail(path + ".site",
                          "site '" + change.site + "' is not declared under sites" + did_you_mean(change.site, sites_));
        if (!change.team_locality.empty()) {
            check_locality(change.team_locality, path + ".team_locality");
            if (!teams_.count({change.team_locality, change.team_role}))
                context_.fail(path + ".team_role", "no such team in locality '" + change.team_locality + "'");
        }
    }

    Scenario& scenario_;
    ReadContext& context_;
    std::set<std::string> localities_, sites_;
    std::set<std::pair<std::string, Role>> teams_;
    Date start_{}, end_{};
    Calendar calendar_;
};

}  // namespace

void check_across_keys(Scenario& scenario, ReadContext& context) { AcrossKeys(scenario, context).check(); }

void check_scenario(Scenario& scenario, ReadContext& context) {
    scenario_schema().check(scenario, context, "");
    check_across_keys(scenario, context);
}

}  // namespace ehsim::scenario
