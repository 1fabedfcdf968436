// A multi-server queue built on the kernel: Poisson arrivals in priority classes, exponential service,
// optional exponential patience. It covers M/M/c, M/M/1 with non-preemptive priorities and M/M/c+M
// (Erlang A), whose analytic results prove the kernel; the benchmark and `ehsim demo` run it too.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/kernel/distributions.hpp"
#include "sim/kernel/random_streams.hpp"
#include "sim/kernel/server_pool.hpp"
#include "sim/kernel/simulation.hpp"
#include "sim/kernel/statistics.hpp"
#include "sim/kernel/waiting_line.hpp"

namespace ehsim::queueing {

struct QueueParameters {
    int servers = 1;
    std::vector<double> arrival_rates{0.5};  // per day, one per priority class; class 0 is served first
    double service_rate = 1.0;               // per day, per server
    double patience_mean = 0.0;              // days; 0 means customers never give up
};

// Everything measured over the observation window (after the warm-up).
struct QueueResults {
    double window_days = 0.0;
    std::uint64_t arrivals = 0;
    std::uint64_t service_starts = 0;
    std::uint64_t joined_queue = 0;  // arrivals who found every server busy
    std::uint64_t waited = 0;        // service starts with a wait > 0
    std::uint64_t gave_up = 0;
    std::uint64_t departures = 0;
    double mean_wait = 0.0;  // of service starts; an immediate start counts as exactly 0
    std::vector<double> mean_wait_by_class;
    double probability_of_waiting = 0.0;    // waited / service_starts
    double probability_of_giving_up = 0.0;  // gave_up / arrivals
    double probability_all_busy = 0.0;      // joined_queue / arrivals
    double mean_queue_length = 0.0;         // time average
    double mean_number_in_system = 0.0;     // time average
    double mean_time_in_system = 0.0;       // of departures
    double utilisation = 0.0;               // time-average share of servers busy
    double maximum_queue_length = 0.0;
    // For Little's law: the integral of the queue length over the window, and the summed time in queue
    // of everyone who left the queue in it (served or gave up); likewise for the whole system.
    double queue_length_area = 0.0;
    double time_in_queue_sum = 0.0;
    double number_in_system_area = 0.0;
    double time_in_system_sum = 0.0;
    std::uint64_t events = 0;
    std::uint64_t trajectory_fingerprint = 0;  // hash of every event's kind and time, in order
};

class QueueingModel {
public:
    enum EventKind : kernel::EventKind { kArrival, kServiceEnd, kGivesUp };

    QueueingModel(const QueueParameters& parameters, const kernel::RandomStreams& streams, std::uint64_t replication);

    // Runs `warm_up` days unobserved from an empty system, then observes `duration` days.
    QueueResults run_window(double warm_up, double duration);

    // Lets exactly `customers` arrive, then runs until the system is empty; observes everything
    // (the peers' protocol in ../shared/peers: waits recorded at service start, from an empty start).
    QueueResults run_customers(std::uint64_t customers);

    // Reserves room for this many customers in the system at once (and their events), so that a run
    // that stays within it allocates nothing at all; beyond it, storage grows geometrically.
    void reserve(std::size_t customers);

    // The steps run_window takes, for callers that watch the run between them (the allocation test).
    void start();                  // schedules each class's first arrival
    void run_until(double time);   // advances the clock, handling events
    void start_observing();        // ends the warm-up: statistics restart here
    QueueResults results() const;  // what was observed since start_observing()

    // The event handler the kernel calls (a plain switch: no virtual dispatch).
    void operator()(const kernel::Event& event);

private:
    struct Customer {
        double arrived;
        std::uint32_t priority;
        std::uint32_t next_free;
    };

    void arrive(std::uint32_t priority);
    void start_service(std::uint32_t customer, double wait);
    void end_service(std::uint32_t customer);
    void give_up(kernel::WaitingLine::Place place);
    std::uint32_t new_customer(std::uint32_t priority);
    void free_customer(std::uint32_t customer);

    QueueParameters parameters_;
    kernel::Simulation simulation_;
    kernel::ServerPool servers_;
    kernel::WaitingLine line_;
    kernel::TimeWeightedAverage in_system_;
    std::vector<kernel::RandomEngine> arrival_streams_;
    kernel::RandomEngine service_stream_;
    kernel::RandomEngine patience_stream_;
    std::vector<kernel::Exponential> interarrival_;
    kernel::Exponential service_time_;
    kernel::Exponential patience_;
    std::vector<Customer> customers_;
    std::uint32_t free_customer_ = UINT32_MAX;

    std::uint64_t arrivals_left_ = UINT64_MAX;  // arrivals still to generate
    bool observing_ = false;
    double window_start_ = 0.0;
    QueueResults observed_;
    std::vector<kernel::RunningStatistics> wait_by_class_;
    kernel::RunningStatistics wait_;
    kernel::RunningStatistics time_in_system_;
    std::uint64_t events_at_window_start_ = 0;
};

}  // namespace ehsim::queueing
