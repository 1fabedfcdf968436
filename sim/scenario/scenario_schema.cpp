#include "sim/scenario/scenario_schema.hpp"

#include <algorithm>
#include <sstream>

#include "sim/scenario/schema_sections.hpp"

namespace ehsim::scenario {

using namespace ehsim::model;

const std::vector<std::pair<std::string, Role>>& role_words() {
    static const std::vector<std::pair<std::string, Role>> words = [] {
        std::vector<std::pair<std::string, Role>> named;
        for (int role = 0; role < kRoles; ++role) named.emplace_back(kRoleNames[role], static_cast<Role>(role));
        return named;
    }();
    return words;
}

std::vector<std::string> role_names() { return {kRoleNames.begin(), kRoleNames.end()}; }

namespace {

std::vector<std::pair<std::string, SiteType>> site_words() {
    std::vector<std::pair<std::string, SiteType>> words;
    for (const SiteType type : {SiteType::hub, SiteType::spoke, SiteType::closed})
        words.emplace_back(to_string(type), type);
    return words;
}

Section<AgeBands> ages_table() {
    Section<AgeBands> ages("Children resident, by age band (ONS mid-year estimates).");
    ages.number("age_0_to_4", &AgeBands::age_0_to_4, "children", "children aged 0-4", between(0, 5e7), std::nullopt,
                "ONS mid-year estimate")
        .number("age_5_to_10", &AgeBands::age_5_to_10, "children", "children aged 5-10", between(0, 5e7), std::nullopt,
                "ONS mid-year estimate")
        .number("age_11_to_15", &AgeBands::age_11_to_15, "children", "children aged 11-15", between(0, 5e7),
                std::nullopt, "ONS mid-year estimate")
        .number("age_16_to_19", &AgeBands::age_16_to_19, "children", "young people aged 16-19", between(0, 5e7),
                std::nullopt, "ONS mid-year estimate");
    return ages;
}

Section<Locality> locality_table() {
    Section<Locality> locality("A locality (area aligned to school clusters) with its population.");
    locality.text("name", &Locality::name, "the locality's name, used by sites and teams", std::nullopt)
        .section("children", &Locality::children, ages_table(), true)
        .number("children_per_family", &Locality::children_per_family, "children", "mean children per family",
                at_least(1), 1.78, "Walsall review: 892 children / 502 families")
        .number("deprivation_index", &Locality::deprivation_index, "ratio",
                "multiplies the incidence of new need (1 = borough average)", at_least(0), 1.0)
        .flag("health_visitors_co_located", &Locality::health_visitors_co_located,
              "health visitors co-located with the locality's 0-19 team", false);
    return locality;
}

Section<Site> site_table() {
    Section<Site> site("A building families can reach: a hub (children's centre, family hub) or a spoke.");
    site.text("name", &Site::name, "the site's name", std::nullopt)
        .text("locality", &Site::locality, "the locality it serves (must be declared)", std::nullopt)
        .choice("type", &Site::type, site_words(), "hub, spoke (outreach) or closed", std::optional(SiteType::hub))
        .number("catchment_share", &Site::catchment_share, "share",
                "share of the locality's families for whom it is the nearest site; 0 for every site of a "
                "locality: an equal split. Families of a closed site are served from another hub in their "
                "locality (engagement_hub_elsewhere), else a spoke there, else no site",
                between(0, 1), 0.0)
        .section("running_cost_per_year", &Site::running_cost_per_year, cost_table(), true);
    return site;
}

Section<Team> team_table() {
    Section<Team> team("A team holding caseloads in one locality.");
    team.text("locality", &Team::locality, "the locality it works in (must be declared)", std::nullopt)
        .choice("role", &Team::role, role_words(), "the staff role", std::optional<Role>())
        .number("fte", &Team::fte, "FTE", "full-time equivalent staff", between(0, 1e6), std::nullopt)
        .number("caseload_per_fte", &Team::caseload_per_fte, "families", "open families per full-time worker",
                between(0, 1e4), std::nullopt);
    return team;
}

Section<NeedParameters> need_table() {
    Section<NeedParameters> need("How need arises, escalates and resolves before services know of it.");
    need.number("incidence_level_2_per_family_per_year", &NeedParameters::incidence_level_2_per_family_per_year,
                "per family per year", "new additional (level 2) need per family", between(0, 10), std::nullopt)
        .number("incidence_level_3_per_family_per_year", &NeedParameters::incidence_level_3_per_family_per_year,
                "per family per year", "new targeted (level 3) need per family", between(0, 10), std::nullopt)
        .number("incidence_level_4_per_family_per_year", &NeedParameters::incidence_level_4_per_family_per_year,
                "per family per year",
                "new need arising at the statutory level (level 4) per family: an incident rather than escalation",
                between(0, 10), 0.0)
        .number("escalation_2_to_3_per_year", &NeedParameters::escalation_2_to_3_per_year, "per year",
                "hazard that unmet level 2 need becomes level 3", at_least(0), 0.5)
        .number("escalation_3_to_4_per_year", &NeedParameters::escalation_3_to_4_per_year, "per year",
                "hazard that unmet level 3 need becomes statutory (level 4)", at_least(0), 0.2)
        .number("resolution_level_2_per_year", &NeedParameters::resolution_level_2_per_year, "per year",
                "hazard that unmet level 2 need resolves on its own", at_least(0), 1.0)
        .number("resolution_level_3_per_year", &NeedParameters::resolution_level_3_per_year, "per year",
                "hazard that unmet level 3 need resolves on its own", at_least(0), 0.3)
        .probability("toxic_trio_share", &NeedParameters::toxic_trio_share,
                     "share of families with need that have domestic abuse, adult mental health and substance "
                     "misuse together",
                     0.06,
                     "assumed: Walsall review, all three in 6% of the 791 children already in early help, read as the "
                     "share of new need")
        .number("toxic_trio_escalation_factor", &NeedParameters::toxic_trio_escalation_factor, "ratio",
                "multiplies escalation hazards for toxic-trio families", at_least(0), 2.0)
        .number("population_growth_per_year", &NeedParameters::population_growth_per_year, "per year",
                "relative growth of the child population and so of new need", between(-0.5, 0.5), 0.0)
        .number("incidence_trend_per_year", &NeedParameters::incidence_trend_per_year, "per year",
                "relative change a year in new need per family, compounding from the start date; the population "
                "(the rates' denominator) does not follow it",
                between(-0.5, 0.5), 0.0)
        .number("universal_contacts_per_family_per_year", &NeedParameters::universal_contacts_per_family_per_year,
                "per family per year",
                "contacts about families with no additional need (level 1), closed with no further action after "
                "screening",
                at_least(0), 0.0)
        .probability("universal_contacts_share_to_social_care",
                     &NeedParameters::universal_contacts_share_to_social_care,
                     "share of those contacts made to the social-care front door", 0.8);
    return need;
}

Section<Touchpoint> touchpoint_table() {
    Section<Touchpoint> touchpoint("A service that meets families and turns hidden need into contacts.");
    touchpoint.text("name", &Touchpoint::name, "e.g. school, health visiting, police, GP, self-referral", std::nullopt)
        .number(
            "contacts_per_family_per_year_level_2",
            [](Touchpoint& t) -> double& { return t.contacts_per_family_per_year[0]; }, "per family per year",
            "contact rate from a family with hidden level 2 need", at_least(0), std::nullopt)
        .number(
            "contacts_per_family_per_year_level_3",
            [](Touchpoint& t) -> double& { return t.contacts_per_family_per_year[1]; }, "per family per year",
            "contact rate from a family with hidden level 3 need", at_least(0), std::nullopt)
        .number(
            "contacts_per_family_per_year_level_4",
            [](Touchpoint& t) -> double& { return t.contacts_per_family_per_year[2]; }, "per family per year",
            "contact rate from a family with hidden level 4 need", at_least(0), std::nullopt)
        .choice("sees", &Touchpoint::focus,
                std::vector<std::pair<std::string, AgeFocus>>{{"all_families", AgeFocus::all_families},
                                                              {"under_fives", AgeFocus::under_fives},
                                                              {"school_age", AgeFocus::school_age}},
                "which families it meets", std::optional(AgeFocus::all_families))
        .probability("share_to_social_care", &Touchpoint::share_to_social_care,
                     "share of its contacts made to the social-care front door rather than the Early Help Hub", 0.5)
        .flag("is_self_referral", &Touchpoint::is_self_referral, "self-referral (raised by a hub in the locality)",
              false);
    return touchpoint;
}

Section<IdentificationParameters> identification_table() {
    Section<IdentificationParameters> identification("Touchpoints and what raises identification.");
    identification.list("touchpoints", &IdentificationParameters::touchpoints, touchpoint_table(), true, 1)
        .number("co_located_health_visitor_factor", &IdentificationParameters::co_located_health_visitor_factor,
                "ratio", "multiplies under-five touchpoints in localities with co-located health visitors", at_least(0),
                1.0)
        .number(
            "self_referral_factor_hub",
            [](IdentificationParameters& p) -> double& { return p.self_referral_factor_by_access[access_hub]; },
            "ratio", "multiplies self-referral where the family's own site is a hub", at_least(0), 1.0)
        .number(
            "self_referral_factor_hub_elsewhere",
            [](IdentificationParameters& p) -> double& {
                return p.self_referral_factor_by_access[access_hub_elsewhere];
            },
            "ratio", "multiplies self-referral where the family's own site is closed and another hub is in reach",
            at_least(0), 1.0)
        .number(
            "self_referral_factor_spoke",
            [](IdentificationParameters& p) -> double& { return p.self_referral_factor_by_access[access_spoke]; },
            "ratio", "multiplies self-referral where the nearest help is a spoke", at_least(0), 1.0)
        .number(
            "self_referral_factor_none",
            [](IdentificationParameters& p) -> double& { return p.self_referral_factor_by_access[access_none]; },
            "ratio", "multiplies self-referral where the locality has no open site", at_least(0), 1.0);
    return identification;
}

Section<FrontDoorDesk> desk_table() {
    Section<FrontDoorDesk> desk("A front door's screening capacity.");
    desk.number("screeners", &FrontDoorDesk::screeners, "staff", "staff screening contacts at once",
                Bounds{0, 1e6, true}, std::nullopt)
        .number("screening_days", &FrontDoorDesk::screening_days, "days", "mean working time to screen a contact",
                Bounds{0, 365, true}, std::nullopt);
    return desk;
}

Section<FrontDoorParameters> front_door_table() {
    Section<FrontDoorParameters> front_door("The MASH and the Early Help Hub: screening, triage and grading.");
    front_door.section("social_care_front_door", &FrontDoorParameters::social_care_front_door, desk_table(), true)
        .section("early_help_hub", &FrontDoorParameters::early_help_hub, desk_table(), true);
    for (int level = 0; level < 3; ++level) {
        front_door.shares(
            "triage_level_" + std::to_string(level + 2),
            [level](FrontDoorParameters & p) -> auto& { return p.outcome_by_level[static_cast<std::size_t>(level)]; },
            kTriageOutcomeNames,
            "triage outcomes for a family whose true need is level " + std::to_string(level + 2) +
                " (off-level shares are misclassification)");
    }
    for (int level = 0; level < 3; ++level) {
        front_door.probability(
            "contact_to_referral_level_" + std::to_string(level + 2),
            [level](FrontDoorParameters& p) -> double& {
                return p.contact_to_referral_by_level[static_cast<std::size_t>(level)];
            },
            "of contacts to the social-care front door about a family whose true need is level " +
                std::to_string(level + 2) +
                ", the share accepted as referrals; the rest get the triage row's other decisions in proportion",
            std::nullopt);
    }
    for (int level = 0; level < 3; ++level) {
        front_door.shares(
            "priority_level_" + std::to_string(level + 2),
            [level](FrontDoorParameters & p) -> auto& { return p.priority_by_level[static_cast<std::size_t>(level)]; },
            kPriorityNames,
            "red / amber / green grading of early-help requests at true level " + std::to_string(level + 2));
    }
    front_door
        .number(
            "response_target_days_red", [](FrontDoorParameters& p) -> double& { return p.response_target_days[red]; },
            "days", "red response target", above(0), 3.0, "Stockton: red within 3 days")
        .number(
            "response_target_days_amber",
            [](FrontDoorParameters& p) -> double& { return p.response_target_days[amber]; }, "days",
            "amber response target", above(0), 10.0, "Stockton: amber within 10 days")
        .number(
            "response_target_days_green",
            [](FrontDoorParameters& p) -> double& { return p.response_target_days[green]; }, "days",
            "green response target", above(0), 15.0, "Stockton: green within 15 days");
    return front_door;
}

// The length of an early-help plan: its distribution, and factors by lead agency and by level.
void add_case_lengths(Section<EarlyHelpParameters>& early_help) {
    early_help
        .choice("case_duration_distribution", &EarlyHelpParameters::case_duration_distribution,
                std::vector<std::pair<std::string, CaseDuration>>{{"lognormal", CaseDuration::lognormal},
                                                                  {"gamma", CaseDuration::gamma},
                                                                  {"exponential", CaseDuration::exponential}},
                "shape of case durations", std::optional(CaseDuration::lognormal))
        .number("case_duration_mean_days", &EarlyHelpParameters::case_duration_mean_days, "days",
                "mean length of a plan that runs its course", above(0), std::nullopt)
        .number("case_duration_sd_days", &EarlyHelpParameters::case_duration_sd_days, "days",
                "standard deviation of that length (unused when exponential)", above(0), 60.0);
    for (std::size_t agency = 0; agency < kLeadAgencyNames.size(); ++agency) {
        std::string agency_words = kLeadAgencyNames[agency];
        std::replace(agency_words.begin(), agency_words.end(), '_', ' ');
        early_help.number(
            std::string("case_duration_factor_") + kLeadAgencyNames[agency],
            [agency](EarlyHelpParameters& p) -> double& { return p.case_duration_factor_by_lead[agency]; }, "ratio",
            "multiplies the plan length of cases led by " + agency_words, above(0), 1.0);
    }
    early_help
        .number("case_duration_factor_youth_worker", &EarlyHelpParameters::case_duration_factor_youth_worker, "ratio",
                "multiplies the plan length of cases led by youth workers", above(0), 1.0)
        .number("case_duration_factor_level_2", &EarlyHelpParameters::case_duration_factor_level_2, "ratio",
                "multiplies the plan length of families whose true need is level 2", above(0), 1.0)
        .number("case_duration_factor_level_4", &EarlyHelpParameters::case_duration_factor_level_4, "ratio",
                "multiplies the plan length of families whose true need is level 4", above(0), 1.0);
}

Section<EarlyHelpParameters> early_help_table() {
    Section<EarlyHelpParameters> early_help("Allocation of lead professionals and the life of a case.");
    early_help
        .shares("lead_professional_shares", &EarlyHelpParameters::lead_professional_shares, kLeadAgencyNames,
                "agency of the lead professional")
        .number("allocation_target_days", &EarlyHelpParameters::allocation_target_days, "days",
                "target from request to allocated lead professional", above(0), 5.0, "Walsall: LP within 5 days")
        .number("patience_days", &EarlyHelpParameters::patience_days, "days",
                "mean time a waiting family stays engaged (times engagement)", above(0), 60.0)
        .number(
            "engagement_hub", [](EarlyHelpParameters& p) -> double& { return p.engagement_by_access[access_hub]; },
            "ratio", "engagement of families whose own site is a hub", above(0), 1.0)
        .number(
            "engagement_hub_elsewhere",
            [](EarlyHelpParameters& p) -> double& { return p.engagement_by_access[access_hub_elsewhere]; }, "ratio",
            "engagement of families whose own site is closed, served from another hub in the locality", above(0), 0.95)
        .number(
            "engagement_spoke", [](EarlyHelpParameters& p) -> double& { return p.engagement_by_access[access_spoke]; },
            "ratio", "engagement where the nearest help is a spoke (outreach)", above(0), 0.9)
        .number(
            "engagement_none", [](EarlyHelpParameters& p) -> double& { return p.engagement_by_access[access_none]; },
            "ratio", "engagement where the locality has no open site", above(0), 0.8);
    add_case_lengths(early_help);
    early_help
        .number("review_interval_days", &EarlyHelpParameters::review_interval_days, "days", "time between plan reviews",
                above(0), 42.0)
        .probability("needs_met_probability", &EarlyHelpParameters::needs_met_probability,
                     "of plans that run their course, the share closing with needs met", std::nullopt)
        .number("disengagement_per_year", &EarlyHelpParameters::disengagement_per_year, "per year",
                "hazard of disengaging during a case (divided by engagement)", at_least(0), std::nullopt)
        .number("step_up_per_year", &EarlyHelpParameters::step_up_per_year, "per year",
                "hazard of escalation to social care during a case", at_least(0), std::nullopt)
        .number("moved_away_per_year", &EarlyHelpParameters::moved_away_per_year, "per year",
                "hazard of moving away during a case", at_least(0), 0.05)
        .number("single_agency_duration_days", &EarlyHelpParameters::single_agency_duration_days, "days",
                "mean length of single-agency (level 2) help", above(0), 60.0)
        .probability("single_agency_resolution_probability", &EarlyHelpParameters::single_agency_resolution_probability,
                     "share of single-agency help that resolves the need", 0.7)
        .number("toxic_trio_step_up_factor", &EarlyHelpParameters::toxic_trio_step_up_factor, "ratio",
                "multiplies the step-up hazard for toxic-trio families", at_least(0), 1.5)
        .probability("youth_worker_share_of_teenager_cases", &EarlyHelpParameters::youth_worker_share_of_teenager_cases,
                     "of family-support-led cases of families with 11-19s, the share youth workers lead", 0.0)
        .number("escalation_while_waiting_factor", &EarlyHelpParameters::escalation_while_waiting_factor, "ratio",
                "multiplies hidden need's escalation hazards while a family waits for a lead professional (1: need "
                "escalates as if unknown to services; at level 4 the family is referred to social care)",
                at_least(0), 1.0)
        .number("step_down_to_level_2_per_year", &EarlyHelpParameters::step_down_to_level_2_per_year, "per year",
                "hazard that level 3 need falls to level 2 during a case (closed as stepped down; one agency's "
                "help takes over)",
                at_least(0), 0.0);
    return early_help;
}

Section<ReturnParameters> returns_table() {
    Section<ReturnParameters> returns("Need returning after an early-help case closes.");
    returns
        .probability("after_needs_met", &ReturnParameters::after_needs_met,
                     "probability that need returns after closure with needs met", std::nullopt)
        .probability("after_disengaged", &ReturnParameters::after_disengaged,
                     "probability after closure for disengagement", std::nullopt)
        .probability("after_needs_not_met", &ReturnParameters::after_needs_not_met,
                     "probability after a plan ended without needs met", std::nullopt)
        .number("mean_delay_days", &ReturnParameters::mean_delay_days, "days",
                "mean time from closure to the return of need", above(0), std::nullopt)
        .choice("returning_level", &ReturnParameters::returning_level,
                std::vector<std::pair<std::string, NeedLevel>>{{"level_2", NeedLevel::additional},
                                                               {"level_3", NeedLevel::targeted}},
                "need level on return", std::optional(NeedLevel::targeted));
    return returns;
}

Section<DatedChange> change_table() {
    Section<DatedChange> change("A change on a date within the horizon: a site's type or a team's FTE.");
    change.text("date", &DatedChange::date, "ISO date (YYYY-MM-DD) it takes effect", std::nullopt)
        .text("site", &DatedChange::site, "a declared site whose type changes", std::string())
        .choice("becomes", &DatedChange::site_becomes, site_words(), "the site's new type",
                std::optional(SiteType::closed))
        .text("team_locality", &DatedChange::team_locality, "locality of a team whose FTE changes", std::string())
        .choice("team_role", &DatedChange::team_role, role_words(), "role of that team",
                std::optional(Role::family_support))
        .number("team_fte", &DatedChange::team_fte, "FTE", "the team's new FTE", at_least(0), 0.0);
    return change;
}

Section<TimeParameters> time_table() {
    Section<TimeParameters> time("The reported period and the warm-up before it.");
    time.text("start_date", &TimeParameters::start_date, "first reported day (ISO date)", std::nullopt)
        .number("warm_up_years", &TimeParameters::warm_up_years, "years",
                "simulated before the start date and not reported, so the system starts full", between(0, 50), 2.0)
        .number("horizon_years", &TimeParameters::horizon_years, "years", "reported years after the start date",
                between(1.0 / 12.0, 100), 5.0);
    return time;
}

Section<Scenario> scenario_table() {
    Section<Scenario> top("A scenario: one council's Early Help system.");
    top.text("name", &Scenario::name, "short name of the scenario", std::nullopt)
        .text("council", &Scenario::council, "the council it describes", std::string())
        .number("children_aged_0_to_17", &Scenario::children_aged_0_to_17, "children",
                "children aged 0-17 in the council on the start date: DfE's denominator for rates per 10,000 (ONS "
                "mid-year estimate of the year before the year to 31 March); 0: the localities' 0-15 bands and half "
                "of their 16-19 band",
                between(0, 5e7), 0.0, "ONS mid-year estimate")
        .section("time", &Scenario::time, time_table(), true)
        .list("localities", &Scenario::localities, locality_table(), true, 1)
        .list("sites", &Scenario::sites, site_table(), false)
        .list("teams", &Scenario::teams, team_table(), true, 1)
        .section("need", &Scenario::need, need_table(), true)
        .section("identification", &Scenario::identification, identification_table(), true)
        .section("front_door", &Scenario::front_door, front_door_table(), true)
        .section("early_help", &Scenario::early_help, early_help_table(), true)
        .section("returns", &Scenario::returns, returns_table(), true)
        .section("social_care", &Scenario::social_care, social_care_table(), true)
        .section("costs", &Scenario::costs, costs_table(), true)
        .list("changes", &Scenario::changes, change_table(), false);
    return top;
}

}  // namespace

const Section<Scenario>& scenario_schema() {
    static const Section<Scenario> schema = scenario_table();
    return schema;
}

Scenario default_scenario() {
    Scenario scenario;
    scenario_schema().fill_defaults(scenario);
    return scenario;
}

Site default_site() {
    static const Section<Site> sites = site_table();
    Site site;
    sites.fill_defaults(site);
    return site;
}

std::string reference_markdown() {
    std::ostringstream stream;
    stream << "# Scenario reference\n\n"
              "Generated by `ehsim validate --reference` from the table the loader itself uses "
              "(`sim/scenario/scenario_schema.cpp`); a test fails if this file and the table differ.\n"
              "Every key is listed with its type, unit, meaning, bounds, default (**required** when there is none) "
              "and the source of the default. Unknown keys are errors. Times are in days unless a key says years.\n";
    scenario_schema().document(stream, "");
    return stream.str();
}

}  // namespace ehsim::scenario
