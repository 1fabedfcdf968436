// Entities waiting for a server: served by priority class (0 first: red before amber before green),
// first come first served within a class; a waiting entity may give up when its patience runs out.
//
// Why intrusive lists over a pool of places: joining, being served and giving up from the middle of
// the line are all O(1), and a place is reused once left, so a long run allocates nothing once the
// line has reached its longest.
#pragma once

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "sim/kernel/simulation.hpp"
#include "sim/kernel/statistics.hpp"

namespace ehsim::kernel {

class WaitingLine {
public:
    using Place = std::uint32_t;
    static constexpr Place kNoPlace = std::numeric_limits<Place>::max();

    struct Waiting {
        SubjectId subject;
        std::uint32_t priority;
        Time joined;
    };

    explicit WaitingLine(std::uint32_t priority_classes, double start_time = 0.0)
        : classes_(priority_classes), length_(start_time, 0.0) {
        if (priority_classes == 0) throw std::invalid_argument("waiting line: needs at least one priority class");
    }

    void reserve(std::size_t places) { places_.reserve(places); }

    // Joins the back of the subject's priority class; returns the place, which names it until it
    // leaves. No patience: it waits until served.
    Place join(Simulation& simulation, SubjectId subject, std::uint32_t priority) {
        return enqueue(simulation.now(), subject, priority, EventHandle{});
    }

    // Joins with a patience: an event of kind `gives_up_kind` whose subject is the returned place is
    // scheduled `patience` days from now, and cancelled if the subject is served first. The model
    // handles that event by calling give_up(place).
    Place join_with_patience(Simulation& simulation, SubjectId subject, std::uint32_t priority, Time patience,
                             EventKind gives_up_kind) {
        const Place place = enqueue(simulation.now(), subject, priority, EventHandle{});
        places_[place].patience_event = simulation.schedule_cancellable_in(patience, gives_up_kind, place);
        return place;
    }

    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    std::size_t size(std::uint32_t priority) const { return classes_.at(priority).size; }
    std::uint32_t priority_classes() const { return static_cast<std::uint32_t>(classes_.size()); }

    // Removes and returns the first in line: the longest-waiting of the most urgent class.
    // Precondition: !empty().
    Waiting serve_next(Simulation& simulation) {
        for (const auto& line : classes_)
            if (line.head != kNoPlace) {
                const Place place = line.head;
                simulation.cancel(places_[place].patience_event);
                return leave(simulation.now(), place);
            }
        throw std::logic_error("waiting line: serve_next on an empty line");
    }

    // The subject at `place` stops waiting (its patience ran out, or it was withdrawn).
    Waiting give_up(Simulation& simulation, Place place) {
        if (place >= places_.size() || !places_[place].occupied)
            throw std::logic_error("waiting line: give_up for a place nobody holds");
        simulation.cancel(places_[place].patience_event);
        return leave(simulation.now(), place);
    }

    void reset_statistics(double now) { length_.reset(now); }
    double mean_length(double now) const { return length_.mean(now); }
    double length_area(double now) const { return length_.area(now); }
    double maximum_length() const { return length_.maximum(); }

private:
    struct PlaceRecord {
        Waiting waiting;
        Place previous;
        Place next;
        EventHandle patience_event;
        bool occupied;
    };
    struct ClassLine {
        Place head = kNoPlace;
        Place tail = kNoPlace;
        std::size_t size = 0;
    };

    Place enqueue(Time now, SubjectId subject, std::uint32_t priority, EventHandle patience_event) {
        if (priority >= classes_.size()) throw std::out_of_range("waiting line: priority class out of range");
        Place place;
        if (free_head_ != kNoPlace) {
            place = free_head_;
            free_head_ = places_[place].next;
        } else {
            place = static_cast<Place>(places_.size());
            places_.emplace_back();
        }
        ClassLine& line = classes_[priority];
        places_[place] = PlaceRecord{Waiting{subject, priority, now}, line.tail, kNoPlace, patience_event, true};
        if (line.tail != kNoPlace)
            places_[line.tail].next = place;
        else
            line.head = place;
        line.tail = place;
        ++line.size;
        ++size_;
        length_.update(now, static_cast<double>(size_));
        return place;
    }

    Waiting leave(Time now, Place place) {
        PlaceRecord& record = places_[place];
        ClassLine& line = classes_[record.waiting.priority];
        if (record.previous != kNoPlace)
            places_[record.previous].next = record.next;
        else
            line.head = record.next;
        if (record.next != kNoPlace)
            places_[record.next].previous = record.previous;
        else
            line.tail = record.previous;
        --line.size;
        --size_;
        length_.update(now, static_cast<double>(size_));
        record.occupied = false;
        record.next = free_head_;
        free_head_ = place;
        return record.waiting;
    }

    std::vector<ClassLine> classes_;
    std::vector<PlaceRecord> places_;
    Place free_head_ = kNoPlace;
    std::size_t size_ = 0;
    TimeWeightedAverage length_;
};

}  // namespace ehsim::kernel
