#include "sim/calibration/nelder_mead.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

namespace ehsim::calibration {

namespace {

struct Simplex {
    std::vector<Eigen::VectorXd> vertices;
    std::vector<double> values;

    // Vertex indices by value, best first; ties keep the older order, so the method is deterministic.
    std::vector<std::size_t> order() const {
        std::vector<std::size_t> indices(values.size());
        std::iota(indices.begin(), indices.end(), std::size_t{0});
        std::stable_sort(indices.begin(), indices.end(),
                         [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
        return indices;
    }
};

bool converged(const Simplex& simplex, std::size_t best, std::size_t worst, const NelderMeadSettings& settings) {
    if (!std::isfinite(simplex.values[worst])) return false;
    if (simplex.values[worst] - simplex.values[best] > settings.function_tolerance) return false;
    for (const Eigen::VectorXd& vertex : simplex.vertices)
        if ((vertex - simplex.vertices[best]).lpNorm<Eigen::Infinity>() > settings.step_tolerance) return false;
    return true;
}

}  // namespace

NelderMeadResult nelder_mead(const std::function<double(const Eigen::VectorXd&)>& function,
                             const Eigen::VectorXd& start, const NelderMeadSettings& settings) {
    const auto dimensions = static_cast<std::size_t>(start.size());
    NelderMeadResult result;
    auto evaluate = [&](const Eigen::VectorXd& point) {
        ++result.evaluations;
        const double value = function(point);
        return std::isnan(value) ? std::numeric_limits<double>::infinity() : value;
    };
    Simplex simplex;
    simplex.vertices.push_back(start);
    for (std::size_t i = 0; i < dimensions; ++i) {
        Eigen::VectorXd vertex = start;
        vertex(static_cast<Eigen::Index>(i)) += settings.initial_step;
        simplex.vertices.push_back(vertex);
    }
    for (const Eigen::VectorXd& vertex : simplex.vertices) simplex.values.push_back(evaluate(vertex));

    while (result.evaluations < settings.maximum_evaluations) {
        const std::vector<std::size_t> order = simplex.order();
        const std::size_t best = order.front(), worst = order.back(), second_worst = order[order.size() - 2];
        if (converged(simplex, best, worst, settings)) {
            result.converged = true;
            break;
        }
        Eigen::VectorXd centroid = Eigen::VectorXd::Zero(start.size());
        for (std::size_t i = 0; i + 1 < order.size(); ++i) centroid += simplex.vertices[order[i]];
        centroid /= static_cast<double>(dimensions);
        const Eigen::VectorXd reflected = centroid + (centroid - simplex.vertices[worst]);
        const double reflected_value = evaluate(reflected);
        auto replace_worst = [&](const Eigen::VectorXd& vertex, double value) {
            simplex.vertices[worst] = vertex;
            simplex.values[worst] = value;
        };
        if (reflected_value < simplex.values[best]) {
            const Eigen::VectorXd expanded = centroid + 2.0 * (centroid - simplex.vertices[worst]);
            const double expanded_value = evaluate(expanded);
            if (expanded_value < reflected_value)
                replace_worst(expanded, expanded_value);
            else
                replace_worst(reflected, reflected_value);
            continue;
        }
        if (reflected_value < simplex.values[second_worst]) {
            replace_worst(reflected, reflected_value);
            continue;
        }
        // Contract towards the better of the worst vertex and its reflection.
        const bool outside = reflected_value < simplex.values[worst];
        const Eigen::VectorXd contracted = outside
                                               ? Eigen::VectorXd(centroid + 0.5 * (reflected - centroid))
                                               : Eigen::VectorXd(centroid + 0.5 * (simplex.vertices[worst] - centroid));
        const double contracted_value = evaluate(contracted);
        if (contracted_value < std::min(reflected_value, simplex.values[worst])) {
            replace_worst(contracted, contracted_value);
            continue;
        }
        for (std::size_t i = 1; i < order.size(); ++i) {
            Eigen::VectorXd& vertex = simplex.vertices[order[i]];
            vertex = simplex.vertices[best] + 0.5 * (vertex - simplex.vertices[best]);
            simplex.values[order[i]] = evaluate(vertex);
        }
    }
    const std::size_t best = simplex.order().front();
    result.minimum = simplex.vertices[best];
    result.value = simplex.values[best];
    return result;
}

}  // namespace ehsim::calibration
