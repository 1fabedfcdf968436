#include "sim/queueing/queueing_model.hpp"

#include <bit>
#include <stdexcept>

namespace ehsim::queueing {

namespace {
kernel::Exponential mean_from_rate(double rate) {
    if (!(rate > 0.0)) throw std::invalid_argument("queueing model: rates must be positive");
    return kernel::Exponential(1.0 / rate);
}
}  // namespace

QueueingModel::QueueingModel(const QueueParameters& parameters, const kernel::RandomStreams& streams,
                             std::uint64_t replication)
    : parameters_(parameters),
      servers_(parameters.servers > 0 ? static_cast<std::uint32_t>(parameters.servers)
                                      : throw std::invalid_argument("queueing model: needs at least one server")),
      line_(static_cast<std::uint32_t>(parameters.arrival_rates.size())),
      service_stream_(streams.stream(replication, "service")),
      patience_stream_(streams.stream(replication, "patience")),
      service_time_(mean_from_rate(parameters.service_rate)),
      patience_(parameters.patience_mean > 0.0 ? parameters.patience_mean : 1.0),
      wait_by_class_(parameters.arrival_rates.size()) {
    if (parameters.arrival_rates.empty()) throw std::invalid_argument("queueing model: needs an arrival class");
    if (parameters.patience_mean < 0.0) throw std::invalid_argument("queueing model: negative patience");
    for (std::size_t priority = 0; priority < parameters.arrival_rates.size(); ++priority) {
        arrival_streams_.push_back(streams.stream(replication, "arrivals", priority));
        interarrival_.push_back(mean_from_rate(parameters.arrival_rates[priority]));
    }
}

void QueueingModel::operator()(const kernel::Event& event) {
    observed_.trajectory_fingerprint =
        kernel::mix64(observed_.trajectory_fingerprint ^ std::bit_cast<std::uint64_t>(event.time) ^ event.kind);
    switch (event.kind) {
        case kArrival:
            arrive(event.subject);
            break;
        case kServiceEnd:
            end_service(event.subject);
            break;
        case kGivesUp:
            give_up(event.subject);
            break;
        default:
            throw std::logic_error("queueing model: unknown event kind");
    }
}

void QueueingModel::arrive(std::uint32_t priority) {
    const double now = simulation_.now();
    if (arrivals_left_ != UINT64_MAX) --arrivals_left_;
    if (arrivals_left_ > 0)
        simulation_.schedule_in(interarrival_[priority](arrival_streams_[priority]), kArrival, priority);
    if (observing_) ++observed_.arrivals;
    const std::uint32_t customer = new_customer(priority);
    in_system_.add(now, 1.0);
    if (servers_.try_seize(now)) {
        start_service(customer, 0.0);
        return;
    }
    if (observing_) ++observed_.joined_queue;
    if (parameters_.patience_mean > 0.0) {
        line_.join_with_patience(simulation_, customer, priority, patience_(patience_stream_), kGivesUp);
    } else {
        line_.join(simulation_, customer, priority);
    }
}

void QueueingModel::start_service(std::uint32_t customer, double wait) {
    if (observing_) {
        ++observed_.service_starts;
        if (wait > 0.0) ++observed_.waited;
        wait_.add(wait);
        wait_by_class_[customers_[customer].priority].add(wait);
        observed_.time_in_queue_sum += wait;
    }
    simulation_.schedule_in(service_time_(service_stream_), kServiceEnd, customer);
}

void QueueingModel::end_service(std::uint32_t customer) {
    const double now = simulation_.now();
    if (observing_) {
        ++observed_.departures;
        time_in_system_.add(now - customers_[customer].arrived);
        observed_.time_in_system_sum += now - customers_[customer].arrived;
    }
    in_system_.add(now, -1.0);
    free_customer(customer);
    // The server passes straight to the first in line, or becomes free.
    if (line_.empty()) {
        servers_.release(now);
        return;
    }
    const kernel::WaitingLine::Waiting next = line_.serve_next(simulation_);
    start_service(next.subject, now - next.joined);
}

void QueueingModel::give_up(kernel::WaitingLine::Place place) {
    const double now = simulation_.now();
    const kernel::WaitingLine::Waiting leaving = line_.give_up(simulation_, place);
    if (observing_) {
        ++observed_.gave_up;
        observed_.time_in_queue_sum += now - leaving.joined;
        observed_.time_in_system_sum += now - customers_[leaving.subject].arrived;
    }
    in_system_.add(now, -1.0);
    free_customer(leaving.subject);
}

std::uint32_t QueueingModel::new_customer(std::uint32_t priority) {
    std::uint32_t customer;
    if (free_customer_ != UINT32_MAX) {
        customer = free_customer_;
        free_customer_ = customers_[customer].next_free;
    } else {
        customer = static_cast<std::uint32_t>(customers_.size());
        customers_.emplace_back();
    }
    customers_[customer] = Customer{simulation_.now(), priority, UINT32_MAX};
    return customer;
}

void QueueingModel::free_customer(std::uint32_t customer) {
    customers_[customer].next_free = free_customer_;
    free_customer_ = customer;
}

void QueueingModel::start_observing() {
    const double now = simulation_.now();
    observing_ = true;
    window_start_ = now;
    servers_.reset_statistics(now);
    line_.reset_statistics(now);
    in_system_.reset(now);
    events_at_window_start_ = simulation_.events_processed();
}

QueueResults QueueingModel::results() const {
    const double now = simulation_.now();
    QueueResults results = observed_;
    results.window_days = now - window_start_;
    results.events = simulation_.events_processed() - events_at_window_start_;
    results.mean_wait = wait_.count() > 0 ? wait_.mean() : 0.0;
    for (const auto& by_class : wait_by_class_)
        results.mean_wait_by_class.push_back(by_class.count() > 0 ? by_class.mean() : 0.0);
    results.probability_of_waiting =
        results.service_starts > 0 ? static_cast<double>(results.waited) / results.service_starts : 0.0;
    results.probability_of_giving_up =
        results.arrivals > 0 ? static_cast<double>(results.gave_up) / results.arrivals : 0.0;
    results.probability_all_busy =
        results.arrivals > 0 ? static_cast<double>(results.joined_queue) / results.arrivals : 0.0;
    results.mean_queue_length = line_.mean_length(now);
    results.queue_length_area = line_.length_area(now);
    results.mean_number_in_system = in_system_.mean(now);
    results.number_in_system_area = in_system_.area(now);
    results.mean_time_in_system = time_in_system_.count() > 0 ? time_in_system_.mean() : 0.0;
    results.utilisation = servers_.utilisation(now);
    results.maximum_queue_length = line_.maximum_length();
    return results;
}

void QueueingModel::reserve(std::size_t customers) {
    customers_.reserve(customers);
    line_.reserve(customers);
    simulation_.reserve(customers + interarrival_.size());
}

void QueueingModel::start() {
    for (std::uint32_t priority = 0; priority < interarrival_.size(); ++priority)
        simulation_.schedule_in(interarrival_[priority](arrival_streams_[priority]), kArrival, priority);
}

void QueueingModel::run_until(double time) { simulation_.run_until(time, *this); }

QueueResults QueueingModel::run_window(double warm_up, double duration) {
    if (!(warm_up >= 0.0) || !(duration > 0.0)) throw std::invalid_argument("queueing model: bad window");
    start();
    run_until(warm_up);
    start_observing();
    run_until(warm_up + duration);
    return results();
}

QueueResults QueueingModel::run_customers(std::uint64_t customers) {
    if (customers == 0) throw std::invalid_argument("queueing model: needs at least one customer");
    if (interarrival_.size() != 1) throw std::invalid_argument("queueing model: run_customers takes one class");
    arrivals_left_ = customers;
    start_observing();
    simulation_.schedule_in(interarrival_[0](arrival_streams_[0]), kArrival, 0);
    simulation_.run(*this);
    return results();
}

}  // namespace ehsim::queueing
