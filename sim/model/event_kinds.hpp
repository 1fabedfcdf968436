// Every kind of event the Early Help model schedules, with its same-time rank and why, in one table.
// Events at the same instant run by rank (lower first), then in the order they were scheduled; the
// model's components schedule through ModelContext, which looks the rank up here, so no call site
// carries a bare rank.
#pragma once

#include <array>
#include <cstdint>

#include "sim/kernel/event_queue.hpp"

namespace ehsim::model {

enum class EventKind : kernel::EventKind {
    new_need,                     // subject: locality
    hidden_need_changes,          // subject: family (identified, escalates or resolves)
    screening_done,               // subject: family
    single_agency_help_ends,      // subject: family
    gives_up_waiting,             // subject: family
    case_closes,                  // subject: family
    social_care_assessment_done,  // subject: family
    social_care_episode_ends,     // subject: family
    need_returns,                 // subject: family
    month_ends,                   // subject: month index from the start of the warm-up
    parameters_change,            // subject: index of the change in the run's list of changes
    universal_concern,            // subject: locality (a contact about a family with no additional need)
    concern_screening_done,       // subject: the concern's ticket at the front door
    initial_conference,           // subject: family
    section_47_enquiry_starts,    // subject: family (during a child in need plan)
    escalates_while_waiting,      // subject: family
    referred_again,               // subject: family (concerns raised again after no service)
};

// Whether an event's subject is a family's record (the others name a locality, a month, a change or a ticket).
inline bool event_subject_is_family(kernel::EventKind kind) {
    switch (static_cast<EventKind>(kind)) {
        case EventKind::new_need:
        case EventKind::month_ends:
        case EventKind::parameters_change:
        case EventKind::universal_concern:
        case EventKind::concern_screening_done:
            return false;
        default:
            return true;
    }
}

struct EventKindRow {
    EventKind kind;
    std::uint32_t same_time_rank;
    const char* why;
};

inline constexpr std::array<EventKindRow, 17> kEventKinds{{
    {EventKind::new_need, 0, "need arises in a locality, at any time"},
    {EventKind::hidden_need_changes, 0, "a family's hidden need is found, escalates or resolves"},
    {EventKind::screening_done, 0, "a front door finishes screening a family"},
    {EventKind::single_agency_help_ends, 0, "one agency's help ends"},
    {EventKind::gives_up_waiting, 0, "a waiting family disengages"},
    {EventKind::case_closes, 0, "an early-help case closes"},
    {EventKind::social_care_assessment_done, 0, "a social-work assessment ends"},
    {EventKind::social_care_episode_ends, 0, "a social-care episode ends"},
    {EventKind::need_returns, 0, "a closed family's need comes back"},
    // After everything else at its instant: the month it closes is complete.
    {EventKind::month_ends, 1, "a calendar month is recorded"},
    // After the month end at the same instant: a change dated on the 1st starts a new month, and the
    // month before is recorded on the old parameters.
    {EventKind::parameters_change, 2, "new parameters take effect (a scenario's dated change or an option's)"},
    {EventKind::universal_concern, 0, "a contact about a family with no additional need"},
    {EventKind::concern_screening_done, 0, "a front door finishes screening such a contact"},
    {EventKind::initial_conference, 0, "an initial child protection conference decides on a plan"},
    {EventKind::section_47_enquiry_starts, 0, "concern during a child in need plan starts a section 47 enquiry"},
    {EventKind::escalates_while_waiting, 0, "a waiting family's need escalates"},
    {EventKind::referred_again, 0, "concerns about a family given no service are referred to social care again"},
}};

// The table lists every kind once, in the enumeration's order.
constexpr bool event_table_is_complete() {
    for (std::size_t row = 0; row < kEventKinds.size(); ++row)
        if (static_cast<std::size_t>(kEventKinds[row].kind) != row) return false;
    return true;
}
static_assert(event_table_is_complete());

constexpr std::uint32_t same_time_rank(EventKind kind) {
    return kEventKinds[static_cast<std::size_t>(kind)].same_time_rank;
}

}  // namespace ehsim::model
