#include "sim/authority/dfe_tables.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>

namespace ehsim::authority {
namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

}  // namespace

std::vector<std::string> csv_cells(const std::string& line) {
    std::vector<std::string> cells(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
            cells.back() += '"';
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            cells.emplace_back();
        } else if (c != '\r') {
            cells.back() += c;
        }
    }
    return cells;
}

std::string why_no_figure(const std::string& cell) {
    if (figure_in(cell)) return "";
    if (cell == "c") return "suppressed by DfE to protect confidentiality (c)";
    if (cell == "x" || cell == ":" || cell.empty()) return "not available (" + (cell.empty() ? "empty" : cell) + ")";
    if (cell == "z") return "not applicable (z)";
    if (cell == "u") return "of low reliability, not published (u)";
    if (cell == "low") return "below half a unit, published as 'low'";
    if (!cell.empty() && cell[0] == '-') return "negative ('" + cell + "'), not a count, rate or percentage";
    return "not a number ('" + cell + "')";
}

std::optional<double> figure_in(const std::string& cell) {
    // Plain decimal numbers only: no thousands separators, signs of DfE's marks or trailing text.
    double value = 0;
    const char* end = cell.data() + cell.size();
    const auto [stop, error] = std::from_chars(cell.data(), end, value);
    // Every figure read here is a count, rate or percentage: a negative one is not a figure either.
    if (cell.empty() || error != std::errc() || stop != end || !std::isfinite(value) || value < 0) return std::nullopt;
    return value;
}

DfeTable DfeTable::read(const std::filesystem::path& file) {
    std::ifstream stream(file, std::ios::binary);
    if (!stream) throw DfeDataError(file.string() + ": cannot open DfE's table");
    DfeTable table;
    table.file_name_ = file.filename().string();
    std::string line;
    if (!std::getline(stream, line)) throw DfeDataError(file.string() + ": empty, expected DfE's header line");
    if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // a byte-order mark
    const std::vector<std::string> header = csv_cells(line);
    for (std::size_t i = 0; i < header.size(); ++i) table.columns_[header[i]] = i;
    for (const char* column : {"time_period", "la_name"})
        if (!table.has_column(column))
            throw DfeDataError(file.string() + ":1: no '" + column + "' column (is this one of DfE's tables?)");
    const std::size_t year_column = table.columns_.at("time_period");
    const std::size_t name_column = table.columns_.at("la_name");
    const auto level = table.columns_.find("geographic_level");
    const auto region = table.columns_.find("region_name");
    for (int number = 2; std::getline(stream, line); ++number) {
        if (line.empty() || line == "\r") continue;
        std::vector<std::string> cells = csv_cells(line);
        if (cells.size() != header.size())
            throw DfeDataError(file.string() + ":" + std::to_string(number) + ": " + std::to_string(cells.size()) +
                               " cells, the header has " + std::to_string(header.size()));
        const std::optional<double> year = figure_in(cells[year_column]);
        // DfE's years are four digits (the year a reporting year ends); anything else is not one of its tables'.
        if (!year || *year != std::floor(*year) || *year < 1000 || *year > 9999)
            throw DfeDataError(file.string() + ":" + std::to_string(number) + ": time_period '" + cells[year_column] +
                               "' is not a year");
        // The area a row is for: an authority by name; England and the regions by theirs.
        std::string area = cells[name_column];
        if (level != table.columns_.end()) {
            const std::string& kind = cells[level->second];
            if (kind == "National")
                area = "England";
            else if (kind == "Regional" && region != table.columns_.end())
                area = "region: " + cells[region->second];
            else if (kind != "Local authority")
                continue;
        }
        table.index_[{lower(area), static_cast<int>(*year)}].push_back(static_cast<int>(table.rows_.size()));
        table.rows_.push_back(std::move(cells));
    }
    return table;
}

int DfeTable::row(const std::string& area, int time_period, const std::string& column, const std::string& value) const {
    const auto found = index_.find({lower(area), time_period});
    if (found == index_.end()) return -1;
    for (const int row : found->second)
        if (column.empty() || cell(row, column) == value) return row;
    return -1;
}

const std::string& DfeTable::cell(int row, const std::string& column) const {
    const auto found = columns_.find(column);
    if (found == columns_.end()) throw DfeDataError(file_name_ + ": no column '" + column + "'");
    return rows_.at(static_cast<std::size_t>(row)).at(found->second);
}

std::map<std::string, std::vector<int>> DfeTable::authorities() const {
    std::map<std::string, std::vector<int>> found;
    const auto level = columns_.find("geographic_level");
    const std::size_t name = columns_.at("la_name");
    const std::size_t year = columns_.at("time_period");
    for (const auto& cells : rows_) {
        if (level != columns_.end() && cells[level->second] != "Local authority") continue;
        if (cells[name] == "England") continue;
        auto& years = found[cells[name]];
        years.push_back(static_cast<int>(*figure_in(cells[year])));
    }
    for (auto& [name_, years] : found) {
        std::sort(years.begin(), years.end());
        years.erase(std::unique(years.begin(), years.end()), years.end());
    }
    return found;
}

DfeTables DfeTables::read(const std::filesystem::path& folder) {
    std::error_code error;
    if (!std::filesystem::is_directory(folder, error))
        throw DfeDataError(folder.string() + ": no such folder (DfE's tables: give it with --dfe FOLDER)");
    const auto table = [&](const char* name) { return DfeTable::read(folder / name); };
    return DfeTables{table("b1_children_in_need.csv"),     table("c1_children_in_need_referrals_and_rereferrals.csv"),
                     table("d3_cpps_subsequent_plan.csv"), table("d5_cpps_at31march_by_duration.csv"),
                     table("cla_sfr_2015_to_2017.csv"),    table("cla_number_and_rate_per_10k_children.csv"),
                     table("csww_indicators.csv"),         table("ons_mid-year_population_estimates.csv")};
}

}  // namespace ehsim::authority
