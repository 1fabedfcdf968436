#include "sim/experiment/design_shards.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "sim/cluster/cluster.hpp"
#include "sim/experiment/shards.hpp"

namespace ehsim::experiment {

DesignShards::DesignShards(DesignShardRequest request, std::uint64_t points)
    : request_(std::move(request)), points_(points) {
    if (is_shard()) {
        const ShardRange range = shard_range(points, request_.shard_index, request_.shard_count);
        first_ = range.first;
        end_ = range.first + range.count;
        return;
    }
    if (request_.from_shards.empty()) {
        end_ = points;  // not sharded: every point here
        return;
    }
    kept_.resize(points);
    held_.assign(points, false);
    for (const std::string& file : request_.from_shards) {
        // Opened to read only: a shard file is never changed by joining it.
        const TaskCheckpoint shard(file, request_.identity, points, true, TaskCheckpoint::kReadOnly);
        for (const auto& [point, bytes] : shard.kept()) {
            kept_[point] = bytes;
            held_[point] = true;
        }
    }
    for (std::uint64_t point = 0; point < points; ++point)
        if (!held_[point])
            throw std::runtime_error("evaluation " + std::to_string(point + 1) + " of the design's " +
                                     std::to_string(points) + " is in none of the " +
                                     std::to_string(request_.from_shards.size()) +
                                     " shard files given: is a shard missing?");
}

bool DesignShards::evaluates(std::uint64_t point) const {
    if (!request_.from_shards.empty()) return false;
    return point >= first_ && point < end_;
}

std::vector<double> DesignShards::kept(std::uint64_t point) const {
    if (point >= held_.size() || !held_[point])
        throw std::logic_error("design point " + std::to_string(point) + " was not kept");
    return cluster::numbers_from_bytes(kept_[point]);
}

void DesignShards::write_shard(const std::vector<std::vector<double>>& rows) const {
    if (!cluster::is_manager()) return;
    const std::string& out = request_.shard_file;
    if (const auto folder = std::filesystem::path(out).parent_path(); !folder.empty())
        std::filesystem::create_directories(folder);
    const std::string temporary = out + ".tmp-" + std::to_string(::getpid());
    {
        TaskCheckpoint shard(temporary, request_.identity, points_, false);
        for (std::uint64_t point = first_; point < end_; ++point)
            shard.keep(point, cluster::numbers_to_bytes(rows.at(point)));
    }
    std::error_code error;
    std::filesystem::rename(temporary, out, error);
    if (error) {
        std::filesystem::remove(temporary, error);
        throw std::runtime_error("cannot write " + out + ": " + error.message());
    }
}

}  // namespace ehsim::experiment
