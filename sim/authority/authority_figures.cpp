#include "sim/authority/authority_figures.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "sim/scenario/schema.hpp"

namespace ehsim::authority {
namespace {

// Names compared as a reader would: any case, any run of spaces.
std::string folded(const std::string& text) {
    std::string out;
    for (const char c : text) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::string year_list(const std::vector<int>& years) {
    if (years.empty()) return "none";
    std::string text = std::to_string(years.front());
    if (years.size() > 1) text += " to " + std::to_string(years.back());
    return text;
}

std::string joined(const std::vector<std::string>& names) {
    std::string text;
    for (std::size_t i = 0; i < names.size(); ++i)
        text += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
    return text;
}

const char* const kChildrenInNeed = "DfE, Characteristics of children in need";
const char* const kWorkforce = "DfE, Children's social work workforce";
const char* const kPopulation = "ONS mid-year population estimates";

CsvCell cell_of(const char* publication, const char* when, int year, const DfeTable& table, const std::string& area,
                const std::string& column, std::vector<std::string> also = {}) {
    return CsvCell{publication, when, year, table.file_name(), area, std::move(also), column};
}

// The authority's own figure for the cell's year, else its nearest year within four (the earlier on a tie).
std::optional<Figure> own_or_nearest(const DfeTable& table, CsvCell cell) {
    const int year = cell.year;
    const Lookup own = look_up(table, cell);
    if (own.value) return Figure{*own.value, cell, ""};
    for (int distance = 1; distance <= 4; ++distance)
        for (const int other : {year - distance, year + distance}) {
            cell.year = other;
            if (const Lookup near = look_up(table, cell); near.value)
                return Figure{*near.value, cell,
                              "the nearest year's figure: DfE's for " + std::to_string(year) + " is " + own.why_not};
        }
    return std::nullopt;
}

}  // namespace

Lookup look_up(const DfeTable& table, const CsvCell& cell) {
    const std::string also_column = cell.also.empty() ? "" : "population_type";
    const int row = table.row(cell.area, cell.year, also_column, cell.also.empty() ? "" : cell.also.front());
    if (row < 0) return {std::nullopt, "no row for " + cell.area + " in " + std::to_string(cell.year), false};
    const std::string& text = table.cell(row, cell.column);
    return {figure_in(text), why_no_figure(text), true};
}

std::string CsvCell::text() const {
    // A name holding a comma or quote is quoted as in the CSV, so that the reference still splits at commas.
    std::string name = area;
    if (name.find_first_of(",\"") != std::string::npos) {
        std::string quoted = "\"";
        for (const char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
        name = quoted + "\"";
    }
    std::string text = publication + ", " + when + std::to_string(year) + ": " + file + ", " + name + ", ";
    for (const std::string& cell : also) text += cell + ", ";
    return text + column;
}

std::vector<Authority> all_authorities(const DfeTables& tables) {
    const DfeTable& table = tables.children_in_need;
    std::vector<Authority> found;
    for (const auto& [name, years] : table.authorities()) {
        Authority authority{name, "", "", "", years, ""};
        std::string previous_code;
        for (const int year : years) {
            const int row = table.row(name, year);
            authority.region = table.cell(row, "region_name");
            authority.number = table.cell(row, "old_la_code");
            const std::string code = table.cell(row, "new_la_code");
            if (!previous_code.empty() && code != previous_code)
                authority.code_changes += std::string(authority.code_changes.empty() ? "" : "; ") +
                                          "DfE's code changed from " + previous_code + " to " + code + " in " +
                                          std::to_string(year);
            previous_code = code;
        }
        authority.code = previous_code;
        found.push_back(std::move(authority));
    }
    return found;
}

Authority find_authority(const DfeTables& tables, const std::string& asked) {
    const std::vector<Authority> authorities = all_authorities(tables);
    const std::string wanted = folded(asked);
    for (const Authority& authority : authorities)
        if (folded(authority.name) == wanted || folded(authority.code) == wanted || authority.number == wanted)
            return authority;
    // Suggestions: names holding what was asked ("Bristol" for "Bristol, City of"), else the nearest spelling.
    std::vector<std::string> names, holding;
    for (const Authority& authority : authorities) {
        names.push_back(authority.name);
        if (!wanted.empty() && folded(authority.name).find(wanted) != std::string::npos)
            holding.push_back("'" + authority.name + "'");
    }
    std::string hint;
    if (!holding.empty() && holding.size() <= 5) {
        hint = " (did you mean " + joined(holding) + "?)";
    } else {
        // Each name whole and up to its comma ("bristol" of "Bristol, City of"), as a reader shortens it.
        std::vector<std::string> spellings;
        for (const std::string& name : names) {
            spellings.push_back(folded(name));
            spellings.push_back(folded(name.substr(0, name.find(','))));
        }
        const std::string nearest = scenario::closest_match(wanted, spellings);
        for (const std::string& name : names)
            if (!nearest.empty() && hint.empty() &&
                (folded(name) == nearest || folded(name.substr(0, name.find(','))) == nearest))
                hint = " (did you mean '" + name + "'?)";
    }
    throw DfeDataError("no authority '" + asked + "' in DfE's tables (" + tables.children_in_need.file_name() + ", " +
                       std::to_string(authorities.size()) + " authorities)" + hint);
}

// A reorganisation shows in the tables as authorities of the same region ending and starting a year apart.
std::vector<std::string> successors(const DfeTables& tables, const Authority& authority) {
    std::vector<std::string> found;
    for (const Authority& other : all_authorities(tables))
        if (other.name != authority.name && other.region == authority.region &&
            other.years.front() == authority.years.back() + 1)
            found.push_back(other.name);
    return found;
}

std::vector<std::string> predecessors(const DfeTables& tables, const Authority& authority) {
    std::vector<std::string> found;
    for (const Authority& other : all_authorities(tables))
        if (other.name != authority.name && other.region == authority.region &&
            other.years.back() == authority.years.front() - 1)
            found.push_back(other.name);
    return found;
}

void check_year(const DfeTables& tables, const Authority& authority, int year) {
    if (std::find(authority.years.begin(), authority.years.end(), year) != authority.years.end()) return;
    std::string message = "'" + authority.name + "' has DfE's children-in-need figures for " +
                          year_list(authority.years) + " only, not " + std::to_string(year);
    if (const auto after = successors(tables, authority); year > authority.years.back() && !after.empty())
        message += ": it was reorganised, and " + joined(after) + " (same region) start in " +
                   std::to_string(authority.years.back() + 1);
    if (const auto before = predecessors(tables, authority); year < authority.years.front() && !before.empty())
        message += ": it was formed in a reorganisation; before " + std::to_string(authority.years.front()) + ", see " +
                   joined(before) + " (same region)";
    throw DfeDataError(message);
}

BaselineFigures baseline_figures(const DfeTables& tables, const Authority& authority, int year) {
    check_year(tables, authority, year);
    BaselineFigures figures;
    figures.authority = authority;
    figures.year = year;
    const std::string& name = authority.name;
    const auto population_cell = [&](const std::string& area, int mid_year) {
        return cell_of(kPopulation, "mid-", mid_year, tables.population, area, "population_estimate");
    };
    const std::optional<Figure> children = own_or_nearest(tables.population, population_cell(name, year - 1));
    if (!children || !(children->value > 0))
        throw DfeDataError("'" + name + "': ONS publishes no count of children aged 0-17 near mid-" +
                           std::to_string(year - 1) + " in " + tables.population.file_name() +
                           ": a scenario cannot be made without it");
    figures.children = *children;
    if (const Lookup earlier = look_up(tables.population, population_cell(name, children->cell.year - 5));
        earlier.value && *earlier.value > 0)
        figures.children_five_years_before = Figure{*earlier.value, population_cell(name, children->cell.year - 5), ""};

    // Own figure, nearest year, else England's rate per child for the year applied to the authority's children.
    const auto with_stand_in = [&](const DfeTable& table, const char* publication, const char* when, int cell_year,
                                   const std::string& column) {
        if (auto own = own_or_nearest(table, cell_of(publication, when, cell_year, table, name, column))) return *own;
        const CsvCell england = cell_of(publication, when, cell_year, table, "England", column);
        const Lookup national = look_up(table, england);
        const Lookup england_children = look_up(tables.population, population_cell("England", year - 1));
        if (!national.value || !england_children.value || !(*england_children.value > 0))
            throw DfeDataError("'" + name + "': DfE publishes no " + column + " in " + table.file_name() + " near " +
                               std::to_string(cell_year) + ", for the authority or for England");
        return Figure{*national.value / *england_children.value * figures.children.value, england,
                      "England's figure per child applied to " + name + "'s children: DfE publishes none for " + name +
                          " within four years of " + std::to_string(cell_year)};
    };
    const char* const year_to = "year to 31 March ";
    figures.referrals = with_stand_in(tables.referrals, kChildrenInNeed, year_to, year, "referral_count");
    figures.no_further_action =
        with_stand_in(tables.referrals, kChildrenInNeed, year_to, year, "no_further_action_count");
    figures.social_workers = with_stand_in(tables.workforce, kWorkforce, "at 30 September ", year, "case_holders_fte");
    return figures;
}

}  // namespace ehsim::authority
