// Independent random streams, one per (replication, purpose, index), all derived from one master seed.
//
// Why derive streams by hashing their names rather than drawing them in sequence: a stream's numbers
// then depend only on its own key, so an option that adds a team or a purpose does not shift any other
// stream, and two scenarios run with the same seed share every draw where their inputs agree (common
// random numbers). Why a small-state engine (xoshiro256++, 32 bytes): a stream per family costs four
// words and O(1) seeding, where a Mersenne Twister would cost 2.5 KB and a 312-word warm-up.
#pragma once

#include <cstdint>
#include <limits>
#include <string_view>

namespace ehsim::kernel {

// SplitMix64 finaliser: a bijective mixer with full avalanche, used for seeding and key hashing.
constexpr std::uint64_t mix64(std::uint64_t value) {
    value += 0x9e3779b97f4a7c15ULL;
    value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
    value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
    return value ^ (value >> 31);
}

// FNV-1a of a purpose name: stable across compilers and platforms, unlike std::hash.
constexpr std::uint64_t purpose_id(std::string_view name) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char character : name) {
        hash ^= static_cast<unsigned char>(character);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

// xoshiro256++ (Blackman and Vigna, 2019), usable with every Boost.Random distribution.
class RandomEngine {
public:
    using result_type = std::uint64_t;
    static constexpr result_type min() { return 0; }
    static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

    RandomEngine() : RandomEngine(0) {}
    explicit RandomEngine(std::uint64_t seed) { this->seed(seed); }

    void seed(std::uint64_t seed) {
        // Consecutive SplitMix64 outputs: never all zero, and nearby seeds give unrelated states.
        std::uint64_t counter = seed;
        for (auto& word : state_) {
            word = mix64(counter);
            counter += 0x9e3779b97f4a7c15ULL;
        }
    }

    result_type operator()() {
        const std::uint64_t result = rotate_left(state_[0] + state_[3], 23) + state_[0];
        const std::uint64_t shifted = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= shifted;
        state_[3] = rotate_left(state_[3], 45);
        return result;
    }

    // Uniform on [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }

    friend bool operator==(const RandomEngine&, const RandomEngine&) = default;

private:
    static constexpr std::uint64_t rotate_left(std::uint64_t value, int bits) {
        return (value << bits) | (value >> (64 - bits));
    }
    std::uint64_t state_[4];
};

// The family of streams of one run. `stream(replication, "arrivals")` is the same sequence in every
// run with the same master seed, whatever else the run does.
class RandomStreams {
public:
    explicit RandomStreams(std::uint64_t master_seed) : master_seed_(master_seed) {}

    std::uint64_t master_seed() const { return master_seed_; }

    std::uint64_t stream_seed(std::uint64_t replication, std::uint64_t purpose, std::uint64_t index = 0) const {
        std::uint64_t key = mix64(master_seed_ ^ 0x6a09e667f3bcc909ULL);
        key = mix64(key ^ replication);
        key = mix64(key ^ purpose);
        return mix64(key ^ index);
    }

    RandomEngine stream(std::uint64_t replication, std::string_view purpose, std::uint64_t index = 0) const {
        return RandomEngine(stream_seed(replication, purpose_id(purpose), index));
    }
    RandomEngine stream(std::uint64_t replication, std::uint64_t purpose, std::uint64_t index = 0) const {
        return RandomEngine(stream_seed(replication, purpose, index));
    }

private:
    std::uint64_t master_seed_;
};

}  // namespace ehsim::kernel
