// What one random read costs on this machine as the data outgrows each cache: a dependent chain of reads
// through a random cycle of 64-byte lines (each read's address comes from the one before, so no two
// overlap), over footprints given in MB. The control for the whole model's cost by size: its time per event
// rises with its memory as this does. Each footprint is read twice: in ordinary 4 KiB pages, and in the
// huge pages the model's large arrays ask for (kernel::LargeVector), which spare the page walks but not
// the read itself.
//
//   memory_latency MB...
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <random>
#include <vector>

#include "sim/kernel/huge_page_allocator.hpp"

namespace {

volatile std::size_t end_of_chain;

// Nanoseconds per read of a dependent chain through a random cycle of `lines` lines held in `next`.
template <class Words>
double chase(std::size_t lines, Words& next) {
    constexpr std::size_t kWordsPerLine = 64 / sizeof(std::size_t);
    std::vector<std::size_t> order(lines);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::shuffle(order.begin(), order.end(), std::mt19937_64(1));
    next.assign(lines * kWordsPerLine, 0);
    for (std::size_t line = 0; line < lines; ++line)
        next[order[line] * kWordsPerLine] = order[(line + 1) % lines] * kWordsPerLine;
    constexpr std::size_t kReads = 20'000'000;
    std::size_t at = 0;
    const auto started = std::chrono::steady_clock::now();
    for (std::size_t read = 0; read < kReads; ++read) at = next[at];
    const double nanoseconds =
        std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - started).count() / kReads;
    end_of_chain = at;  // keeps the chain from being optimised away
    return nanoseconds;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: memory_latency MB...\n");
        return 2;
    }
    for (int argument = 1; argument < argc; ++argument) {
        const double megabytes = std::atof(argv[argument]);
        const auto lines = static_cast<std::size_t>(megabytes * 1024 * 1024 / 64);
        if (lines < 2) {
            std::fprintf(stderr, "memory_latency: %s MB is too small\n", argv[argument]);
            return 2;
        }
        std::vector<std::size_t> ordinary;
        ehsim::kernel::LargeVector<std::size_t> huge;
        const double in_ordinary_pages = chase(lines, ordinary);
        ordinary = {};
        const double in_huge_pages = chase(lines, huge);
        std::printf("%g MB: %.1f ns per dependent random read (%.1f ns in huge pages)\n", megabytes, in_ordinary_pages,
                    in_huge_pages);
    }
    return 0;
}
