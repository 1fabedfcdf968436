// The model's indicators beside the Department for Education's published figures (docs/indicators.md).
#pragma once

#include <array>
#include <string_view>

namespace ehsim::model {

// The indicators DfE also publishes, with DfE's definition beside the model's (docs/indicators.md). Counts are
// per child: the model holds families, and a family's children are referred, assessed, planned for and looked
// after together, so each count adds the family's children (a sibling group on one plan is one event per child
// in DfE's return too; the model cannot split a family's children between plans).
struct DfeComparison {
    std::string_view indicator;
    std::string_view dfe_figure;  // file and column in ../shared/data/dfe/
    std::string_view dfe_definition;
    std::string_view difference;  // where the model's count is not DfE's
};

inline constexpr std::array kDfeComparisons = {
    DfeComparison{"social_care_referrals", "c1 referral_count",
                  "referrals to children's social care in the year to 31 March",
                  "every sibling is referred with the family; universal-level contacts never become referrals"},
    DfeComparison{"social_care_rereferral_pct", "c1 rereferral_percent",
                  "referrals within 12 months of a previous referral of the same child",
                  "a family's history is lost when it leaves the model and is later new need"},
    DfeComparison{"referrals_no_further_action", "c1 no_further_action_count",
                  "referrals closed with no further action", "-"},
    DfeComparison{"assessed_not_in_need", "c1 not_in_need_count", "assessments concluding the child is not in need",
                  "-"},
    DfeComparison{"children_in_need_episodes_started", "b1 Started_episodes", "episodes of need starting",
                  "counted when the assessment finds the child in need: referrals less no further action and "
                  "not in need, as DfE's figures add up"},
    DfeComparison{"children_in_need_episodes_ended", "b1 Ended_episodes", "episodes of need ending",
                  "episodes of children found in need; an assessment ending not in need is not counted"},
    DfeComparison{"children_in_need", "b1 At31_episodes",
                  "children in need at 31 March (with protection plans and looked after)",
                  "read at the end of March of each reported year"},
    DfeComparison{"children_in_need_per_10000", "b1 At31_episodes over ONS 0-17",
                  "per 10,000 children aged 0-17 (ONS mid-year estimate of the previous year)",
                  "the scenario's children_aged_0_to_17, grown with the population"},
    DfeComparison{"awaiting_assessment", "b1 awaiting_assessment", "children in need whose assessment is not complete",
                  "children referred and not yet assessed, waiting or being assessed"},
    DfeComparison{"protection_plans_started", "d3 CPP_start", "child protection plans starting in the year", "-"},
    DfeComparison{"second_protection_plans_pct", "d3 CPP_subsequent_percent",
                  "plans starting that are a second or later plan for the child",
                  "plans before the family was first held by the model are not known"},
    DfeComparison{"children_on_protection_plans", "d5 CPP_At31", "children on protection plans at 31 March", "-"},
    DfeComparison{"protection_plans_under_3_months_pct", "d5 3_months_or_less_percent (and the other bands)",
                  "plans open at 31 March by time on the plan so far (not the lengths of completed plans)", "-"},
    DfeComparison{"children_looked_after", "cla looked_after_at_31_march / children_count",
                  "children looked after at 31 March",
                  "only children who come through the children-in-need route; no unaccompanied asylum seekers"},
    DfeComparison{"social_work_cases_per_fte", "csww caseload_fte",
                  "cases per case-holding social worker FTE at 30 September (an observed average)",
                  "children on social workers' caseload places over the social worker FTE"},
};

}  // namespace ehsim::model
