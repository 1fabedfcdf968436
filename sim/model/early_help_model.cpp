#include "sim/model/early_help_model.hpp"

#include <algorithm>
#include <bit>
#include <boost/random/exponential_distribution.hpp>
#include <cmath>
#include <stdexcept>

namespace ehsim::model {

namespace {

constexpr double kDaysPerYear = 365.25;
constexpr double kTwelveMonthsDays = 365.0;
constexpr double kNever = std::numeric_limits<double>::infinity();

// A waiting time with hazard `rate_per_day`; never when the rate is zero.
// (Boost's ziggurat: cheaper than inverting the distribution function with a logarithm.)
double exponential_time(kernel::RandomEngine& random, double rate_per_day) {
    if (!(rate_per_day > 0.0)) return kNever;
    return boost::random::exponential_distribution<double>(rate_per_day)(random);
}

// Index of the outcome whose cumulative share first exceeds a uniform draw.
template <std::size_t N>
std::size_t choose(kernel::RandomEngine& random, const std::array<double, N>& shares) {
    const double draw = random.uniform();
    double cumulative = 0.0;
    for (std::size_t index = 0; index + 1 < N; ++index) {
        cumulative += shares[index];
        if (draw < cumulative) return index;
    }
    return N - 1;
}

int level_index(NeedLevel level) { return static_cast<int>(level) - 2; }  // 2, 3, 4 -> 0, 1, 2

double draw_case_duration(kernel::RandomEngine& random, const EarlyHelpParameters& parameters) {
    switch (parameters.case_duration_distribution) {
        case CaseDuration::exponential:
            return kernel::Exponential(parameters.case_duration_mean_days)(random);
        case CaseDuration::gamma:
            return kernel::Gamma(parameters.case_duration_mean_days, parameters.case_duration_sd_days)(random);
        case CaseDuration::lognormal:
        default:
            return kernel::LogNormal(parameters.case_duration_mean_days, parameters.case_duration_sd_days)(random);
    }
}

}  // namespace

EarlyHelpModel::EarlyHelpModel(const Scenario& scenario, const kernel::RandomStreams& streams,
                               std::uint64_t replication)
    : scenario_(&scenario), base_scenario_(&scenario), streams_(streams), replication_(replication) {
    const auto start = parse_iso_date(scenario.time.start_date);
    if (!start) throw std::invalid_argument("scenario start date is not a date: " + scenario.time.start_date);
    warm_up_months_ = static_cast<int>(std::lround(scenario.time.warm_up_years * 12.0));
    reported_months_ = static_cast<int>(std::lround(scenario.time.horizon_years * 12.0));
    if (reported_months_ < 1) throw std::invalid_argument("the horizon must be at least one month");
    calendar_ = Calendar(add_months(*start, -warm_up_months_), warm_up_months_ + reported_months_);

    const std::size_t localities = scenario.localities.size();
    team_index_.assign(localities, {});
    for (auto& roles : team_index_) roles.fill(kNoTeam);
    for (const Team& team : scenario.teams) {
        if (team_for(locality_index(team.locality), team.role) != kNoTeam)
            throw std::invalid_argument("two teams of one role in locality " + team.locality);
        add_team(team);
    }
    for (const FrontDoorDesk* desk : {&scenario.front_door.social_care_front_door, &scenario.front_door.early_help_hub})
        desks_.push_back(
            DeskState{kernel::ServerPool(static_cast<std::uint32_t>(std::max(1.0, std::round(desk->screeners)))),
                      kernel::WaitingLine(1), kernel::Exponential(desk->screening_days)});

    for (const Site& site : scenario.sites) site_types_.push_back(site.type);
    update_access();
    derive_from_localities();
    for (std::size_t locality = 0; locality < localities; ++locality) {
        arrival_streams_.push_back(streams.stream(replication, "new need", locality));
        concern_streams_.push_back(streams.stream(replication, "universal concerns", locality));
    }
    next_arrival_.assign(localities, kernel::EventHandle{});
    next_concern_.assign(localities, kernel::EventHandle{});
    arrival_rate_.assign(localities, 0.0);
    concern_rate_.assign(localities, 0.0);
    arrivals_in_locality_.assign(localities, 0);
    early_help_open_by_locality_.assign(localities, 0.0);
    children_in_need_by_locality_.assign(localities, 0.0);

    result_.months = reported_months_;
    result_.localities = static_cast<int>(localities);
    result_.tallies.assign(static_cast<std::size_t>(kTallies) * reported_months_, 0.0);
    result_.locality_tallies.assign(static_cast<std::size_t>(kLocalityTallies) * localities * reported_months_, 0.0);
}

// ---- running -------------------------------------------------------------------------------------------

void EarlyHelpModel::start() {
    started_ = true;
    population_factor_ = population_factor_now();
    for (std::uint32_t locality = 0; locality < scenario_->localities.size(); ++locality) {
        schedule_new_need(locality);
        schedule_universal_concern(locality);
    }
    for (int month = 0; month < calendar_.months(); ++month)
        // Month ends run after everything else at the same instant (rank 1): the month is complete.
        simulation_.schedule_at(calendar_.month_start(month + 1), kMonthEnds, static_cast<std::uint32_t>(month), 1);
    schedule_changes();
    update_staffing();
}

// A change dated on the 1st takes effect after the previous month's end is recorded (rank 2).
void EarlyHelpModel::schedule_changes() {
    dated_change_events_.clear();
    for (std::size_t change = 0; change < base_scenario_->changes.size(); ++change)
        dated_change_events_.push_back(simulation_.schedule_cancellable_at(
            base_scenario_->changes[change].day, kDatedChange, static_cast<std::uint32_t>(change), 2));
    for (std::size_t change = 0; change < base_scenario_->parameter_changes.size(); ++change)
        simulation_.schedule_at(base_scenario_->parameter_changes[change].day, kParameterChange,
                                static_cast<std::uint32_t>(change), 2);
}

void EarlyHelpModel::advance_to(double day) {
    if (!started_) start();
    // The last month end is at the calendar's end: a run to the end goes through it.
    const double end = std::nextafter(calendar_.end(), kNever);
    if (day > simulation_.now()) simulation_.run_until(std::min(day, end), *this);
}

double EarlyHelpModel::first_change_day(const Scenario& option) {
    double first = kNever;
    for (const DatedChange& change : option.changes) first = std::min(first, change.day);
    for (const ParameterChange& change : option.parameter_changes) first = std::min(first, change.day);
    return first;
}

EarlyHelpModel EarlyHelpModel::continue_as(const Scenario& option) const {
    if (!started_ || first_change_day(option) < simulation_.now())
        throw std::logic_error("continue_as: the option changes before the point it would branch from");
    // Parameter-change events cannot be cancelled: only a scenario without them can be branched from.
    if (!base_scenario_->parameter_changes.empty())
        throw std::logic_error("continue_as: branch from a baseline, not from an option");
    EarlyHelpModel branch(*this);
    branch.scenario_ = &option;
    branch.base_scenario_ = &option;
    // This scenario's own dated changes are not the option's (an option carries the baseline's as its own).
    for (const kernel::EventHandle change : branch.dated_change_events_) branch.simulation_.cancel(change);
    branch.schedule_changes();
    return branch;
}

ReplicationResult EarlyHelpModel::finish() {
    advance_to(kNever);
    result_.families_entered = families_entered_;
    result_.families_left = families_left_;
    result_.events = simulation_.events_processed();
    return result_;
}

void EarlyHelpModel::operator()(const kernel::Event& event) {
    result_.trajectory_fingerprint =
        kernel::mix64(result_.trajectory_fingerprint ^ std::bit_cast<std::uint64_t>(event.time) ^
                      (static_cast<std::uint64_t>(event.kind) << 32) ^ event.subject);
    switch (event.kind) {
        case kNewNeed:
            need_arises(event.subject);
            break;
        case kHiddenNeedChanges:
            hidden_need_changes(event.subject);
            break;
        case kScreeningDone:
            triage(event.subject);
            break;
        case kSingleAgencyHelpEnds:
            single_agency_help_ends(event.subject);
            break;
        case kGivesUpWaiting:
            gives_up_waiting(event.subject);
            break;
        case kCaseCloses:
            close_case(event.subject);
            break;
        case kSocialCareAssessmentDone:
            social_care_assessment_done(event.subject);
            break;
        case kSocialCareEpisodeEnds:
            social_care_episode_ends(event.subject);
            break;
        case kNeedReturns:
            need_returns(event.subject);
            break;
        case kMonthEnds:
            month_ends(static_cast<int>(event.subject));
            break;
        case kDatedChange:
            apply_change(event.subject);
            break;
        case kParameterChange:
            change_parameters(event.subject);
            break;
        case kUniversalConcern:
            universal_concern(event.subject);
            break;
        default:
            throw std::logic_error("early help model: unknown event kind");
    }
}

// ---- need arising and hidden need ------------------------------------------------------------------

// The scenario's population is the one on the start date; it grows (or shrinks) from there, so the
// warm-up sees a slightly smaller population with positive growth.
// The scenario's population is the one on the start date; it grows (or shrinks) from there, so the
// warm-up sees a slightly smaller population with positive growth. Set once a month: rates are
// piecewise constant by month.
// Growth compounds from the start date (so the warm-up's population is smaller), or from the day a
// parameter change brought a new rate, from the population reached by then.
double EarlyHelpModel::population_factor_now() const {
    const double growth_from = growth_from_day_ < 0 ? calendar_.month_start(warm_up_months_) : growth_from_day_;
    const double years = (simulation_.now() - growth_from) / kDaysPerYear;
    return growth_from_factor_ * std::pow(1.0 + scenario_->need.population_growth_per_year, years);
}

double EarlyHelpModel::population_factor() const { return population_factor_; }

double EarlyHelpModel::new_need_rate(std::uint32_t locality) const {
    const NeedParameters& need = scenario_->need;
    const double per_family_per_day =
        (need.incidence_level_2_per_family_per_year + need.incidence_level_3_per_family_per_year) / kDaysPerYear;
    return families_at_start_[locality] * population_factor() * scenario_->localities[locality].deprivation_index *
           per_family_per_day;
}

double EarlyHelpModel::universal_concern_rate(std::uint32_t locality) const {
    return families_at_start_[locality] * population_factor() * scenario_->need.universal_contacts_per_family_per_year /
           kDaysPerYear;
}

void EarlyHelpModel::schedule_new_need(std::uint32_t locality) {
    const double rate = new_need_rate(locality);
    arrival_rate_[locality] = rate;
    const double delay = exponential_time(arrival_streams_[locality], rate);
    if (std::isfinite(delay)) next_arrival_[locality] = simulation_.schedule_cancellable_in(delay, kNewNeed, locality);
}

void EarlyHelpModel::schedule_universal_concern(std::uint32_t locality) {
    const double rate = universal_concern_rate(locality);
    concern_rate_[locality] = rate;
    const double delay = exponential_time(concern_streams_[locality], rate);
    if (std::isfinite(delay))
        next_concern_[locality] = simulation_.schedule_cancellable_in(delay, kUniversalConcern, locality);
}

// A contact about a family with no additional need: it is counted and screened like any other, then
// closed with no further action. No family record is made for it: it goes through the desk as a token
// carrying its desk and locality, and its screening time comes from the locality's concern stream.
void EarlyHelpModel::universal_concern(std::uint32_t locality) {
    schedule_universal_concern(locality);
    const bool to_social_care =
        concern_streams_[locality].uniform() < scenario_->need.universal_contacts_share_to_social_care;
    const Desk desk = to_social_care ? social_care_front_door : early_help_hub;
    count_contact(desk, locality);
    const std::uint32_t token = kConcernToken | (static_cast<std::uint32_t>(desk) << 30) | locality;
    DeskState& door = desks_[desk];
    if (door.screeners.try_seize(simulation_.now()))
        start_screening(token);
    else
        door.line.join(simulation_, token, 0);
}

void EarlyHelpModel::need_arises(std::uint32_t locality) {
    schedule_new_need(locality);
    const NeedParameters& need = scenario_->need;
    const double total = need.incidence_level_2_per_family_per_year + need.incidence_level_3_per_family_per_year;
    const bool targeted = arrival_streams_[locality].uniform() * total >= need.incidence_level_2_per_family_per_year;
    const std::uint32_t family = new_family(locality, targeted ? NeedLevel::targeted : NeedLevel::additional);
    schedule_hidden_need(family);
}

std::uint32_t EarlyHelpModel::new_family(std::uint32_t locality, NeedLevel level) {
    std::uint32_t index;
    if (free_family_ != std::numeric_limits<std::uint32_t>::max()) {
        index = free_family_;
        free_family_ = families_[index].next_free;
    } else {
        index = static_cast<std::uint32_t>(families_.size());
        families_.emplace_back();
    }
    Family& family = families_[index];
    family = Family{};
    // The stream is keyed by the locality and the family's arrival number there, which do not depend
    // on capacity: a family keeps its draws in every option that shares the scenario's demand.
    family.random =
        streams_.stream(replication_, "family", (std::uint64_t{locality} << 40) | arrivals_in_locality_[locality]++);
    family.locality = locality;
    family.level = level;
    {
        family.children = static_cast<std::uint16_t>(1 + std::min<long>(extra_children_[locality](family.random), 20));
        // Each child's age band is drawn from the locality's children by age.
        const auto& bands = age_band_shares_[locality];
        for (int child = 0; child < family.children; ++child) {
            const double draw = family.random.uniform();
            if (draw < bands[0]) {
                family.has_under_five = true;
            } else {
                family.has_school_age = true;
                if (draw >= bands[0] + bands[1]) family.has_teenager = true;
            }
        }
        family.toxic_trio = family.random.uniform() < scenario_->need.toxic_trio_share;
        // Where in the locality the family lives, as a position along its catchments: the nearest site
        // follows from the catchment shares in force, so it moves when a site opens or shares change.
        family.catchment_position = static_cast<float>(family.random.uniform());
    }
    family.state = FamilyState::hidden_need;
    family.active = true;
    ++families_by_state_[static_cast<int>(FamilyState::hidden_need)];
    ++families_entered_;
    count(Tally::families_entered);
    return index;
}

void EarlyHelpModel::leave(std::uint32_t index) {
    Family& family = families_[index];
    --families_by_state_[static_cast<int>(family.state)];
    ++families_left_;
    count(Tally::families_left);
    family.active = false;
    family.next_free = free_family_;
    free_family_ = index;
}

void EarlyHelpModel::set_state(std::uint32_t index, FamilyState state) {
    Family& family = families_[index];
    --families_by_state_[static_cast<int>(family.state)];
    ++families_by_state_[static_cast<int>(state)];
    family.state = state;
}

// Contacts a year from one touchpoint for this family: 0 if it does not meet the family's children.
double EarlyHelpModel::touchpoint_contacts_per_year(const Family& family, const Touchpoint& touchpoint) const {
    const IdentificationParameters& identification = scenario_->identification;
    double contacts = touchpoint.contacts_per_family_per_year[static_cast<std::size_t>(level_index(family.level))];
    if (touchpoint.focus == AgeFocus::under_fives) {
        if (!family.has_under_five) return 0.0;
        if (scenario_->localities[family.locality].health_visitors_co_located)
            contacts *= identification.co_located_health_visitor_factor;
    } else if (touchpoint.focus == AgeFocus::school_age && !family.has_school_age) {
        return 0.0;
    }
    if (touchpoint.is_self_referral) contacts *= identification.self_referral_factor_by_access[access_of(family)];
    return contacts;
}

double EarlyHelpModel::identification_rate(const Family& family) const {
    double rate = 0.0;
    for (const Touchpoint& touchpoint : scenario_->identification.touchpoints)
        rate += touchpoint_contacts_per_year(family, touchpoint);
    return rate / kDaysPerYear;
}

double EarlyHelpModel::escalation_rate(const Family& family) const {
    const NeedParameters& need = scenario_->need;
    double per_year = 0.0;
    if (family.level == NeedLevel::additional) per_year = need.escalation_2_to_3_per_year;
    if (family.level == NeedLevel::targeted) per_year = need.escalation_3_to_4_per_year;
    if (family.toxic_trio) per_year *= need.toxic_trio_escalation_factor;
    return per_year / kDaysPerYear;
}

double EarlyHelpModel::resolution_rate(const Family& family) const {
    if (family.level == NeedLevel::additional) return scenario_->need.resolution_level_2_per_year / kDaysPerYear;
    if (family.level == NeedLevel::targeted) return scenario_->need.resolution_level_3_per_year / kDaysPerYear;
    return 0.0;
}

// The plan's length by the service leading it and the family's true level.
double EarlyHelpModel::case_duration_factor(const Family& family, std::uint32_t team) const {
    const EarlyHelpParameters& early_help = scenario_->early_help;
    double factor = team != kNoTeam && teams_[team].role == Role::youth_worker
                        ? early_help.case_duration_factor_youth_worker
                        : early_help.case_duration_factor_by_lead[family.lead];
    if (family.level == NeedLevel::additional) factor *= early_help.case_duration_factor_level_2;
    if (family.level == NeedLevel::statutory) factor *= early_help.case_duration_factor_level_4;
    return factor;
}

double EarlyHelpModel::engagement(const Family& family) const {
    return scenario_->early_help.engagement_by_access[access_of(family)];
}

Access EarlyHelpModel::access_of(const Family& family) const {
    const auto& slices = catchments_[family.locality];
    for (const CatchmentSlice& slice : slices)
        if (family.catchment_position < slice.upper) return slice.access;
    return slices.back().access;
}

// A family with hidden need faces three competing hazards: a touchpoint finds it, its need
// escalates, or its need resolves. The earliest is drawn now; which one it is, at the time.
void EarlyHelpModel::schedule_hidden_need(std::uint32_t index) {
    Family& family = families_[index];
    // Kept with the family: they change only with its level or its locality's access, and both redraw.
    family.identification_per_day = identification_rate(family);
    family.escalation_per_day = escalation_rate(family);
    family.resolution_per_day = resolution_rate(family);
    const double rate = family.identification_per_day + family.escalation_per_day + family.resolution_per_day;
    const double delay = exponential_time(family.random, rate);
    family.pending = std::isfinite(delay) ? simulation_.schedule_cancellable_in(delay, kHiddenNeedChanges, index)
                                          : kernel::EventHandle{};
}

void EarlyHelpModel::hidden_need_changes(std::uint32_t index) {
    Family& family = families_[index];
    const double identify = family.identification_per_day;
    const double escalate = family.escalation_per_day;
    const double resolve = family.resolution_per_day;
    const double draw = family.random.uniform() * (identify + escalate + resolve);
    if (draw < identify) {
        // Which touchpoint made the contact, in proportion to its rate, and to which front door.
        double cumulative = 0.0;
        const double pick = family.random.uniform() * identify * kDaysPerYear;
        const Touchpoint* chosen = nullptr;
        for (const Touchpoint& touchpoint : scenario_->identification.touchpoints) {
            const double contacts = touchpoint_contacts_per_year(family, touchpoint);
            if (contacts <= 0.0) continue;
            cumulative += contacts;
            chosen = &touchpoint;
            if (pick < cumulative) break;
        }
        const bool to_social_care = chosen != nullptr && family.random.uniform() < chosen->share_to_social_care;
        receive_contact(index, to_social_care ? social_care_front_door : early_help_hub);
    } else if (draw < identify + escalate) {
        family.level = static_cast<NeedLevel>(static_cast<int>(family.level) + 1);
        schedule_hidden_need(index);
    } else {
        leave(index);  // the need resolved on its own: back to the universal pool
    }
}

// ---- the front door ------------------------------------------------------------------------------------

void EarlyHelpModel::count_in_locality(LocalityTally tally, std::uint32_t locality, double amount) {
    const int month = current_month();
    if (month >= 0)
        result_.locality_tallies[(static_cast<std::size_t>(tally) * scenario_->localities.size() + locality) *
                                     reported_months_ +
                                 month] += amount;
}

void EarlyHelpModel::count_contact(Desk desk, std::uint32_t locality) {
    if (desk == early_help_hub) {
        count(early_help_requests);
        return;
    }
    count(contacts_to_social_care);
    count_in_locality(locality_contacts_to_social_care, locality);
}

void EarlyHelpModel::receive_contact(std::uint32_t index, Desk desk) {
    Family& family = families_[index];
    const double now = simulation_.now();
    count_contact(desk, family.locality);
    // A closed family contacting services again within 12 months of closure is a re-referral.
    count_cohort_once(family.rereferral_counted, family.last_closure_day, family.last_closure_month,
                      rereferred_within_12_months);
    family.desk = desk;
    family.request_day = now;
    set_state(index, FamilyState::at_front_door);
    DeskState& door = desks_[desk];
    if (door.screeners.try_seize(now))
        start_screening(index);
    else
        door.line.join(simulation_, index, 0);
}

EarlyHelpModel::Desk EarlyHelpModel::desk_of(std::uint32_t subject) const {
    if (subject & kConcernToken) return static_cast<Desk>((subject >> 30) & 1u);
    return families_[subject].desk;
}

void EarlyHelpModel::start_screening(std::uint32_t subject) {
    kernel::RandomEngine& random =
        subject & kConcernToken ? concern_streams_[subject & kTokenLocalityMask] : families_[subject].random;
    simulation_.schedule_in(desks_[desk_of(subject)].screening(random), kScreeningDone, subject);
}

void EarlyHelpModel::triage(std::uint32_t index) {
    const double now = simulation_.now();
    DeskState& door = desks_[desk_of(index)];
    if (door.line.empty()) {
        door.screeners.release(now);
    } else {
        start_screening(door.line.serve_next(simulation_).subject);
    }
    if (index & kConcernToken) {
        count(triaged_no_further_action);
        return;
    }
    Family& family = families_[index];
    const auto& shares = scenario_->front_door.outcome_by_level[static_cast<std::size_t>(level_index(family.level))];
    switch (static_cast<TriageOutcome>(choose(family.random, shares))) {
        case no_further_action:
            count(triaged_no_further_action);
            set_state(index, FamilyState::hidden_need);
            schedule_hidden_need(index);
            break;
        case single_agency:
            count(triaged_single_agency);
            set_state(index, FamilyState::single_agency_help);
            simulation_.schedule_in(
                kernel::Exponential(scenario_->early_help.single_agency_duration_days)(family.random),
                kSingleAgencyHelpEnds, index);
            break;
        case multi_agency_early_help:
            count(triaged_early_help);
            request_early_help(index);
            break;
        case social_care:
            count(triaged_social_care);
            refer_to_social_care(index);
            break;
    }
}

void EarlyHelpModel::single_agency_help_ends(std::uint32_t index) {
    Family& family = families_[index];
    if (family.random.uniform() < scenario_->early_help.single_agency_resolution_probability) {
        leave(index);
    } else {
        set_state(index, FamilyState::hidden_need);
        schedule_hidden_need(index);
    }
}

// ---- early help: allocation and cases ------------------------------------------------------------------

std::uint32_t EarlyHelpModel::team_for(std::uint32_t locality, Role role) const {
    return team_index_[locality][static_cast<int>(role)];
}

void EarlyHelpModel::request_early_help(std::uint32_t index) {
    Family& family = families_[index];
    const double now = simulation_.now();
    const EarlyHelpParameters& early_help = scenario_->early_help;
    family.priority = static_cast<Priority>(choose(
        family.random, scenario_->front_door.priority_by_level[static_cast<std::size_t>(level_index(family.level))]));
    family.lead = static_cast<LeadAgency>(choose(family.random, early_help.lead_professional_shares));
    std::uint32_t team = kNoTeam;
    switch (family.lead) {
        case lead_family_support:
            team = team_for(family.locality, Role::family_support);
            if (family.has_teenager && family.random.uniform() < early_help.youth_worker_share_of_teenager_cases &&
                team_for(family.locality, Role::youth_worker) != kNoTeam)
                team = team_for(family.locality, Role::youth_worker);
            break;
        case lead_health:
            team = team_for(family.locality, Role::health_visitor);
            break;
        case lead_voluntary:
            team = team_for(family.locality, Role::voluntary_sector);
            break;
        case lead_school:
            break;  // schools lead from their own staff: no council caseload slot
    }
    family.team = team;
    if (team == kNoTeam) {
        allocate_lead_professional(index, kNoTeam);
        return;
    }
    TeamState& holding = teams_[team];
    if (holding.slots.try_seize(now)) {
        allocate_lead_professional(index, team);
        return;
    }
    set_state(index, FamilyState::waiting_for_lead_professional);
    family.place = holding.line.join(simulation_, index, family.priority);
    const double patience = kernel::Exponential(early_help.patience_days * engagement(family))(family.random);
    family.pending = simulation_.schedule_cancellable_in(patience, kGivesUpWaiting, index);
}

void EarlyHelpModel::allocate_lead_professional(std::uint32_t index, std::uint32_t team) {
    Family& family = families_[index];
    const double now = simulation_.now();
    const EarlyHelpParameters& early_help = scenario_->early_help;
    const double wait = now - family.request_day;
    count(allocations);
    count_in_locality(locality_allocations, family.locality);
    count_in_locality(locality_wait_days, family.locality, wait);
    const Access access = access_of(family);
    if (access == access_hub_elsewhere) {
        count(allocations_travelling_to_another_hub);
        count_in_locality(locality_allocations_travelling_to_another_hub, family.locality);
    } else if (access == access_spoke || access == access_none) {
        count(allocations_spoke_or_no_site);
    }
    if (wait <= early_help.allocation_target_days) count(allocated_within_target_days);
    static constexpr Tally kAllocated[] = {allocations_red, allocations_amber, allocations_green};
    static constexpr Tally kWaitDays[] = {wait_days_red, wait_days_amber, wait_days_green};
    static constexpr Tally kWithinTarget[] = {responded_within_target_red, responded_within_target_amber,
                                              responded_within_target_green};
    count(kAllocated[family.priority]);
    count(kWaitDays[family.priority], wait);
    count(wait_days_all, wait);
    if (wait <= scenario_->front_door.response_target_days[family.priority]) count(kWithinTarget[family.priority]);
    count(assessments);
    count(plans_started);
    count(cost_assessments, scenario_->costs.per_assessment.pounds);
    count_cohort_once(family.reassessment_counted, family.last_closure_day, family.last_closure_month,
                      reassessed_within_12_months);
    family.team = team;
    family.case_start_day = now;
    set_state(index, FamilyState::early_help_case);
    change_early_help_open(family, +1.0);

    // Competing ends of the case: the plan runs its course, the family disengages, its need escalates
    // to social care (step-up), or it moves away. The first to happen closes the case.
    const double engaged = engagement(family);
    const double trio = family.toxic_trio ? early_help.toxic_trio_step_up_factor : 1.0;
    const std::array<double, 4> ends{
        draw_case_duration(family.random, early_help) * case_duration_factor(family, team),
        exponential_time(family.random, early_help.disengagement_per_year / engaged / kDaysPerYear),
        exponential_time(family.random, early_help.step_up_per_year * trio / kDaysPerYear),
        exponential_time(family.random, early_help.moved_away_per_year / kDaysPerYear)};
    const auto first = static_cast<std::size_t>(std::min_element(ends.begin(), ends.end()) - ends.begin());
    static constexpr ClosureReason kReasons[] = {needs_met, disengaged, stepped_up, moved_away};
    family.closing_as = kReasons[first];
    if (first == 0 && family.random.uniform() >= early_help.needs_met_probability) family.closing_as = needs_not_met;
    simulation_.schedule_in(ends[first], kCaseCloses, index);
}

void EarlyHelpModel::gives_up_waiting(std::uint32_t index) {
    Family& family = families_[index];
    teams_[family.team].line.give_up(simulation_, family.place);
    family.pending = kernel::EventHandle{};
    count(disengaged_while_waiting);
    count_in_locality(locality_disengaged, family.locality);
    // The need is still there, unmet: the family goes back to hidden need and may be found again.
    set_state(index, FamilyState::hidden_need);
    schedule_hidden_need(index);
}

void EarlyHelpModel::free_slot_in_team(std::uint32_t team) {
    TeamState& holding = teams_[team];
    const double now = simulation_.now();
    // Pass the slot straight to the first in line, unless a cut has left the team over capacity.
    if (holding.slots.in_use() > holding.slots.capacity() || holding.line.empty()) {
        holding.slots.release(now);
        return;
    }
    const std::uint32_t next = holding.line.serve_next(simulation_).subject;
    simulation_.cancel(families_[next].pending);
    families_[next].pending = kernel::EventHandle{};
    allocate_lead_professional(next, team);
}

void EarlyHelpModel::close_case(std::uint32_t index) {
    Family& family = families_[index];
    const double now = simulation_.now();
    change_early_help_open(family, -1.0);
    if (family.team != kNoTeam) free_slot_in_team(family.team);
    count(closures_all);
    static constexpr Tally kClosures[] = {closures_needs_met, closures_disengaged, closures_stepped_up,
                                          closures_moved_away, closures_needs_not_met};
    count(kClosures[family.closing_as]);
    if (family.closing_as == disengaged) count_in_locality(locality_disengaged, family.locality);
    count(reviews, std::floor((now - family.case_start_day) / scenario_->early_help.review_interval_days));
    family.last_closure_day = now;
    family.last_closure_month = current_month();
    family.rereferral_counted = false;
    family.reassessment_counted = false;
    const ReturnParameters& returns = scenario_->returns;
    switch (family.closing_as) {
        case needs_met:
            schedule_return(index, returns.after_needs_met);
            break;
        case disengaged:
            schedule_return(index, returns.after_disengaged);
            break;
        case needs_not_met:
            schedule_return(index, returns.after_needs_not_met);
            break;
        case stepped_up:
            count(step_ups);
            family.level = NeedLevel::statutory;
            refer_to_social_care(index);
            break;
        case moved_away:
            leave(index);
            break;
    }
}

void EarlyHelpModel::schedule_return(std::uint32_t index, double probability) {
    Family& family = families_[index];
    if (family.random.uniform() >= probability) {
        leave(index);
        return;
    }
    set_state(index, FamilyState::need_will_return);
    simulation_.schedule_in(kernel::Exponential(scenario_->returns.mean_delay_days)(family.random), kNeedReturns,
                            index);
}

void EarlyHelpModel::need_returns(std::uint32_t index) {
    Family& family = families_[index];
    family.level = scenario_->returns.returning_level;
    set_state(index, FamilyState::hidden_need);
    schedule_hidden_need(index);
}

// ---- social care ---------------------------------------------------------------------------------------

void EarlyHelpModel::refer_to_social_care(std::uint32_t index) {
    Family& family = families_[index];
    count(social_care_referrals);
    count_cohort_once(family.step_down_return_counted, family.last_step_down_day, family.last_step_down_month,
                      step_downs_returned_within_12_months);
    set_state(index, FamilyState::social_care_assessment);
    simulation_.schedule_in(kernel::Exponential(scenario_->social_care.assessment_days)(family.random),
                            kSocialCareAssessmentDone, index);
}

void EarlyHelpModel::social_care_assessment_done(std::uint32_t index) {
    Family& family = families_[index];
    const std::size_t outcome = choose(family.random, scenario_->social_care.outcome_shares);
    if (outcome == 0) {
        // No further action by social care: the need remains and may be found again.
        if (family.level == NeedLevel::statutory) family.level = NeedLevel::targeted;
        set_state(index, FamilyState::hidden_need);
        schedule_hidden_need(index);
        return;
    }
    family.care = static_cast<CareType>(outcome - 1);
    const std::uint32_t team = team_for(family.locality, Role::social_worker);
    family.team = team;
    if (team == kNoTeam || teams_[team].slots.try_seize(simulation_.now())) {
        start_social_care_episode(index);
        return;
    }
    set_state(index, FamilyState::waiting_for_social_worker);
    family.place = teams_[team].line.join(simulation_, index, 0);
}

void EarlyHelpModel::start_social_care_episode(std::uint32_t index) {
    Family& family = families_[index];
    const SocialCareParameters& care = scenario_->social_care;
    family.level = NeedLevel::statutory;
    set_state(index, FamilyState::social_care_episode);
    change_care(family, +1.0);
    const double duration =
        kernel::LogNormal(care.duration_mean_days[family.care], care.duration_sd_days[family.care])(family.random);
    simulation_.schedule_in(duration, kSocialCareEpisodeEnds, index);
}

void EarlyHelpModel::social_care_episode_ends(std::uint32_t index) {
    Family& family = families_[index];
    const double now = simulation_.now();
    change_care(family, -1.0);
    if (family.team != kNoTeam) {
        TeamState& social_workers = teams_[family.team];
        if (social_workers.slots.in_use() > social_workers.slots.capacity() || social_workers.line.empty()) {
            social_workers.slots.release(now);
        } else {
            start_social_care_episode(social_workers.line.serve_next(simulation_).subject);
        }
    }
    const SocialCareParameters& care = scenario_->social_care;
    if (family.random.uniform() < care.step_down_probability) {
        count(step_downs);
        family.last_step_down_day = now;
        family.last_step_down_month = current_month();
        family.step_down_return_counted = family.last_step_down_month < 0;
        family.level = NeedLevel::targeted;
        family.request_day = now;
        request_early_help(index);
        return;
    }
    if (family.random.uniform() < care.return_probability) {
        set_state(index, FamilyState::need_will_return);
        simulation_.schedule_in(kernel::Exponential(care.return_delay_days)(family.random), kNeedReturns, index);
        return;
    }
    leave(index);
}

// ---- months, changes, counting -------------------------------------------------------------------------

// The reported month now running, or -1 in the warm-up. A month's flows are those counted before its
// month-end event (kept here rather than searched for: it is read on every count).
int EarlyHelpModel::current_month() const {
    const int reported = month_index_ - warm_up_months_;
    return reported >= 0 && reported < reported_months_ ? reported : -1;
}

void EarlyHelpModel::count(Tally tally, double amount) {
    const int month = current_month();
    if (month >= 0) result_.tallies[static_cast<std::size_t>(tally) * reported_months_ + month] += amount;
}

// Credits the cohort of `event_month` (a closure or a step-down) once, if this happens within 12 months
// of that event.
void EarlyHelpModel::count_cohort_once(bool& counted, double event_day, int event_month, Tally tally) {
    if (counted || simulation_.now() - event_day > kTwelveMonthsDays) return;
    counted = true;
    if (event_month >= 0) result_.tallies[static_cast<std::size_t>(tally) * reported_months_ + event_month] += 1.0;
}

void EarlyHelpModel::change_early_help_open(const Family& family, double change) {
    const double now = simulation_.now();
    const int category = family.team == kNoTeam ? kRoles : static_cast<int>(teams_[family.team].role);
    cases_by_role_[category].add(now, change);
    early_help_open_ += change;
    early_help_open_by_locality_[family.locality] += change;
}

void EarlyHelpModel::change_care(const Family& family, double change) {
    const double children = change * family.children;
    children_in_care_[family.care].add(simulation_.now(), children);
    children_in_care_now_[family.care] += children;
    children_in_need_by_locality_[family.locality] += children;
}

void EarlyHelpModel::month_ends(int month_from_start) {
    const double now = simulation_.now();
    const int month = month_from_start - warm_up_months_;
    population_factor_ = population_factor_now();
    // Demand grows with the population: redraw each locality's next arrival at the new rate (the
    // arrival process is memoryless, so this is exact for a rate that is constant within a month).
    redraw_arrivals(false);
    if (month >= 0) {
        auto set = [&](Tally tally, double value) {
            result_.tallies[static_cast<std::size_t>(tally) * reported_months_ + month] = value;
        };
        double waiting[kPriorities] = {0, 0, 0};
        for (const TeamState& team : teams_)
            if (team.role != Role::social_worker)
                for (int priority = 0; priority < kPriorities; ++priority)
                    waiting[priority] += static_cast<double>(team.line.size(static_cast<std::uint32_t>(priority)));
        set(waiting_red, waiting[red]);
        set(waiting_amber, waiting[amber]);
        set(waiting_green, waiting[green]);
        set(early_help_open, early_help_open_);
        set(waiting_for_social_worker_stock,
            static_cast<double>(families_by_state_[static_cast<int>(FamilyState::waiting_for_social_worker)]));
        set(single_agency_open,
            static_cast<double>(families_by_state_[static_cast<int>(FamilyState::single_agency_help)]));
        set(hidden_need_families, static_cast<double>(families_by_state_[static_cast<int>(FamilyState::hidden_need)]));
        const double in_need = children_in_care_now_[0] + children_in_care_now_[1] + children_in_care_now_[2];
        set(children_in_need, in_need);
        set(children_on_protection_plans, children_in_care_now_[child_protection]);
        set(children_looked_after, children_in_care_now_[looked_after]);
        double population = 0.0;
        for (const Locality& locality : scenario_->localities) population += locality.children.total();
        set(children_population, population * population_factor());
        std::uint64_t in_system = 0;
        for (const std::uint64_t count_in_state : families_by_state_) in_system += count_in_state;
        set(families_in_system, static_cast<double>(in_system));

        // Areas over the month: caseloads, capacity and costs by case-week and episode-week.
        double family_support_area = cases_by_role_[static_cast<int>(Role::family_support)].area(now);
        set(family_support_caseload_area, family_support_area);
        set(family_support_capacity_area, family_support_slots_.area(now));
        set(family_support_fte_days, staff_fte_by_role_[static_cast<int>(Role::family_support)].area(now));
        // Staff in post cost their pay whether or not their caseloads are full.
        double staff_cost = 0.0;
        for (int role = 0; role < kRoles; ++role)
            staff_cost +=
                staff_fte_by_role_[role].area(now) / kDaysPerYear * scenario_->costs.per_fte_year_by_role[role].pounds;
        set(cost_staff, staff_cost);
        // Costs by service: case-weeks by the lead professional's role, child-weeks by type of episode.
        static constexpr Tally kCaseCost[kRoles + 1] = {cost_family_support_cases,   cost_health_visitor_cases,
                                                        cost_youth_worker_cases,     cost_social_worker_cases,
                                                        cost_voluntary_sector_cases, cost_school_or_health_led_cases};
        double case_cost = 0.0;
        for (int role = 0; role <= kRoles; ++role) {
            const double per_week = role < kRoles ? scenario_->costs.per_case_week_by_role[role].pounds
                                                  : scenario_->costs.per_school_or_health_led_case_week.pounds;
            const double cost = cases_by_role_[role].area(now) / 7.0 * per_week;
            set(kCaseCost[role], cost);
            case_cost += cost;
        }
        set(cost_early_help_cases, case_cost);
        static constexpr Tally kCareCost[kCareTypes] = {cost_child_in_need, cost_child_protection, cost_looked_after};
        double care_cost = 0.0;
        for (int type = 0; type < kCareTypes; ++type) {
            const double cost =
                children_in_care_[type].area(now) / 7.0 * scenario_->costs.per_episode_week[type].pounds;
            set(kCareCost[type], cost);
            care_cost += cost;
        }
        set(cost_social_care, care_cost);
        set(cost_all, staff_cost + result_.tally(cost_assessments, month) + case_cost + care_cost);

        for (std::size_t locality = 0; locality < scenario_->localities.size(); ++locality) {
            auto at = [&](LocalityTally tally) -> double& {
                return result_
                    .locality_tallies[(static_cast<std::size_t>(tally) * scenario_->localities.size() + locality) *
                                          reported_months_ +
                                      month];
            };
            at(locality_early_help_open) = early_help_open_by_locality_[locality];
            at(locality_children_in_need) = children_in_need_by_locality_[locality];
            double queued = 0.0, in_use = 0.0, slots = 0.0;
            for (int role = 0; role < kRoles; ++role) {
                const std::uint32_t team = team_index_[locality][role];
                if (team != kNoTeam && static_cast<Role>(role) != Role::social_worker) {
                    queued += static_cast<double>(teams_[team].line.size());
                    in_use += static_cast<double>(teams_[team].slots.in_use());
                    slots += static_cast<double>(teams_[team].slots.capacity());
                }
            }
            at(locality_waiting) = queued;
            at(locality_caseload_slots_in_use) = in_use;
            at(locality_caseload_slots) = slots;
        }
    }
    for (auto& role : cases_by_role_) role.reset(now);
    for (auto& type : children_in_care_) type.reset(now);
    family_support_slots_.reset(now);
    for (auto& role : staff_fte_by_role_) role.reset(now);
    month_index_ = month_from_start + 1;
}

// Families, age bands and family sizes by locality, from the parameters in force.
void EarlyHelpModel::derive_from_localities() {
    families_at_start_.clear();
    age_band_shares_.clear();
    extra_children_.clear();
    for (const Locality& place : scenario_->localities) {
        const double children = place.children.total();
        families_at_start_.push_back(children / place.children_per_family);
        const double safe_children = children > 0 ? children : 1.0;
        age_band_shares_.push_back(
            {place.children.age_0_to_4 / safe_children, place.children.age_5_to_10 / safe_children,
             place.children.age_11_to_15 / safe_children, place.children.age_16_to_19 / safe_children});
        extra_children_.emplace_back(std::max(place.children_per_family - 1.0, 1e-9));
    }
}

// Each site's catchment gets the access its families have: their own site if it is a hub or a spoke; if
// it is closed, the journey to another hub in the locality, else a spoke there, else a hub in another
// locality, else nothing.
//
// Catchments are intervals of the families' positions in [0, 1). The sites the run started with divide
// the interval by their shares (equally if the locality gave none); a site opened later takes the same
// top fraction of every one of those catchments, so opening it moves families only into it, never
// between the old sites. If an option raises an old site's share, the locality is re-divided in order.
void EarlyHelpModel::update_access() {
    const std::size_t localities = scenario_->localities.size();
    std::vector<bool> has_hub(localities, false), has_spoke(localities, false);
    bool any_hub = false;
    for (std::size_t site = 0; site < scenario_->sites.size(); ++site) {
        const std::uint32_t locality = locality_index(scenario_->sites[site].locality);
        if (site_types_[site] == SiteType::hub) has_hub[locality] = any_hub = true;
        if (site_types_[site] == SiteType::spoke) has_spoke[locality] = true;
    }
    auto access_of_site = [&](std::size_t site) {
        const std::uint32_t locality = locality_index(scenario_->sites[site].locality);
        if (site_types_[site] == SiteType::hub) return access_hub;
        if (site_types_[site] == SiteType::spoke) return access_spoke;
        if (has_hub[locality]) return access_hub_elsewhere;
        if (has_spoke[locality]) return access_spoke;
        return any_hub ? access_hub_elsewhere : access_none;
    };
    // Each locality's shares in a list of sites: as given, or equal when none is given.
    auto shares_in = [&](const std::vector<Site>& sites, const std::string& locality) {
        std::vector<std::pair<std::string, double>> shares;
        double total = 0;
        for (const Site& site : sites)
            if (site.locality == locality) {
                shares.emplace_back(site.name, site.catchment_share);
                total += site.catchment_share;
            }
        for (auto& [name, share] : shares) share = total > 0 ? share / total : 1.0 / static_cast<double>(shares.size());
        return shares;
    };
    auto index_of_site = [&](const std::string& name) {
        std::size_t site = 0;
        while (scenario_->sites[site].name != name) ++site;
        return site;
    };
    catchments_.assign(localities, {});
    for (std::size_t locality = 0; locality < localities; ++locality) {
        const std::string& name = scenario_->localities[locality].name;
        const auto original = shares_in(base_scenario_->sites, name), now = shares_in(scenario_->sites, name);
        auto& slices = catchments_[locality];
        std::vector<std::pair<std::size_t, double>> opened;  // sites the run did not start with, and their shares
        double opened_total = 0;
        for (const auto& [site, share] : now) {
            const bool was_there =
                std::any_of(original.begin(), original.end(), [&](const auto& old) { return old.first == site; });
            if (!was_there && share > 0) {
                opened.emplace_back(index_of_site(site), share);
                opened_total += share;
            }
        }
        bool carved = !original.empty();
        std::vector<double> kept;  // of each original catchment, the share its site keeps
        for (const auto& [site, share] : original) {
            double current = 0;
            for (const auto& [other, other_share] : now)
                if (other == site) current = other_share;
            kept.push_back(share > 0 ? current / share : 0.0);
            if (kept.back() > 1.0 + 1e-9) carved = false;
        }
        if (carved) {
            double from = 0;
            for (std::size_t i = 0; i < original.size(); ++i) {
                const double width = original[i].second;
                if (width <= 0) continue;
                const double keep = std::min(1.0, kept[i]);
                if (keep > 0)
                    slices.push_back(
                        CatchmentSlice{from + keep * width, access_of_site(index_of_site(original[i].first))});
                double upper = from + keep * width;
                for (const auto& [site, share] : opened) {
                    upper += (1.0 - keep) * width * share / opened_total;
                    slices.push_back(CatchmentSlice{upper, access_of_site(site)});
                }
                from += width;
            }
        } else {
            double upper = 0;
            for (const auto& [site, share] : now)
                if (share > 0) slices.push_back(CatchmentSlice{upper += share, access_of_site(index_of_site(site))});
        }
        if (slices.empty()) slices.push_back(CatchmentSlice{1.0, any_hub ? access_hub_elsewhere : access_none});
        slices.back().upper = 2.0;  // rounding in the shares never leaves a family outside every catchment
    }
}

std::uint32_t EarlyHelpModel::locality_index(const std::string& name) const {
    for (std::uint32_t locality = 0; locality < scenario_->localities.size(); ++locality)
        if (scenario_->localities[locality].name == name) return locality;
    throw std::invalid_argument("unknown locality: " + name);
}

std::uint32_t EarlyHelpModel::caseload_slots(double fte, double caseload_per_fte) {
    return static_cast<std::uint32_t>(std::floor(fte * caseload_per_fte + 1e-9));
}

void EarlyHelpModel::add_team(const Team& team) {
    const std::uint32_t locality = locality_index(team.locality);
    team_index_[locality][static_cast<int>(team.role)] = static_cast<std::uint32_t>(teams_.size());
    teams_.push_back(TeamState{locality, team.role, team.fte, team.caseload_per_fte,
                               kernel::ServerPool(caseload_slots(team.fte, team.caseload_per_fte)),
                               kernel::WaitingLine(kPriorities)});
}

// Capacity that has grown serves those waiting at once, in priority order.
void EarlyHelpModel::serve_waiting(std::uint32_t team) {
    TeamState& holding = teams_[team];
    const double now = simulation_.now();
    while (!holding.line.empty() && holding.slots.try_seize(now)) {
        const std::uint32_t next = holding.line.serve_next(simulation_).subject;
        if (holding.role == Role::social_worker) {
            start_social_care_episode(next);
        } else {
            simulation_.cancel(families_[next].pending);
            families_[next].pending = kernel::EventHandle{};
            allocate_lead_professional(next, team);
        }
    }
}

// Hidden need's hazards depend on access and on the parameters: redraw every hidden family's next
// change (memoryless, so exact), including families whose rates were zero and had nothing scheduled.
// Only families whose hazards changed are redrawn: the others keep their draws, which keeps an option
// on the same random numbers as its baseline wherever the option does not matter.
void EarlyHelpModel::redraw_hidden_need() {
    for (std::uint32_t family = 0; family < families_.size(); ++family) {
        Family& candidate = families_[family];
        if (!candidate.active || candidate.state != FamilyState::hidden_need) continue;
        if (identification_rate(candidate) == candidate.identification_per_day &&
            escalation_rate(candidate) == candidate.escalation_per_day &&
            resolution_rate(candidate) == candidate.resolution_per_day)
            continue;
        simulation_.cancel(candidate.pending);
        schedule_hidden_need(family);
    }
}

// The next arrival of each locality at its current rate. With `only_changed`, a locality whose rate
// is unchanged keeps its pending arrival (and so its draws).
void EarlyHelpModel::redraw_arrivals(bool only_changed) {
    for (std::uint32_t locality = 0; locality < scenario_->localities.size(); ++locality) {
        if (!only_changed || new_need_rate(locality) != arrival_rate_[locality]) {
            simulation_.cancel(next_arrival_[locality]);
            schedule_new_need(locality);
        }
        if (!only_changed || universal_concern_rate(locality) != concern_rate_[locality]) {
            simulation_.cancel(next_concern_[locality]);
            schedule_universal_concern(locality);
        }
    }
}

void EarlyHelpModel::update_staffing() {
    const double now = simulation_.now();
    double slots = 0;
    std::array<double, kRoles> fte{};
    for (const TeamState& team : teams_) {
        if (team.role == Role::family_support) slots += team.slots.capacity();
        fte[static_cast<int>(team.role)] += team.fte;
    }
    family_support_slots_.update(now, slots);
    for (int role = 0; role < kRoles; ++role) staff_fte_by_role_[role].update(now, fte[role]);
}

// From now on the model reads the new parameters; what it derived from the old ones is brought in line:
// teams' capacity (and new teams), sites and access, the front doors, arrival and hidden-need rates.
void EarlyHelpModel::change_parameters(std::size_t index) {
    const double now = simulation_.now();
    const Scenario* next = base_scenario_->parameter_changes[index].parameters.get();
    if (next->need.population_growth_per_year != scenario_->need.population_growth_per_year) {
        growth_from_factor_ = population_factor_now();
        growth_from_day_ = now;
    }
    scenario_ = next;
    population_factor_ = population_factor_now();
    // Sites first, so that families allocated to new capacity below have their new access.
    site_types_.clear();
    for (const Site& site : scenario_->sites) site_types_.push_back(site.type);
    update_access();
    std::vector<bool> still_there(teams_.size(), false);
    for (const Team& team : scenario_->teams) {
        const std::uint32_t existing = team_for(locality_index(team.locality), team.role);
        if (existing == kNoTeam) {
            add_team(team);
            still_there.push_back(true);
            continue;
        }
        still_there[existing] = true;
        teams_[existing].fte = team.fte;
        teams_[existing].caseload_per_fte = team.caseload_per_fte;
        teams_[existing].slots.set_capacity(caseload_slots(team.fte, team.caseload_per_fte));
    }
    for (std::uint32_t team = 0; team < teams_.size(); ++team) {
        if (!still_there[team]) {  // a team the new parameters no longer have: it takes no new cases
            teams_[team].fte = 0;
            teams_[team].slots.set_capacity(0);
        }
        serve_waiting(team);
    }
    update_staffing();
    derive_from_localities();
    const FrontDoorDesk* doors[] = {&scenario_->front_door.social_care_front_door,
                                    &scenario_->front_door.early_help_hub};
    for (std::size_t desk = 0; desk < desks_.size(); ++desk) {
        DeskState& door = desks_[desk];
        door.screeners.set_capacity(static_cast<std::uint32_t>(std::max(1.0, std::round(doors[desk]->screeners))));
        door.screening = kernel::Exponential(doors[desk]->screening_days);
        while (!door.line.empty() && door.screeners.try_seize(now))
            start_screening(door.line.serve_next(simulation_).subject);
    }
    redraw_arrivals(true);
    redraw_hidden_need();
}

void EarlyHelpModel::apply_change(std::size_t index) {
    const DatedChange& change = base_scenario_->changes[index];
    if (!change.site.empty()) {
        for (std::size_t site = 0; site < scenario_->sites.size(); ++site)
            if (scenario_->sites[site].name == change.site) site_types_[site] = change.site_becomes;
        update_access();
        redraw_hidden_need();
    }
    if (!change.team_locality.empty()) {
        const std::uint32_t team = team_for(locality_index(change.team_locality), change.team_role);
        if (team == kNoTeam) throw std::invalid_argument("dated change for a team that does not exist");
        TeamState& holding = teams_[team];
        holding.fte = change.team_fte;
        holding.slots.set_capacity(caseload_slots(holding.fte, holding.caseload_per_fte));
        update_staffing();
        serve_waiting(team);
    }
}

}  // namespace ehsim::model
