// The peers' Early Help-like network (../shared/peers/ehnet_spec.md) on ehsim's kernel, behind their command line:
//
//   ehsim_ehnet_peer [days [seed]]                 (defaults 3650 and 1)
//
// Referrals and re-referrals are screened at a front door of three desks (one first-come line), given a colour,
// and wait for one of 2,340 caseload places in red, amber, green order, giving up when their patience runs out;
// a closed case may be referred again. Built from the kernel's own pieces, as the Early Help model is: the event
// loop (Simulation), a WaitingLine with priority classes and patience, ServerPools, hand_over_or_release, the
// distributions and independent random streams per purpose. Prints the spec's one line (section 4).
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sim/kernel/distributions.hpp"
#include "sim/kernel/hand_over.hpp"
#include "sim/kernel/random_streams.hpp"
#include "sim/kernel/server_pool.hpp"
#include "sim/kernel/simulation.hpp"
#include "sim/kernel/waiting_line.hpp"

namespace {

using namespace ehsim::kernel;

// The spec's parameters (section 2).
constexpr double kReferralRate = 43;  // new families a day
constexpr std::uint32_t kTriageDesks = 3;
constexpr double kTriageMean = 1.0 / 24;  // days
constexpr std::uint32_t kWorkers = 130, kCaseloadCap = 18;
constexpr double kPatienceMean = 30, kCaseMean = 45, kCaseSd = 30;
constexpr double kRereferralProbability = 0.25, kRereferralDelayMean = 120;

enum Event : EventKind { referral, triage_ends, gives_up, case_closes, referred_again };
enum Colour : std::uint32_t { red, amber, green };

struct Counts {
    std::uint64_t arrivals = 0, rereferrals = 0, triage_started = 0, triaged = 0, allocated = 0, reneged = 0,
                  closed = 0;
    std::array<double, 3> wait_sum{};
    std::array<std::uint64_t, 3> waits{};
    std::uint64_t events() const {
        return arrivals + rereferrals + triage_started + triaged + allocated + reneged + closed;
    }
};

class Network {
public:
    explicit Network(std::uint64_t seed)
        : streams_(seed),
          arrival_random_(streams_.stream(0, "referrals")),
          triage_random_(streams_.stream(0, "triage time")),
          colour_random_(streams_.stream(0, "colour")),
          patience_random_(streams_.stream(0, "patience")),
          case_random_(streams_.stream(0, "case duration")),
          return_random_(streams_.stream(0, "re-referral")) {
        simulation_.reserve(4096);
        places_line_.reserve(512);
    }

    Counts run(double days) {
        simulation_.schedule_in(between_referrals_(arrival_random_), referral);
        simulation_.run_until(days, [this](const ehsim::kernel::Event& event) { handle(event); });
        return counts_;
    }

private:
    void handle(const ehsim::kernel::Event& event) {
        switch (event.kind) {
            case referral:
                ++counts_.arrivals;
                simulation_.schedule_in(between_referrals_(arrival_random_), referral);
                return arrive();
            case referred_again:
                ++counts_.rereferrals;
                return arrive();
            case triage_ends:
                return triage_done();
            case gives_up:
                places_line_.give_up(simulation_, event.subject);
                ++counts_.reneged;
                return;
            case case_closes:
                return case_closed();
        }
    }

    void arrive() {
        if (desks_.try_seize(simulation_.now()))
            start_triage();
        else
            triage_line_.join(simulation_, 0, 0);
    }

    void start_triage() {
        ++counts_.triage_started;
        simulation_.schedule_in(triage_time_(triage_random_), triage_ends);
    }

    void triage_done() {
        ++counts_.triaged;
        hand_over_or_release(desks_, triage_line_, simulation_, [this](SubjectId) { start_triage(); });
        const auto colour = static_cast<std::uint32_t>(colour_(colour_random_));
        if (places_.try_seize(simulation_.now()))
            allocate(colour, 0.0);
        else
            places_line_.join_with_patience(simulation_, 0, colour, patience_(patience_random_), gives_up);
    }

    void allocate(std::uint32_t colour, double waited) {
        ++counts_.allocated;
        counts_.wait_sum[colour] += waited;
        ++counts_.waits[colour];
        simulation_.schedule_in(case_duration_(case_random_), case_closes);
    }

    void case_closed() {
        ++counts_.closed;
        // hand_over_or_release's rule, written out because the wait is recorded from the whole line entry.
        if (places_.in_use() > places_.capacity() || places_line_.empty()) {
            places_.release(simulation_.now());
        } else {
            const WaitingLine::Waiting next = places_line_.serve_next(simulation_);
            allocate(next.priority, simulation_.now() - next.joined);
        }
        if (return_random_.uniform() < kRereferralProbability)
            simulation_.schedule_in(rereferral_delay_(return_random_), referred_again);
    }

    RandomStreams streams_;
    RandomEngine arrival_random_, triage_random_, colour_random_, patience_random_, case_random_, return_random_;
    Exponential between_referrals_{1.0 / kReferralRate}, triage_time_{kTriageMean}, patience_{kPatienceMean},
        rereferral_delay_{kRereferralDelayMean};
    LogNormal case_duration_{kCaseMean, kCaseSd};
    Discrete colour_{{0.2, 0.3, 0.5}};
    Simulation simulation_;
    ServerPool desks_{kTriageDesks}, places_{kWorkers * kCaseloadCap};
    WaitingLine triage_line_{1}, places_line_{3};
    Counts counts_;
};

[[noreturn]] void usage(const std::string& message) {
    std::fprintf(stderr, "ehsim_ehnet_peer: %s\nusage: ehsim_ehnet_peer [days [seed]]\n", message.c_str());
    std::exit(2);
}

double whole_number(const char* text, const char* name) {
    char* end = nullptr;
    const double value = std::strtod(text, &end);
    if (end == text || *end != '\0' || !std::isfinite(value) || value < 0 || value != std::floor(value))
        usage(std::string(name) + " must be a whole number >= 0");
    return value;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 3) usage("expected at most two arguments");
    const double days = argc > 1 ? whole_number(argv[1], "days") : 3650;
    const auto seed = static_cast<std::uint64_t>(argc > 2 ? whole_number(argv[2], "seed") : 1);
    if (days <= 0) usage("days must be > 0");
    const auto started = std::chrono::steady_clock::now();
    const Counts counts = Network(seed).run(days);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const auto mean_wait = [&](Colour colour) {
        return counts.waits[colour] > 0 ? counts.wait_sum[colour] / static_cast<double>(counts.waits[colour]) : 0.0;
    };
    std::printf(
        "engine=ehsim days=%.0f seed=%llu arrivals=%llu rereferrals=%llu triage_started=%llu triaged=%llu "
        "allocated=%llu reneged=%llu closed=%llu wait_red=%.6f wait_amber=%.6f wait_green=%.6f events=%llu "
        "sim_s=%.4f events_per_s=%.0f\n",
        days, static_cast<unsigned long long>(seed), static_cast<unsigned long long>(counts.arrivals),
        static_cast<unsigned long long>(counts.rereferrals), static_cast<unsigned long long>(counts.triage_started),
        static_cast<unsigned long long>(counts.triaged), static_cast<unsigned long long>(counts.allocated),
        static_cast<unsigned long long>(counts.reneged), static_cast<unsigned long long>(counts.closed), mean_wait(red),
        mean_wait(amber), mean_wait(green), static_cast<unsigned long long>(counts.events()), seconds,
        static_cast<double>(counts.events()) / seconds);
    return 0;
}
