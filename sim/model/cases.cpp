#include "sim/model/cases.hpp"

#include <algorithm>
#include <cmath>

#include "sim/model/allocation.hpp"
#include "sim/model/front_door.hpp"
#include "sim/model/need.hpp"
#include "sim/model/random_times.hpp"
#include "sim/model/social_care.hpp"

namespace ehsim::model {

// The plan's length by the service leading it and the family's true level.
double Cases::duration_factor(const Family& family, std::uint32_t team) const {
    const EarlyHelpParameters& early_help = context_->parameters->early_help;
    double factor = (*teams_)[team].role == Role::youth_worker ? early_help.case_duration_factor_youth_worker
                                                               : early_help.case_duration_factor_by_lead[family.lead];
    if (family.level == NeedLevel::additional) factor *= early_help.case_duration_factor_level_2;
    if (family.level == NeedLevel::statutory) factor *= early_help.case_duration_factor_level_4;
    return factor;
}

double Cases::draw_plan_duration(Family& family, std::uint32_t team) const {
    const EarlyHelpParameters& early_help = context_->parameters->early_help;
    double days;
    switch (early_help.case_duration_distribution) {
        case CaseDuration::exponential:
            days = kernel::Exponential(early_help.case_duration_mean_days)(family.random);
            break;
        case CaseDuration::gamma:
            days = kernel::Gamma(early_help.case_duration_mean_days, early_help.case_duration_sd_days)(family.random);
            break;
        case CaseDuration::lognormal:
        default:
            days =
                kernel::LogNormal(early_help.case_duration_mean_days, early_help.case_duration_sd_days)(family.random);
            break;
    }
    return days * duration_factor(family, team);
}

void Cases::count_allocation(const Family& family, double wait, Access access) {
    Ledger& ledger = context_->ledger;
    const Scenario& parameters = *context_->parameters;
    ledger.count(allocations);
    ledger.count_in_locality(locality_allocations, family.locality);
    ledger.count_in_locality(locality_wait_days, family.locality, wait);
    if (access == access_hub_elsewhere) {
        ledger.count(allocations_travelling_to_another_hub);
        ledger.count_in_locality(locality_allocations_travelling_to_another_hub, family.locality);
    } else if (access == access_spoke || access == access_none) {
        ledger.count(allocations_spoke_or_no_site);
    }
    if (wait <= parameters.early_help.allocation_target_days) ledger.count(allocated_within_target_days);
    static constexpr Tally kAllocated[] = {allocations_red, allocations_amber, allocations_green};
    static constexpr Tally kWaitDays[] = {wait_days_red, wait_days_amber, wait_days_green};
    static constexpr Tally kWithinTarget[] = {responded_within_target_red, responded_within_target_amber,
                                              responded_within_target_green};
    ledger.count(kAllocated[family.priority]);
    ledger.count(kWaitDays[family.priority], wait);
    ledger.count(wait_days_all, wait);
    if (wait <= parameters.front_door.response_target_days[family.priority])
        ledger.count(kWithinTarget[family.priority]);
    ledger.count(assessments);
    ledger.count(plans_started);
    ledger.count(cost_assessments, parameters.costs.per_assessment.pounds);
}

void Cases::change_open(const Family& family, double change) {
    context_->ledger.change_early_help_open(context_->now(), (*teams_)[family.team].role, family.locality, change);
}

void Cases::open(std::uint32_t index, std::uint32_t team) {
    Family& family = (*families_)[index];
    const double now = context_->now();
    const EarlyHelpParameters& early_help = context_->parameters->early_help;
    const Access access = need_->access_of(family);
    count_allocation(family, now - family.request_day, access);
    context_->ledger.count_cohort_once(family.reassessment_counted, now, family.last_closure_day,
                                       family.last_closure_month, reassessed_within_12_months);
    family.team = team;
    family.case_start_day = now;
    family.gave_up_waiting = false;
    families_->set_state(index, FamilyState::early_help_case);
    change_open(family, +1.0);

    // Competing ends of the case; the first to happen closes it.
    const double engaged = early_help.engagement_by_access[access];
    const double trio = family.toxic_trio ? early_help.toxic_trio_step_up_factor : 1.0;
    const double plan_ends = draw_plan_duration(family, team);
    const double step_down =
        family.level == NeedLevel::targeted ? early_help.step_down_to_level_2_per_year / kDaysPerYear : 0.0;
    const std::array<double, 5> ends{
        plan_ends, exponential_time(family.random, early_help.disengagement_per_year / engaged / kDaysPerYear),
        exponential_time(family.random, early_help.step_up_per_year * trio / kDaysPerYear),
        exponential_time(family.random, early_help.moved_away_per_year / kDaysPerYear),
        exponential_time(family.random, step_down)};
    const auto first = static_cast<std::size_t>(std::min_element(ends.begin(), ends.end()) - ends.begin());
    static constexpr ClosureReason kReasons[] = {needs_met, disengaged, stepped_up, moved_away, stepped_down};
    family.closing_as = kReasons[first];
    if (first == 0 && family.random.uniform() >= early_help.needs_met_probability) family.closing_as = needs_not_met;
    context_->schedule_in(ends[first], EventKind::case_closes, index);
}

void Cases::close(std::uint32_t index) {
    Family& family = (*families_)[index];
    const double now = context_->now();
    Ledger& ledger = context_->ledger;
    const Scenario& parameters = *context_->parameters;
    change_open(family, -1.0);
    allocation_->place_freed(family.team);
    ledger.count(closures_all);
    static constexpr Tally kClosures[] = {closures_needs_met,  closures_disengaged,    closures_stepped_up,
                                          closures_moved_away, closures_needs_not_met, closures_stepped_down};
    ledger.count(kClosures[family.closing_as]);
    if (family.closing_as == disengaged) ledger.count_in_locality(locality_disengaged, family.locality);
    ledger.count(reviews, std::floor((now - family.case_start_day) / parameters.early_help.review_interval_days));
    family.last_closure_day = now;
    family.last_closure_month = ledger.current_month();
    family.rereferral_counted = false;
    family.reassessment_counted = false;
    const ReturnParameters& returns = parameters.returns;
    switch (family.closing_as) {
        case needs_met:
            need_->schedule_return(index, returns.after_needs_met, returns.mean_delay_days);
            break;
        case disengaged:
            need_->schedule_return(index, returns.after_disengaged, returns.mean_delay_days);
            break;
        case needs_not_met:
            need_->schedule_return(index, returns.after_needs_not_met, returns.mean_delay_days);
            break;
        case stepped_up:
            ledger.count(step_ups);
            family.level = NeedLevel::statutory;
            social_care_->refer(index, ReferralRoute::stepped_up_from_early_help);
            break;
        case stepped_down:
            family.level = NeedLevel::additional;
            front_door_->start_single_agency_help(index);
            break;
        case moved_away:
            families_->leave(index);
            break;
    }
}

}  // namespace ehsim::model
