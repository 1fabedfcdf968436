// What the experiment layer's tests share: the test scenarios, bit-for-bit comparison and scratch folders.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "output/run_record.hpp"
#include "sim/model/early_help_model.hpp"

namespace ehsim::experiment::testing {

inline std::string data(const std::string& file) { return std::string(EHSIM_TEST_DATA) + "/" + file; }

// Equal bit for bit: NaN equals NaN, and 0.0 differs from -0.0.
inline bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

inline bool same_results(const model::ReplicationResult& a, const model::ReplicationResult& b) {
    return a.months == b.months && a.localities == b.localities && same_bits(a.tallies, b.tallies) &&
           same_bits(a.locality_tallies, b.locality_tallies) && a.events == b.events &&
           a.trajectory_fingerprint == b.trajectory_fingerprint;
}

// Every indicator series of two records, bit for bit (their metadata may differ: the time of writing).
inline bool same_values(const output::RunRecord& a, const output::RunRecord& b) {
    const auto same_series = [](const std::vector<output::Indicator>& x, const std::vector<output::Indicator>& y) {
        if (x.size() != y.size()) return false;
        for (std::size_t i = 0; i < x.size(); ++i)
            if (x[i].name != y[i].name || !same_bits(x[i].values, y[i].values)) return false;
        return true;
    };
    return a.months == b.months && a.years == b.years && same_series(a.monthly, b.monthly) &&
           same_series(a.annual, b.annual) && same_series(a.by_locality, b.by_locality);
}

// A fresh, empty folder named after the running test, under GoogleTest's temporary folder.
inline std::filesystem::path fresh_folder() {
    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::filesystem::path folder = std::filesystem::path(::testing::TempDir()) / "ehsim-experiment-tests" /
                                         (std::string(test->test_suite_name()) + "." + test->name());
    std::filesystem::remove_all(folder);
    std::filesystem::create_directories(folder);
    return folder;
}

}  // namespace ehsim::experiment::testing
