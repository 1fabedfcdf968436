// The files of finished tasks ehsim reads back: a checkpoint of `run` or `compare` resumed with --resume, and the
// shard files `sensitivity` and `calibrate` join with --from-shards (sim/experiment/task_checkpoint.hpp). Each must
// give back only whole records of its own job, or be refused in one line naming the file.
//
// EHSIM_FUZZ_WRITE_SEED=FILE writes a checkpoint of the harness's job, with a few tasks kept, and exits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sim/experiment/task_checkpoint.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

constexpr const char* kIdentity = "fuzzed job\nseed 1\n";
constexpr std::uint64_t kTasks = 12;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    if (const char* seed = std::getenv("EHSIM_FUZZ_WRITE_SEED")) {
        ehsim::experiment::TaskCheckpoint checkpoint(seed, kIdentity, kTasks, false);
        for (const std::uint64_t task : {0u, 3u, 4u, 11u}) checkpoint.keep(task, std::string(task * 7, 'x'));
        std::exit(0);
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string file = ehsim::fuzz::write_input("fuzzed.checkpoint", data, size);
    ehsim::fuzz::expect_accepted_or_one_line(file, [&] {
        const ehsim::experiment::TaskCheckpoint shard(file, kIdentity, kTasks, true,
                                                      ehsim::experiment::TaskCheckpoint::kReadOnly);
        for (const auto& [task, bytes] : shard.kept())
            if (task >= kTasks) std::abort();  // a task the job does not have
    });
    ehsim::fuzz::expect_accepted_or_one_line(file, [&] {
        // Resumed: the damaged tail is cut off and the checkpoint goes on.
        ehsim::experiment::TaskCheckpoint checkpoint(file, kIdentity, kTasks, true);
        if (!checkpoint.remaining().empty()) checkpoint.keep(checkpoint.remaining().front(), "one more");
    });
    return 0;
}
