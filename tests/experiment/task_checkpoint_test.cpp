// The checkpoint of run and compare: finished tasks kept as they finish, found again on resuming, a record cut short
// by a stop dropped (its task runs again), and a checkpoint of another job, or no checkpoint, refused.
#include "sim/experiment/task_checkpoint.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/temporary_folder.hpp"

namespace ehsim::experiment {
namespace {

std::string bytes_of(std::uint64_t task) { return "result of task " + std::to_string(task) + std::string(task, '\0'); }

std::string message_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const std::exception& error) {
        return error.what();
    }
    return "";
}

TEST(TaskCheckpoint, KeptTasksAreFoundAgainAndOnlyTheRestRemain) {
    const test::TemporaryFolder folder;
    const std::string path = (folder.path() / "job.checkpoint").string();
    {
        TaskCheckpoint checkpoint(path, "job A", 6, false);
        EXPECT_EQ(checkpoint.remaining(), (std::vector<std::uint64_t>{0, 1, 2, 3, 4, 5}));
        for (const std::uint64_t task : {4u, 1u, 0u}) checkpoint.keep(task, bytes_of(task));
    }  // stopped here
    TaskCheckpoint resumed(path, "job A", 6, true);
    EXPECT_EQ(resumed.remaining(), (std::vector<std::uint64_t>{2, 3, 5}));
    ASSERT_EQ(resumed.kept().size(), 3u);
    for (const auto& [task, bytes] : resumed.kept()) EXPECT_EQ(bytes, bytes_of(task));
    resumed.keep(2, bytes_of(2));  // goes on after what it found
    TaskCheckpoint again(path, "job A", 6, true);
    EXPECT_EQ(again.remaining(), (std::vector<std::uint64_t>{3, 5}));
    again.remove();
    EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(TaskCheckpoint, ARecordCutShortOrDamagedIsDroppedWithWhatFollows) {
    const test::TemporaryFolder folder;
    const std::string path = (folder.path() / "job.checkpoint").string();
    {
        TaskCheckpoint checkpoint(path, "job", 4, false);
        checkpoint.keep(0, bytes_of(0));
        checkpoint.keep(3, bytes_of(3));
    }
    const auto size = std::filesystem::file_size(path);
    std::filesystem::resize_file(path, size - 5);  // the stop came while the second record was written
    {
        TaskCheckpoint resumed(path, "job", 4, true);
        EXPECT_EQ(resumed.remaining(), (std::vector<std::uint64_t>{1, 2, 3}));
        resumed.keep(3, bytes_of(3));  // the cut record is gone from the file: this one follows the first
    }
    {
        std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(static_cast<std::streamoff>(size) - 12);  // a byte of the second record's bytes changed
        file.put('#');
    }
    TaskCheckpoint damaged(path, "job", 4, true);
    EXPECT_EQ(damaged.remaining(), (std::vector<std::uint64_t>{1, 2, 3}));
    EXPECT_EQ(damaged.kept().at(0), bytes_of(0));
}

TEST(TaskCheckpoint, AnotherJobsOrNoCheckpointIsRefusedByName) {
    const test::TemporaryFolder folder;
    const std::string path = (folder.path() / "job.checkpoint").string();
    EXPECT_EQ(message_of([&] { TaskCheckpoint(path, "job", 4, true); }),
              "cannot resume: no checkpoint at '" + path + "'");
    { TaskCheckpoint(path, "job with seed 1", 4, false).keep(0, bytes_of(0)); }
    EXPECT_NE(message_of([&] { TaskCheckpoint(path, "job with seed 2", 4, true); }).find("is of another job"),
              std::string::npos);
    EXPECT_NE(message_of([&] { TaskCheckpoint(path, "job with seed 1", 5, true); }).find("is of another job"),
              std::string::npos);
    std::ofstream(path) << "replications: 100\n";
    EXPECT_NE(message_of([&] { TaskCheckpoint(path, "job with seed 1", 4, true); }).find("is not a checkpoint"),
              std::string::npos);
}

// Through the cluster's task runner: a resumed job's results are the uninterrupted job's, the kept tasks are not
// run again, and the progress count starts from them.
TEST(KeptTasks, AResumedJobGivesTheUninterruptedResultsAndRunsOnlyTheRest) {
    const test::TemporaryFolder folder;
    const std::string path = (folder.path() / "job.checkpoint").string();
    const auto square = [](std::uint64_t task) { return static_cast<double>(task * task); };
    const auto encode = [](double value) { return std::to_string(value); };
    const auto decode = [](const std::string& bytes) { return std::stod(bytes); };
    {
        TaskCheckpoint partial(path, "squares", 20, false);
        for (std::uint64_t task = 0; task < 20; task += 3) partial.keep(task, encode(square(task)));
    }
    KeptTasks kept({path, "squares", true}, 20);
    EXPECT_EQ(kept.kept(), 7u);
    std::atomic<int> ran{0};
    std::uint64_t first_count = 99;
    const std::vector<double> results = kept.run(
        3,
        [&](std::uint64_t task) {
            ++ran;
            EXPECT_NE(task % 3, 0u) << "kept task " << task << " ran again";
            return square(task);
        },
        encode, decode, [&](std::uint64_t done) { first_count = std::min(first_count, done); });
    EXPECT_EQ(ran.load(), 13);
    EXPECT_EQ(first_count, 7u);
    ASSERT_EQ(results.size(), 20u);
    for (std::uint64_t task = 0; task < 20; ++task) EXPECT_EQ(results[task], square(task));
    kept.finished();
    EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace ehsim::experiment
