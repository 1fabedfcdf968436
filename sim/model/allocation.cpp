#include "sim/model/allocation.hpp"

#include <stdexcept>

#include "sim/kernel/hand_over.hpp"
#include "sim/model/cases.hpp"
#include "sim/model/need.hpp"
#include "sim/model/random_times.hpp"
#include "sim/model/social_care.hpp"

namespace ehsim::model {

// The team whose caseload the family's lead professional comes from: the locality's team of the agency (youth
// workers lead some family-support cases of families with teenagers). The scenario checks give every agency
// with a share a team; a draw of an agency with no share (rounding at the end of the shares) falls back to
// family support.
std::uint32_t Allocation::team_of_lead(Family& family) const {
    const EarlyHelpParameters& early_help = context_->parameters->early_help;
    if (family.lead == lead_family_support) {
        const std::uint32_t youth = teams_->team_for(family.locality, Role::youth_worker);
        if (family.has_teenager && family.random.uniform() < early_help.youth_worker_share_of_teenager_cases &&
            youth != kNoTeam)
            return youth;
    }
    const std::uint32_t team = teams_->team_for(family.locality, kLeadRoles[family.lead]);
    if (team != kNoTeam) return team;
    family.lead = lead_family_support;
    const std::uint32_t family_support = teams_->team_for(family.locality, Role::family_support);
    if (family_support == kNoTeam) throw std::logic_error("a lead professional's agency has no team in the locality");
    return family_support;
}

void Allocation::request_early_help(std::uint32_t index) {
    Family& family = (*families_)[index];
    const Scenario& parameters = *context_->parameters;
    family.priority = static_cast<Priority>(
        choose(family.random, parameters.front_door.priority_by_level[level_index(family.level)]));
    family.lead = static_cast<LeadAgency>(choose(family.random, parameters.early_help.lead_professional_shares));
    const std::uint32_t team = team_of_lead(family);
    family.team = team;
    if ((*teams_)[team].places.try_seize(context_->now())) {
        cases_->open(index, team);
        return;
    }
    families_->set_state(index, FamilyState::waiting_for_lead_professional);
    family.place = (*teams_)[team].line.join(context_->simulation, index, family.priority);
    schedule_while_waiting(index);
}

// Two competing hazards while a family waits: it gives up, or its need escalates (as hidden need's would, times
// a factor). Both memoryless, so the earlier is drawn now and the other redrawn after an escalation.
void Allocation::schedule_while_waiting(std::uint32_t index) {
    Family& family = (*families_)[index];
    const EarlyHelpParameters& early_help = context_->parameters->early_help;
    const double engagement = early_help.engagement_by_access[need_->access_of(family)];
    const double patience = kernel::Exponential(early_help.patience_days * engagement)(family.random);
    const double escalation =
        exponential_time(family.random, need_->escalation_rate(family) * early_help.escalation_while_waiting_factor);
    family.pending = escalation < patience
                         ? context_->schedule_cancellable_in(escalation, EventKind::escalates_while_waiting, index)
                         : context_->schedule_cancellable_in(patience, EventKind::gives_up_waiting, index);
}

void Allocation::escalates_while_waiting(std::uint32_t index) {
    Family& family = (*families_)[index];
    family.pending = kernel::EventHandle{};
    family.level = static_cast<NeedLevel>(static_cast<int>(family.level) + 1);
    if (family.level != NeedLevel::statutory) {
        schedule_while_waiting(index);
        return;
    }
    // Statutory need: the family leaves the line and is referred to children's social care.
    (*teams_)[family.team].line.give_up(context_->simulation, family.place);
    social_care_->refer(index, ReferralRoute::escalated_while_waiting);
}

void Allocation::gives_up_waiting(std::uint32_t index) {
    Family& family = (*families_)[index];
    (*teams_)[family.team].line.give_up(context_->simulation, family.place);
    family.pending = kernel::EventHandle{};
    context_->ledger.count(disengaged_while_waiting);
    family.gave_up_waiting = true;
    context_->ledger.count_in_locality(locality_disengaged, family.locality);
    // The need is still there, unmet: the family goes back to hidden need and may be found again.
    need_->back_to_hidden_need(index);
}

void Allocation::take_from_line(std::uint32_t index, std::uint32_t team) {
    Family& family = (*families_)[index];
    context_->simulation.cancel(family.pending);
    family.pending = kernel::EventHandle{};
    cases_->open(index, team);
}

void Allocation::place_freed(std::uint32_t team) {
    kernel::hand_over_or_release((*teams_)[team].places, (*teams_)[team].line, context_->simulation,
                                 [&](std::uint32_t next) { take_from_line(next, team); });
}

void Allocation::fill_free_places(std::uint32_t team) {
    kernel::fill_free_servers((*teams_)[team].places, (*teams_)[team].line, context_->simulation,
                              [&](std::uint32_t next) { take_from_line(next, team); });
}

}  // namespace ehsim::model
