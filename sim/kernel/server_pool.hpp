// A pool of identical servers with a capacity that can change (a team's caseload slots, triage desks).
#pragma once

#include <cstdint>
#include <stdexcept>

#include "sim/kernel/statistics.hpp"

namespace ehsim::kernel {

class ServerPool {
public:
    explicit ServerPool(std::uint32_t capacity, double start_time = 0.0)
        : capacity_(capacity), busy_(start_time, 0.0) {}

    std::uint32_t capacity() const { return capacity_; }
    std::uint32_t in_use() const { return in_use_; }
    bool has_free_server() const { return in_use_ < capacity_; }

    // Takes a server if one is free.
    bool try_seize(double now) {
        if (in_use_ >= capacity_) return false;
        ++in_use_;
        busy_.update(now, in_use_);
        return true;
    }

    void release(double now) {
        if (in_use_ == 0) throw std::logic_error("server pool: release with no server in use");
        --in_use_;
        busy_.update(now, in_use_);
    }

    // A cut below the number in use takes effect as servers are released (nobody is thrown out).
    void set_capacity(std::uint32_t capacity) { capacity_ = capacity; }

    void reset_statistics(double now) { busy_.reset(now); }
    double mean_in_use(double now) const { return busy_.mean(now); }
    double utilisation(double now) const { return capacity_ > 0 ? busy_.mean(now) / capacity_ : 0.0; }

private:
    std::uint32_t capacity_;
    std::uint32_t in_use_ = 0;
    TimeWeightedAverage busy_;
};

}  // namespace ehsim::kernel
