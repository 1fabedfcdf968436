#include "sim/model/social_care.hpp"

#include "sim/kernel/hand_over.hpp"
#include "sim/model/allocation.hpp"
#include "sim/model/need.hpp"
#include "sim/model/random_times.hpp"

namespace ehsim::model {

void SocialCare::refer(std::uint32_t index) {
    Family& family = (*families_)[index];
    context_->ledger.count(social_care_referrals);
    context_->ledger.count_cohort_once(family.step_down_return_counted, context_->now(), family.last_step_down_day,
                                       family.last_step_down_month, step_downs_returned_within_12_months);
    families_->set_state(index, FamilyState::social_care_assessment);
    context_->schedule_in(kernel::Exponential(context_->parameters->social_care.assessment_days)(family.random),
                          EventKind::social_care_assessment_done, index);
}

void SocialCare::assessment_done(std::uint32_t index) {
    Family& family = (*families_)[index];
    const std::size_t outcome = choose(family.random, context_->parameters->social_care.outcome_shares);
    if (outcome == 0) {
        // No further action by social care: the need remains and may be found again.
        if (family.level == NeedLevel::statutory) family.level = NeedLevel::targeted;
        need_->back_to_hidden_need(index);
        return;
    }
    family.care = static_cast<CareType>(outcome - 1);
    const std::uint32_t team = teams_->team_for(family.locality, Role::social_worker);
    family.team = team;
    if (team == kNoTeam || (*teams_)[team].places.try_seize(context_->now())) {
        start_episode(index);
        return;
    }
    families_->set_state(index, FamilyState::waiting_for_social_worker);
    family.place = (*teams_)[team].line.join(context_->simulation, index, 0);
}

void SocialCare::change_children_in_care(const Family& family, double change) {
    context_->ledger.change_children_in_care(context_->now(), family.care, family.locality, change * family.children);
}

void SocialCare::start_episode(std::uint32_t index) {
    Family& family = (*families_)[index];
    const SocialCareParameters& care = context_->parameters->social_care;
    family.level = NeedLevel::statutory;
    families_->set_state(index, FamilyState::social_care_episode);
    change_children_in_care(family, +1.0);
    const double duration =
        kernel::LogNormal(care.duration_mean_days[family.care], care.duration_sd_days[family.care])(family.random);
    context_->schedule_in(duration, EventKind::social_care_episode_ends, index);
}

void SocialCare::episode_ends(std::uint32_t index) {
    Family& family = (*families_)[index];
    const double now = context_->now();
    change_children_in_care(family, -1.0);
    if (family.team != kNoTeam)
        kernel::hand_over_or_release((*teams_)[family.team].places, (*teams_)[family.team].line, context_->simulation,
                                     [&](std::uint32_t next) { start_episode(next); });
    const SocialCareParameters& care = context_->parameters->social_care;
    if (family.random.uniform() < care.step_down_probability) {
        context_->ledger.count(step_downs);
        family.last_step_down_day = now;
        family.last_step_down_month = context_->ledger.current_month();
        family.step_down_return_counted = family.last_step_down_month < 0;
        family.level = NeedLevel::targeted;
        family.request_day = now;
        allocation_->request_early_help(index);
        return;
    }
    if (family.random.uniform() < care.return_probability) {
        need_->schedule_return(index, care.return_delay_days);
        return;
    }
    families_->leave(index);
}

void SocialCare::fill_free_places(std::uint32_t team) {
    kernel::fill_free_servers((*teams_)[team].places, (*teams_)[team].line, context_->simulation,
                              [&](std::uint32_t next) { start_episode(next); });
}

}  // namespace ehsim::model
