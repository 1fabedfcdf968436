// The indicators the model reports, defined once: their key, unit, meaning, and how a month's and a
// year's value are made from what the model counted. Output writers and the terminal table read this.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace ehsim::model {

// Everything counted per reported month. Flows are counted over the month; stocks are read at its end;
// areas are time integrals over the month (for costs and mean caseloads).
enum Tally : std::uint16_t {
    contacts_to_social_care,
    early_help_requests,
    triaged_no_further_action,
    triaged_single_agency,
    triaged_early_help,
    triaged_social_care,
    assessments,
    plans_started,
    allocations,
    allocated_within_target_days,           // lead professional within the target (5 days in Walsall)
    allocations_travelling_to_another_hub,  // families whose own site is closed, served from another hub
    allocations_spoke_or_no_site,           // families whose nearest help is a spoke, or no site at all
    allocations_red,
    allocations_amber,
    allocations_green,
    responded_within_target_red,
    responded_within_target_amber,
    responded_within_target_green,
    wait_days_red,  // summed over allocations in the month
    wait_days_amber,
    wait_days_green,
    wait_days_all,  // summed over every allocation in the month
    disengaged_while_waiting,
    closures_needs_met,
    closures_disengaged,
    closures_stepped_up,
    closures_moved_away,
    closures_needs_not_met,
    closures_stepped_down,
    closures_all,
    reviews,
    // Cohort tallies, by the month of closure: of the families whose case closed in the month, how
    // many were referred again (or re-assessed) within 12 months of that closure.
    rereferred_within_12_months,
    reassessed_within_12_months,
    step_downs,
    step_downs_returned_within_12_months,  // cohort, by month of step-down
    step_ups,
    // Children's social care, counted per child as DfE counts (a family's children are referred, assessed and
    // planned for together).
    social_care_referrals,  // children referred: every route below
    referrals_via_front_door,
    referrals_stepped_up_from_early_help,
    referrals_escalated_while_waiting,  // need reached level 4 while waiting for a lead professional
    referrals_after_giving_up_waiting,  // of those via a front door: families who gave up waiting earlier
    social_care_rereferrals,            // within 12 months of the child's previous referral
    referrals_closed_no_further_action,
    social_care_assessments_completed,
    social_care_assessments_within_timescale,  // completed within 45 working days of referral
    children_assessed_not_in_need,
    section_47_enquiries,
    initial_child_protection_conferences,
    children_in_need_started,  // episodes of need found at assessment (DfE: not closed with no further action, not
                               // assessed not in need)
    children_in_need_ended,
    protection_plans_started,
    second_protection_plans,  // starting plans of children who had one before
    protection_plans_ended,
    looked_after_started,
    looked_after_ended,
    single_agency_open,  // stock
    early_help_open,     // stock: families with an allocated lead professional
    waiting_red,         // stock
    waiting_amber,
    waiting_green,
    hidden_need_families,          // stock: need above level 1 not yet known to services
    children_in_need,              // stock, children in open episodes of need (with protection plans and looked after)
    children_awaiting_assessment,  // stock: in an episode, assessment not complete
    children_on_protection_plans,
    protection_open_up_to_3_months,  // stock: protection plans open at the period's end, by time on the plan
    protection_open_3_to_6_months,
    protection_open_6_to_12_months,
    protection_open_1_to_2_years,
    protection_open_2_years_or_more,
    children_looked_after,
    social_work_cases,             // stock: children in families holding a social worker's caseload place
    social_worker_fte,             // stock
    children_population,           // stock: children aged 0-17 (DfE's denominator)
    family_support_caseload_area,  // area: open family-support-led cases x days
    family_support_capacity_area,  // area: caseload slots x days
    family_support_fte_days,       // area: family support FTE x days
    cost_staff,                    // pounds: staff in post (FTE x time x pay)
    cost_assessments,              // pounds
    cost_early_help_cases,
    cost_social_care,
    cost_family_support_cases,
    cost_health_visitor_cases,
    cost_youth_worker_cases,
    cost_social_worker_cases,
    cost_voluntary_sector_cases,
    cost_school_staff_cases,
    cost_sites,  // pounds: running costs of open sites
    cost_child_in_need,
    cost_child_protection,
    cost_looked_after,
    waiting_for_social_worker_stock,  // stock
    families_in_system,               // stock: families held, summed over their states
    families_entered,  // flow: families the model starts to hold (new need, or a contact about a universal family)
    families_left,     // flow: families whose need resolved, who moved away or left services
    cost_all,          // pounds: staff + sites + assessments + early help cases + social care
    kTallies
};

enum class IndicatorKind : std::uint8_t {
    flow,   // month: the tally; year: the sum
    stock,  // month: the tally at month end; year: the value at the year's last month
    ratio,  // numerator / denominator x scale, over the month or the year (NaN when the denominator is 0)
};

// Where the scrutiny report (output/report_content.cpp, docs/report.md) shows an indicator, in the report's
// words. Each part orders its indicators for a reader, not as this table does: `rank` from 1, 0 where the
// indicator is not in that part. A month-by-month chart adds up the indicators of its rank, in table order
// (the first of them names it).
struct ReportUse {
    struct Summary {
        std::uint8_t rank = 0;
        std::string_view label = {};  // the year-end summary's column heading, and the start of its sentence
    } summary = {};
    struct Chart {
        std::uint8_t rank = 0;
        std::string_view id = {}, title = {};  // the chart's HTML id and heading
    } chart = {};
    struct Flow {
        std::uint8_t rank = 0;
        std::string_view stage = {}, category = {};  // of "where families go", counted per year
    } flow = {};
};
constexpr ReportUse summary_column(std::uint8_t rank, std::string_view label) { return {{rank, label}, {}, {}}; }
constexpr ReportUse month_by_month(std::uint8_t rank, std::string_view id = {}, std::string_view title = {}) {
    return {{}, {rank, id, title}, {}};
}
constexpr ReportUse flow_category(std::uint8_t rank, std::string_view stage, std::string_view category) {
    return {{}, {}, {rank, stage, category}};
}
// An indicator in several parts of the report: the parts each side gives.
constexpr ReportUse operator+(ReportUse one, const ReportUse& other) {
    if (other.summary.rank) one.summary = other.summary;
    if (other.chart.rank) one.chart = other.chart;
    if (other.flow.rank) one.flow = other.flow;
    return one;
}

struct IndicatorDefinition {
    std::string_view name;
    std::string_view unit;
    std::string_view description;
    IndicatorKind kind;
    Tally numerator;
    Tally denominator = kTallies;  // for ratios
    double scale = 1.0;
    ReportUse report = {};  // where the scrutiny report shows it; nowhere by default
};

// The reported indicators, in report order.
inline constexpr std::array kIndicators = {
    IndicatorDefinition{
        "contacts_to_social_care", "contacts", "contacts made to the social-care front door (MASH)",
        IndicatorKind::flow, contacts_to_social_care, kTallies, 1.0,
        summary_column(2, "Contacts to children's social care in the year") +
            month_by_month(2, "fan-contacts-to-social-care", "Contacts to children's social care, per month") +
            flow_category(1, "Contacts and requests", "contacts to social care (front door)")},
    IndicatorDefinition{"early_help_requests", "requests", "requests for early help made to the Early Help Hub",
                        IndicatorKind::flow, early_help_requests, kTallies, 1.0,
                        month_by_month(3, "fan-early-help-requests", "Requests for early help, per month") +
                            flow_category(2, "Contacts and requests", "requests for early help")},
    IndicatorDefinition{"social_care_referrals", "children",
                        "children referred to children's social care (DfE: referrals), every route",
                        IndicatorKind::flow, social_care_referrals, kTallies, 1.0,
                        flow_category(9, "Social care", "children referred")},
    IndicatorDefinition{"triage_no_further_action", "decisions",
                        "contacts and requests closed at the front door with no further action", IndicatorKind::flow,
                        triaged_no_further_action, kTallies, 1.0,
                        flow_category(3, "Front-door decisions", "no further action")},
    IndicatorDefinition{"triage_single_agency", "decisions",
                        "contacts and requests passed to one agency's own (level 2) help", IndicatorKind::flow,
                        triaged_single_agency, kTallies, 1.0,
                        flow_category(4, "Front-door decisions", "one agency's own help")},
    IndicatorDefinition{"triage_early_help", "decisions",
                        "contacts and requests passed on for targeted multi-agency early help", IndicatorKind::flow,
                        triaged_early_help, kTallies, 1.0,
                        flow_category(5, "Front-door decisions", "targeted early help")},
    IndicatorDefinition{"triage_social_care", "decisions", "contacts and requests passed to a social-care assessment",
                        IndicatorKind::flow, triaged_social_care, kTallies, 1.0,
                        flow_category(6, "Front-door decisions", "social-care assessment")},
    IndicatorDefinition{"assessments", "assessments", "early help assessments (EHA, one per family) started",
                        IndicatorKind::flow, assessments},
    IndicatorDefinition{"plans_started", "plans", "multi-agency early help plans started", IndicatorKind::flow,
                        plans_started, kTallies, 1.0, flow_category(7, "Early help", "given a lead professional")},
    IndicatorDefinition{"reviews", "reviews", "plan reviews held (counted when the case closes)", IndicatorKind::flow,
                        reviews},
    IndicatorDefinition{
        "open_early_help_cases", "families", "families with an allocated lead professional at the end of the period",
        IndicatorKind::stock, early_help_open, kTallies, 1.0,
        month_by_month(4, "fan-open-early-help-cases", "Open early help cases at the end of each month")},
    IndicatorDefinition{"open_single_agency_cases", "families",
                        "families receiving single-agency (level 2) help at the end of the period",
                        IndicatorKind::stock, single_agency_open},
    IndicatorDefinition{
        "waiting_red", "families", "red requests waiting for a lead professional at the period's end",
        IndicatorKind::stock, waiting_red, kTallies, 1.0,
        month_by_month(
            5, "fan-waiting-families",
            "Families waiting for a lead professional at the end of each month (red, amber and green together)")},
    IndicatorDefinition{"waiting_amber", "families", "amber requests waiting at the period's end", IndicatorKind::stock,
                        waiting_amber, kTallies, 1.0, month_by_month(5)},
    IndicatorDefinition{"waiting_green", "families", "green requests waiting at the period's end", IndicatorKind::stock,
                        waiting_green, kTallies, 1.0, month_by_month(5)},
    IndicatorDefinition{"mean_wait_days", "days",
                        "mean days from request to a lead professional, every priority, over allocations",
                        IndicatorKind::ratio, wait_days_all, allocations, 1.0,
                        summary_column(4, "Early help: mean wait for a lead professional (days)")},
    IndicatorDefinition{"mean_wait_days_red", "days", "mean days from request to allocation, red, over allocations",
                        IndicatorKind::ratio, wait_days_red, allocations_red, 1.0,
                        month_by_month(6, "fan-wait-days-red",
                                       "Mean wait from request to a lead professional: red (most urgent) priority")},
    IndicatorDefinition{
        "mean_wait_days_amber", "days", "mean days from request to allocation, amber", IndicatorKind::ratio,
        wait_days_amber, allocations_amber, 1.0,
        month_by_month(7, "fan-wait-days-amber", "Mean wait from request to a lead professional: amber priority")},
    IndicatorDefinition{"mean_wait_days_green", "days", "mean days from request to allocation, green",
                        IndicatorKind::ratio, wait_days_green, allocations_green, 1.0,
                        month_by_month(8, "fan-wait-days-green",
                                       "Mean wait from request to a lead professional: green (least urgent) priority")},
    IndicatorDefinition{"responded_within_target_red_pct", "%",
                        "red allocations within the red response target (Stockton: 3 days)", IndicatorKind::ratio,
                        responded_within_target_red, allocations_red, 100.0},
    IndicatorDefinition{"responded_within_target_amber_pct", "%", "amber allocations within target (10 days)",
                        IndicatorKind::ratio, responded_within_target_amber, allocations_amber, 100.0},
    IndicatorDefinition{"responded_within_target_green_pct", "%", "green allocations within target (15 days)",
                        IndicatorKind::ratio, responded_within_target_green, allocations_green, 100.0},
    IndicatorDefinition{"lead_professional_within_target_pct", "%",
                        "allocations with a lead professional within the allocation target (Walsall: 5 days)",
                        IndicatorKind::ratio, allocated_within_target_days, allocations, 100.0,
                        summary_column(3, "Early help: families given a lead professional within the target time")},
    IndicatorDefinition{"allocated_travelling_to_another_hub_pct", "%",
                        "allocations of families whose own site is closed and who are served from another hub in "
                        "their locality",
                        IndicatorKind::ratio, allocations_travelling_to_another_hub, allocations, 100.0},
    IndicatorDefinition{"allocated_spoke_or_no_site_pct", "%",
                        "allocations of families whose nearest help is a spoke (outreach) or no site",
                        IndicatorKind::ratio, allocations_spoke_or_no_site, allocations, 100.0},
    IndicatorDefinition{"disengaged_while_waiting", "families", "families who gave up waiting for allocation",
                        IndicatorKind::flow, disengaged_while_waiting, kTallies, 1.0,
                        flow_category(8, "Early help", "gave up waiting")},
    IndicatorDefinition{"family_support_caseload_per_fte", "families per FTE",
                        "mean open family-support-led cases per family support FTE", IndicatorKind::ratio,
                        family_support_caseload_area, family_support_fte_days},
    IndicatorDefinition{"family_support_utilisation_pct", "%", "family support caseload slots in use, time average",
                        IndicatorKind::ratio, family_support_caseload_area, family_support_capacity_area, 100.0},
    IndicatorDefinition{"closures", "cases", "early help cases closed, all reasons", IndicatorKind::flow, closures_all},
    IndicatorDefinition{"closures_stepped_down", "cases",
                        "cases closed because need fell to level 2 (one agency's help takes over)", IndicatorKind::flow,
                        closures_stepped_down},
    IndicatorDefinition{"closures_needs_met", "cases", "cases closed with needs met", IndicatorKind::flow,
                        closures_needs_met, kTallies, 1.0, flow_category(11, "Early help cases closed", "needs met")},
    IndicatorDefinition{"closures_disengaged", "cases", "cases closed because the family disengaged",
                        IndicatorKind::flow, closures_disengaged, kTallies, 1.0,
                        flow_category(13, "Early help cases closed", "disengaged")},
    IndicatorDefinition{"closures_stepped_up", "cases", "cases closed by step-up to social care", IndicatorKind::flow,
                        closures_stepped_up, kTallies, 1.0,
                        flow_category(14, "Early help cases closed", "stepped up to social care")},
    IndicatorDefinition{"closures_moved_away", "cases", "cases closed because the family moved away",
                        IndicatorKind::flow, closures_moved_away, kTallies, 1.0,
                        flow_category(15, "Early help cases closed", "moved away")},
    IndicatorDefinition{"closures_needs_not_met", "cases", "cases closed at the plan's end without needs met",
                        IndicatorKind::flow, closures_needs_not_met, kTallies, 1.0,
                        flow_category(12, "Early help cases closed", "needs not met")},
    IndicatorDefinition{"needs_met_pct", "%", "closures with needs met, over closures in the period",
                        IndicatorKind::ratio, closures_needs_met, closures_all, 100.0},
    IndicatorDefinition{"disengaged_pct", "%", "closures for disengagement, over closures in the period",
                        IndicatorKind::ratio, closures_disengaged, closures_all, 100.0},
    IndicatorDefinition{"rereferral_within_12_months_pct", "%",
                        "of cases closed in the period, those referred again within 12 months of closure (NaN "
                        "until 12 months have passed)",
                        IndicatorKind::ratio, rereferred_within_12_months, closures_all, 100.0},
    IndicatorDefinition{"reassessment_within_12_months_pct", "%",
                        "of cases closed in the period, those assessed again within 12 months of closure",
                        IndicatorKind::ratio, reassessed_within_12_months, closures_all, 100.0},
    IndicatorDefinition{"step_ups", "cases", "early help cases stepped up to social care", IndicatorKind::flow,
                        step_ups},
    IndicatorDefinition{"step_downs", "cases", "social-care cases stepped down to early help", IndicatorKind::flow,
                        step_downs, kTallies, 1.0, flow_category(10, "Social care", "stepped down to early help")},
    IndicatorDefinition{"step_down_return_within_12_months_pct", "%",
                        "of step-downs in the period, those back in social care within 12 months", IndicatorKind::ratio,
                        step_downs_returned_within_12_months, step_downs, 100.0},
    IndicatorDefinition{"referrals_via_front_door", "children",
                        "referrals from a front door's decision (MASH contacts accepted, hub referrals)",
                        IndicatorKind::flow, referrals_via_front_door},
    IndicatorDefinition{"referrals_stepped_up_from_early_help", "children",
                        "referrals of families stepped up from an open early-help case", IndicatorKind::flow,
                        referrals_stepped_up_from_early_help},
    IndicatorDefinition{"referrals_escalated_while_waiting", "children",
                        "referrals of families whose need reached level 4 while waiting for a lead professional",
                        IndicatorKind::flow, referrals_escalated_while_waiting},
    IndicatorDefinition{"referrals_after_giving_up_waiting", "children",
                        "of referrals via a front door, families who gave up waiting for a lead professional since "
                        "their last allocation or referral (need that escalated unmet, then found again)",
                        IndicatorKind::flow, referrals_after_giving_up_waiting},
    IndicatorDefinition{"social_care_rereferral_pct", "%",
                        "referrals within 12 months of the child's previous referral, over referrals (DfE)",
                        IndicatorKind::ratio, social_care_rereferrals, social_care_referrals, 100.0},
    IndicatorDefinition{"referrals_no_further_action", "children",
                        "referrals closed with no further action before an assessment (DfE)", IndicatorKind::flow,
                        referrals_closed_no_further_action},
    IndicatorDefinition{"social_care_assessments", "children", "social-work assessments completed", IndicatorKind::flow,
                        social_care_assessments_completed},
    IndicatorDefinition{"assessments_within_45_working_days_pct", "%",
                        "assessments completed within 45 working days of referral, over assessments completed",
                        IndicatorKind::ratio, social_care_assessments_within_timescale,
                        social_care_assessments_completed, 100.0},
    IndicatorDefinition{"assessed_not_in_need", "children",
                        "assessments concluding the child is not in need (DfE: not in need)", IndicatorKind::flow,
                        children_assessed_not_in_need},
    IndicatorDefinition{"section_47_enquiries", "children", "section 47 enquiries started", IndicatorKind::flow,
                        section_47_enquiries},
    IndicatorDefinition{"initial_child_protection_conferences", "children", "initial child protection conferences",
                        IndicatorKind::flow, initial_child_protection_conferences},
    IndicatorDefinition{"children_in_need_episodes_started", "children",
                        "episodes of need started (DfE): referrals whose assessment found the child in need",
                        IndicatorKind::flow, children_in_need_started},
    IndicatorDefinition{"children_in_need_episodes_ended", "children",
                        "episodes of need ended (DfE): children found in need whose episode closed",
                        IndicatorKind::flow, children_in_need_ended},
    IndicatorDefinition{"children_in_need", "children",
                        "children in need at the period's end, as DfE counts: every open episode, from referral to "
                        "closure (being assessed, child in need plans, protection plans, looked after)",
                        IndicatorKind::stock, children_in_need},
    IndicatorDefinition{"awaiting_assessment", "children",
                        "children in need whose assessment is not complete at the period's end", IndicatorKind::stock,
                        children_awaiting_assessment},
    IndicatorDefinition{"children_on_protection_plans", "children",
                        "children on child protection plans at the period's end", IndicatorKind::stock,
                        children_on_protection_plans},
    IndicatorDefinition{"protection_plans_started", "children", "child protection plans started (DfE)",
                        IndicatorKind::flow, protection_plans_started},
    IndicatorDefinition{"second_protection_plans_pct", "%",
                        "plans started that are a child's second or later plan, over plans started (DfE)",
                        IndicatorKind::ratio, second_protection_plans, protection_plans_started, 100.0},
    IndicatorDefinition{"protection_plans_ended", "children", "child protection plans ended", IndicatorKind::flow,
                        protection_plans_ended},
    IndicatorDefinition{"protection_plans_under_3_months_pct", "%",
                        "of plans open at the period's end, those open 3 months or less (DfE's length mix)",
                        IndicatorKind::ratio, protection_open_up_to_3_months, children_on_protection_plans, 100.0},
    IndicatorDefinition{"protection_plans_3_to_6_months_pct", "%", "of those, open more than 3 months to 6 months",
                        IndicatorKind::ratio, protection_open_3_to_6_months, children_on_protection_plans, 100.0},
    IndicatorDefinition{"protection_plans_6_to_12_months_pct", "%",
                        "of those, open more than 6 months and less than 1 year", IndicatorKind::ratio,
                        protection_open_6_to_12_months, children_on_protection_plans, 100.0},
    IndicatorDefinition{"protection_plans_1_to_2_years_pct", "%", "of those, open 1 year to less than 2 years",
                        IndicatorKind::ratio, protection_open_1_to_2_years, children_on_protection_plans, 100.0},
    IndicatorDefinition{"protection_plans_2_years_or_more_pct", "%", "of those, open 2 years or more",
                        IndicatorKind::ratio, protection_open_2_years_or_more, children_on_protection_plans, 100.0},
    IndicatorDefinition{"children_looked_after", "children", "children looked after at the period's end",
                        IndicatorKind::stock, children_looked_after},
    IndicatorDefinition{"looked_after_started", "children", "children starting to be looked after", IndicatorKind::flow,
                        looked_after_started},
    IndicatorDefinition{"looked_after_ended", "children", "children ceasing to be looked after", IndicatorKind::flow,
                        looked_after_ended},
    IndicatorDefinition{
        "children_in_need_per_10000", "per 10,000 children",
        "children in need per 10,000 children aged 0-17 (DfE's rate), at the period's end", IndicatorKind::ratio,
        children_in_need, children_population, 10000.0,
        summary_column(1, "Children in need per 10,000 children aged 0-17") +
            month_by_month(1, "fan-children-in-need", "Children in need per 10,000 children aged 0-17")},
    IndicatorDefinition{"child_protection_per_10000", "per 10,000 children",
                        "children on protection plans per 10,000 children aged 0-17", IndicatorKind::ratio,
                        children_on_protection_plans, children_population, 10000.0},
    IndicatorDefinition{"looked_after_per_10000", "per 10,000 children",
                        "children looked after per 10,000 children aged 0-17", IndicatorKind::ratio,
                        children_looked_after, children_population, 10000.0},
    IndicatorDefinition{"social_work_cases_per_fte", "children per FTE",
                        "children held on social workers' caseloads per social worker FTE at the period's end (DfE: "
                        "cases per case-holding FTE, an observed average)",
                        IndicatorKind::ratio, social_work_cases, social_worker_fte},
    IndicatorDefinition{"hidden_need_families", "families",
                        "families with need above level 1 not yet known to services, at the period's end",
                        IndicatorKind::stock, hidden_need_families},
    IndicatorDefinition{"cost_staff", "GBP", "staff in post: FTE x time x yearly pay and on-costs, by role",
                        IndicatorKind::flow, cost_staff},
    IndicatorDefinition{"cost_assessments", "GBP", "cost of early help assessments", IndicatorKind::flow,
                        cost_assessments},
    IndicatorDefinition{"cost_early_help_cases", "GBP", "cost of open early help cases (case-weeks by service)",
                        IndicatorKind::flow, cost_early_help_cases},
    IndicatorDefinition{"cost_social_care", "GBP", "cost of social-care episodes (episode-weeks by type)",
                        IndicatorKind::flow, cost_social_care},
    IndicatorDefinition{"cost_family_support_cases", "GBP", "case-weeks led by family support workers",
                        IndicatorKind::flow, cost_family_support_cases},
    IndicatorDefinition{"cost_health_visitor_cases", "GBP", "case-weeks led by a health visitor team",
                        IndicatorKind::flow, cost_health_visitor_cases},
    IndicatorDefinition{"cost_youth_worker_cases", "GBP", "case-weeks led by youth workers", IndicatorKind::flow,
                        cost_youth_worker_cases},
    IndicatorDefinition{"cost_voluntary_sector_cases", "GBP", "case-weeks led by the voluntary sector team",
                        IndicatorKind::flow, cost_voluntary_sector_cases},
    IndicatorDefinition{"cost_school_staff_cases", "GBP", "case-weeks led by school staff", IndicatorKind::flow,
                        cost_school_staff_cases},
    IndicatorDefinition{"cost_sites", "GBP", "running costs of open sites (hubs and spokes), by day open",
                        IndicatorKind::flow, cost_sites, kTallies, 1.0,
                        summary_column(6, "Running cost of sites in the year")},
    IndicatorDefinition{"cost_child_in_need", "GBP", "child-weeks on child in need plans", IndicatorKind::flow,
                        cost_child_in_need},
    IndicatorDefinition{"cost_child_protection", "GBP", "child-weeks on child protection plans", IndicatorKind::flow,
                        cost_child_protection},
    IndicatorDefinition{"cost_looked_after", "GBP", "child-weeks looked after", IndicatorKind::flow, cost_looked_after},
    IndicatorDefinition{"waiting_for_social_worker", "families",
                        "families assessed as needing social care and waiting for a social worker, at the period's end",
                        IndicatorKind::stock, waiting_for_social_worker_stock},
    IndicatorDefinition{"cost_total", "GBP", "staff + sites + assessments + early help cases + social care",
                        IndicatorKind::flow, cost_all, kTallies, 1.0, summary_column(5, "Total cost in the year")},
};

// Stocks and ratios of stocks use the value at the end of the period; everything else accumulates.
constexpr bool is_stock(Tally tally) {
    switch (tally) {
        case single_agency_open:
        case early_help_open:
        case waiting_red:
        case waiting_amber:
        case waiting_green:
        case hidden_need_families:
        case children_in_need:
        case children_awaiting_assessment:
        case children_on_protection_plans:
        case protection_open_up_to_3_months:
        case protection_open_3_to_6_months:
        case protection_open_6_to_12_months:
        case protection_open_1_to_2_years:
        case protection_open_2_years_or_more:
        case children_looked_after:
        case social_work_cases:
        case social_worker_fte:
        case children_population:
        case families_in_system:
            return true;
        default:
            return false;
    }
}

// Per-locality monthly series.
enum LocalityTally : std::uint8_t {
    locality_early_help_open,
    locality_waiting,
    locality_children_in_need,
    locality_contacts_to_social_care,
    locality_allocations,
    locality_allocations_travelling_to_another_hub,
    locality_disengaged,
    locality_wait_days,              // summed over the month's allocations
    locality_caseload_slots_in_use,  // stock at month end
    locality_caseload_slots,         // stock at month end
    kLocalityTallies
};

struct LocalityIndicatorDefinition {
    std::string_view name;
    std::string_view unit;
    std::string_view description;
};

inline constexpr std::array<LocalityIndicatorDefinition, kLocalityTallies> kLocalityIndicators = {{
    {"open_early_help_cases", "families", "families with an allocated lead professional at month end"},
    {"waiting_families", "families", "families waiting for a lead professional at month end"},
    {"children_in_need", "children", "children in open social-care episodes at month end"},
    {"contacts_to_social_care", "contacts", "contacts to the social-care front door in the month"},
    {"allocations", "families", "families allocated a lead professional in the month"},
    {"allocated_travelling_to_another_hub", "families",
     "of those, families whose own site is closed, served from another hub in the locality"},
    {"disengaged_families", "families",
     "families who gave up waiting for a lead professional or whose case closed as disengaged, in the month"},
    {"wait_days_of_allocations", "days",
     "days from request to a lead professional, summed over the month's allocations (divided by allocations: the "
     "mean wait)"},
    {"caseload_slots_in_use", "cases",
     "lead-professional caseload places in use at month end, in the locality's teams (social workers apart)"},
    {"caseload_slots", "cases",
     "lead-professional caseload places at month end (FTE x caseload per FTE), in the locality's teams (social "
     "workers apart)"},
}};

}  // namespace ehsim::model
