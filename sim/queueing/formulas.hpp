// Analytic results of queueing theory, against which the kernel is proven: Erlang C (M/M/c),
// Cobham's non-preemptive priority formula (M/M/1 with classes) and Erlang A (M/M/c+M).
#pragma once

#include <vector>

namespace ehsim::queueing {

struct ErlangC {
    double probability_of_waiting;  // P(wait > 0)
    double mean_wait;               // Wq
    double mean_queue_length;       // Lq
    double mean_time_in_system;     // W
    double mean_number_in_system;   // L
};

// M/M/c with arrival rate lambda and service rate mu per server; needs lambda < c * mu.
ErlangC erlang_c(int servers, double arrival_rate, double service_rate);

// Mean wait in queue of each class of a single exponential server, classes served in index order
// without preemption (Cobham 1954): W_k = W0 / ((1 - sigma_{k-1}) (1 - sigma_k)), W0 = sum lambda_i/mu^2.
std::vector<double> cobham_priority_waits(const std::vector<double>& arrival_rates, double service_rate);

struct ErlangA {
    double probability_of_abandoning;  // of an arriving customer
    double probability_of_waiting;     // P(all servers busy on arrival)
    double mean_queue_length;          // Lq
    double mean_time_in_queue;         // of all arrivals, served or not (Lq / lambda)
};

// M/M/c+M: exponential patience with rate theta. Solved exactly as a birth-death chain (births lambda,
// deaths min(n, c) mu + (n - c)+ theta), truncated where the tail probability is below 1e-15.
ErlangA erlang_a(int servers, double arrival_rate, double service_rate, double abandonment_rate);

}  // namespace ehsim::queueing
