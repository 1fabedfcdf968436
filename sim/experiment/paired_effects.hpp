// Each option's effect on the key indicators, year by year: baseline, option and their difference paired by
// replication, as the comparison's table and its HDF5 summary give them.
#pragma once

#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "output/hdf5_writer.hpp"
#include "output/run_record.hpp"

namespace ehsim::experiment {

// The indicators whose paired effects are summarised, per reported year.
struct KeyIndicator {
    const char* indicator;
    const char* label;  // in a table's words
};
inline constexpr KeyIndicator kKeyIndicators[] = {
    {"children_in_need_per_10000", "children in need per 10,000"},
    {"contacts_to_social_care", "contacts to social care"},
    {"social_care_referrals", "referrals to social care"},
    {"open_early_help_cases", "open early help cases"},
    {"lead_professional_within_target_pct", "lead professional in target %"},
    {"mean_wait_days", "wait for a lead professional (days)"},
    {"disengaged_pct", "closures disengaged %"},
    {"cost_staff", "staff cost (GBP)"},
    {"cost_sites", "running cost of sites (GBP)"},
    {"cost_total", "total cost (GBP)"},
};
inline constexpr std::size_t kKeyIndicatorCount = std::size(kKeyIndicators);

// The position of a key indicator in kKeyIndicators, by its indicator's key (in a constant expression, an
// absent key does not compile).
constexpr std::size_t key_indicator(std::string_view indicator) {
    for (std::size_t key = 0; key < kKeyIndicatorCount; ++key)
        if (std::string_view(kKeyIndicators[key].indicator) == indicator) return key;
    throw std::invalid_argument("not a key indicator: " + std::string(indicator));
}

// One indicator in one year: baseline, option, and their paired difference across replications (a
// replication where either is NaN is left out; fewer than two left: all NaN).
struct PairedEffect {
    double baseline_mean, option_mean, difference_mean, difference_half_width;  // half width: 90% interval
    double probability_lower;          // share of replications where the option is lower
    double variance_ratio;             // var(difference) / (var(baseline) + var(option))
    double difference_standard_error;  // of difference_mean: the replication noise of the paired effect
};

PairedEffect paired_effect(const output::RunRecord& baseline, const output::RunRecord& option,
                           const std::string& indicator, std::size_t year);

// effects[k][year][key] for each option k of `records` (records[0] is the baseline; effects[0] is unused),
// computed once for the table and the summary.
using EffectsByYear = std::vector<std::array<PairedEffect, kKeyIndicatorCount>>;
std::vector<EffectsByYear> paired_effects(const std::vector<output::RunRecord>& records);

// The summary rows the comparison's HDF5 file keeps: option by option, year by year, key by key.
std::vector<output::ComparisonSummaryRow> summary_rows(const std::vector<output::RunRecord>& records,
                                                       const std::vector<EffectsByYear>& effects);

}  // namespace ehsim::experiment
