#include "sim/model/early_help_model.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "sim/model/random_times.hpp"

namespace ehsim::model {

std::vector<ParameterChange> dated_changes_as_parameters(const Scenario& scenario) {
    const std::vector<DatedChange>& dated = scenario.changes;
    // In the order they take effect: by day, then as listed (the order their events run in).
    std::vector<std::size_t> order(dated.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return dated[a].day < dated[b].day; });
    Scenario in_force = scenario;
    in_force.changes.clear();
    in_force.parameter_changes.clear();
    std::vector<ParameterChange> changes(dated.size());
    for (const std::size_t index : order) {
        const DatedChange& change = dated[index];
        std::string description;
        for (Site& site : in_force.sites)
            if (!change.site.empty() && site.name == change.site) {
                site.type = change.site_becomes;
                description = change.site + " becomes " + to_string(change.site_becomes);
            }
        if (!change.team_locality.empty()) {
            auto team = std::find_if(in_force.teams.begin(), in_force.teams.end(), [&](const Team& candidate) {
                return candidate.locality == change.team_locality && candidate.role == change.team_role;
            });
            if (team == in_force.teams.end())
                throw std::invalid_argument("dated change for a team that does not exist");
            team->fte = change.team_fte;
            description = change.team_locality + " " + to_string(change.team_role) + " FTE";
        }
        changes[index] = ParameterChange{change.date, change.day, description, std::make_shared<Scenario>(in_force)};
    }
    return changes;
}

EarlyHelpModel::EarlyHelpModel(const Scenario& scenario, const kernel::RandomStreams& streams,
                               std::uint64_t replication) {
    if (!scenario.changes.empty() && !scenario.parameter_changes.empty())
        throw std::invalid_argument("a scenario has dated changes or parameter changes, not both");
    const auto start = parse_iso_date(scenario.time.start_date);
    if (!start) throw std::invalid_argument("scenario start date is not a date: " + scenario.time.start_date);
    const int warm_up_months = static_cast<int>(std::lround(scenario.time.warm_up_years * 12.0));
    const int reported_months = static_cast<int>(std::lround(scenario.time.horizon_years * 12.0));
    if (reported_months < 1) throw std::invalid_argument("the horizon must be at least one month");
    context_.parameters = &scenario;
    context_.run = &scenario;
    context_.streams = streams;
    context_.replication = replication;
    context_.calendar = Calendar(add_months(*start, -warm_up_months), warm_up_months + reported_months);
    context_.warm_up_months = warm_up_months;
    context_.ledger = Ledger(warm_up_months, reported_months, scenario.localities.size());
    families_ = Families(&context_);
    need_ = Need(&context_, scenario.localities.size());
    wire();
    changes_ = dated_changes_as_parameters(scenario);
    changes_.insert(changes_.end(), scenario.parameter_changes.begin(), scenario.parameter_changes.end());
    derive_state();
}

EarlyHelpModel::EarlyHelpModel(const EarlyHelpModel& other)
    : context_(other.context_),
      started_(other.started_),
      changes_applied_(other.changes_applied_),
      changes_(other.changes_),
      change_events_(other.change_events_),
      catchments_(other.catchments_),
      families_(other.families_),
      teams_(other.teams_),
      need_(other.need_),
      front_door_(other.front_door_),
      allocation_(other.allocation_),
      cases_(other.cases_),
      social_care_(other.social_care_) {
    wire();
}

EarlyHelpModel::EarlyHelpModel(EarlyHelpModel&& other) noexcept
    : context_(std::move(other.context_)),
      started_(other.started_),
      changes_applied_(other.changes_applied_),
      changes_(std::move(other.changes_)),
      change_events_(std::move(other.change_events_)),
      catchments_(std::move(other.catchments_)),
      families_(std::move(other.families_)),
      teams_(std::move(other.teams_)),
      need_(std::move(other.need_)),
      front_door_(std::move(other.front_door_)),
      allocation_(other.allocation_),
      cases_(other.cases_),
      social_care_(other.social_care_) {
    wire();
}

void EarlyHelpModel::wire() {
    families_.rewire(&context_);
    need_.rewire(&context_, &families_, &catchments_, &front_door_);
    front_door_.rewire(&context_, &families_, &need_, &allocation_, &social_care_);
    allocation_.rewire(&context_, &families_, &teams_, &need_, &cases_, &social_care_);
    cases_.rewire(&context_, &families_, &teams_, &need_, &allocation_, &social_care_, &front_door_);
    social_care_.rewire(&context_, &families_, &teams_, &need_, &allocation_);
}

void EarlyHelpModel::derive_state() {
    const Scenario& parameters = *context_.parameters;
    // Sites first, so that families allocated to new capacity below have their new access.
    catchments_ = catchments_of(parameters, *context_.run);
    teams_.derive(parameters);
    for (std::uint32_t team = 0; team < teams_.size(); ++team) {
        if (teams_[team].role == Role::social_worker)
            social_care_.fill_free_places(team);
        else
            allocation_.fill_free_places(team);
    }
    context_.ledger.record_staffing(context_.now(), teams_.family_support_places(), teams_.fte_by_role(parameters));
    context_.ledger.record_sites(context_.now(), running_cost_of_open_sites(parameters));
    families_.derive(parameters);
    front_door_.derive(parameters);
    if (started_) {
        need_.redraw_arrivals(true);
        need_.redraw_hidden_need();
    }
}

void EarlyHelpModel::start() {
    started_ = true;
    need_.start();
    for (int month = 0; month < context_.calendar.months(); ++month)
        context_.schedule_at(context_.calendar.month_start(month + 1), EventKind::month_ends,
                             static_cast<std::uint32_t>(month));
    schedule_changes();
    context_.ledger.record_staffing(context_.now(), teams_.family_support_places(),
                                    teams_.fte_by_role(*context_.parameters));
    context_.ledger.record_sites(context_.now(), running_cost_of_open_sites(*context_.parameters));
}

void EarlyHelpModel::schedule_changes() {
    change_events_.clear();
    for (std::size_t change = 0; change < changes_.size(); ++change)
        change_events_.push_back(context_.schedule_cancellable_at(changes_[change].day, EventKind::parameters_change,
                                                                  static_cast<std::uint32_t>(change)));
}

void EarlyHelpModel::advance_to(double day) {
    if (!started_) start();
    // The last month end is at the calendar's end: a run to the end goes through it.
    const double end = std::nextafter(context_.calendar.end(), kNever);
    if (day > context_.now()) context_.simulation.run_until(std::min(day, end), *this);
}

double EarlyHelpModel::first_change_day(const Scenario& option) {
    double first = kNever;
    for (const DatedChange& change : option.changes) first = std::min(first, change.day);
    for (const ParameterChange& change : option.parameter_changes) first = std::min(first, change.day);
    return first;
}

EarlyHelpModel EarlyHelpModel::continue_as(const Scenario& option) const {
    if (!started_ || first_change_day(option) < context_.now())
        throw std::logic_error("continue_as: the option changes before the point it would branch from");
    if (changes_applied_ > 0) throw std::logic_error("continue_as: this run has already changed its parameters");
    EarlyHelpModel branch(*this);
    // The option's parameters are this scenario's until its first change; its changes replace this run's
    // (an option carries its baseline's dated changes as its own).
    branch.context_.parameters = &option;
    branch.context_.run = &option;
    for (const kernel::EventHandle change : branch.change_events_) branch.context_.simulation.cancel(change);
    branch.changes_ = dated_changes_as_parameters(option);
    branch.changes_.insert(branch.changes_.end(), option.parameter_changes.begin(), option.parameter_changes.end());
    branch.schedule_changes();
    return branch;
}

ReplicationResult EarlyHelpModel::finish() {
    advance_to(kNever);
    ReplicationResult result = context_.ledger.result();
    result.families_entered = families_.entered();
    result.families_left = families_.left();
    result.events = context_.simulation.events_processed();
    return result;
}

// From now on the model reads the new parameters, and what it derived from the old ones follows them.
void EarlyHelpModel::parameters_change(std::uint32_t change) {
    const Scenario& next = *changes_[change].parameters;
    need_.parameters_changing(next);
    context_.parameters = &next;
    ++changes_applied_;
    derive_state();
}

double running_cost_of_open_sites(const Scenario& parameters) {
    double per_year = 0.0;
    for (const Site& site : parameters.sites)
        if (site.type != SiteType::closed) per_year += site.running_cost_per_year.pounds;
    return per_year;
}

double children_aged_0_to_17(const Scenario& parameters) {
    if (parameters.children_aged_0_to_17 > 0) return parameters.children_aged_0_to_17;
    // From the age bands: 16 and 17 are half of the 16-19 band.
    double children = 0.0;
    for (const Locality& locality : parameters.localities)
        children += locality.children.age_0_to_4 + locality.children.age_5_to_10 + locality.children.age_11_to_15 +
                    0.5 * locality.children.age_16_to_19;
    return children;
}

// Social care's stocks as DfE reads them at 31 March: children awaiting assessment, on each social worker's
// caseload, and on protection plans by time on the plan so far (DfE's bands).
void EarlyHelpModel::social_care_stocks(MonthEndStocks& stocks) const {
    static constexpr double kBandEndsDays[] = {kDaysPerYear / 4, kDaysPerYear / 2, kDaysPerYear, 2 * kDaysPerYear};
    const double now = context_.now();
    const SocialCareParameters& care_parameters = context_.parameters->social_care;
    families_.for_each_in_social_care([&](std::uint32_t, const Family& family) {
        const double children = family.children;
        const FamilyState state = family.state;
        if (state == FamilyState::waiting_for_social_worker || state == FamilyState::social_care_assessment)
            stocks.children_awaiting_assessment += children;
        if ((state == FamilyState::social_care_assessment || state == FamilyState::social_care_episode) &&
            family.team != kNoTeam)
            stocks.social_work_cases += children * care_parameters.cases_counted_per_child_held;
        if (state == FamilyState::social_care_episode && family.care == child_protection) {
            const double on_plan = now - family.care_start_day;
            std::size_t band = 0;
            while (band < std::size(kBandEndsDays) && on_plan > kBandEndsDays[band]) ++band;
            stocks.protection_by_time_on_plan[band] += children;
        }
    });
    stocks.social_worker_fte = teams_.fte_by_role(*context_.parameters)[static_cast<int>(Role::social_worker)];
}

const MonthEndStocks& EarlyHelpModel::stocks() {
    const Scenario& parameters = *context_.parameters;
    MonthEndStocks& stocks = month_end_stocks_;
    // Every figure back to zero, the locality rows keeping their storage: a month's end allocates nothing.
    std::vector<MonthEndStocks::LocalityStocks> localities = std::move(stocks.localities);
    stocks = MonthEndStocks{};
    localities.assign(parameters.localities.size(), MonthEndStocks::LocalityStocks{});
    stocks.localities = std::move(localities);
    for (std::uint32_t team = 0; team < teams_.size(); ++team) {
        const TeamState& holding = teams_[team];
        if (holding.role == Role::social_worker) continue;
        for (int priority = 0; priority < kPriorities; ++priority)
            stocks.waiting_for_lead_professional[priority] +=
                static_cast<double>(holding.line.size(static_cast<std::uint32_t>(priority)));
        MonthEndStocks::LocalityStocks& locality = stocks.localities[holding.locality];
        locality.waiting += static_cast<double>(holding.line.size());
        locality.caseload_places_in_use += static_cast<double>(holding.places.in_use());
        locality.caseload_places += static_cast<double>(holding.places.capacity());
    }
    stocks.waiting_for_social_worker = static_cast<double>(families_.in_state(FamilyState::waiting_for_social_worker));
    stocks.single_agency_open = static_cast<double>(families_.in_state(FamilyState::single_agency_help));
    stocks.hidden_need_families = static_cast<double>(families_.in_state(FamilyState::hidden_need));
    std::uint64_t in_system = 0;
    for (const std::uint64_t count_in_state : families_.by_state()) in_system += count_in_state;
    stocks.families_in_system = static_cast<double>(in_system);
    stocks.children_population = children_aged_0_to_17(parameters) * need_.population_factor();
    social_care_stocks(stocks);
    return stocks;
}

void EarlyHelpModel::month_ends(int month_from_start) {
    // Demand grows with the population: each locality's next arrival is redrawn at the new rate (the arrival
    // process is memoryless, so this is exact for a rate that is constant within a month).
    need_.update_population();
    need_.redraw_arrivals(false);
    context_.ledger.close_month(context_.now(), month_from_start, stocks(), context_.parameters->costs);
}

void EarlyHelpModel::operator()(const kernel::Event& event) {
    ReplicationResult& result = context_.ledger.result();
    result.trajectory_fingerprint =
        kernel::mix64(result.trajectory_fingerprint ^ std::bit_cast<std::uint64_t>(event.time) ^
                      (static_cast<std::uint64_t>(event.kind) << 32) ^ event.subject);
    const std::uint32_t subject = event.subject;
    switch (static_cast<EventKind>(event.kind)) {
        case EventKind::new_need:
            return need_.need_arises(subject);
        case EventKind::hidden_need_changes:
            return need_.hidden_need_changes(subject);
        case EventKind::screening_done:
            return front_door_.screening_done(subject);
        case EventKind::single_agency_help_ends:
            return front_door_.single_agency_help_ends(subject);
        case EventKind::gives_up_waiting:
            return allocation_.gives_up_waiting(subject);
        case EventKind::case_closes:
            return cases_.close(subject);
        case EventKind::social_care_assessment_done:
            return social_care_.assessment_done(subject);
        case EventKind::social_care_episode_ends:
            return social_care_.episode_ends(subject);
        case EventKind::need_returns:
            return need_.need_returns(subject);
        case EventKind::month_ends:
            return month_ends(static_cast<int>(subject));
        case EventKind::parameters_change:
            return parameters_change(subject);
        case EventKind::universal_concern:
            return need_.universal_concern(subject);
        case EventKind::concern_screening_done:
            return front_door_.concern_screening_done(subject);
        case EventKind::initial_conference:
            return social_care_.initial_conference(subject);
        case EventKind::section_47_enquiry_starts:
            return social_care_.section_47_enquiry_starts(subject);
        case EventKind::escalates_while_waiting:
            return allocation_.escalates_while_waiting(subject);
        case EventKind::referred_again:
            return social_care_.refer(subject, ReferralRoute::front_door);
    }
    throw std::logic_error("early help model: unknown event kind");
}

}  // namespace ehsim::model
