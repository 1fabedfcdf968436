#include "sim/queueing/formulas.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ehsim::queueing {

ErlangC erlang_c(int servers, double arrival_rate, double service_rate) {
    if (servers < 1 || !(arrival_rate > 0.0) || !(service_rate > 0.0))
        throw std::invalid_argument("erlang_c: needs servers >= 1 and positive rates");
    const double offered = arrival_rate / service_rate;
    const double utilisation = offered / servers;
    if (!(utilisation < 1.0)) throw std::invalid_argument("erlang_c: unstable, utilisation >= 1");
    // Erlang B by its stable recursion, then C from B.
    double erlang_b = 1.0;
    for (int k = 1; k <= servers; ++k) erlang_b = offered * erlang_b / (k + offered * erlang_b);
    const double waiting = erlang_b / (1.0 - utilisation * (1.0 - erlang_b));
    const double mean_wait = waiting / (servers * service_rate - arrival_rate);
    return ErlangC{waiting, mean_wait, arrival_rate * mean_wait, mean_wait + 1.0 / service_rate,
                   arrival_rate * (mean_wait + 1.0 / service_rate)};
}

std::vector<double> cobham_priority_waits(const std::vector<double>& arrival_rates, double service_rate) {
    double residual_work = 0.0;  // W0 = sum lambda_i E[S^2] / 2, E[S^2] = 2 / mu^2
    for (const double rate : arrival_rates) residual_work += rate / (service_rate * service_rate);
    std::vector<double> waits;
    double load_above = 0.0;
    for (const double rate : arrival_rates) {
        const double load_including = load_above + rate / service_rate;
        if (!(load_including < 1.0)) throw std::invalid_argument("cobham: unstable, total utilisation >= 1");
        waits.push_back(residual_work / ((1.0 - load_above) * (1.0 - load_including)));
        load_above = load_including;
    }
    return waits;
}

ErlangA erlang_a(int servers, double arrival_rate, double service_rate, double abandonment_rate) {
    if (servers < 1 || !(arrival_rate > 0.0) || !(service_rate > 0.0) || !(abandonment_rate > 0.0))
        throw std::invalid_argument("erlang_a: needs servers >= 1 and positive rates");
    // Unnormalised stationary probabilities p_n, p_0 = 1, p_n = p_{n-1} lambda / death(n); stop when
    // the terms are negligible and falling (deaths grow without bound, so the series converges).
    double total = 1.0, waiting_mass = 0.0, queue_mass = 0.0, term = 1.0;
    for (long n = 1;; ++n) {
        const double deaths = std::min<long>(n, servers) * service_rate +
                              static_cast<double>(std::max<long>(n - servers, 0)) * abandonment_rate;
        term *= arrival_rate / deaths;
        total += term;
        if (n >= servers) waiting_mass += term;
        queue_mass += static_cast<double>(std::max<long>(n - servers, 0)) * term;
        if (n > servers && arrival_rate < deaths && term < 1e-15 * total) break;
        if (n > 100000000) throw std::runtime_error("erlang_a: series did not converge");
    }
    // P(all busy on arrival) by PASTA; abandonment rate theta * Lq over lambda; time in queue of all
    // arrivals (served or not) by Little's law.
    const double mean_queue = queue_mass / total;
    const double abandoning = abandonment_rate * mean_queue / arrival_rate;
    return ErlangA{abandoning, waiting_mass / total, mean_queue, mean_queue / arrival_rate};
}

}  // namespace ehsim::queueing
