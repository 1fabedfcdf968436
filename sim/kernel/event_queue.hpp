// The pending-event set, ordered by (time, order key): a small 4-ary min-heap for the events due next, a
// ring of day buckets (plus an overflow list) for the events dated further ahead, and between them the
// day being run, cut into as many slices as its events need.
//
// Why levels: a model's families hold events dated months or years ahead (a plan's review, a need that
// returns), so one heap of every pending event is large and each push and pop walks a tree that misses
// the cache. Far events wait in a day bucket, appended in O(1). When the heap runs dry the next day is
// opened: its events are spread over 2^k equal slices, about kSliceEvents each, and the heap takes one
// slice at a time. So the heap holds a few dozen events whatever the population, and the work per event
// does not grow with it (measured, bench/instructions_per_event.sh: 880 instructions an event at 10^7
// children, 883 at 10^5; with a day or two in the heap it was 1,190 and 974).
//
// Why the pop order is exactly that of one heap: an event's place (day bucket, then slice) is a monotone
// function of its time (bucket_position), the heap holds exactly the events of the places already
// flushed, and every other place holds later positions, so later times; equal times share a position,
// hence a place. The heap is filled only when empty, so its top is always the earliest. Within the
// heap the order key breaks every tie, so the sequence does not depend on where an event waited.
//
// Why lazy cancellation: marking a slot is O(1) and keeps the stores free of back-pointers. A cancelled
// event is dropped when its bucket is flushed or when it reaches the heap's top, and all stores are
// compacted when the cancelled entries outnumber the live ones, so memory stays O(pending events).
#pragma once

#include <algorithm>
#include <bit>
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
    // The ring: kBuckets buckets of kBucketWidth days each, five and a half years in all. Measured on the
    // Walsall model: 59% of events are scheduled less than a day ahead, yet 73% of those pending are due
    // more than 30 days ahead. An opened day is cut into at most kMaxSlices slices of about kSliceEvents.
    static constexpr std::size_t kBuckets = 2048;
    static constexpr Time kBucketWidth = 1.0;
    static constexpr std::size_t kSliceEvents = 32;
    static constexpr std::size_t kMaxSlices = 1024;
    static constexpr std::size_t kChunkEvents = 16;  // 512 bytes a chunk

    // Room for `events` pending events wherever they wait, so that nothing is allocated below that.
    void reserve(std::size_t events) {
        heap_.reserve(events);
        ring_.reserve(events);
        slices_.reserve(events);
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
        return peek([](const Event&) {});
    }

    // The same, calling entering(event) for each live event that moves into the heap from a slice or a
    // day, before any of them runs: the loop's chance to prefetch what a slice's events will touch, a
    // slice ahead (see Simulation::hint_next).
    template <class Entering>
    const Event* peek(Entering&& entering) {
        settle(entering);
        return heap_.empty() ? nullptr : &heap_.front();
    }

    // Removes and returns the earliest live event. Precondition: !empty().
    Event pop() {
        settle([](const Event&) {});
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
        slices_.clear();
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

    // Which slice of the open day (bucket cursor_ - 1) a position falls in: monotone, like the position.
    std::size_t slice_of(Time position) const {
        if (slices_open_ == 1) return 0;
        // slices_open_ is a power of two, so the product is exact and below it for the open day.
        const Time within = (position - static_cast<Time>(cursor_ - 1)) * static_cast<Time>(slices_open_);
        if (!(within > 0.0)) return 0;
        return std::min(static_cast<std::size_t>(within), slices_open_ - 1);
    }

    void place(const Event& event) {
        if (heap_only_) return heap_insert(event);
        const Time position = bucket_position(event.time);
        if (position < static_cast<Time>(cursor_)) {
            // The open day or before: the heap if its slice is already flushed, else its slice.
            const std::size_t slice = slice_of(position);
            if (slice < next_slice_) {
                heap_insert(event);
            } else {
                slices_.add(slice, event);
            }
        } else if (position < static_cast<Time>(kBuckets)) {
            ring_.add(static_cast<std::size_t>(position), event);
        } else {
            overflow_.push_back(event);
        }
    }

    void reset_ring(Time base) {
        ring_base_ = base;
        cursor_ = 0;
        slices_open_ = 1;  // no day open: every slice counts as flushed
        next_slice_ = 1;
    }

    // Makes the heap's top the earliest live event, if any is pending: drops cancelled tops and, while
    // the heap is empty, fills it from the open day's next slice, or opens the next day.
    template <class Entering>
    void settle(Entering&& entering) {
        for (;;) {
            discard_cancelled_top();
            if (!heap_.empty()) return;
            if (stored_events_ == 0) {
                heap_only_ = false;  // nothing is pending anywhere: keep the ring where it is
                return;
            }
            if (next_slice_ < slices_open_) {
                slices_.drain(next_slice_++, [&](const Event& event) { keep_if_live(event, entering); });
            } else if (cursor_ < kBuckets) {
                open_next_day(entering);
            } else {
                rebase();  // only the overflow holds events
            }
        }
    }

    template <class Entering>
    void keep_if_live(const Event& event, Entering& entering) {
        if (is_cancelled(event)) {
            free_slots_.push_back(event.cancellation_slot);
            --stored_events_;
        } else {
            entering(event);
            heap_insert(event);
        }
    }

    // A day of few events goes straight into the heap; a busier one is spread over its slices.
    template <class Entering>
    void open_next_day(Entering& entering) {
        const std::size_t events = ring_.count(cursor_);
        const std::size_t slices = std::min(std::bit_ceil(events / kSliceEvents + 1), kMaxSlices);
        const std::size_t day = cursor_++;
        slices_open_ = slices;
        if (slices == 1) {
            next_slice_ = 1;
            ring_.drain(day, [&](const Event& event) { keep_if_live(event, entering); });
            return;
        }
        next_slice_ = 0;
        ring_.drain(day, [this](const Event& event) { slices_.add(slice_of(bucket_position(event.time)), event); });
    }

    // The heap and the ring are empty: a new ring starts at the overflow's earliest event, skipping any
    // empty years between. Where days are too coarse to tell buckets apart (infinite or astronomically
    // large times) the heap alone takes every event until the queue next empties.
    void rebase() {
        Time earliest = overflow_.front().time;
        for (const Event& event : overflow_)
            if (event.time < earliest) earliest = event.time;
        std::swap(overflow_, spare_);
        slices_open_ = next_slice_ = 1;
        if (earliest + kBucketWidth > earliest) {
            reset_ring(earliest);
        } else {
            heap_only_ = true;
            cursor_ = kBuckets;
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
        for (std::size_t slice = next_slice_; slice < slices_open_; ++slice)
            slices_.filter(slice, [&](const Event& event) { return !dropped(event); });
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

    std::vector<Event> heap_;                              // events of the buckets already flushed
    BucketStore<Event, kChunkEvents> ring_{kBuckets};      // bucket i: positions [i, i + 1); empty before cursor_
    BucketStore<Event, kChunkEvents> slices_{kMaxSlices};  // the open day's slices; empty before next_slice_
    std::vector<Event> overflow_;                          // positions kBuckets and beyond
    std::vector<Event> spare_;                             // the overflow's storage while it is redistributed
    Time ring_base_ = 0.0;                                 // finite: the time at position 0
    std::size_t cursor_ = 0;                               // the next day to open; cursor_ - 1 is open
    std::size_t slices_open_ = 1;                          // the open day's slices
    std::size_t next_slice_ = 1;                           // the next slice to flush into the heap
    bool heap_only_ = false;                               // every event goes into the heap (see rebase)
    LargeVector<std::uint64_t> slot_order_;                // order of the live event holding each slot
    std::vector<std::uint32_t> free_slots_;
    std::size_t live_events_ = 0;
    std::size_t stored_events_ = 0;  // live and cancelled entries in the heap, ring and overflow
    std::uint64_t next_sequence_ = 0;
};

}  // namespace ehsim::kernel
