// The emulator's fit: the quasi-Newton search against known minima (Rosenbrock in a box, a minimum on a
// bound), the likelihood's analytic gradient against central differences for every noise model and
// correlation, and the quasi-Newton fit against the derivative-free one on the same data.
#include <gtest/gtest.h>

#include <boost/random/normal_distribution.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "sim/calibration/design.hpp"
#include "sim/calibration/emulator.hpp"
#include "sim/calibration/quasi_newton.hpp"
#include "sim/kernel/random_streams.hpp"

namespace ehsim::calibration {
namespace {

TEST(QuasiNewton, FindsTheRosenbrockMinimumInsideABox) {
    const ValueAndGradient rosenbrock = [](const Eigen::VectorXd& x, Eigen::VectorXd& gradient) {
        gradient.resize(2);
        gradient(0) = -400 * x(0) * (x(1) - x(0) * x(0)) - 2 * (1 - x(0));
        gradient(1) = 200 * (x(1) - x(0) * x(0));
        return 100 * std::pow(x(1) - x(0) * x(0), 2) + std::pow(1 - x(0), 2);
    };
    const QuasiNewtonResult result =
        minimise_in_box(rosenbrock, Eigen::Vector2d(-1.2, 1.0), Eigen::Vector2d(-3, -3), Eigen::Vector2d(3, 3));
    EXPECT_TRUE(result.converged);
    EXPECT_NEAR(result.minimum(0), 1.0, 1e-4);
    EXPECT_NEAR(result.minimum(1), 1.0, 1e-4);
    EXPECT_LT(result.evaluations, 300u);
}

// (x - 3)^2 + (y - 0.5)^2 in [0, 1]^2: the minimum is on the bound x = 1, reached from inside.
TEST(QuasiNewton, StopsAtABoundThatHoldsTheMinimum) {
    const ValueAndGradient bowl = [](const Eigen::VectorXd& x, Eigen::VectorXd& gradient) {
        gradient = Eigen::Vector2d(2 * (x(0) - 3), 2 * (x(1) - 0.5));
        return std::pow(x(0) - 3, 2) + std::pow(x(1) - 0.5, 2);
    };
    const QuasiNewtonResult result =
        minimise_in_box(bowl, Eigen::Vector2d(0.2, 0.9), Eigen::Vector2d(0, 0), Eigen::Vector2d(1, 1));
    EXPECT_GT(result.minimum(0), 0.999);
    EXPECT_LE(result.minimum(0), 1.0);
    EXPECT_NEAR(result.minimum(1), 0.5, 1e-4);
}

TEST(QuasiNewton, RefusesAnEmptyBox) {
    const ValueAndGradient flat = [](const Eigen::VectorXd&, Eigen::VectorXd& gradient) {
        gradient = Eigen::VectorXd::Zero(1);
        return 0.0;
    };
    EXPECT_THROW(minimise_in_box(flat, Eigen::VectorXd::Zero(1), Eigen::VectorXd::Ones(1), Eigen::VectorXd::Ones(1)),
                 std::invalid_argument);
}

// A smooth 5-input function with noise, at a maximin design: data on which every noise model has a likelihood.
struct Problem {
    Eigen::MatrixXd design;
    Eigen::VectorXd outputs;
};

Problem noisy_problem(Eigen::Index inputs, Eigen::Index points, std::uint64_t seed) {
    const Box unit{Eigen::VectorXd::Zero(inputs), Eigen::VectorXd::Ones(inputs)};
    Problem problem{maximin_latin_hypercube(static_cast<std::size_t>(points), unit, seed), Eigen::VectorXd(points)};
    kernel::RandomEngine engine = kernel::RandomStreams(seed).stream(0, "emulator fit noise");
    boost::random::normal_distribution<double> normal(0, 0.05);
    for (Eigen::Index i = 0; i < points; ++i) {
        const auto x = problem.design.row(i);
        problem.outputs(i) = std::sin(3 * x(0)) + x(1) * x(1) + 0.3 * std::cos(5 * x(2) * x(0)) + normal(engine);
        for (Eigen::Index d = 3; d < inputs; ++d) problem.outputs(i) += 0.05 * x(d);
    }
    return problem;
}

// Central differences with step 1e-5 in each log hyperparameter: their error is of order h^2 f''' ~ 1e-10
// times the curvature, and rounding's about 1e-16 |l| / h ~ 1e-10 for a likelihood of order 10: agreement to
// 1e-5 relative (of the gradient's largest component) is far inside what a wrong derivative would give.
TEST(Emulator, TheLikelihoodsGradientIsItsDerivative) {
    const Problem problem = noisy_problem(5, 30, 3);
    for (const Noise noise : {Noise::none, Noise::estimated, Noise::given})
        for (const Correlation correlation : {Correlation::matern52, Correlation::squared_exponential}) {
            EmulatorSettings settings;
            settings.noise = noise;
            settings.correlation = correlation;
            settings.starts = 1;
            const GaussianProcessEmulator emulator(problem.design, problem.outputs, settings,
                                                   Eigen::VectorXd::Constant(30, 0.0025));
            const Eigen::Index count = 5 + (noise == Noise::none ? 0 : 1);
            kernel::RandomEngine engine = kernel::RandomStreams(9).stream(0, "gradient check");
            for (int trial = 0; trial < 4; ++trial) {
                Eigen::VectorXd theta(count);
                for (Eigen::Index d = 0; d < 5; ++d) theta(d) = std::log(0.1) + 2.5 * engine.uniform();
                if (noise != Noise::none) theta(5) = std::log(1e-3) + 4 * engine.uniform();
                Eigen::VectorXd gradient;
                const double value = emulator.log_likelihood_at(theta, &gradient);
                ASSERT_TRUE(std::isfinite(value));
                ASSERT_EQ(gradient.size(), count);
                const double h = 1e-5;
                for (Eigen::Index d = 0; d < count; ++d) {
                    Eigen::VectorXd up = theta, down = theta;
                    up(d) += h;
                    down(d) -= h;
                    const double numeric =
                        (emulator.log_likelihood_at(up) - emulator.log_likelihood_at(down)) / (2 * h);
                    EXPECT_NEAR(gradient(d), numeric, 1e-5 * std::max(1.0, gradient.cwiseAbs().maxCoeff()))
                        << "noise " << static_cast<int>(noise) << ", correlation " << static_cast<int>(correlation)
                        << ", hyperparameter " << d;
                }
            }
        }
}

// On the kind of data history matching fits (16 inputs of which a few matter, noisy means of runs; 80 points,
// half a first wave's ten per parameter, as 160 take 45 s in a release build and over 7 minutes under
// AddressSanitizer), and on a smaller one, the quasi-Newton fit reaches a likelihood at least that of the
// derivative-free fit less 0.5 (both search from the same 5 starts; a local optimum either finds differs by more
// than that in a worse fit), with far fewer likelihoods.
TEST(Emulator, TheQuasiNewtonFitIsAsLikelyAsTheSimplexFit) {
    for (const auto& [inputs, points] : {std::pair<Eigen::Index, Eigen::Index>{5, 40}, {16, 80}}) {
        const Problem problem = noisy_problem(inputs, points, 7 + static_cast<std::uint64_t>(inputs));
        EmulatorSettings quasi_newton, simplex;
        simplex.optimiser = Optimiser::nelder_mead;
        const auto timed = [&](const EmulatorSettings& settings, double& seconds) {
            const auto started = std::chrono::steady_clock::now();
            GaussianProcessEmulator emulator(problem.design, problem.outputs, settings);
            seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            return emulator;
        };
        double quasi_newton_seconds = 0, simplex_seconds = 0;
        const GaussianProcessEmulator fast = timed(quasi_newton, quasi_newton_seconds);
        const GaussianProcessEmulator slow = timed(simplex, simplex_seconds);
        std::printf(
            "[ diagnostics ] %ld inputs, %ld points: log-likelihood %.3f (quasi-Newton, %.2f s) %.3f (simplex, %.2f "
            "s)\n",
            static_cast<long>(inputs), static_cast<long>(points), fast.log_likelihood(), quasi_newton_seconds,
            slow.log_likelihood(), simplex_seconds);
        EXPECT_GE(fast.log_likelihood(), slow.log_likelihood() - 0.5);
    }
}

}  // namespace
}  // namespace ehsim::calibration
