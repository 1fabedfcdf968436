// Numbered bags of records, all drawn from one pool of fixed-size chunks: the far level of the event set.
//
// Why chunks from one pool rather than a vector per bag: the storage in use is the records held plus at
// most one part-filled chunk per bag, so memory follows what is pending (a vector per bag would keep each
// bag's largest-ever size), and once the pool has reached its working size nothing is allocated. A chunk
// holds consecutive records, so draining a bag reads memory in order; freed chunks are reused first (a
// stack), while they are still in the cache.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "sim/kernel/huge_page_allocator.hpp"

namespace ehsim::kernel {

template <class Record, std::size_t kChunkRecords>
class BucketStore {
public:
    explicit BucketStore(std::size_t bags) : heads_(bags, kNone), tails_(bags, kNone) {}

    // Room for `records` records spread over the bags (the last chunk of each may be part-filled).
    void reserve(std::size_t records) { chunks_.reserve(records / kChunkRecords + heads_.size()); }

    bool empty(std::size_t bag) const { return heads_[bag] == kNone; }
    // Records in the bag (a walk over its chunks).
    std::size_t count(std::size_t bag) const {
        std::size_t records = 0;
        for (std::uint32_t chunk = heads_[bag]; chunk != kNone; chunk = chunks_[chunk].next)
            records += chunks_[chunk].count;
        return records;
    }
    // Chunks in the pool, in use or free: what the store holds in memory, in chunks.
    std::size_t chunks_allocated() const { return chunks_.size(); }

    void add(std::size_t bag, const Record& record) {
        std::uint32_t tail = tails_[bag];
        if (tail == kNone || chunks_[tail].count == kChunkRecords) {
            const std::uint32_t fresh = take_chunk();
            if (tail == kNone) {
                heads_[bag] = fresh;
            } else {
                chunks_[tail].next = fresh;
            }
            tails_[bag] = tail = fresh;
        }
        Chunk& chunk = chunks_[tail];
        chunk.records[chunk.count++] = record;
    }

    // Calls visit(record) for each record of the bag, in the order they were added, and empties it.
    // visit must not add to this store.
    template <class Visit>
    void drain(std::size_t bag, Visit&& visit) {
        std::uint32_t chunk = heads_[bag];
        while (chunk != kNone) {
            const Chunk& from = chunks_[chunk];
            for (std::uint32_t i = 0; i < from.count; ++i) visit(from.records[i]);
            const std::uint32_t next = from.next;
            give_back(chunk);
            chunk = next;
        }
        heads_[bag] = tails_[bag] = kNone;
    }

    // Keeps the records for which keep(record) is true, in their order, and frees the chunks emptied.
    template <class Keep>
    void filter(std::size_t bag, Keep&& keep) {
        if (heads_[bag] == kNone) return;
        std::uint32_t write = heads_[bag];
        std::uint32_t written = 0;
        // Only a bag's last chunk is ever part-filled, and the writing never passes the reading.
        for (std::uint32_t read = heads_[bag]; read != kNone; read = chunks_[read].next) {
            for (std::uint32_t i = 0; i < chunks_[read].count; ++i) {
                if (!keep(chunks_[read].records[i])) continue;
                if (written == kChunkRecords) {
                    write = chunks_[write].next;
                    written = 0;
                }
                chunks_[write].records[written++] = chunks_[read].records[i];
            }
        }
        std::uint32_t rest = chunks_[write].next;
        while (rest != kNone) {
            const std::uint32_t next = chunks_[rest].next;
            give_back(rest);
            rest = next;
        }
        if (written == 0) {  // nothing kept: write is still the head
            give_back(write);
            heads_[bag] = tails_[bag] = kNone;
            return;
        }
        chunks_[write].count = written;
        chunks_[write].next = kNone;
        tails_[bag] = write;
    }

    // Every bag empty; the chunks stay in the pool for reuse.
    void clear() {
        for (std::size_t bag = 0; bag < heads_.size(); ++bag) drain(bag, [](const Record&) {});
    }

private:
    static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

    struct Chunk {
        std::array<Record, kChunkRecords> records;
        std::uint32_t count;
        std::uint32_t next;
    };

    std::uint32_t take_chunk() {
        std::uint32_t chunk = free_;
        if (chunk == kNone) {
            chunk = static_cast<std::uint32_t>(chunks_.size());
            chunks_.emplace_back();
        } else {
            free_ = chunks_[chunk].next;
        }
        chunks_[chunk].count = 0;
        chunks_[chunk].next = kNone;
        return chunk;
    }

    void give_back(std::uint32_t chunk) {
        chunks_[chunk].next = free_;
        free_ = chunk;
    }

    LargeVector<Chunk> chunks_;
    std::uint32_t free_ = kNone;  // the first free chunk; each free chunk's next is the one after
    std::vector<std::uint32_t> heads_;
    std::vector<std::uint32_t> tails_;
};

}  // namespace ehsim::kernel
