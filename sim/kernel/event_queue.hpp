// The pending-event set: a 4-ary min-heap of small plain records, ordered by (time, order key).
//
// Why a hand-written heap rather than std::priority_queue: a 4-ary heap halves the depth of the tree,
// and sifting moves 32-byte records without comparator indirection. Why lazy cancellation: marking a
// slot is O(1) and keeps the heap free of back-pointers that every sift would have to maintain.
#pragma once

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

namespace ehsim::kernel {

using Time = double;  // days since the start of the simulation

// What an event is for, and to whom it happens. The kernel does not interpret either value: the model
// that handles events gives them meaning (an event kind is an enumerator of the model's own).
using EventKind = std::uint32_t;
using SubjectId = std::uint32_t;

struct Event {
    Time time;
    // High bits: same-time rank (lower runs first); low 48 bits: scheduling sequence (first scheduled,
    // first run). Comparing one integer gives the whole tie-break, identical on every platform.
    std::uint64_t order;
    EventKind kind;
    SubjectId subject;
    std::uint32_t cancellation_slot;  // kNotCancellable for events scheduled without a handle
};

// Identifies one scheduled event for cancellation. A handle to an event that already ran or was
// cancelled is harmless: cancelling it again does nothing.
struct EventHandle {
    std::uint32_t slot = std::numeric_limits<std::uint32_t>::max();
    std::uint64_t order = 0;
};

class EventQueue {
public:
    static constexpr std::uint32_t kNotCancellable = std::numeric_limits<std::uint32_t>::max();
    static constexpr int kSequenceBits = 48;
    static constexpr std::uint64_t kMaxSequence = (std::uint64_t{1} << kSequenceBits) - 1;
    static constexpr std::uint32_t kMaxRank = (1u << (64 - kSequenceBits)) - 1;

    void reserve(std::size_t events) {
        heap_.reserve(events);
        slot_order_.reserve(events);
        free_slots_.reserve(events);
    }

    bool empty() const { return live_events_ == 0; }
    // Events still to run (cancelled ones are not counted even before they are discarded).
    std::size_t size() const { return live_events_; }

    void push(Time time, EventKind kind, SubjectId subject, std::uint32_t rank) {
        insert(Event{time, make_order(rank), kind, subject, kNotCancellable});
    }

    EventHandle push_cancellable(Time time, EventKind kind, SubjectId subject, std::uint32_t rank) {
        const std::uint64_t order = make_order(rank);
        std::uint32_t slot;
        if (free_slots_.empty()) {
            slot = static_cast<std::uint32_t>(slot_order_.size());
            slot_order_.push_back(order);
        } else {
            slot = free_slots_.back();
            free_slots_.pop_back();
            slot_order_[slot] = order;
        }
        insert(Event{time, order, kind, subject, slot});
        return EventHandle{slot, order};
    }

    // Returns true if the event was pending and is now cancelled.
    bool cancel(EventHandle handle) {
        if (handle.slot >= slot_order_.size() || slot_order_[handle.slot] != handle.order) return false;
        slot_order_[handle.slot] = kCancelledOrder;
        --live_events_;
        return true;
    }

    // The earliest live event, or nullptr if none. Discards cancelled events it meets on the way.
    const Event* peek() {
        discard_cancelled_top();
        return heap_.empty() ? nullptr : &heap_.front();
    }

    // Removes and returns the earliest live event. Precondition: !empty().
    Event pop() {
        discard_cancelled_top();
        Event top = heap_.front();
        remove_top();
        if (top.cancellation_slot != kNotCancellable) release_slot(top.cancellation_slot);
        --live_events_;
        return top;
    }

    void clear() {
        heap_.clear();
        slot_order_.clear();
        free_slots_.clear();
        live_events_ = 0;
        next_sequence_ = 0;
    }

private:
    static constexpr std::uint64_t kCancelledOrder = std::numeric_limits<std::uint64_t>::max();
    static constexpr std::size_t kArity = 4;

    static bool earlier(const Event& a, const Event& b) {
        return a.time < b.time || (a.time == b.time && a.order < b.order);
    }

    std::uint64_t make_order(std::uint32_t rank) {
        if (rank > kMaxRank) throw std::invalid_argument("event rank out of range");
        if (next_sequence_ > kMaxSequence) throw std::overflow_error("event sequence exhausted");
        return (std::uint64_t{rank} << kSequenceBits) | next_sequence_++;
    }

    bool is_cancelled(const Event& event) const {
        return event.cancellation_slot != kNotCancellable && slot_order_[event.cancellation_slot] != event.order;
    }

    void release_slot(std::uint32_t slot) {
        slot_order_[slot] = kCancelledOrder;
        free_slots_.push_back(slot);
    }

    void discard_cancelled_top() {
        while (!heap_.empty() && is_cancelled(heap_.front())) {
            const std::uint32_t slot = heap_.front().cancellation_slot;
            remove_top();
            free_slots_.push_back(slot);
        }
    }

    void insert(const Event& event) {
        std::size_t hole = heap_.size();
        heap_.push_back(event);
        while (hole > 0) {
            const std::size_t parent = (hole - 1) / kArity;
            if (!earlier(event, heap_[parent])) break;
            heap_[hole] = heap_[parent];
            hole = parent;
        }
        heap_[hole] = event;
        ++live_events_;
    }

    void remove_top() {
        const Event last = heap_.back();
        heap_.pop_back();
        const std::size_t count = heap_.size();
        if (count == 0) return;
        std::size_t hole = 0;
        for (;;) {
            const std::size_t first_child = hole * kArity + 1;
            if (first_child >= count) break;
            std::size_t best = first_child;
            const std::size_t end_child = first_child + kArity < count ? first_child + kArity : count;
            for (std::size_t child = first_child + 1; child < end_child; ++child)
                if (earlier(heap_[child], heap_[best])) best = child;
            if (!earlier(heap_[best], last)) break;
            heap_[hole] = heap_[best];
            hole = best;
        }
        heap_[hole] = last;
    }

    std::vector<Event> heap_;
    std::vector<std::uint64_t> slot_order_;  // order of the live event holding each slot
    std::vector<std::uint32_t> free_slots_;
    std::size_t live_events_ = 0;
    std::uint64_t next_sequence_ = 0;
};

}  // namespace ehsim::kernel
