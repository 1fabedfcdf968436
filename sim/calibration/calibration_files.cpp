#include "sim/calibration/calibration_files.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "sim/model/indicators.hpp"
#include "sim/scenario/schema.hpp"

namespace ehsim::calibration {

namespace {

using scenario::Bounds;
using scenario::ReadContext;

std::string suggestion(const std::string& word, const std::vector<std::string>& known) {
    const std::string close = scenario::closest_match(word, known);
    return close.empty() ? "" : " (did you mean '" + close + "'?)";
}

// A section read by hand: unknown keys refused with a suggestion, required keys demanded.
class Keys {
public:
    Keys(YAML::Node node, ReadContext& context, std::string path, const std::vector<std::string>& allowed,
         const std::vector<std::string>& required)
        : node_(node), context_(context), path_(std::move(path)) {
        if (!node.IsMap()) context.fail(node.Mark(), path_, "expected a section of 'key: value' lines");
        for (const auto& entry : node) {
            if (!entry.first.IsScalar()) context.fail(entry.first.Mark(), path_, "a key must be a plain name");
            const std::string key = entry.first.Scalar();
            if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
                context.fail(entry.first.Mark(), scenario::join_path(path_, key),
                             "unknown key" + suggestion(key, allowed));
        }
        for (const std::string& key : required)
            if (!node[key]) context.fail(node.Mark(), scenario::join_path(path_, key), "required key is missing");
    }
    bool has(const std::string& key) const { return static_cast<bool>(node_[key]); }
    double number(const std::string& key, const Bounds& bounds, double fallback) const {
        return has(key) ? scenario::read_number(node_[key], context_, at(key), bounds) : fallback;
    }
    std::string text(const std::string& key, const std::string& fallback = "") const {
        if (!has(key)) return fallback;
        const std::string value = scenario::read_text(node_[key], context_, at(key));
        if (value.empty()) context_.fail(node_[key].Mark(), at(key), "must not be empty");
        return value;
    }
    bool flag(const std::string& key, bool fallback) const {
        return has(key) ? scenario::read_flag(node_[key], context_, at(key)) : fallback;
    }
    template <class Enum>
    Enum choice(const std::string& key, const std::vector<std::pair<std::string, Enum>>& words, Enum fallback) const {
        if (!has(key)) return fallback;
        const std::string word = scenario::read_text(node_[key], context_, at(key));
        std::vector<std::string> known;
        for (const auto& [name, value] : words) {
            if (name == word) return value;
            known.push_back(name);
        }
        std::string all;
        for (const auto& name : known) all += (all.empty() ? "" : ", ") + name;
        context_.fail(node_[key].Mark(), at(key), "'" + word + "' is not one of " + all + suggestion(word, known));
    }
    [[noreturn]] void fail(const std::string& key, const std::string& problem) const {
        context_.fail(has(key) ? node_[key].Mark() : node_.Mark(), key.empty() ? path_ : at(key), problem);
    }
    std::string at(const std::string& key) const { return scenario::join_path(path_, key); }
    const YAML::Node& node() const { return node_; }

private:
    YAML::Node node_;  // a handle (a temporary such as root["algorithm"] must not dangle)
    ReadContext& context_;
    std::string path_;
};

const std::vector<std::pair<std::string, TargetKind>> kKinds{{"count", TargetKind::count},
                                                             {"proportion", TargetKind::proportion},
                                                             {"rate_per_10000", TargetKind::rate_per_10000},
                                                             {"range", TargetKind::range},
                                                             {"difference", TargetKind::difference}};
const std::vector<std::pair<std::string, SamplingError>> kErrors{{"none", SamplingError::none},
                                                                 {"binomial", SamplingError::binomial},
                                                                 {"poisson", SamplingError::poisson},
                                                                 {"stated", SamplingError::stated}};
const std::vector<std::pair<std::string, PriorKind>> kPriors{{"uniform", PriorKind::uniform},
                                                             {"log_uniform", PriorKind::log_uniform},
                                                             {"normal", PriorKind::normal},
                                                             {"beta", PriorKind::beta},
                                                             {"gamma", PriorKind::gamma}};

HistoryMatchingSettings read_history_matching(const YAML::Node& node, ReadContext& context) {
    const Keys keys(node, context, "history_matching",
                    {"points_per_wave", "replications_per_point", "cutoff", "implausibility", "maximum_waves",
                     "minimum_volume_reduction", "emulator_variance_ratio", "volume_samples", "correlation"},
                    {});
    auto whole = [&](const char* key, double low, double high, double fallback) {
        const double value = keys.number(key, Bounds{low, high}, fallback);
        if (value != std::floor(value)) keys.fail(key, "must be a whole number");
        return static_cast<std::size_t>(value);
    };
    HistoryMatchingSettings settings;
    settings.points_per_wave = whole("points_per_wave", 0, 1e5, 0);
    settings.replications = whole("replications_per_point", 1, 1000, 2);
    settings.cutoff = keys.number("cutoff", Bounds{0, 100, true}, 3);
    settings.rule = keys.choice(
        "implausibility",
        std::vector<std::pair<std::string, ImplausibilityRule>>{{"maximum", ImplausibilityRule::maximum},
                                                                {"second_largest", ImplausibilityRule::second_largest}},
        ImplausibilityRule::second_largest);
    settings.maximum_waves = whole("maximum_waves", 1, 100, 5);
    settings.minimum_volume_reduction = keys.number("minimum_volume_reduction", Bounds{0, 1}, 0.1);
    settings.emulator_variance_ratio = keys.number("emulator_variance_ratio", Bounds{0, 1e6}, 0.1);
    settings.volume_samples = whole("volume_samples", 100, 1e8, 20000);
    settings.correlation =
        keys.choice("correlation",
                    std::vector<std::pair<std::string, Correlation>>{
                        {"matern52", Correlation::matern52}, {"squared_exponential", Correlation::squared_exponential}},
                    Correlation::matern52);
    return settings;
}

bool is_month(const std::string& text) {
    if (text.size() != 7 || text[4] != '-') return false;
    for (const std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u})
        if (text[i] < '0' || text[i] > '9') return false;
    const int month = std::stoi(text.substr(5, 2));
    return month >= 1 && month <= 12;
}

std::string month_text(const Keys& keys, const std::string& key) {
    const std::string text = keys.text(key);
    if (!is_month(text)) keys.fail(key, "'" + text + "' is not a month (YYYY-MM)");
    return text;
}

std::string folder_of(const std::string& file) { return std::filesystem::path(file).parent_path().string(); }

std::string relative_to(const std::string& folder, const std::string& path) {
    return (std::filesystem::path(folder) / path).lexically_normal().string();
}

Target read_target(const YAML::Node& node, ReadContext& context, const std::string& path) {
    const Keys keys(node, context, path,
                    {"name", "indicator", "from", "to", "compared_with_from", "compared_with_to", "kind", "value",
                     "lower", "upper", "sampling_error", "denominator", "standard_error", "discrepancy", "status",
                     "source", "not_fitted", "known_gap"},
                    {"name", "indicator", "from", "to", "kind", "source"});
    Target target;
    target.name = keys.text("name");
    target.indicator = keys.text("indicator");
    std::vector<std::string> indicators;
    for (const auto& definition : model::kIndicators) indicators.emplace_back(definition.name);
    if (std::find(indicators.begin(), indicators.end(), target.indicator) == indicators.end())
        keys.fail("indicator", "'" + target.indicator + "' is not a reported indicator (docs/indicators.md)" +
                                   suggestion(target.indicator, indicators));
    // An aim is what a council wants to reach, not what it measured: it must never pull a fit.
    if (keys.has("status")) {
        const std::string status = keys.text("status");
        if (status == "aim")
            keys.fail("status", "'" + target.name +
                                    "' is a council's aim, not an observation: aims are never "
                                    "calibration targets");
        if (status != "observed") keys.fail("status", "'" + status + "' is not one of observed, aim");
    }
    target.from = month_text(keys, "from");
    target.to = month_text(keys, "to");
    if (target.to < target.from) keys.fail("to", "the period ends before it begins");
    target.kind = keys.choice("kind", kKinds, TargetKind::count);
    target.source = keys.text("source");
    if (keys.has("not_fitted")) target.not_fitted = keys.text("not_fitted");  // the reason (text refuses "")
    if (keys.has("known_gap")) target.known_gap = keys.text("known_gap");
    const Bounds any{-1e12, 1e12};
    if (target.kind == TargetKind::range) {
        if (!keys.has("lower") || !keys.has("upper")) keys.fail("", "a range needs lower and upper");
        if (keys.has("value")) keys.fail("value", "a range has lower and upper, not a value");
        target.lower = keys.number("lower", any, 0);
        target.upper = keys.number("upper", any, 0);
        if (!(target.lower < target.upper)) keys.fail("upper", "must be above lower");
        target.value = 0.5 * (target.lower + target.upper);
    } else {
        if (!keys.has("value")) keys.fail("value", "required key is missing");
        target.value = keys.number("value", target.kind == TargetKind::proportion ? Bounds{0, 100} : any, 0);
        target.lower = target.upper = target.value;
    }
    if (target.kind == TargetKind::difference) {
        if (!keys.has("compared_with_from") || !keys.has("compared_with_to"))
            keys.fail("", "a difference needs compared_with_from and compared_with_to");
        target.compared_with_from = month_text(keys, "compared_with_from");
        target.compared_with_to = month_text(keys, "compared_with_to");
        if (target.compared_with_to < target.compared_with_from)
            keys.fail("compared_with_to", "the period compared with ends before it begins");
    } else if (keys.has("compared_with_from") || keys.has("compared_with_to")) {
        keys.fail("compared_with_from", "only a difference is compared with another period");
    }
    target.sampling_error = keys.choice("sampling_error", kErrors, SamplingError::none);
    target.denominator = keys.number("denominator", Bounds{0, 1e12, true}, 0);
    target.standard_error = keys.number("standard_error", Bounds{0, 1e12, true}, 0);
    target.discrepancy = keys.number("discrepancy", Bounds{0, 10}, 0);
    switch (target.sampling_error) {
        case SamplingError::binomial:
            if (target.kind != TargetKind::proportion)
                keys.fail("sampling_error", "binomial error is for a proportion");
            if (!keys.has("denominator")) keys.fail("denominator", "binomial error needs the cases the % is of");
            break;
        case SamplingError::poisson:
            if (target.kind != TargetKind::count && target.kind != TargetKind::rate_per_10000)
                keys.fail("sampling_error", "Poisson error is for a count or a rate");
            if (target.kind == TargetKind::rate_per_10000 && !keys.has("denominator"))
                keys.fail("denominator", "a rate's Poisson error needs the children it is per");
            break;
        case SamplingError::stated:
            if (!keys.has("standard_error")) keys.fail("standard_error", "stated error needs its standard_error");
            break;
        case SamplingError::none:
            break;
    }
    if (!(target.error_sd() > 0))
        keys.fail("discrepancy", "the figure has no error at all: give a sampling error or a discrepancy allowance");
    return target;
}

Prior read_prior(const YAML::Node& node, ReadContext& context, const std::string& path) {
    if (!node.IsMap() || !node["distribution"])
        context.fail(node.Mark(), path, "expected {distribution: uniform | log_uniform | normal | beta | gamma, ...}");
    const std::string kind = node["distribution"].IsScalar() ? node["distribution"].Scalar() : "";
    // The distribution decides which keys are allowed: check it first.
    Keys(node, context, path, {"distribution", "lower", "upper", "mean", "sd", "alpha", "beta", "shape", "scale"}, {})
        .choice("distribution", kPriors, PriorKind::uniform);
    std::vector<std::string> allowed{"distribution", "lower", "upper"}, required{"distribution"};
    if (kind == "uniform" || kind == "log_uniform") required = {"distribution", "lower", "upper"};
    if (kind == "normal") allowed.insert(allowed.end(), {"mean", "sd"}), required = {"distribution", "mean", "sd"};
    if (kind == "beta") allowed.insert(allowed.end(), {"alpha", "beta"}), required = {"distribution", "alpha", "beta"};
    if (kind == "gamma")
        allowed.insert(allowed.end(), {"shape", "scale"}), required = {"distribution", "shape", "scale"};
    const Keys keys(node, context, path, allowed, required);
    Prior prior;
    prior.kind = keys.choice("distribution", kPriors, PriorKind::uniform);
    const Bounds any{-1e300, 1e300};
    const double infinity = std::numeric_limits<double>::infinity();
    switch (prior.kind) {
        case PriorKind::normal:
            prior.first = keys.number("mean", any, 0);
            prior.second = keys.number("sd", Bounds{0, 1e300, true}, 1);
            break;
        case PriorKind::beta:
            prior.first = keys.number("alpha", Bounds{0, 1e6, true}, 1);
            prior.second = keys.number("beta", Bounds{0, 1e6, true}, 1);
            break;
        case PriorKind::gamma:
            prior.first = keys.number("shape", Bounds{0, 1e6, true}, 1);
            prior.second = keys.number("scale", Bounds{0, 1e300, true}, 1);
            break;
        default:
            break;
    }
    const double default_lower = prior.kind == PriorKind::normal ? -infinity : 0.0;
    const double default_upper = prior.kind == PriorKind::beta ? 1.0 : infinity;
    prior.lower = keys.number("lower", any, default_lower);
    prior.upper = keys.number("upper", any, default_upper);
    try {
        prior.check();
    } catch (const std::invalid_argument& error) {
        keys.fail("", error.what());
    }
    return prior;
}

}  // namespace

double Target::error_sd() const {
    double sampling = 0;
    switch (sampling_error) {
        case SamplingError::binomial: {
            const double p = std::clamp(value / 100.0, 0.0, 1.0);
            sampling = 100.0 * std::sqrt(std::max(p * (1 - p), 0.25 / denominator) / denominator);
            break;
        }
        case SamplingError::poisson:
            sampling = kind == TargetKind::rate_per_10000
                           ? std::sqrt(std::max(value * denominator / 10000.0, 1.0)) * 10000.0 / denominator
                           : std::sqrt(std::max(std::abs(value), 1.0));
            break;
        case SamplingError::stated:
            sampling = standard_error;
            break;
        case SamplingError::none:
            break;
    }
    const double allowance = discrepancy_sd();
    return std::sqrt(sampling * sampling + allowance * allowance);
}

double Target::discrepancy_sd() const { return discrepancy * std::abs(0.5 * (lower + upper)); }

Observation Target::observation() const { return Observation{lower, upper, error_sd(), not_fitted.empty()}; }

TargetsFile fitted_targets(const TargetsFile& targets) {
    TargetsFile fitted = targets;
    fitted.targets.clear();
    for (const Target& target : targets.targets)
        if (target.not_fitted.empty()) fitted.targets.push_back(target);
    return fitted;
}

const char* to_string(TargetKind kind) {
    for (const auto& [name, value] : kKinds)
        if (value == kind) return name.c_str();
    return "?";
}

TargetsFile load_targets_text(const std::string& text, const std::string& file) {
    ReadContext context(file);
    const YAML::Node root = scenario::parse_yaml(text, context);
    if (!root) context.fail(YAML::Mark::null_mark(), "", "the targets file is empty");
    const Keys keys(root, context, "", {"council", "description", "targets"}, {"council", "targets"});
    TargetsFile targets;
    targets.file = file;
    targets.council = keys.text("council");
    targets.description = keys.text("description");
    const YAML::Node list = root["targets"];
    if (!list.IsSequence() || list.size() == 0) context.fail(list.Mark(), "targets", "expected a list of targets");
    std::set<std::string> names;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string path = "targets[" + std::to_string(i) + "]";
        targets.targets.push_back(read_target(list[i], context, path));
        targets.targets.back().written_at = file + ":" + std::to_string(list[i].Mark().line + 1) + ":" +
                                            std::to_string(list[i].Mark().column + 1) + ": " + path;
        if (!names.insert(targets.targets.back().name).second)
            context.fail(list[i]["name"].Mark(), path + ".name", "'" + targets.targets.back().name + "' is used twice");
    }
    return targets;
}

TargetsFile load_targets_file(const std::string& path) {
    return load_targets_text(scenario::read_text_file(path, "targets"), path);
}

namespace {

// The algorithm's settings (`algorithm:`) over the defaults; the seed is the set-up's.
void read_algorithm(const YAML::Node& node, ReadContext& context, std::size_t parameters, AbcSettings& algorithm) {
    const Keys settings(
        node, context, "algorithm",
        {"particles", "method", "tolerance_quantile", "distance_scale", "noisy_acceptance", "kernel", "kernel_scale",
         "target_effective_sample", "unmoved_share", "maximum_moves", "least_steps_inside", "minimum_tolerance",
         "minimum_acceptance_rate", "minimum_tolerance_change", "maximum_generations", "simulation_budget",
         "wall_time_budget_minutes", "delayed_acceptance", "surrogate_floor"},
        {});
    auto whole = [&](const char* key, double low, double high, double fallback) {
        const double value = settings.number(key, Bounds{low, high}, fallback);
        if (value != std::floor(value)) settings.fail(key, "must be a whole number");
        return value;
    };
    algorithm.particles = static_cast<std::size_t>(whole("particles", 2, 1e7, 1000));
    algorithm.tolerance_quantile = settings.number("tolerance_quantile", Bounds{0, 1, true}, 0.5);
    if (algorithm.tolerance_quantile >= 1) settings.fail("tolerance_quantile", "must be below 1");
    algorithm.scale = settings.choice("distance_scale",
                                      std::vector<std::pair<std::string, DistanceScale>>{
                                          {"stated_error", DistanceScale::stated_error},
                                          {"median_absolute_deviation", DistanceScale::median_absolute_deviation}},
                                      DistanceScale::stated_error);
    algorithm.noisy_acceptance = settings.flag("noisy_acceptance", false);
    algorithm.kernel =
        settings.choice("kernel",
                        std::vector<std::pair<std::string, PerturbationKernel>>{{"local", PerturbationKernel::local},
                                                                                {"global", PerturbationKernel::global}},
                        PerturbationKernel::global);
    algorithm.kernel_scale = settings.number("kernel_scale", Bounds{0, 100, true}, 2);
    algorithm.target_effective_sample = settings.number("target_effective_sample", Bounds{0, 0.95}, 0);
    algorithm.method = settings.choice(
        "method",
        std::vector<std::pair<std::string, AbcMethod>>{{"importance_weights", AbcMethod::importance_weights},
                                                       {"mcmc_moves", AbcMethod::mcmc_moves}},
        AbcMethod::importance_weights);
    algorithm.unmoved_share = settings.number("unmoved_share", Bounds{0, 0.5, true}, 0.01);
    algorithm.maximum_moves = static_cast<std::size_t>(whole("maximum_moves", 1, 10000, 30));
    algorithm.least_steps_inside = settings.number("least_steps_inside", Bounds{0, 0.9, true}, 0);
    // A setting the chosen method never reads is refused, not ignored.
    const bool moves = algorithm.method == AbcMethod::mcmc_moves;
    for (const char* key : {"kernel", "target_effective_sample"})
        if (moves && settings.has(key))
            settings.fail(key, "belongs to importance_weights' kernel; mcmc_moves has none");
    algorithm.delayed_acceptance = settings.flag("delayed_acceptance", false);
    algorithm.surrogate_floor = settings.number("surrogate_floor", Bounds{0, 1, true}, 0.02);
    for (const char* key : {"unmoved_share", "maximum_moves", "least_steps_inside", "delayed_acceptance"})
        if (!moves && settings.has(key)) settings.fail(key, "applies to method: mcmc_moves only");
    if (settings.has("surrogate_floor") && !algorithm.delayed_acceptance)
        settings.fail("surrogate_floor", "applies with delayed_acceptance: true only");
    // The moves' default step: Roberts and Rosenthal's 2.38^2 / d times the covariance, the optimal random walk
    // for a Gaussian target in d dimensions (about 0.35 for 16 parameters).
    if (moves && !settings.has("kernel_scale"))
        algorithm.kernel_scale = 2.38 * 2.38 / static_cast<double>(std::max<std::size_t>(1, parameters));
    algorithm.minimum_tolerance = settings.number("minimum_tolerance", Bounds{0, 1e12}, 0);
    algorithm.minimum_acceptance_rate = settings.number("minimum_acceptance_rate", Bounds{0, 1}, 0.01);
    algorithm.minimum_tolerance_change = settings.number("minimum_tolerance_change", Bounds{0, 1}, 0.01);
    algorithm.maximum_generations = static_cast<std::size_t>(whole("maximum_generations", 1, 1000, 30));
    if (settings.has("simulation_budget"))
        algorithm.simulation_budget = static_cast<std::uint64_t>(whole("simulation_budget", 1, 1e15, 0));
    if (settings.has("wall_time_budget_minutes"))
        algorithm.wall_time_budget_seconds =
            60.0 * settings.number("wall_time_budget_minutes", Bounds{0, 1e7, true}, 0);
}

}  // namespace

CalibrationSetup load_calibration_setup_text(const std::string& text, const std::string& file) {
    ReadContext context(file);
    const YAML::Node root = scenario::parse_yaml(text, context);
    if (!root) context.fail(YAML::Mark::null_mark(), "", "the calibration file is empty");
    const Keys keys(root, context, "", {"scenario", "targets", "seed", "parameters", "algorithm", "history_matching"},
                    {"scenario", "targets", "parameters"});
    CalibrationSetup setup;
    setup.file = file;
    setup.scenario_file = relative_to(folder_of(file), keys.text("scenario"));
    setup.targets_file = relative_to(folder_of(file), keys.text("targets"));
    for (const auto& [key, found] :
         {std::pair{"scenario", setup.scenario_file}, std::pair{"targets", setup.targets_file}})
        if (const std::string missing = scenario::why_path_is_missing(found); !missing.empty())
            keys.fail(key, "'" + found + "' " + missing);
    AbcSettings& algorithm = setup.algorithm;
    algorithm.seed = static_cast<std::uint64_t>(keys.number("seed", Bounds{0, 9e15}, 1));
    const YAML::Node list = root["parameters"];
    if (!list.IsSequence() || list.size() == 0)
        context.fail(list.Mark(), "parameters", "expected a list of uncertain parameters");
    std::set<std::string> paths;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string path = "parameters[" + std::to_string(i) + "]";
        const Keys item(list[i], context, path, {"path", "prior", "why"}, {"path", "prior"});
        UncertainParameter parameter;
        parameter.path = item.text("path");
        parameter.prior = read_prior(list[i]["prior"], context, path + ".prior");
        parameter.why = item.text("why");
        parameter.written_at = file + ":" + std::to_string(list[i].Mark().line + 1) + ":" +
                               std::to_string(list[i].Mark().column + 1) + ": " + path;
        if (!paths.insert(parameter.path).second) item.fail("path", "'" + parameter.path + "' is given twice");
        setup.parameters.push_back(parameter);
    }
    if (root["algorithm"]) read_algorithm(root["algorithm"], context, setup.parameters.size(), algorithm);
    if (root["history_matching"]) setup.history_matching = read_history_matching(root["history_matching"], context);
    if (setup.history_matching) setup.history_matching->seed = algorithm.seed;
    if (algorithm.delayed_acceptance && !setup.history_matching)
        context.fail(root["algorithm"]["delayed_acceptance"].Mark(), "algorithm.delayed_acceptance",
                     "needs a history_matching section: its emulators screen the steps");
    return setup;
}

CalibrationSetup load_calibration_setup(const std::string& path) {
    return load_calibration_setup_text(scenario::read_text_file(path, "calibration"), path);
}

}  // namespace ehsim::calibration
