// The social-care and cost sections of the scenario table.
#include <string>

#include "sim/scenario/scenario_schema.hpp"
#include "sim/scenario/schema_sections.hpp"

namespace ehsim::scenario {

using namespace ehsim::model;

namespace {
constexpr std::array<const char*, kCareTypes> kCareTypeNames{"child_in_need", "child_protection", "looked_after"};
constexpr std::array<const char*, kAssessmentOutcomes> kAssessmentOutcomeNames{"not_in_need", "child_in_need",
                                                                               "section_47", "looked_after"};
constexpr std::array<const char*, kAfterProtectionPlan> kAfterPlanNames{"closed", "child_in_need", "looked_after"};

void add_plan_lengths(Section<SocialCareParameters>& social_care) {
    for (int type = 0; type < kCareTypes; ++type) {
        social_care
            .number(
                std::string("duration_mean_days_") + kCareTypeNames[type],
                [type](SocialCareParameters& p) -> double& {
                    return p.duration_mean_days[static_cast<std::size_t>(type)];
                },
                "days", std::string("mean length of a ") + kCareTypeNames[type] + " plan (log-normal)", above(0),
                std::nullopt)
            .number(
                std::string("duration_sd_days_") + kCareTypeNames[type],
                [type](SocialCareParameters& p) -> double& {
                    return p.duration_sd_days[static_cast<std::size_t>(type)];
                },
                "days", "standard deviation of that length", above(0), std::nullopt);
    }
}
}  // namespace

Section<Cost> cost_table() {
    Section<Cost> cost("A unit cost with its source.");
    cost.number("pounds", &Cost::pounds, "GBP", "the unit cost", at_least(0), std::nullopt)
        .text("source", &Cost::source, "where the figure comes from (or \"assumed: ...\")", std::nullopt);
    return cost;
}

Section<SocialCareParameters> social_care_table() {
    Section<SocialCareParameters> social_care(
        "Children's social care (level 4) as DfE counts it: referral, assessment, plans, looked after.");
    social_care
        .probability("referral_no_further_action", &SocialCareParameters::referral_no_further_action,
                     "share of referrals closed with no further action before an assessment", std::nullopt)
        .number("assessment_days", &SocialCareParameters::assessment_days, "days",
                "mean time a social worker takes to complete an assessment (exponential), once the family holds a "
                "place on a social worker's caseload",
                above(0), 30.0)
        .number("assessment_timescale_days", &SocialCareParameters::assessment_timescale_days, "days",
                "assessment timescale from referral, in calendar days", above(0), 63.0,
                "Working Together to Safeguard Children: 45 working days")
        .shares("assessment_outcomes", &SocialCareParameters::assessment_outcomes, kAssessmentOutcomeNames,
                "conclusion of an assessment of a family whose true need is level 4 (below level 4: not in need); "
                "section_47: an enquiry, then an initial child protection conference")
        .probability("not_in_need_step_down", &SocialCareParameters::not_in_need_step_down,
                     "of families assessed as not in need, the share stepped down to early help", std::nullopt)
        .number("section_47_days", &SocialCareParameters::section_47_days, "days",
                "mean time from a section 47 enquiry's start to the initial child protection conference", above(0),
                21.0, "assumed: Working Together's 15 working days from the strategy discussion")
        .probability("conference_plan_probability", &SocialCareParameters::conference_plan_probability,
                     "share of initial conferences that make a child protection plan (the others: a child in need "
                     "plan)",
                     std::nullopt);
    add_plan_lengths(social_care);
    social_care
        .number("child_in_need_to_section_47_per_year", &SocialCareParameters::child_in_need_to_section_47_per_year,
                "per year", "hazard of a section 47 enquiry during a child in need plan", at_least(0), 0.0)
        .shares("after_protection_plan", &SocialCareParameters::after_protection_plan, kAfterPlanNames,
                "what follows a child protection plan's end: the episode closes, a child in need plan, or looked "
                "after")
        .probability("step_down_probability", &SocialCareParameters::step_down_probability,
                     "share of episodes of need, closing after a plan, stepped down to early help", std::nullopt)
        .probability("return_probability", &SocialCareParameters::return_probability,
                     "probability that need returns after a closure without step-down", 0.1)
        .number("return_delay_days", &SocialCareParameters::return_delay_days, "days", "mean time to that return",
                above(0), 180.0)
        .probability("return_at_level_4_share", &SocialCareParameters::return_at_level_4_share,
                     "of needs returning after a social-care episode, the share that return at level 4, so that a "
                     "touchpoint finding the family refers it to social care again (the rest return at "
                     "returns.returning_level, as after early help)",
                     0.0)
        .probability("referred_again_probability", &SocialCareParameters::referred_again_probability,
                     "of families closed with no further action, or assessed not in need and not stepped down to "
                     "early help, the share whose concerns are referred to social care again (0: none; their need "
                     "goes back to being hidden)",
                     0.0)
        .number("referred_again_delay_days", &SocialCareParameters::referred_again_delay_days, "days",
                "mean time to that referral (exponential)", above(0), 120.0)
        .probability("earlier_plan_unseen_share", &SocialCareParameters::earlier_plan_unseen_share,
                     "of child protection plans starting for children the model knows no earlier plan of, the share "
                     "DfE counts as a second or later plan all the same (a plan before the model held the family, "
                     "or in another authority); changes that count only",
                     0.0,
                     "0: the model's own plans only; DfE d3, England: 14.9% of plans were second or later in 2013 "
                     "and 24.5% in 2025, authorities' 10th-90th percentile 11-28%")
        .number("cases_counted_per_child_held", &SocialCareParameters::cases_counted_per_child_held, "cases per child",
                "cases DfE's workforce census counts per child the model holds on a social worker's caseload place; "
                "scales the reported social_work_cases_per_fte only",
                between(0.1, 3.0), 1.0,
                "DfE across authorities, cases held at 30 September over children in need at 31 March: median 0.84, "
                "10th-90th percentile 0.61-1.10 (csww_indicators, b1_children_in_need)");
    return social_care;
}

Section<CostParameters> costs_table() {
    const Section<Cost> cost = cost_table();
    Section<CostParameters> costs("Unit costs, each with its source.");
    for (int role = 0; role < kRoles; ++role)
        costs.section(
            std::string("per_fte_year_") + kRoleNames[role],
            [role](CostParameters& p) -> Cost& { return p.per_fte_year_by_role[static_cast<std::size_t>(role)]; }, cost,
            true);
    costs.section("per_assessment", &CostParameters::per_assessment, cost, true);
    for (int role = 0; role < kRoles; ++role)
        costs.section(
            std::string("per_case_week_") + kRoleNames[role],
            [role](CostParameters& p) -> Cost& { return p.per_case_week_by_role[static_cast<std::size_t>(role)]; },
            cost, true);
    for (int type = 0; type < kCareTypes; ++type)
        costs.section(
            std::string("per_child_week_") + kCareTypeNames[type],
            [type](CostParameters& p) -> Cost& { return p.per_episode_week[static_cast<std::size_t>(type)]; }, cost,
            true);
    return costs;
}

}  // namespace ehsim::scenario
