// The Early Help system on the kernel: families with need, touchpoints that find it, two front doors that
// triage it, locality teams that hold cases, social care, and the return of need. One object is one
// replication; it wires the components (one file each, in the domain's words) and dispatches events to them.
// docs/model.md describes the model in the ODD protocol's order; docs/architecture.md the life of an event.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/kernel/random_streams.hpp"
#include "sim/model/allocation.hpp"
#include "sim/model/cases.hpp"
#include "sim/model/catchments.hpp"
#include "sim/model/families.hpp"
#include "sim/model/front_door.hpp"
#include "sim/model/ledger.hpp"
#include "sim/model/model_context.hpp"
#include "sim/model/need.hpp"
#include "sim/model/parameters.hpp"
#include "sim/model/social_care.hpp"
#include "sim/model/teams.hpp"

namespace ehsim::model {

// Running costs a year of the sites open under `parameters`.
double running_cost_of_open_sites(const Scenario& parameters);
// Children aged 0-17 on the start date (DfE's denominator): the scenario's figure, else from the age bands.
double children_aged_0_to_17(const Scenario& parameters);

class EarlyHelpModel {
public:
    EarlyHelpModel(const Scenario& scenario, const kernel::RandomStreams& streams, std::uint64_t replication);
    // A copy goes on independently of the original (its components are wired to its own state).
    EarlyHelpModel(const EarlyHelpModel& other);
    EarlyHelpModel(EarlyHelpModel&& other) noexcept;
    EarlyHelpModel& operator=(const EarlyHelpModel&) = delete;

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
    const std::array<std::uint64_t, kFamilyStates>& families_by_state() const { return families_.by_state(); }

    void operator()(const kernel::Event& event);
    // The kernel's hint of the next event: starts loading its family's record (see kernel/simulation.hpp).
    void prefetch(const kernel::Event& event) const {
        families_.prefetch(event_subject_is_family(event.kind), event.subject);
    }

private:
    void wire();
    void start();
    void schedule_changes();
    // The one derivation of the model's state from the parameters in force: sites' catchments, teams'
    // caseload places (serving those waiting), staffing, families' make-up by locality, the front doors, and
    // (once running) arrival and hidden-need rates. Used at construction and at every change.
    void derive_state();
    void parameters_change(std::uint32_t change);
    void month_ends(int month_from_start);
    const MonthEndStocks& stocks();
    void social_care_stocks(MonthEndStocks& stocks) const;

    ModelContext context_;
    bool started_ = false;
    int changes_applied_ = 0;
    // The run's changes in the order they are scheduled: the scenario's own dated changes (each as the
    // parameter set it makes), then its parameter changes; and their pending events.
    std::vector<ParameterChange> changes_;
    std::vector<kernel::EventHandle> change_events_;
    Catchments catchments_;
    Families families_;
    Teams teams_;
    Need need_;
    FrontDoor front_door_;
    Allocation allocation_;
    Cases cases_;
    SocialCare social_care_;
    // The month's stocks, refilled at each month's end in the same storage (a scratch: copies start empty).
    MonthEndStocks month_end_stocks_;
};

// A scenario's dated changes (a site's type, a team's FTE) as the parameter sets they make, each on top of
// those before it in date order.
std::vector<ParameterChange> dated_changes_as_parameters(const Scenario& scenario);

}  // namespace ehsim::model
