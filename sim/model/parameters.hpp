// The Early Help model's parameters: typed, in the domain's own words, with their units in the names
// or comments. The scenario loader (sim/scenario/) fills and validates them; the model only reads them.
// Their defaults live only in the scenario table (sim/scenario/scenario_schema.cpp, default_scenario()):
// here every value starts at zero.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ehsim::model {

// The four levels of need (Worcestershire's Levels of Need; Sandwell's "windscreen").
enum class NeedLevel : std::uint8_t { universal = 1, additional = 2, targeted = 3, statutory = 4 };

// Red / amber / green grading of early-help work at the hub (Stockton).
enum Priority : std::uint8_t { red = 0, amber = 1, green = 2 };
inline constexpr int kPriorities = 3;

// Staff roles that hold caseloads.
enum class Role : std::uint8_t {
    family_support,
    health_visitor,
    youth_worker,
    social_worker,
    voluntary_sector,
    school_staff
};
inline constexpr int kRoles = 6;
// The one spelling of each role's name, in the order of Role: scenario and option files, outputs.
inline constexpr std::array<const char*, kRoles> kRoleNames{"family_support", "health_visitor",   "youth_worker",
                                                            "social_worker",  "voluntary_sector", "school_staff"};

// The agency a lead professional comes from (Walsall's shares: health 2%, VCS aim 10%).
enum LeadAgency : std::uint8_t { lead_family_support = 0, lead_school = 1, lead_health = 2, lead_voluntary = 3 };
inline constexpr int kLeadAgencies = 4;
// The team each agency's lead professionals come from: every lead professional has a caseload place and
// a price, so a scenario that gives an agency a share must give it a team in every locality.
inline constexpr std::array<Role, kLeadAgencies> kLeadRoles{Role::family_support, Role::school_staff,
                                                            Role::health_visitor, Role::voluntary_sector};

enum class SiteType : std::uint8_t { hub, spoke, closed };

// The shape of early-help case durations: log-normal (the default: right-skewed, as case lengths are),
// gamma, or exponential (memoryless, for checks against queueing theory).
enum class CaseDuration : std::uint8_t { lognormal, gamma, exponential };

// What a family can reach: a hub at its own site (the nearest); another hub in its locality, a
// journey further, because its own site is closed; only a spoke (outreach); or no site at all.
enum Access : std::uint8_t { access_hub = 0, access_hub_elsewhere = 1, access_spoke = 2, access_none = 3 };
inline constexpr int kAccessKinds = 4;

// Which families a touchpoint sees.
enum class AgeFocus : std::uint8_t { all_families, under_fives, school_age };

// Triage outcomes at either front door.
enum TriageOutcome : std::uint8_t {
    no_further_action = 0,        // or signposting: the need is left as it was
    single_agency = 1,            // level 2 help from one agency
    multi_agency_early_help = 2,  // level 3: assessment, lead professional, plan
    social_care = 3,              // level 4 referral
};
inline constexpr int kTriageOutcomes = 4;

// What a child in need is on, once assessed (level 4): a child in need plan (or a section 47 enquiry
// that may lead to one), a child protection plan, or looked after.
enum CareType : std::uint8_t { child_in_need = 0, child_protection = 1, looked_after = 2 };
inline constexpr int kCareTypes = 3;

// What a completed social-work assessment concludes.
enum AssessmentOutcome : std::uint8_t {
    assessed_not_in_need = 0,
    assessed_child_in_need = 1,
    assessed_section_47 = 2,  // a section 47 enquiry, then an initial child protection conference
    assessed_looked_after = 3,
};
inline constexpr int kAssessmentOutcomes = 4;

// What follows the end of a child protection plan.
enum AfterProtectionPlan : std::uint8_t { plan_closed = 0, plan_to_child_in_need = 1, plan_to_looked_after = 2 };
inline constexpr int kAfterProtectionPlan = 3;

// Why an early-help case closed (Walsall's closure reasons, and step-down to level 2 help).
enum ClosureReason : std::uint8_t {
    needs_met = 0,
    disengaged = 1,
    stepped_up = 2,
    moved_away = 3,
    needs_not_met = 4,
    stepped_down = 5,  // need fell to level 2: one agency's help takes over
};
inline constexpr int kClosureReasons = 6;

struct Cost {
    double pounds{};
    std::string source;
};

struct AgeBands {
    double age_0_to_4{};
    double age_5_to_10{};
    double age_11_to_15{};
    double age_16_to_19{};
    double total() const { return age_0_to_4 + age_5_to_10 + age_11_to_15 + age_16_to_19; }
};

struct Locality {
    std::string name;
    AgeBands children;                  // children resident, by age band
    double children_per_family{};       // mean children per family with children
    double deprivation_index{};         // multiplies the incidence of need (1 = borough average)
    bool health_visitors_co_located{};  // with the locality's 0-19 team (Walsall's proposal)
};

struct Site {
    std::string name;
    std::string locality;
    SiteType type{};
    // Share of the locality's families for whom this is the nearest site (its catchment). Zero for every
    // site of a locality: the locality's families are split equally between its sites.
    double catchment_share{};
    Cost running_cost_per_year;  // building, utilities and site staff while open (not closed)
};

struct Team {
    std::string locality;
    Role role{};
    double fte{};               // full-time equivalents
    double caseload_per_fte{};  // open families per full-time worker
};

struct Touchpoint {
    std::string name;
    // Contacts per family per year from hidden need, by the family's need level 2, 3, 4.
    std::array<double, 3> contacts_per_family_per_year{};
    AgeFocus focus{};
    double share_to_social_care{};  // of its contacts, the share made to the social-care front door
    bool is_self_referral{};        // raised by a hub in the locality
};

struct NeedParameters {
    // New need per universal family per year, arising at level 2, 3 and 4 (scaled by deprivation).
    double incidence_level_2_per_family_per_year{};
    double incidence_level_3_per_family_per_year{};
    // New need arising at the statutory level (an incident: violence, injury, a parent's crisis).
    double incidence_level_4_per_family_per_year{};
    double escalation_2_to_3_per_year{};  // hazard while unmet
    double escalation_3_to_4_per_year{};
    double resolution_level_2_per_year{};  // need resolving on its own while unmet
    double resolution_level_3_per_year{};
    double toxic_trio_share{};              // share of families with need that have the toxic trio
    double toxic_trio_escalation_factor{};  // multiplies escalation hazards for those families
    double population_growth_per_year{};    // relative growth of families
    // Relative change per year in the incidence of new need per family, compounding from the start date: need
    // rising (or falling) with the population unchanged, so rates per 10,000 children move.
    double incidence_trend_per_year{};
    // Contacts about families with no additional need (level 1): screened at a front door, then closed
    // with no further action. They load the front doors and count as contacts (Sandwell: "a culture of
    // contacting the Trust for any concern").
    double universal_contacts_per_family_per_year{};
    double universal_contacts_share_to_social_care{};
};

struct IdentificationParameters {
    std::vector<Touchpoint> touchpoints;
    double co_located_health_visitor_factor{};  // multiplies under-five touchpoints where co-located
    std::array<double, kAccessKinds> self_referral_factor_by_access{};  // as Access
};

struct FrontDoorDesk {
    double screeners{};       // staff screening contacts at once
    double screening_days{};  // mean working time per contact
};

struct FrontDoorParameters {
    FrontDoorDesk social_care_front_door;  // the MASH
    FrontDoorDesk early_help_hub;
    // Triage outcome probabilities by true need level 2, 3, 4: {no further action, single agency,
    // multi-agency early help, social care}. Each row sums to one; off-diagonal mass is misclassification.
    std::array<std::array<double, kTriageOutcomes>, 3> outcome_by_level{};
    // Of contacts to the social-care front door about a family whose true need is level 2, 3, 4, the share
    // accepted as referrals (DfE: a referral); the others are decided by the triage rows without social care.
    std::array<double, 3> contact_to_referral_by_level{};
    // Red / amber / green shares of early-help requests, by true need level 2, 3, 4.
    std::array<std::array<double, kPriorities>, 3> priority_by_level{};
    std::array<double, kPriorities> response_target_days{};  // by priority: red, amber, green
};

struct EarlyHelpParameters {
    std::array<double, kLeadAgencies> lead_professional_shares{};  // family support, school, health, voluntary
    double allocation_target_days{};                               // from request to an allocated lead professional
    double patience_days{};  // mean time a waiting family stays engaged before disengaging
    std::array<double, kAccessKinds> engagement_by_access{};  // as Access
    CaseDuration case_duration_distribution{};
    double case_duration_mean_days{};
    double case_duration_sd_days{};
    // Case length by service and level: multiplies the plan duration (1 = as above). Cases led by each
    // agency, and cases of families whose true need is level 2 or 4 (triaged into early help).
    std::array<double, kLeadAgencies> case_duration_factor_by_lead{};
    double case_duration_factor_youth_worker{};
    double case_duration_factor_level_2{};
    double case_duration_factor_level_4{};
    double review_interval_days{};
    double needs_met_probability{};   // at the plan's end, of engaged families
    double disengagement_per_year{};  // hazard during a case, divided by engagement
    double step_up_per_year{};        // hazard of escalation to level 4 during a case
    double moved_away_per_year{};
    double single_agency_duration_days{};
    double single_agency_resolution_probability{};
    double toxic_trio_step_up_factor{};
    double youth_worker_share_of_teenager_cases{};  // family-support-led cases of families with 11-19s
    // Need keeps moving while a family waits for a lead professional: hidden need's escalation hazards times
    // this factor (1: as if unknown to services).
    double escalation_while_waiting_factor{};
    double step_down_to_level_2_per_year{};  // hazard that level 3 need falls to level 2 during a case
};

struct ReturnParameters {
    // Probability that need returns after a closure, by reason: needs met, disengaged, needs not met
    // (stepped-up and moved-away families do not return to early help this way).
    double after_needs_met{};
    double after_disengaged{};
    double after_needs_not_met{};
    double mean_delay_days{};  // closure to the return of need
    NeedLevel returning_level{};
};

struct SocialCareParameters {
    // A referral is a contact accepted by children's social care. Some close with no further action before any
    // assessment; the rest open an episode of need and wait for a social worker's caseload place.
    double referral_no_further_action{};
    double assessment_days{};            // mean time a social worker takes to complete an assessment
    double assessment_timescale_days{};  // from referral: 45 working days (Working Together), in calendar days
    // Outcome of a completed assessment of a family whose true need is level 4 (families below level 4 are
    // assessed as not in need).
    std::array<double, kAssessmentOutcomes> assessment_outcomes{};
    double not_in_need_step_down{};        // of families assessed not in need, the share offered early help
    double section_47_days{};              // mean time from a section 47 enquiry to the initial conference
    double conference_plan_probability{};  // initial conferences that make a protection plan
    // Plan lengths by type (child in need plan, child protection plan, looked after), log-normal.
    std::array<double, kCareTypes> duration_mean_days{};
    std::array<double, kCareTypes> duration_sd_days{};
    double child_in_need_to_section_47_per_year{};  // hazard during a child in need plan
    std::array<double, kAfterProtectionPlan> after_protection_plan{};
    double step_down_probability{};  // at the end of an episode of need, to early help
    double return_probability{};     // need returns after a social-care closure without step-down
    double return_delay_days{};
    double return_at_level_4_share{};  // of those returns, at level 4 (the rest at returns.returning_level)
    // After no further action, or an assessment finding no need and no offer of early help: the share of families
    // referred again (exponential delay with this mean).
    double referred_again_probability{};
    double referred_again_delay_days{};
    // DfE counts a plan as a second or later one if the child ever had a plan, at any time and in any authority;
    // the model knows only the plans of the families it holds. Of the plans it sees as a child's first, this share
    // had an earlier plan it never saw. Changes that count only, never the flows.
    double earlier_plan_unseen_share{};
    // DfE counts the cases held by case-holding social workers at 30 September, which are not the children the
    // model holds on caseload places: others hold some children in need (agency, disabled children's and
    // non-case-holding staff), and a census date differs. Scales only what the model reports, never the flows.
    double cases_counted_per_child_held{};
};

struct CostParameters {
    std::array<Cost, kRoles>
        per_fte_year_by_role;  // staff in post: pay and on-costs, whether caseloads are full or not
    Cost per_assessment;
    std::array<Cost, kRoles> per_case_week_by_role;
    std::array<Cost, kCareTypes> per_episode_week;  // child in need, child protection, looked after
};

// A dated change within the horizon as a scenario file writes it: a site's type, or a team's FTE. The model
// runs it as the one kind of change below (dated_changes_as_parameters, early_help_model.hpp).
struct DatedChange {
    std::string date;  // ISO date
    double day = 0;    // days from the start of the warm-up (filled by the loader)
    std::string site;  // non-empty: the site changes type
    SiteType site_becomes = SiteType::closed;
    std::string team_locality;  // non-empty: the team's FTE changes
    Role team_role = Role::family_support;
    double team_fte = 0;
};

struct Scenario;

// From `day` on, the model runs on a different parameter set: the one kind of change the model knows, how
// commissioning options and a scenario's own dated changes take effect. The new set has the same localities;
// teams and sites may differ.
struct ParameterChange {
    std::string date;  // ISO date
    double day = 0;    // days from the start of the warm-up
    std::string description;
    std::shared_ptr<const Scenario> parameters;
};

struct TimeParameters {
    std::string start_date;                        // first reported day
    int start_year{}, start_month{}, start_day{};  // of start_date (filled by the loader)
    double warm_up_years{};
    double horizon_years{};
};

struct Scenario {
    std::string name;
    std::string council;
    TimeParameters time;
    // Children aged 0-17 in the council on the start date: DfE's denominator for rates per 10,000 (ONS mid-year
    // estimate of the year before the year to 31 March). Zero: worked out from the localities' age bands.
    double children_aged_0_to_17{};
    std::vector<Locality> localities;
    std::vector<Site> sites;
    std::vector<Team> teams;
    NeedParameters need;
    IdentificationParameters identification;
    FrontDoorParameters front_door;
    EarlyHelpParameters early_help;
    ReturnParameters returns;
    SocialCareParameters social_care;
    CostParameters costs;
    std::vector<DatedChange> changes;
    std::vector<ParameterChange> parameter_changes;  // in date order; set by option files, not by YAML keys
};

const char* to_string(Role role);
const char* to_string(SiteType type);

}  // namespace ehsim::model
