#include "output/calibration_content.hpp"

#include <cmath>
#include <limits>
#include <vector>

#include "sim/kernel/statistics.hpp"

namespace ehsim::output {

DrawSummary summarise_draws(const std::vector<double>& draws) {
    const std::vector<double> sorted = kernel::finite_sorted(draws);
    return {kernel::quantile_of_sorted(sorted, 0.05), kernel::quantile_of_sorted(sorted, 0.50),
            kernel::quantile_of_sorted(sorted, 0.95)};
}

std::vector<FitRow> calibration_fit(const CalibrationResults& results) {
    std::vector<FitRow> rows;
    for (const CalibrationTarget& target : results.targets) {
        const DrawSummary model = summarise_draws(target.predictive);
        rows.push_back({&target, model, target.upper >= model.p05 && target.lower <= model.p95});
    }
    return rows;
}

bool drawable(const FitRow& row) { return std::isfinite(row.target->observed) && row.target->observed > 0.0; }

std::vector<ParameterRow> calibration_parameters(const CalibrationResults& results) {
    std::vector<ParameterRow> rows;
    for (const CalibrationParameter& parameter : results.parameters) {
        const DrawSummary prior = summarise_draws(parameter.prior), posterior = summarise_draws(parameter.posterior);
        const double prior_width = prior.p95 - prior.p05;
        const double ratio = prior_width > 0.0 ? (posterior.p95 - posterior.p05) / prior_width
                                               : std::numeric_limits<double>::quiet_NaN();
        rows.push_back({&parameter, prior, posterior, ratio});
    }
    return rows;
}

}  // namespace ehsim::output
