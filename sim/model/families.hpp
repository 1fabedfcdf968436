// The families the model holds: each one's record (its own random stream, need level, children, where it
// lives and where it is in the system), kept in a pool that reuses the records of families who have left,
// so memory follows the families open now, not every family ever seen.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <limits>
#include <vector>

#include "sim/kernel/distributions.hpp"
#include "sim/kernel/event_queue.hpp"
#include "sim/kernel/huge_page_allocator.hpp"
#include "sim/kernel/prefetch.hpp"
#include "sim/kernel/random_streams.hpp"
#include "sim/model/model_context.hpp"
#include "sim/model/parameters.hpp"

namespace ehsim::model {

// Where a family is. Every family the model holds is in exactly one of these.
enum class FamilyState : std::uint8_t {
    hidden_need,         // need above level 1, not yet known to services
    at_front_door,       // waiting for or being screened at the MASH or the Early Help Hub
    single_agency_help,  // level 2 help from one agency
    waiting_for_lead_professional,
    early_help_case,              // allocated: assessment, plan, reviews
    social_care_assessment,       // referred; a social worker is assessing
    waiting_for_social_worker,    // referred; waiting for a social worker's caseload place to be assessed
    social_care_episode,          // assessed: child in need plan (or section 47 enquiry), protection plan, looked after
    need_will_return,             // case closed; the family's need is due to come back
    referral_will_be_made_again,  // no social-care service; the concerns are due to be referred again
};
inline constexpr int kFamilyStates = 10;

// The two front doors: the social-care front door (the MASH) and the Early Help Hub.
enum Desk : std::uint8_t { social_care_front_door = 0, early_help_hub = 1 };

inline constexpr std::uint32_t kNoTeam = std::numeric_limits<std::uint32_t>::max();

// The states the month's social-care stocks count: referred (waiting or assessed) or on a plan or in care.
inline bool in_social_care(FamilyState state) {
    constexpr unsigned kStates = (1u << static_cast<int>(FamilyState::social_care_assessment)) |
                                 (1u << static_cast<int>(FamilyState::waiting_for_social_worker)) |
                                 (1u << static_cast<int>(FamilyState::social_care_episode));
    return ((kStates >> static_cast<int>(state)) & 1u) != 0;
}

struct Family {
    kernel::RandomEngine random;  // the family's own stream: its draws do not move when others change
    std::uint32_t locality = 0;
    std::uint32_t team = kNoTeam;  // holding or queueing team
    std::uint32_t place = 0;       // place in a waiting line
    std::uint32_t next_free = 0;
    std::uint16_t children = 1;
    NeedLevel level = NeedLevel::additional;
    FamilyState state = FamilyState::hidden_need;
    Desk desk = early_help_hub;
    Priority priority = green;
    LeadAgency lead = lead_family_support;
    CareType care = child_in_need;
    ClosureReason closing_as = needs_met;
    bool active = false;           // false once the family has left (its record waits for reuse)
    float catchment_position = 0;  // uniform in [0, 1): which site's catchment the family lives in
    bool has_under_five = false, has_school_age = false, has_teenager = false, toxic_trio = false;
    bool rereferral_counted = true, reassessment_counted = true, step_down_return_counted = true;
    kernel::EventHandle pending;        // the cancellable event: hidden-need change or patience
    double identification_per_day = 0;  // hazards of hidden need, set when its next change is drawn
    double escalation_per_day = 0;
    double resolution_per_day = 0;
    double request_day = 0;
    double case_start_day = 0;
    double last_closure_day = -1e300;
    int last_closure_month = -1;
    double last_step_down_day = -1e300;
    int last_step_down_month = -1;
    double last_referral_day = -1e300;     // to social care: DfE's re-referral is within 12 months of the last
    double care_start_day = 0;             // the current plan's start (protection plans' length at 31 March)
    std::uint8_t protection_plans = 0;     // plans the children have had (DfE: second or later plans)
    bool gave_up_waiting = false;          // since its last allocation or referral (the route of a later referral)
    bool need_returns_at_level_4 = false;  // its need, due to return after social care, returns at level 4
};

// Need level 2, 3, 4 as an index 0, 1, 2 into the parameters' per-level rows.
inline std::size_t level_index(NeedLevel level) { return static_cast<std::size_t>(static_cast<int>(level) - 2); }

class Families {
public:
    explicit Families(ModelContext* context = nullptr) : context_(context) {}
    void rewire(ModelContext* context) { context_ = context; }

    // Families, age bands and family sizes by locality, from the parameters in force.
    void derive(const Scenario& parameters);

    // A new family with need at `level` in `locality`, in hidden need.
    std::uint32_t arrive(std::uint32_t locality, NeedLevel level);
    void leave(std::uint32_t family);
    void set_state(std::uint32_t family, FamilyState state);

    Family& operator[](std::uint32_t family) { return families_[family]; }
    const Family& operator[](std::uint32_t family) const { return families_[family]; }
    // Starts loading a family's record into the cache (a hint; nothing if `is_family` is false or no such record).
    void prefetch(bool is_family, std::uint32_t family) const {
        if (!is_family || family >= families_.size()) return;
        kernel::prefetch(&families_[family], sizeof(Family));
    }
    std::uint32_t records() const { return static_cast<std::uint32_t>(families_.size()); }

    // Calls `visit(index, family)` for every family in social care, in order of record (so that sums over
    // them round exactly as a scan of every record would): a month's stocks read one bit per record and the
    // records of those in social care, not every record of a large authority.
    template <class Visit>
    void for_each_in_social_care(Visit&& visit) const {
        // The records of the families kAhead words on are loaded while these are visited.
        constexpr std::size_t kAhead = 8;
        const std::size_t words = in_social_care_.size();
        for (std::size_t word = 0; word < std::min(kAhead, words); ++word) prefetch_word(word);
        for (std::size_t word = 0; word < words; ++word) {
            if (word + kAhead < words) prefetch_word(word + kAhead);
            for (std::uint64_t bits = in_social_care_[word]; bits != 0; bits &= bits - 1) {
                const std::uint32_t index = record_of(word, bits);
                visit(index, families_[index]);
            }
        }
    }

    const std::array<std::uint64_t, kFamilyStates>& by_state() const { return by_state_; }
    std::uint64_t in_state(FamilyState state) const { return by_state_[static_cast<int>(state)]; }
    std::uint64_t entered() const { return entered_; }
    std::uint64_t left() const { return left_; }
    double families_at_start(std::uint32_t locality) const { return families_at_start_[locality]; }

private:
    static std::uint32_t record_of(std::size_t word, std::uint64_t bits) {
        return static_cast<std::uint32_t>(word * 64 + static_cast<std::size_t>(std::countr_zero(bits)));
    }
    void prefetch_word(std::size_t word) const {
        for (std::uint64_t bits = in_social_care_[word]; bits != 0; bits &= bits - 1)
            kernel::prefetch(&families_[record_of(word, bits)], sizeof(Family));
    }
    void draw_children(Family& family);
    void mark_in_social_care(std::uint32_t index, bool in) {
        const std::uint64_t bit = std::uint64_t{1} << (index % 64);
        in_social_care_[index / 64] = in ? in_social_care_[index / 64] | bit : in_social_care_[index / 64] & ~bit;
    }

    ModelContext* context_;
    kernel::LargeVector<Family> families_;  // large and read at random: in huge pages where the system allows
    std::uint32_t free_family_ = std::numeric_limits<std::uint32_t>::max();
    std::array<std::uint64_t, kFamilyStates> by_state_{};
    std::uint64_t entered_ = 0, left_ = 0;
    std::vector<std::uint64_t> arrivals_in_locality_;
    std::vector<double> families_at_start_;               // by locality
    std::vector<std::array<double, 4>> age_band_shares_;  // children by age band, as shares, by locality
    std::vector<kernel::Poisson> extra_children_;         // children per family beyond the first, by locality
    std::vector<std::uint64_t> in_social_care_;           // bit i: record i is a family in social care
};

}  // namespace ehsim::model
