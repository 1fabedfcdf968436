// Sensitivity analysis against known answers: the Sobol' indices of the Ishigami and G functions from their closed
// forms, Morris's elementary effects of the G function and of a linear function, the inputs that matter for
// nothing, and bit-identical results on any number of threads.
//
// An index's check is the suite's (tests/support/statistical.hpp): the analytic value inside the normal interval
// estimate +- z sd at 99.99%, with sd the index's bootstrap standard error. The percentile interval (90%, the
// library's default) is printed beside it: it is too narrow a test for some twenty checks a run, and at 99.99% a
// percentile interval would need far more than 1,000 resamples.
#include "sim/calibration/sensitivity.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>

#include "sim/kernel/random_streams.hpp"
#include "tests/support/statistical.hpp"

namespace ehsim::calibration {
namespace {

constexpr double kPi = std::numbers::pi;

::testing::AssertionResult inside(const IndexEstimate& index, double truth) {
    const double allowance = testing::normal_critical_value() * index.standard_error;
    char figures[200];
    std::snprintf(figures, sizeof figures, "estimate %.4f, bootstrap sd %.4f, 90%% [%.4f, %.4f], truth %.4f",
                  index.estimate, index.standard_error, index.lower, index.upper, truth);
    if (std::abs(index.estimate - truth) <= allowance) return ::testing::AssertionSuccess() << figures;
    return ::testing::AssertionFailure() << figures;
}

void print(const char* name, const IndexEstimate& index, double truth) {
    std::printf("  %-6s %.4f  sd %.4f  90%% [%.4f, %.4f]  analytic %.4f%s\n", name, index.estimate,
                index.standard_error, index.lower, index.upper, truth,
                index.lower <= truth && truth <= index.upper ? "" : "  (outside the 90% interval)");
}

std::vector<SensitivityInput> inputs(std::size_t count, double lower, double upper) {
    std::vector<SensitivityInput> made(count);
    for (std::size_t i = 0; i < count; ++i) made[i] = {"x" + std::to_string(i + 1), lower, upper, {}};
    return made;
}

// ---- Ishigami: f = sin x1 + a sin^2 x2 + b x3^4 sin x1 on [-pi, pi]^3 ----

struct Ishigami {
    double a = 7, b = 0.1;
    double operator()(const std::vector<double>& x) const {
        return std::sin(x[0]) + a * std::pow(std::sin(x[1]), 2) + b * std::pow(x[2], 4) * std::sin(x[0]);
    }
    // The closed forms (Ishigami and Homma 1990; Sobol' and Levitan 1999): the partial variances.
    double v1() const { return b * std::pow(kPi, 4) / 5 + b * b * std::pow(kPi, 8) / 50 + 0.5; }
    double v2() const { return a * a / 8; }
    double v13() const { return b * b * std::pow(kPi, 8) * (1.0 / 18 - 1.0 / 50); }
    double variance() const { return v1() + v2() + v13(); }
    std::vector<double> first_order() const { return {v1() / variance(), v2() / variance(), 0}; }
    std::vector<double> total() const { return {(v1() + v13()) / variance(), v2() / variance(), v13() / variance()}; }
};

SobolResult ishigami_indices(const Ishigami& function, bool quasi_random) {
    SobolSettings settings;
    settings.base_samples = 1 << 13;
    settings.seed = 20240611;
    settings.quasi_random = quasi_random;
    settings.threads = 2;
    return sobol_indices(
        inputs(3, -kPi, kPi), [&](const std::vector<double>& x, std::uint64_t) { return std::vector{function(x)}; },
        settings);
}

// Both samplings: the scrambled Sobol' sequence (the default) and independent uniform draws.
class IshigamiTest : public ::testing::TestWithParam<bool> {};

TEST_P(IshigamiTest, IndicesMatchTheClosedForms) {
    const Ishigami function;
    const SobolResult result = ishigami_indices(function, GetParam());
    EXPECT_EQ(result.evaluations, (1u << 13) * 5);
    const std::vector<double> first = function.first_order(), total = function.total();
    // The closed forms give the published values (Saltelli et al. 2008, table 4.1 and its text).
    EXPECT_NEAR(first[0], 0.3139, 5e-5);
    EXPECT_NEAR(first[1], 0.4424, 5e-5);
    EXPECT_NEAR(total[0], 0.5576, 5e-5);
    EXPECT_NEAR(total[2], 0.2437, 5e-5);
    std::printf("Ishigami (%s), variance %.4f (analytic %.4f):\n", GetParam() ? "Sobol' sequence" : "random",
                result.variance[0], function.variance());
    double lowest_sum = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        const std::string name = "x" + std::to_string(i + 1);
        print(("S" + std::to_string(i + 1)).c_str(), result.first(i, 0), first[i]);
        print(("ST" + std::to_string(i + 1)).c_str(), result.total_effect(i, 0), total[i]);
        EXPECT_TRUE(inside(result.first(i, 0), first[i])) << "S of " << name;
        EXPECT_TRUE(inside(result.total_effect(i, 0), total[i])) << "ST of " << name;
        lowest_sum +=
            result.first(i, 0).estimate - testing::normal_critical_value() * result.first(i, 0).standard_error;
    }
    // First-order indices are shares of one variance: their sum cannot exceed 1 beyond their error.
    EXPECT_LE(lowest_sum, 1.0);
}

INSTANTIATE_TEST_SUITE_P(Sampling, IshigamiTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& sampling) {
                             return std::string(sampling.param ? "SobolSequence" : "RandomUniform");
                         });

// Negative control: the same checks reject the indices of a slightly different function. With a 10% larger a
// (a bug in a coefficient), the interval of S2 or ST2 no longer holds the analytic value of a = 7.
TEST(IshigamiNegativeControl, ATenPerCentErrorInTheCoefficientIsDetected) {
    Ishigami wrong;
    wrong.a = 7.7;
    const SobolResult result = ishigami_indices(wrong, true);
    const Ishigami right;
    EXPECT_FALSE(inside(result.first(1, 0), right.first_order()[1]) &&
                 inside(result.total_effect(1, 0), right.total()[1]));
}

// ---- Sobol' G function: f = prod (|4 x_i - 2| + a_i) / (1 + a_i) on [0, 1]^k ----

const std::vector<double> kGCoefficients{0, 1, 4.5, 9, 99, 99, 99, 99};

double g_function(const std::vector<double>& x) {
    double product = 1;
    for (std::size_t i = 0; i < x.size(); ++i)
        product *= (std::abs(4 * x[i] - 2) + kGCoefficients[i]) / (1 + kGCoefficients[i]);
    return product;
}

// The closed forms: V_i = 1 / (3 (1 + a_i)^2), V = prod (1 + V_j) - 1, VT_i = V_i prod_{j != i} (1 + V_j).
struct GIndices {
    std::vector<double> first, total;
};
GIndices g_indices() {
    std::vector<double> partial;
    double product = 1;
    for (const double a : kGCoefficients) {
        partial.push_back(1 / (3 * (1 + a) * (1 + a)));
        product *= 1 + partial.back();
    }
    const double variance = product - 1;
    GIndices indices;
    for (const double v : partial) {
        indices.first.push_back(v / variance);
        indices.total.push_back(v * product / (1 + v) / variance);
    }
    return indices;
}

// Computed once: two tests read it.
const SobolResult& g_function_indices() {
    static const SobolResult result = [] {
        SobolSettings settings;
        settings.base_samples = 1 << 13;
        settings.seed = 7;
        settings.threads = 2;
        return sobol_indices(
            inputs(kGCoefficients.size(), 0, 1),
            [](const std::vector<double>& x, std::uint64_t) { return std::vector{g_function(x)}; }, settings);
    }();
    return result;
}

TEST(GFunction, SobolIndicesMatchTheClosedForms) {
    const SobolResult& result = g_function_indices();
    const GIndices known = g_indices();
    std::printf("G function, variance %.4f:\n", result.variance[0]);
    for (std::size_t i = 0; i < kGCoefficients.size(); ++i) {
        print(("S" + std::to_string(i + 1)).c_str(), result.first(i, 0), known.first[i]);
        print(("ST" + std::to_string(i + 1)).c_str(), result.total_effect(i, 0), known.total[i]);
        EXPECT_TRUE(inside(result.first(i, 0), known.first[i])) << "S of x" << i + 1;
        EXPECT_TRUE(inside(result.total_effect(i, 0), known.total[i])) << "ST of x" << i + 1;
    }
}

// The inputs with a_i = 99 matter for nothing: their totals (1e-4) sit a factor of ten below the threshold, the
// geometric mean of theirs and the smallest other total (that of a = 9, 0.0104).
TEST(GFunction, NamesTheInputsThatMatterForNothing) {
    const GIndices known = g_indices();
    const double threshold = std::sqrt(known.total[3] * known.total[4]);
    const std::vector<std::string> expected{"x5", "x6", "x7", "x8"};
    EXPECT_EQ(negligible_inputs(inputs(8, 0, 1), g_function_indices(), threshold), expected);
}

// ---- Morris ----

MorrisResult g_function_morris() {
    MorrisSettings settings;
    settings.trajectories = 20;
    settings.seed = 11;
    return morris(
        inputs(kGCoefficients.size(), 0, 1),
        [](const std::vector<double>& x, std::uint64_t) { return std::vector{g_function(x)}; }, settings);
}

// Every input with a small a_i has a larger mu* than every input with a_i = 99.
TEST(Morris, RanksTheGFunctionsImportantInputsFirst) {
    const MorrisResult result = g_function_morris();
    EXPECT_EQ(result.trajectories, 20u);
    double smallest_important = std::numeric_limits<double>::infinity(), largest_unimportant = 0;
    std::printf("Morris on the G function (r = 20, p = 4):\n");
    for (std::size_t i = 0; i < kGCoefficients.size(); ++i) {
        std::printf("  x%zu (a = %4.1f): mu %8.4f  mu* %.4f  sigma %.4f\n", i + 1, kGCoefficients[i], result.mean(i, 0),
                    result.mean_absolute(i, 0), result.sd(i, 0));
        if (kGCoefficients[i] < 99) smallest_important = std::min(smallest_important, result.mean_absolute(i, 0));
        if (kGCoefficients[i] == 99) largest_unimportant = std::max(largest_unimportant, result.mean_absolute(i, 0));
    }
    EXPECT_GT(smallest_important, largest_unimportant);
}

// On the grid {0, 1/3, 2/3, 1} each input's level is uniform and independent of the others', so that
// E mu*_i = (4/3) / (delta (1 + a_i)) prod_{j != i} E g_j, with E g_j = (4/3 + a_j) / (1 + a_j). The threshold is
// the geometric mean of the expected ratios to the largest mu* of the a = 9 input and of the a = 99 ones.
TEST(Morris, NamesTheGFunctionsInputsThatMatterForNothing) {
    auto expected_ratio = [](double a) { return (1 / (1 + a)) * (4.0 / 3) / ((4.0 / 3 + a) / (1 + a)); };
    const double threshold = std::sqrt(expected_ratio(9) * expected_ratio(99));
    const std::vector<std::string> expected{"x5", "x6", "x7", "x8"};
    EXPECT_EQ(negligible_inputs(inputs(8, 0, 1), g_function_morris(), threshold), expected);
}

// f = sum c_i x_i: every elementary effect is c_i (upper - lower), so mu = c_i (upper - lower), mu* its absolute
// value and sigma 0, up to the rounding of the differences (a few ulps of the outputs, hence 1e-12 relative).
TEST(Morris, LinearFunctionHasEffectsOfCoefficientTimesRange) {
    const std::vector<double> coefficients{3, -2, 0.5, 0, 10};
    std::vector<SensitivityInput> ranges{
        {"a", 0, 1, {}}, {"b", -5, 5, {}}, {"c", 100, 400, {}}, {"d", 0, 2, {}}, {"e", 0.001, 0.002, {}}};
    MorrisSettings settings;
    settings.trajectories = 10;
    settings.levels = 6;
    const MorrisResult result = morris(
        ranges,
        [&](const std::vector<double>& x, std::uint64_t) {
            double sum = 0;
            for (std::size_t i = 0; i < x.size(); ++i) sum += coefficients[i] * x[i];
            return std::vector{sum, -sum};
        },
        settings);
    const double scale = 1e-12 * 3000;  // the largest output, c_3 x_3 = 0.5 * 400, and effects, up to 30
    for (std::size_t i = 0; i < coefficients.size(); ++i) {
        const double effect = coefficients[i] * (ranges[i].upper - ranges[i].lower);
        for (std::size_t o = 0; o < 2; ++o) {
            const double sign = o == 0 ? 1 : -1;
            EXPECT_NEAR(result.mean(i, o), sign * effect, scale) << ranges[i].name;
            EXPECT_NEAR(result.mean_absolute(i, o), std::abs(effect), scale) << ranges[i].name;
            EXPECT_NEAR(result.sd(i, o), 0, scale) << ranges[i].name;
        }
    }
    EXPECT_EQ(negligible_inputs(ranges, result, 1e-6), std::vector<std::string>{"d"});
}

// The design is Morris's: each trajectory's steps change every input once, by +-delta, on the grid.
TEST(Morris, TrajectoriesChangeEachInputOnceByDelta) {
    MorrisSettings settings;
    settings.trajectories = 5;
    settings.levels = 4;
    const MorrisDesign design = morris_design(6, settings);
    EXPECT_DOUBLE_EQ(design.delta, 2.0 / 3);
    for (std::size_t t = 0; t < 5; ++t) {
        std::vector<int> changes(6, 0);
        for (std::size_t step = 1; step <= 6; ++step) {
            const std::size_t row = t * 7 + step, i = design.changed[t * 6 + step - 1];
            ++changes[i];
            for (std::size_t j = 0; j < 6; ++j) {
                const double moved = design.points(row, j) - design.points(row - 1, j);
                EXPECT_NEAR(moved, j == i ? design.direction[t * 6 + step - 1] * design.delta : 0, 1e-15);
                EXPECT_NEAR(std::round(design.points(row, j) * 3), design.points(row, j) * 3, 1e-12);
            }
        }
        EXPECT_EQ(changes, std::vector<int>(6, 1));
    }
    settings.levels = 5;
    EXPECT_THROW(morris_design(6, settings), std::invalid_argument);
}

// ---- Determinism ----

// A stochastic model whose noise comes from the stream of its evaluation number.
std::vector<double> noisy(const std::vector<double>& x, std::uint64_t evaluation) {
    kernel::RandomEngine random = kernel::RandomStreams(5).stream(evaluation, "noise");
    return {x[0] + x[1] * x[2] + random.uniform(), x[0] * random.uniform()};
}

TEST(Sensitivity, SameSeedGivesBitIdenticalResultsOnAnyNumberOfThreads) {
    const std::vector<SensitivityInput> three = inputs(3, 0, 1);
    SobolSettings sobol;
    sobol.base_samples = 512;
    sobol.bootstrap_resamples = 200;
    MorrisSettings screening;
    sobol.threads = screening.threads = 1;
    const SobolResult one = sobol_indices(three, noisy, sobol);
    const MorrisResult morris_one = morris(three, noisy, screening);
    sobol.threads = screening.threads = 2;
    const SobolResult two = sobol_indices(three, noisy, sobol);
    const MorrisResult morris_two = morris(three, noisy, screening);
    for (std::size_t cell = 0; cell < one.first_order.size(); ++cell) {
        for (const auto indices : {&SobolResult::first_order, &SobolResult::total}) {
            const IndexEstimate &a = (one.*indices)[cell], &b = (two.*indices)[cell];
            EXPECT_EQ(a.estimate, b.estimate);
            EXPECT_EQ(a.lower, b.lower);
            EXPECT_EQ(a.upper, b.upper);
            EXPECT_EQ(a.standard_error, b.standard_error);
        }
    }
    EXPECT_EQ(one.variance, two.variance);
    EXPECT_EQ(morris_one.mu_star, morris_two.mu_star);
    EXPECT_EQ(morris_one.sigma, morris_two.sigma);
    // And another seed gives other numbers: the seed reaches the design.
    sobol.seed = 2;
    EXPECT_NE(sobol_indices(three, noisy, sobol).first_order[0].estimate, one.first_order[0].estimate);
}

}  // namespace
}  // namespace ehsim::calibration
