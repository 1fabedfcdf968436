// A fixed design's points (sensitivity's Morris and Sobol' designs, known before anything runs) spread over the
// tasks of a job array without MPI, then joined: `--shard K/N` evaluates the K-th of N equal parts of the points and
// keeps them in a shard file (task_checkpoint.hpp's format); `--from-shards FILE...` takes every point from the
// shards and goes on as one process would, so the result is the one process's, bit for bit.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/experiment/task_checkpoint.hpp"

namespace ehsim::experiment {

struct DesignShardRequest {
    std::uint64_t shard_index = 0, shard_count = 0;  // count 0: not a shard
    std::string shard_file;                          // a shard's file (written through a temporary name)
    std::vector<std::string> from_shards;            // or the shard files to take every point from
    std::string identity;                            // everything the points' values depend on
    bool active() const { return shard_count > 0 || !from_shards.empty(); }
};

class DesignShards {
public:
    // Reads the shards given (refusing, in one line naming the file, one of another job) or prepares a shard.
    DesignShards(DesignShardRequest request, std::uint64_t points);

    bool is_shard() const { return request_.shard_count > 0; }
    // Whether point `point` is evaluated here (a shard's own points; none when taken from shards).
    bool evaluates(std::uint64_t point) const;
    // The point's values kept in the shards (from_shards); throws if no shard holds it.
    std::vector<double> kept(std::uint64_t point) const;
    // A shard: writes its points' values (rows[point] for its own points), as `shard_file`, complete or not at all.
    void write_shard(const std::vector<std::vector<double>>& rows) const;
    // The first and one-past-last point of the shard.
    std::uint64_t first() const { return first_; }
    std::uint64_t end() const { return end_; }

private:
    DesignShardRequest request_;
    std::uint64_t points_;
    std::uint64_t first_ = 0, end_ = 0;
    std::vector<std::string> kept_;  // by point, from the shards ("" where none held it: an error if asked for)
    std::vector<bool> held_;
};

}  // namespace ehsim::experiment
