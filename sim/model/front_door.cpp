#include "sim/model/front_door.hpp"

#include <algorithm>
#include <cmath>

#include "sim/kernel/hand_over.hpp"
#include "sim/model/allocation.hpp"
#include "sim/model/need.hpp"
#include "sim/model/random_times.hpp"
#include "sim/model/social_care.hpp"

namespace ehsim::model {

namespace {
std::uint32_t screeners_of(const FrontDoorDesk& desk) {
    return static_cast<std::uint32_t>(std::max(1.0, std::round(desk.screeners)));
}
}  // namespace

void FrontDoor::derive(const Scenario& parameters) {
    const FrontDoorDesk* doors[] = {&parameters.front_door.social_care_front_door,
                                    &parameters.front_door.early_help_hub};
    if (desks_.empty()) {
        for (const FrontDoorDesk* door : doors)
            desks_.push_back(DeskState{kernel::ServerPool(screeners_of(*door)), kernel::WaitingLine(1),
                                       kernel::Exponential(door->screening_days)});
        return;
    }
    for (std::size_t desk = 0; desk < desks_.size(); ++desk) {
        DeskState& door = desks_[desk];
        door.screeners.set_capacity(screeners_of(*doors[desk]));
        door.screening = kernel::Exponential(doors[desk]->screening_days);
        kernel::fill_free_servers(door.screeners, door.line, context_->simulation,
                                  [&](std::uint32_t ticket) { start_screening(ticket); });
    }
}

std::uint32_t FrontDoor::issue_ticket(std::uint32_t family_or_locality, bool about_universal_family, Desk desk) {
    std::uint32_t ticket = free_ticket_;
    if (ticket != kNoTicket) {
        free_ticket_ = tickets_[ticket].next_free;
    } else {
        ticket = static_cast<std::uint32_t>(tickets_.size());
        tickets_.emplace_back();
    }
    tickets_[ticket] = Ticket{family_or_locality, about_universal_family, desk, kNoTicket};
    return ticket;
}

void FrontDoor::return_ticket(std::uint32_t ticket) {
    tickets_[ticket].next_free = free_ticket_;
    free_ticket_ = ticket;
}

void FrontDoor::count_contact(Desk desk, std::uint32_t locality) {
    if (desk == early_help_hub) {
        context_->ledger.count(early_help_requests);
        return;
    }
    context_->ledger.count(contacts_to_social_care);
    context_->ledger.count_in_locality(locality_contacts_to_social_care, locality);
}

void FrontDoor::receive_contact(std::uint32_t index, Desk desk) {
    Family& family = (*families_)[index];
    const double now = context_->now();
    count_contact(desk, family.locality);
    // A closed family contacting services again within 12 months of closure is a re-referral.
    context_->ledger.count_cohort_once(family.rereferral_counted, now, family.last_closure_day,
                                       family.last_closure_month, rereferred_within_12_months);
    family.desk = desk;
    family.request_day = now;
    families_->set_state(index, FamilyState::at_front_door);
    if (desks_[desk].screeners.try_seize(now))
        start_screening_family(index);
    else
        desks_[desk].line.join(context_->simulation, issue_ticket(index, false, desk), 0);
}

// No family record is made for a contact about a universal family: it goes through the desk on a ticket
// carrying its desk and locality.
void FrontDoor::receive_concern(std::uint32_t locality, Desk desk) {
    count_contact(desk, locality);
    const std::uint32_t ticket = issue_ticket(locality, true, desk);
    if (desks_[desk].screeners.try_seize(context_->now()))
        start_screening_concern(ticket);
    else
        desks_[desk].line.join(context_->simulation, ticket, 0);
}

void FrontDoor::start_screening(std::uint32_t ticket) {
    if (tickets_[ticket].about_universal_family) {
        start_screening_concern(ticket);
        return;
    }
    const std::uint32_t family = tickets_[ticket].family_or_locality;
    return_ticket(ticket);
    start_screening_family(family);
}

void FrontDoor::start_screening_family(std::uint32_t index) {
    Family& family = (*families_)[index];
    context_->schedule_in(desks_[family.desk].screening(family.random), EventKind::screening_done, index);
}

void FrontDoor::start_screening_concern(std::uint32_t ticket) {
    const Ticket& concern = tickets_[ticket];
    kernel::RandomEngine& random = need_->concern_stream(concern.family_or_locality);
    context_->schedule_in(desks_[concern.desk].screening(random), EventKind::concern_screening_done, ticket);
}

void FrontDoor::next_in_line(Desk desk) {
    kernel::hand_over_or_release(desks_[desk].screeners, desks_[desk].line, context_->simulation,
                                 [&](std::uint32_t ticket) { start_screening(ticket); });
}

void FrontDoor::concern_screening_done(std::uint32_t ticket) {
    const Desk desk = tickets_[ticket].desk;
    return_ticket(ticket);
    next_in_line(desk);
    context_->ledger.count(triaged_no_further_action);
}

void FrontDoor::screening_done(std::uint32_t family) {
    next_in_line((*families_)[family].desk);
    triage(family);
}

// The social-care front door first decides whether a contact is accepted as a referral (its conversion, by
// the family's true level); a contact it does not accept gets one of the other decisions in the triage row's
// proportions. The Early Help Hub decides by the triage row, whose social-care share is its own referrals.
TriageOutcome FrontDoor::decide(Family& family) const {
    const FrontDoorParameters& front_door = context_->parameters->front_door;
    const std::size_t level = level_index(family.level);
    const auto& row = front_door.outcome_by_level[level];
    if (family.desk == early_help_hub) return static_cast<TriageOutcome>(choose(family.random, row));
    if (family.random.uniform() < front_door.contact_to_referral_by_level[level]) return social_care;
    const double others = row[no_further_action] + row[single_agency] + row[multi_agency_early_help];
    const double draw = family.random.uniform() * others;
    if (draw < row[no_further_action] || others <= 0.0) return no_further_action;
    return draw < row[no_further_action] + row[single_agency] ? single_agency : multi_agency_early_help;
}

void FrontDoor::triage(std::uint32_t index) {
    Ledger& ledger = context_->ledger;
    switch (decide((*families_)[index])) {
        case no_further_action:
            ledger.count(triaged_no_further_action);
            need_->back_to_hidden_need(index);
            break;
        case single_agency:
            ledger.count(triaged_single_agency);
            start_single_agency_help(index);
            break;
        case multi_agency_early_help:
            ledger.count(triaged_early_help);
            allocation_->request_early_help(index);
            break;
        case social_care:
            ledger.count(triaged_social_care);
            social_care_->refer(index, ReferralRoute::front_door);
            break;
    }
}

void FrontDoor::start_single_agency_help(std::uint32_t index) {
    Family& family = (*families_)[index];
    families_->set_state(index, FamilyState::single_agency_help);
    context_->schedule_in(
        kernel::Exponential(context_->parameters->early_help.single_agency_duration_days)(family.random),
        EventKind::single_agency_help_ends, index);
}

void FrontDoor::single_agency_help_ends(std::uint32_t index) {
    Family& family = (*families_)[index];
    if (family.random.uniform() < context_->parameters->early_help.single_agency_resolution_probability)
        families_->leave(index);
    else
        need_->back_to_hidden_need(index);
}

}  // namespace ehsim::model
