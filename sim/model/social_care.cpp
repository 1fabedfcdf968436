#include "sim/model/social_care.hpp"

#include <algorithm>

#include "sim/kernel/hand_over.hpp"
#include "sim/model/allocation.hpp"
#include "sim/model/need.hpp"
#include "sim/model/random_times.hpp"

namespace ehsim::model {

namespace {
// DfE's re-referral: within 12 months of the child's previous referral.
constexpr double kTwelveMonthsDays = 365.0;
}  // namespace

void SocialCare::count(Tally tally, const Family& family) { context_->ledger.count(tally, family.children); }

void SocialCare::refer(std::uint32_t index, ReferralRoute route) {
    Family& family = (*families_)[index];
    const double now = context_->now();
    const SocialCareParameters& care = context_->parameters->social_care;
    static constexpr Tally kRoutes[] = {referrals_via_front_door, referrals_stepped_up_from_early_help,
                                        referrals_escalated_while_waiting};
    count(social_care_referrals, family);
    count(kRoutes[static_cast<int>(route)], family);
    if (route == ReferralRoute::front_door && family.gave_up_waiting) count(referrals_after_giving_up_waiting, family);
    family.gave_up_waiting = false;
    if (now - family.last_referral_day <= kTwelveMonthsDays) count(social_care_rereferrals, family);
    family.last_referral_day = now;
    context_->ledger.count_cohort_once(family.step_down_return_counted, now, family.last_step_down_day,
                                       family.last_step_down_month, step_downs_returned_within_12_months);
    if (family.random.uniform() < care.referral_no_further_action) {
        // Closed at referral: the need remains and may be found again.
        count(referrals_closed_no_further_action, family);
        if (family.level == NeedLevel::statutory) family.level = NeedLevel::targeted;
        no_service(index);
        return;
    }
    // Open from the referral (DfE counts an episode under assessment at 31 March), but started only when the
    // assessment finds the child in need: DfE's started episodes are referrals less those closed with no further
    // action or assessed not in need (exactly so in 1,783 of 1,818 authority-years of b1 and c1).
    context_->ledger.change_children_in_need(family.locality, +family.children);
    const std::uint32_t team = teams_->team_for(family.locality, Role::social_worker);
    family.team = team;
    if (team == kNoTeam || (*teams_)[team].places.try_seize(now)) {
        begin_assessment(index);
        return;
    }
    families_->set_state(index, FamilyState::waiting_for_social_worker);
    // Families whose need is statutory are seen first (the front door grades them so).
    const std::uint32_t priority = family.level == NeedLevel::statutory ? red : amber;
    family.place = (*teams_)[team].line.join(context_->simulation, index, priority);
}

void SocialCare::begin_assessment(std::uint32_t index) {
    Family& family = (*families_)[index];
    families_->set_state(index, FamilyState::social_care_assessment);
    context_->schedule_in(kernel::Exponential(context_->parameters->social_care.assessment_days)(family.random),
                          EventKind::social_care_assessment_done, index);
}

void SocialCare::assessment_done(std::uint32_t index) {
    Family& family = (*families_)[index];
    const SocialCareParameters& care = context_->parameters->social_care;
    count(social_care_assessments_completed, family);
    if (context_->now() - family.last_referral_day <= care.assessment_timescale_days)
        count(social_care_assessments_within_timescale, family);
    // Assessment finds the true level: need below level 4 is not in need of social care.
    const auto outcome = family.level == NeedLevel::statutory
                             ? static_cast<AssessmentOutcome>(choose(family.random, care.assessment_outcomes))
                             : assessed_not_in_need;
    if (outcome != assessed_not_in_need) count(children_in_need_started, family);
    switch (outcome) {
        case assessed_not_in_need:
            count(children_assessed_not_in_need, family);
            close_episode(index);
            return;
        case assessed_child_in_need:
            return start_plan(index, child_in_need);
        case assessed_section_47:
            // The enquiry runs while the child is in need; the conference decides on a plan.
            enter_care(index, child_in_need);
            return section_47_enquiry_starts(index);
        case assessed_looked_after:
            return start_plan(index, looked_after);
    }
}

void SocialCare::section_47_enquiry_starts(std::uint32_t index) {
    Family& family = (*families_)[index];
    count(section_47_enquiries, family);
    context_->schedule_in(kernel::Exponential(context_->parameters->social_care.section_47_days)(family.random),
                          EventKind::initial_conference, index);
}

void SocialCare::initial_conference(std::uint32_t index) {
    Family& family = (*families_)[index];
    count(initial_child_protection_conferences, family);
    const bool plan = family.random.uniform() < context_->parameters->social_care.conference_plan_probability;
    start_plan(index, plan ? child_protection : child_in_need);
}

void SocialCare::end_plan(Family& family) {
    context_->ledger.change_children_in_care(context_->now(), family.care, -family.children);
    if (family.care == child_protection) count(protection_plans_ended, family);
    if (family.care == looked_after) count(looked_after_ended, family);
}

// The family goes on a plan of `type` (leaving the one it is on, if any), counted as DfE counts.
void SocialCare::enter_care(std::uint32_t index, CareType type) {
    Family& family = (*families_)[index];
    if (family.state == FamilyState::social_care_episode) end_plan(family);
    families_->set_state(index, FamilyState::social_care_episode);
    family.level = NeedLevel::statutory;
    family.care = type;
    family.care_start_day = context_->now();
    context_->ledger.change_children_in_care(context_->now(), type, +family.children);
    if (type == child_protection) {
        count(protection_plans_started, family);
        if (family.protection_plans == 0 && had_an_unseen_earlier_plan()) family.protection_plans = 1;
        if (family.protection_plans > 0) count(second_protection_plans, family);
        family.protection_plans = static_cast<std::uint8_t>(std::min(family.protection_plans + 1, 255));
    }
    if (type == looked_after) count(looked_after_started, family);
}

// A plan starts; its end, or for a child in need plan a new section 47 enquiry if that comes first, is
// scheduled.
void SocialCare::start_plan(std::uint32_t index, CareType type) {
    enter_care(index, type);
    Family& family = (*families_)[index];
    const SocialCareParameters& care = context_->parameters->social_care;
    const double ends = kernel::LogNormal(care.duration_mean_days[type], care.duration_sd_days[type])(family.random);
    const double enquiry =
        type == child_in_need
            ? exponential_time(family.random, care.child_in_need_to_section_47_per_year / kDaysPerYear)
            : kNever;
    if (enquiry < ends)
        context_->schedule_in(enquiry, EventKind::section_47_enquiry_starts, index);
    else
        context_->schedule_in(ends, EventKind::social_care_episode_ends, index);
}

void SocialCare::episode_ends(std::uint32_t index) {
    Family& family = (*families_)[index];
    if (family.care != child_protection) return close_episode(index);
    switch (static_cast<AfterProtectionPlan>(
        choose(family.random, context_->parameters->social_care.after_protection_plan))) {
        case plan_closed:
            return close_episode(index);
        case plan_to_child_in_need:
            return start_plan(index, child_in_need);
        case plan_to_looked_after:
            return start_plan(index, looked_after);
    }
}

void SocialCare::release_social_worker(Family& family) {
    const std::uint32_t team = family.team;
    family.team = kNoTeam;
    if (team == kNoTeam) return;
    kernel::hand_over_or_release((*teams_)[team].places, (*teams_)[team].line, context_->simulation,
                                 [&](std::uint32_t next) { begin_assessment(next); });
}

// The episode of need ends: after assessment (not in need) or when the last plan ends. The family steps down to
// early help, its need returns later, or it leaves.
void SocialCare::close_episode(std::uint32_t index) {
    Family& family = (*families_)[index];
    const double now = context_->now();
    const SocialCareParameters& care = context_->parameters->social_care;
    const bool assessed_only = family.state == FamilyState::social_care_assessment;
    if (!assessed_only) end_plan(family);
    context_->ledger.change_children_in_need(family.locality, -family.children);
    if (!assessed_only) count(children_in_need_ended, family);
    release_social_worker(family);
    const double step_down = assessed_only ? care.not_in_need_step_down : care.step_down_probability;
    // Need below level 4 from here: assessed not in need, or the plans have done their work.
    if (family.level == NeedLevel::statutory) family.level = NeedLevel::targeted;
    if (family.random.uniform() < step_down) {
        context_->ledger.count(step_downs);
        family.last_step_down_day = now;
        family.last_step_down_month = context_->ledger.current_month();
        family.step_down_return_counted = family.last_step_down_month < 0;
        family.request_day = now;
        allocation_->request_early_help(index);
        return;
    }
    if (assessed_only) {
        no_service(index);
        return;
    }
    if (family.random.uniform() < care.return_probability) {
        // No draw at share 0, so a scenario without it runs on exactly the same random numbers.
        family.need_returns_at_level_4 =
            care.return_at_level_4_share > 0 && family.random.uniform() < care.return_at_level_4_share;
        need_->schedule_return(index, care.return_delay_days);
        return;
    }
    families_->leave(index);
}

// A plan the model sees as the child's first may not be: DfE counts every earlier plan, also those before the
// model held the family (a family that left and came back with new need is new to the model) or in another
// authority. The draw comes from a stream of its own, so that only this count changes; none at share 0.
bool SocialCare::had_an_unseen_earlier_plan() {
    const double share = context_->parameters->social_care.earlier_plan_unseen_share;
    if (share <= 0) return false;
    kernel::RandomEngine random =
        context_->streams.stream(context_->replication, "unseen earlier plan", plans_seen_as_first_++);
    return random.uniform() < share;
}

// Closed with no further action, or assessed not in need and not offered early help: the concerns that led to the
// referral often persist, and the agency that raised them may refer again (DfE counts a re-referral within 12
// months of any referral, whatever its outcome). Otherwise the family's need goes back to being hidden.
void SocialCare::no_service(std::uint32_t index) {
    Family& family = (*families_)[index];
    const SocialCareParameters& care = context_->parameters->social_care;
    // No draw at probability 0, so a scenario without the route runs on exactly the same random numbers.
    if (care.referred_again_probability > 0 && family.random.uniform() < care.referred_again_probability) {
        families_->set_state(index, FamilyState::referral_will_be_made_again);
        context_->schedule_in(kernel::Exponential(care.referred_again_delay_days)(family.random),
                              EventKind::referred_again, index);
        return;
    }
    need_->back_to_hidden_need(index);
}

void SocialCare::fill_free_places(std::uint32_t team) {
    kernel::fill_free_servers((*teams_)[team].places, (*teams_)[team].line, context_->simulation,
                              [&](std::uint32_t next) { begin_assessment(next); });
}

}  // namespace ehsim::model
