#include "sim/model/indicator_values.hpp"

#include <limits>

namespace ehsim::model {

namespace {
constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();

// A closure in month m has had 12 months by the end of month m + 12 at the latest.
bool cohort_complete(int first_month, int last_month, int months) {
    return first_month >= 0 && last_month + 13 <= months;
}

double sum_over(const ReplicationResult& result, Tally tally, int first, int last) {
    double total = 0.0;
    for (int month = first; month <= last; ++month) total += result.tally(tally, month);
    return total;
}

}  // namespace

double value_over(const ReplicationResult& result, const IndicatorDefinition& indicator, int first, int last) {
    switch (indicator.kind) {
        case IndicatorKind::flow:
            return sum_over(result, indicator.numerator, first, last);
        case IndicatorKind::stock:
            return result.tally(indicator.numerator, last);
        case IndicatorKind::ratio: {
            if (is_twelve_month_cohort(indicator) && !cohort_complete(first, last, result.months)) return kUndefined;
            double numerator, denominator;
            if (is_stock(indicator.numerator)) {
                numerator = result.tally(indicator.numerator, last);
                denominator = result.tally(indicator.denominator, last);
            } else {
                numerator = sum_over(result, indicator.numerator, first, last);
                denominator = sum_over(result, indicator.denominator, first, last);
            }
            return denominator > 0.0 ? numerator / denominator * indicator.scale : kUndefined;
        }
    }
    return kUndefined;
}

bool is_twelve_month_cohort(const IndicatorDefinition& indicator) {
    return indicator.numerator == rereferred_within_12_months || indicator.numerator == reassessed_within_12_months ||
           indicator.numerator == step_downs_returned_within_12_months;
}

std::vector<double> monthly_values(const ReplicationResult& result, const IndicatorDefinition& indicator) {
    std::vector<double> values;
    values.reserve(static_cast<std::size_t>(result.months));
    for (int month = 0; month < result.months; ++month) values.push_back(value_over(result, indicator, month, month));
    return values;
}

std::vector<double> annual_values(const ReplicationResult& result, const IndicatorDefinition& indicator) {
    std::vector<double> values;
    for (int year = 0; (year + 1) * 12 <= result.months; ++year)
        values.push_back(value_over(result, indicator, year * 12, year * 12 + 11));
    return values;
}

}  // namespace ehsim::model
