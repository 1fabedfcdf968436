// The front doors: the social-care front door (the MASH) and the Early Help Hub. Each screens the contacts it
// receives, one screener to a contact, in the order they came; triage then decides what happens to the family:
// no further action, one agency's help, multi-agency early help, or a referral to social care. Contacts about
// families with no additional need are screened too, then closed.
#pragma once

#include <cstdint>
#include <limits>
#include <tuple>
#include <vector>

#include "sim/kernel/distributions.hpp"
#include "sim/kernel/server_pool.hpp"
#include "sim/kernel/waiting_line.hpp"
#include "sim/model/families.hpp"
#include "sim/model/model_context.hpp"

namespace ehsim::model {

class Need;
class Allocation;
class SocialCare;

class FrontDoor {
public:
    void rewire(ModelContext* context, Families* families, Need* need, Allocation* allocation,
                SocialCare* social_care) {
        std::tie(context_, families_, need_, allocation_, social_care_) =
            std::tie(context, families, need, allocation, social_care);
    }

    // Screeners and screening times from the parameters in force; screeners added serve those waiting.
    void derive(const Scenario& parameters);

    // A contact about a family with need, or about a family with none (from its locality's concern stream).
    void receive_contact(std::uint32_t family, Desk desk);
    void receive_concern(std::uint32_t locality, Desk desk);

    // Event handlers.
    void screening_done(std::uint32_t family);  // then triage
    void concern_screening_done(std::uint32_t ticket);
    void single_agency_help_ends(std::uint32_t family);

    // One agency's own (level 2) help starts: from triage, or a case stepped down from level 3.
    void start_single_agency_help(std::uint32_t family);

private:
    struct DeskState {
        kernel::ServerPool screeners;
        kernel::WaitingLine line;  // of tickets
        kernel::Exponential screening;
    };
    // A contact waiting at a desk, or a concern being screened: the line and the concern's screening event
    // carry its ticket, which says what the contact is about.
    struct Ticket {
        std::uint32_t family_or_locality = 0;
        bool about_universal_family = false;
        Desk desk = early_help_hub;
        std::uint32_t next_free = kNoTicket;
    };
    static constexpr std::uint32_t kNoTicket = std::numeric_limits<std::uint32_t>::max();

    std::uint32_t issue_ticket(std::uint32_t family_or_locality, bool about_universal_family, Desk desk);
    void return_ticket(std::uint32_t ticket);
    void count_contact(Desk desk, std::uint32_t locality);
    void screen_or_queue(std::uint32_t ticket, Desk desk);
    void start_screening(std::uint32_t ticket);  // a contact from the line
    void start_screening_family(std::uint32_t family);
    void start_screening_concern(std::uint32_t ticket);
    void next_in_line(Desk desk);
    void triage(std::uint32_t family);
    TriageOutcome decide(Family& family) const;

    ModelContext* context_ = nullptr;
    Families* families_ = nullptr;
    Need* need_ = nullptr;
    Allocation* allocation_ = nullptr;
    SocialCare* social_care_ = nullptr;
    std::vector<DeskState> desks_;  // by Desk
    std::vector<Ticket> tickets_;
    std::uint32_t free_ticket_ = kNoTicket;
};

}  // namespace ehsim::model
