// The simulation clock and event loop.
//
// The loop is a template on the handler so that dispatch is a direct, inlinable call into the model's
// own switch on its event kinds: no virtual call and no type-erased callback per event.
//
// A handler may also offer prefetch(const Event&): the loop passes it the event likely to run next before
// it runs the current one, so that the state the next event touches (a family's record among millions)
// is on its way into the cache while the current event is handled. It is a hint: it must not change state.
#pragma once

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "sim/kernel/event_queue.hpp"

namespace ehsim::kernel {

class Simulation {
public:
    Time now() const { return now_; }
    std::uint64_t events_processed() const { return events_processed_; }
    std::size_t pending_events() const { return queue_.size(); }
    void reserve(std::size_t events) { queue_.reserve(events); }

    // Schedules an event at an absolute time, which must be finite and not in the past. Events at the
    // same time run in order of rank (lower first), then in the order they were scheduled.
    void schedule_at(Time time, EventKind kind, SubjectId subject = 0, std::uint32_t rank = 0) {
        check_time(time);
        queue_.push(time, kind, subject, rank);
    }
    void schedule_in(Time delay, EventKind kind, SubjectId subject = 0, std::uint32_t rank = 0) {
        schedule_at(now_ + delay, kind, subject, rank);
    }
    EventHandle schedule_cancellable_at(Time time, EventKind kind, SubjectId subject = 0, std::uint32_t rank = 0) {
        check_time(time);
        return queue_.push_cancellable(time, kind, subject, rank);
    }
    EventHandle schedule_cancellable_in(Time delay, EventKind kind, SubjectId subject = 0, std::uint32_t rank = 0) {
        return schedule_cancellable_at(now_ + delay, kind, subject, rank);
    }
    bool cancel(EventHandle handle) { return queue_.cancel(handle); }

    // Asks the running loop to return after the current event.
    void stop() { stop_requested_ = true; }

    // Runs every event with time < end, in order, then sets the clock to end. Events at exactly `end`
    // stay pending for the next call, so consecutive calls cover [start, end) without gaps or overlap.
    // Returns early (clock at the last event) if the handler calls stop().
    template <class Handler>
    void run_until(Time end, Handler&& handler) {
        if (std::isnan(end) || end < now_)
            throw std::invalid_argument("run_until: end " + std::to_string(end) + " is before now " +
                                        std::to_string(now_));
        stop_requested_ = false;
        for (;;) {
            const Event* next = queue_.peek();
            if (next == nullptr || !(next->time < end)) break;
            const Event event = queue_.pop();
            now_ = event.time;
            ++events_processed_;
            hint_next(handler);
            handler(event);
            if (stop_requested_) return;
        }
        now_ = end;
    }

    template <class Handler>
    void run_for(Time duration, Handler&& handler) {
        run_until(now_ + duration, handler);
    }

    // Runs until no events remain or the handler calls stop(); the clock stays at the last event.
    template <class Handler>
    void run(Handler&& handler) {
        stop_requested_ = false;
        while (!queue_.empty()) {
            const Event event = queue_.pop();
            now_ = event.time;
            ++events_processed_;
            hint_next(handler);
            handler(event);
            if (stop_requested_) return;
        }
    }

    // Runs the next event only; returns false if there was none.
    template <class Handler>
    bool step(Handler&& handler) {
        if (queue_.empty()) return false;
        const Event event = queue_.pop();
        now_ = event.time;
        ++events_processed_;
        handler(event);
        return true;
    }

private:
    template <class Handler>
    void hint_next(const Handler& handler) {
        if constexpr (requires(const Event& event) { handler.prefetch(event); }) {
            // peek fills the heap if the current event was its last (the work the next pop would do anyway),
            // so a hint is always there to give; the events of a slice entering the heap are hinted as they
            // enter, a few dozen events before they run, while the next one is hinted now.
            if (const Event* next = queue_.peek([&](const Event& entering) { handler.prefetch(entering); }))
                handler.prefetch(*next);
        }
    }

    void check_time(Time time) const {
        if (!(time >= now_) || std::isinf(time))
            throw std::invalid_argument("cannot schedule an event at time " + std::to_string(time) + " (now " +
                                        std::to_string(now_) + ")");
    }

    EventQueue queue_;
    Time now_ = 0.0;
    std::uint64_t events_processed_ = 0;
    bool stop_requested_ = false;
};

}  // namespace ehsim::kernel
