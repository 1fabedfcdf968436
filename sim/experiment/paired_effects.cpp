#include "sim/experiment/paired_effects.hpp"

#include <cmath>
#include <stdexcept>

#include "sim/kernel/statistics.hpp"

namespace ehsim::experiment {

namespace {

const output::Indicator& annual_indicator(const output::RunRecord& record, const std::string& name) {
    for (const auto& indicator : record.annual)
        if (indicator.name == name) return indicator;
    throw std::logic_error("no annual indicator " + name);
}

}  // namespace

PairedEffect paired_effect(const output::RunRecord& baseline, const output::RunRecord& option,
                           const std::string& indicator, std::size_t year) {
    const auto& base = annual_indicator(baseline, indicator);
    const auto& opt = annual_indicator(option, indicator);
    const std::size_t years = baseline.years.size();
    kernel::RunningStatistics base_stats, option_stats, difference;
    std::size_t lower = 0;
    for (std::size_t replication = 0; replication < baseline.metadata.replications; ++replication) {
        const double b = base.values[replication * years + year], o = opt.values[replication * years + year];
        if (!std::isfinite(b) || !std::isfinite(o)) continue;
        base_stats.add(b);
        option_stats.add(o);
        difference.add(o - b);
        if (o < b) ++lower;
    }
    const double nan = std::nan("");
    if (difference.count() < 2) return PairedEffect{nan, nan, nan, nan, nan, nan, nan};
    const auto interval = kernel::confidence_interval(difference, 0.90);
    const double spread = base_stats.variance() + option_stats.variance();
    return PairedEffect{base_stats.mean(),
                        option_stats.mean(),
                        interval.mean,
                        interval.half_width,
                        static_cast<double>(lower) / static_cast<double>(difference.count()),
                        spread > 0 ? difference.variance() / spread : nan,
                        interval.standard_error};
}

std::vector<EffectsByYear> paired_effects(const std::vector<output::RunRecord>& records) {
    const std::size_t years = records.front().years.size();
    std::vector<EffectsByYear> effects(records.size(), EffectsByYear(years));
    for (std::size_t k = 1; k < records.size(); ++k)
        for (std::size_t year = 0; year < years; ++year)
            for (std::size_t key = 0; key < kKeyIndicatorCount; ++key)
                effects[k][year][key] = paired_effect(records[0], records[k], kKeyIndicators[key].indicator, year);
    return effects;
}

std::vector<output::ComparisonSummaryRow> summary_rows(const std::vector<output::RunRecord>& records,
                                                       const std::vector<EffectsByYear>& effects) {
    std::vector<output::ComparisonSummaryRow> summary;
    for (std::size_t k = 1; k < records.size(); ++k)
        for (std::size_t year = 0; year < effects[k].size(); ++year)
            for (std::size_t key = 0; key < kKeyIndicatorCount; ++key) {
                const PairedEffect& paired = effects[k][year][key];
                summary.push_back(output::ComparisonSummaryRow{
                    records[k].metadata.scenario_name, kKeyIndicators[key].indicator, records[0].years[year],
                    paired.baseline_mean, paired.option_mean, paired.difference_mean,
                    paired.difference_mean - paired.difference_half_width,
                    paired.difference_mean + paired.difference_half_width, paired.probability_lower,
                    paired.variance_ratio});
            }
    return summary;
}

}  // namespace ehsim::experiment
