// The pending-event set, ordered by (time, order key): a small 4-ary min-heap for the events due soon,
// and a ring of time buckets (plus an overflow list) for the events dated further ahead.
//
// Why two levels: a model's families hold events dated months or years ahead (a plan's review, a need
// that returns), so one heap of every pending event is large and each push and pop walks a tree that
// misses the cache. Far events wait in a bucket, appended in O(1), and enter the heap only when the
// clock nears their bucket; the heap holds only the next day or two.
//
// Why the pop order is exactly that of one heap: an event's bucket is a monotone function of its time
// (bucket_position), the heap holds exactly the events of the buckets already flushed, and every later
// bucket and the overflow hold later positions, so later-or-equal times; equal times share a position,
// hence a place. Within the heap the order key breaks every tie, so the sequence does not depend on
// where an event waited.
//
// Why lazy cancellation: marking a slot is O(1) and keeps the stores free of back-pointers. A cancelled
// event is dropped when its bucket is flushed or when it reaches the heap's top, and all stores are
// compacted when the cancelled entries outnumber the live ones, so memory stays O(pending events).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

#include "sim/kernel/bucket_store.hpp"
#include "sim/kernel/huge_page_allocator.hpp"

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
    // The ring: kBuckets buckets of kBucketWidth days each, five and a half years in all; the heap
    // reaches kLookahead buckets past its earliest event. Measured on the Walsall model: 59% of events
    // are scheduled less than a day ahead, yet 73% of those pending are due more than 30 days ahead.
    static constexpr std::size_t kBuckets = 2048;
    static constexpr Time kBucketWidth = 1.0;
    static constexpr std::size_t kLookahead = 1;
    static constexpr std::size_t kChunkEvents = 16;  // 512 bytes a chunk

    // Room for `events` pending events wherever they wait, so that nothing is allocated below that.
    void reserve(std::size_t events) {
        heap_.reserve(events);
        ring_.reserve(events);
        overflow_.reserve(events);
        spare_.reserve(events);
        slot_order_.reserve(events);
        free_slots_.reserve(events);
    }

    bool empty() const { return live_events_ == 0; }
    // Events still to run (cancelled ones are not counted even before they are discarded).
    std::size_t size() const { return live_events_; }

    void push(Time time, EventKind kind, SubjectId subject, std::uint32_t rank) {
        place(Event{time, make_order(rank), kind, subject, kNotCancellable});
        ++live_events_;
        ++stored_events_;
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
        place(Event{time, order, kind, subject, slot});
        ++live_events_;
        ++stored_events_;
        return EventHandle{slot, order};
    }

    // Returns true if the event was pending and is now cancelled.
    bool cancel(EventHandle handle) {
        if (handle.slot >= slot_order_.size() || slot_order_[handle.slot] != handle.order) return false;
        slot_order_[handle.slot] = kCancelledOrder;
        --live_events_;
        // Amortised O(1): a compaction follows at least as many cancellations as it drops entries.
        if (stored_events_ - live_events_ > live_events_ + kCompactionSlack) compact();
        return true;
    }

    // The earliest live event, or nullptr if none. Discards cancelled events it meets on the way.
    const Event* peek() {
        settle();
        return heap_.empty() ? nullptr : &heap_.front();
    }

    // The heap's top without settling: usually the next event to run, but possibly a cancelled one or one
    // an event still waiting in a bucket will precede. Only a hint (for prefetching), never an answer.
    const Event* likely_next() const { return heap_.empty() ? nullptr : &heap_.front(); }

    // Removes and returns the earliest live event. Precondition: !empty().
    Event pop() {
        settle();
        Event top = heap_.front();
        remove_top();
        if (top.cancellation_slot != kNotCancellable) release_slot(top.cancellation_slot);
        --live_events_;
        --stored_events_;
        return top;
    }

    void clear() {
        heap_.clear();
        ring_.clear();
        overflow_.clear();
        slot_order_.clear();
        free_slots_.clear();
        live_events_ = 0;
        stored_events_ = 0;
        next_sequence_ = 0;
        reset_ring(0.0);
        heap_only_ = false;
    }

private:
    static constexpr std::uint64_t kCancelledOrder = std::numeric_limits<std::uint64_t>::max();
    static constexpr std::size_t kArity = 4;
    static constexpr std::size_t kCompactionSlack = 1024;  // no compaction for a handful of cancellations
    static constexpr Time kInverseWidth = 1.0 / kBucketWidth;

    static bool earlier(const Event& a, const Event& b) {
        return a.time < b.time || (a.time == b.time && a.order < b.order);
    }
    // The same order, every comparison evaluated, so that the compiler can select without branching.
    static bool earlier_branchless(const Event& a, const Event& b) {
        return (a.time < b.time) | ((a.time == b.time) & (a.order < b.order));
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

    // Where an event waits, in buckets from ring_base_: rounding makes it inexact, but it never decreases
    // as time grows (a subtraction and a multiplication by a positive constant), which is all the order
    // needs. Infinite for an infinite time; never NaN, since ring_base_ is always finite.
    Time bucket_position(Time time) const { return (time - ring_base_) * kInverseWidth; }

    void place(const Event& event) {
        if (heap_only_) return heap_insert(event);
        const Time position = bucket_position(event.time);
        if (position < static_cast<Time>(cursor_)) {
            heap_insert(event);
        } else if (position < static_cast<Time>(kBuckets)) {
            ring_.add(static_cast<std::size_t>(position), event);
        } else {
            overflow_.push_back(event);
        }
    }

    void reset_ring(Time base) {
        ring_base_ = base;
        cursor_ = 0;
        flush_before_ = -std::numeric_limits<Time>::infinity();  // flush at the first look
    }

    // Makes the heap's top the earliest live event, if any is pending: drops cancelled tops, and moves
    // the next bucket into the heap once the heap's earliest event comes within kLookahead buckets of it.
    void settle() {
        for (;;) {
            discard_cancelled_top();
            if (!heap_.empty() && heap_.front().time < flush_before_) return;
            if (heap_.empty() && stored_events_ == 0) {
                heap_only_ = false;  // nothing is pending anywhere: keep the ring where it is
                return;
            }
            if (cursor_ < kBuckets) {
                flush_next_bucket();
            } else if (!heap_.empty()) {
                return;  // the ring is spent: the heap holds every event before the overflow's
            } else {
                rebase();  // only the overflow holds events
            }
        }
    }

    void flush_next_bucket() {
        ring_.drain(cursor_, [this](const Event& event) {
            if (is_cancelled(event)) {
                free_slots_.push_back(event.cancellation_slot);
                --stored_events_;
            } else {
                heap_insert(event);
            }
        });
        ++cursor_;
        flush_before_ = cursor_ < kBuckets
                            ? ring_base_ + (static_cast<Time>(cursor_) - static_cast<Time>(kLookahead)) * kBucketWidth
                            : std::numeric_limits<Time>::infinity();
    }

    // The heap and the ring are empty: a new ring starts at the overflow's earliest event, skipping any
    // empty years between. Where days are too coarse to tell buckets apart (infinite or astronomically
    // large times) the heap alone takes every event until the queue next empties.
    void rebase() {
        Time earliest = overflow_.front().time;
        for (const Event& event : overflow_)
            if (event.time < earliest) earliest = event.time;
        std::swap(overflow_, spare_);
        if (earliest + kBucketWidth > earliest) {
            reset_ring(earliest);
        } else {
            heap_only_ = true;
            cursor_ = kBuckets;
            flush_before_ = std::numeric_limits<Time>::infinity();
        }
        for (const Event& event : spare_) {
            if (is_cancelled(event)) {
                free_slots_.push_back(event.cancellation_slot);
                --stored_events_;
            } else {
                place(event);
            }
        }
        spare_.clear();
    }

    void discard_cancelled_top() {
        while (!heap_.empty() && is_cancelled(heap_.front())) {
            const std::uint32_t slot = heap_.front().cancellation_slot;
            remove_top();
            free_slots_.push_back(slot);
            --stored_events_;
        }
    }

    // Drops every cancelled entry from the heap, the ring and the overflow, and rebuilds the heap.
    void compact() {
        const auto dropped = [this](const Event& event) {
            if (!is_cancelled(event)) return false;
            free_slots_.push_back(event.cancellation_slot);
            --stored_events_;
            return true;
        };
        std::erase_if(heap_, dropped);
        for (std::size_t bucket = cursor_; bucket < kBuckets; ++bucket)
            ring_.filter(bucket, [&](const Event& event) { return !dropped(event); });
        std::erase_if(overflow_, dropped);
        // Floyd's heap construction: every node with a child, the last first.
        for (std::size_t parent = (heap_.size() + kArity - 2) / kArity; parent-- > 0;) sift_down(parent, heap_[parent]);
    }

    void heap_insert(const Event& event) {
        std::size_t hole = heap_.size();
        heap_.push_back(event);
        while (hole > 0) {
            const std::size_t parent = (hole - 1) / kArity;
            if (!earlier(event, heap_[parent])) break;
            heap_[hole] = heap_[parent];
            hole = parent;
        }
        heap_[hole] = event;
    }

    void remove_top() {
        const Event last = heap_.back();
        heap_.pop_back();
        if (!heap_.empty()) sift_down(0, last);
    }

    // Puts `event` in the subtree rooted at `hole`, moving earlier children up. A node with all four
    // children picks the earliest by a tournament of selects, not a chain of unpredictable branches.
    void sift_down(std::size_t hole, const Event event) {
        const std::size_t count = heap_.size();
        if (hole >= count) return;
        for (;;) {
            const std::size_t first_child = hole * kArity + 1;
            if (first_child >= count) break;
            std::size_t best = first_child;
            if (first_child + kArity <= count) {
                const Event* child = &heap_[first_child];
                const std::size_t left = earlier_branchless(child[1], child[0]) ? 1 : 0;
                const std::size_t right = earlier_branchless(child[3], child[2]) ? 3 : 2;
                best += earlier_branchless(child[right], child[left]) ? right : left;
            } else {
                for (std::size_t other = first_child + 1; other < count; ++other)
                    if (earlier(heap_[other], heap_[best])) best = other;
            }
            if (!earlier(heap_[best], event)) break;
            heap_[hole] = heap_[best];
            hole = best;
        }
        heap_[hole] = event;
    }

    std::vector<Event> heap_;                          // events of the buckets already flushed
    BucketStore<Event, kChunkEvents> ring_{kBuckets};  // bucket i: positions [i, i + 1); empty before cursor_
    std::vector<Event> overflow_;                      // positions kBuckets and beyond
    std::vector<Event> spare_;                         // the overflow's storage while it is redistributed
    Time ring_base_ = 0.0;                             // finite: the time at position 0
    std::size_t cursor_ = 0;                           // the next bucket to flush into the heap
    Time flush_before_ = -std::numeric_limits<Time>::infinity();
    bool heap_only_ = false;                 // every event goes into the heap (see rebase)
    LargeVector<std::uint64_t> slot_order_;  // order of the live event holding each slot
    std::vector<std::uint32_t> free_slots_;
    std::size_t live_events_ = 0;
    std::size_t stored_events_ = 0;  // live and cancelled entries in the heap, ring and overflow
    std::uint64_t next_sequence_ = 0;
};

}  // namespace ehsim::kernel
