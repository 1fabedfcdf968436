// The Early Help system on the kernel: families with need, touchpoints that find it, two front doors
// that triage it, locality teams that hold cases, social care, and the return of need. One object is
// one replication; docs/model.md describes it in the ODD protocol's order.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "sim/kernel/distributions.hpp"
#include "sim/kernel/random_streams.hpp"
#include "sim/kernel/server_pool.hpp"
#include "sim/kernel/simulation.hpp"
#include "sim/kernel/statistics.hpp"
#include "sim/kernel/waiting_line.hpp"
#include "sim/model/calendar.hpp"
#include "sim/model/indicators.hpp"
#include "sim/model/parameters.hpp"

namespace ehsim::model {

// What one replication counted, month by month over the reported horizon.
struct ReplicationResult {
    int months = 0;
    int localities = 0;
    std::vector<double> tallies;           // [kTallies][months]
    std::vector<double> locality_tallies;  // [kLocalityTallies][localities][months]
    std::uint64_t families_entered = 0;
    std::uint64_t families_left = 0;
    std::uint64_t events = 0;
    std::uint64_t trajectory_fingerprint = 0;

    double tally(Tally tally, int month) const { return tallies[static_cast<std::size_t>(tally) * months + month]; }
    double locality_tally(LocalityTally tally, int locality, int month) const {
        return locality_tallies[(static_cast<std::size_t>(tally) * localities + locality) * months + month];
    }
};

// Where a family is. Every family the model holds is in exactly one of these.
enum class FamilyState : std::uint8_t {
    hidden_need,         // need above level 1, not yet known to services
    at_front_door,       // waiting for or being screened at the MASH or the Early Help Hub
    single_agency_help,  // level 2 help from one agency
    waiting_for_lead_professional,
    early_help_case,  // allocated: assessment, plan, reviews
    social_care_assessment,
    waiting_for_social_worker,
    social_care_episode,  // child in need, child protection or looked after
    need_will_return,     // case closed; the family's need is due to come back
};
inline constexpr int kFamilyStates = 9;

class EarlyHelpModel {
public:
    EarlyHelpModel(const Scenario& scenario, const kernel::RandomStreams& streams, std::uint64_t replication);

    // Runs the warm-up and the horizon; returns the reported months.
    ReplicationResult run() { return finish(); }

    // The same run in steps, so that options can branch from their baseline: advance_to runs every event
    // before `day` (starting the run on the first call); finish runs to the end of the horizon.
    void advance_to(double day);
    ReplicationResult finish();

    // A copy of this replication that goes on as `option`: an option of this scenario whose parameters
    // are this scenario's until its first change, which is not before now. The copy's results are
    // identical to running the option from the start on the same random streams, at the cost of the
    // time since its first change only (ehsim compare's options share their baseline's warm-up).
    EarlyHelpModel continue_as(const Scenario& option) const;

    // The first day on which an option's parameters differ from its baseline's (infinity if never).
    static double first_change_day(const Scenario& option);

    // Families in each state now (for conservation checks).
    const std::array<std::uint64_t, kFamilyStates>& families_by_state() const { return families_by_state_; }

    void operator()(const kernel::Event& event);

private:
    enum EventKind : kernel::EventKind {
        kNewNeed,            // subject: locality
        kHiddenNeedChanges,  // subject: family (identified, escalates or resolves)
        kScreeningDone,      // subject: family
        kSingleAgencyHelpEnds,
        kGivesUpWaiting,  // subject: family
        kCaseCloses,
        kSocialCareAssessmentDone,
        kSocialCareEpisodeEnds,
        kNeedReturns,
        kMonthEnds,         // subject: month index from the start of the warm-up
        kDatedChange,       // subject: index into scenario.changes
        kParameterChange,   // subject: index into scenario.parameter_changes
        kUniversalConcern,  // subject: locality (a contact about a family with no additional need)
    };
    enum Desk : std::uint8_t { social_care_front_door = 0, early_help_hub = 1 };
    static constexpr std::uint32_t kNoTeam = std::numeric_limits<std::uint32_t>::max();
    // A subject at a front door with this bit set is a contact about a universal family, not a family:
    // bit 30 is its desk, the low bits its locality.
    static constexpr std::uint32_t kConcernToken = 0x80000000u;
    static constexpr std::uint32_t kTokenLocalityMask = 0x3fffffffu;

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
    };

    struct TeamState {
        std::uint32_t locality;
        Role role;
        double fte;
        double caseload_per_fte;
        kernel::ServerPool slots;
        kernel::WaitingLine line;
    };

    struct DeskState {
        kernel::ServerPool screeners;
        kernel::WaitingLine line;
        kernel::Exponential screening;
    };

    // Handlers, named for what happens.
    void need_arises(std::uint32_t locality);
    void universal_concern(std::uint32_t locality);
    void schedule_universal_concern(std::uint32_t locality);
    void hidden_need_changes(std::uint32_t family);
    void receive_contact(std::uint32_t family, Desk desk);
    void triage(std::uint32_t family);
    void single_agency_help_ends(std::uint32_t family);
    void request_early_help(std::uint32_t family);
    void allocate_lead_professional(std::uint32_t family, std::uint32_t team);
    void gives_up_waiting(std::uint32_t family);
    void close_case(std::uint32_t family);
    void refer_to_social_care(std::uint32_t family);
    void social_care_assessment_done(std::uint32_t family);
    void start_social_care_episode(std::uint32_t family);
    void social_care_episode_ends(std::uint32_t family);
    void need_returns(std::uint32_t family);
    void month_ends(int month);
    void apply_change(std::size_t change);
    void change_parameters(std::size_t change);
    void start();
    void schedule_changes();
    std::uint32_t locality_index(const std::string& name) const;
    static std::uint32_t caseload_slots(double fte, double caseload_per_fte);
    void update_staffing();  // caseload slots and FTE in post, for caseloads and staff costs
    void serve_waiting(std::uint32_t team);
    void redraw_hidden_need();
    void redraw_arrivals(bool only_changed);
    double new_need_rate(std::uint32_t locality) const;
    double universal_concern_rate(std::uint32_t locality) const;
    void add_team(const Team& team);

    // Helpers.
    std::uint32_t new_family(std::uint32_t locality, NeedLevel level);
    void leave(std::uint32_t family);
    void set_state(std::uint32_t family, FamilyState state);
    void schedule_hidden_need(std::uint32_t family);
    void schedule_return(std::uint32_t family, double probability);
    void start_screening(std::uint32_t subject);
    Desk desk_of(std::uint32_t subject) const;
    void count_contact(Desk desk, std::uint32_t locality);
    void free_slot_in_team(std::uint32_t team);
    void schedule_new_need(std::uint32_t locality);
    double touchpoint_contacts_per_year(const Family& family, const Touchpoint& touchpoint) const;
    double identification_rate(const Family& family) const;
    double escalation_rate(const Family& family) const;
    double resolution_rate(const Family& family) const;
    double engagement(const Family& family) const;
    Access access_of(const Family& family) const;
    void count_in_locality(LocalityTally tally, std::uint32_t locality, double amount = 1.0);
    double case_duration_factor(const Family& family, std::uint32_t team) const;
    double population_factor() const;
    double population_factor_now() const;
    std::uint32_t team_for(std::uint32_t locality, Role role) const;
    void update_access();
    void derive_from_localities();
    void count(Tally tally, double amount = 1.0);
    void count_cohort_once(bool& counted, double event_day, int event_month, Tally tally);
    int current_month() const;  // reported month index, or -1 in the warm-up
    void change_early_help_open(const Family& family, double change);
    void change_care(const Family& family, double change);

    const Scenario* scenario_;       // the parameters in force: the scenario, or a later parameter change
    const Scenario* base_scenario_;  // the scenario run, whose parameter changes scenario_ follows
    bool started_ = false;
    std::vector<kernel::EventHandle> dated_change_events_;  // the scenario's own dated changes, by index
    kernel::RandomStreams streams_;
    std::uint64_t replication_;
    kernel::Simulation simulation_;
    Calendar calendar_;
    int warm_up_months_ = 0;
    int reported_months_ = 0;
    int month_index_ = 0;                                   // calendar month now running, from the start of the warm-up
    double population_factor_ = 1.0;                        // population relative to the start date, this month
    double growth_from_day_ = -1, growth_from_factor_ = 1;  // growth compounds from here (-1: the start date)

    std::vector<Family> families_;
    std::uint32_t free_family_ = std::numeric_limits<std::uint32_t>::max();
    std::array<std::uint64_t, kFamilyStates> families_by_state_{};
    std::uint64_t families_entered_ = 0, families_left_ = 0;

    std::vector<TeamState> teams_;
    std::vector<std::array<std::uint32_t, kRoles>> team_index_;  // [locality][role]
    std::vector<DeskState> desks_;
    struct CatchmentSlice {
        double upper;  // families with catchment_position below this (and above the previous slice's)
        Access access;
    };
    std::vector<std::vector<CatchmentSlice>> catchments_;  // by locality: its sites' catchments in order
    std::vector<SiteType> site_types_;                     // current type of each site
    std::vector<double> families_at_start_;                // by locality
    std::vector<std::array<double, 4>> age_band_shares_;   // children by age band, as shares, by locality
    std::vector<kernel::RandomEngine> arrival_streams_;    // by locality
    std::vector<kernel::EventHandle> next_arrival_;
    std::vector<kernel::RandomEngine> concern_streams_;  // by locality
    std::vector<kernel::EventHandle> next_concern_;
    std::vector<double> arrival_rate_, concern_rate_;  // rates of the pending arrivals, by locality
    std::vector<std::uint64_t> arrivals_in_locality_;
    std::vector<kernel::Poisson> extra_children_;  // children per family beyond the first, by locality

    // Time-weighted quantities for costs and caseloads: early-help cases by lead role (+1: led by
    // school or health without a team), children in care by type, family support slots and FTE.
    std::array<kernel::TimeWeightedAverage, kRoles + 1> cases_by_role_{};
    std::array<kernel::TimeWeightedAverage, kCareTypes> children_in_care_{};
    kernel::TimeWeightedAverage family_support_slots_;
    std::array<kernel::TimeWeightedAverage, kRoles> staff_fte_by_role_{};
    std::array<double, kCareTypes> children_in_care_now_{};
    std::vector<double> early_help_open_by_locality_, children_in_need_by_locality_;
    double early_help_open_ = 0;

    ReplicationResult result_;
};

}  // namespace ehsim::model
