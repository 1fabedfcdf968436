// DfE's published children's social care tables (the CSV files of ../shared/data/dfe, README there), read as
// they are published: one row per area and year, cells as text, a cell a number only when it reads as one.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ehsim::authority {

// A table that cannot be read, or a request the tables cannot answer: one line, naming the file or authority.
class DfeDataError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The cells of one CSV line: a quoted cell may hold commas, line breaks excepted, and doubled quotes.
std::vector<std::string> csv_cells(const std::string& line);

// DfE's marks for a cell with no figure. A cell holding one of them, or anything else that is not a plain
// number, has no value: it is never read as zero. Empty when `cell` is a number.
//   c: suppressed to protect confidentiality (a small number); x: not available; z: not applicable;
//   u: low reliability, not published; low: a rate below half a unit, shown as "low"; ":" and "": not available.
// Every figure read is a count, rate or percentage, so a negative number is not one either.
std::string why_no_figure(const std::string& cell);
std::optional<double> figure_in(const std::string& cell);

// One published CSV: its header and rows, found by area and year.
class DfeTable {
public:
    static DfeTable read(const std::filesystem::path& file);

    const std::string& file_name() const { return file_name_; }  // "b1_children_in_need.csv"
    bool has_column(const std::string& column) const { return columns_.count(column) > 0; }

    // The row of `area` (a local authority's name as DfE spells it, any case; or "England") for the year
    // `time_period`, optionally the one whose `column` holds `value` (a population type); -1 if there is none.
    int row(const std::string& area, int time_period, const std::string& column = "",
            const std::string& value = "") const;
    // The cell at `row` and `column` (which must exist: a DfeDataError names the file otherwise).
    const std::string& cell(int row, const std::string& column) const;

    // Every local authority's name as the table spells it, with the years it has rows for.
    std::map<std::string, std::vector<int>> authorities() const;

private:
    std::string file_name_;
    std::map<std::string, std::size_t> columns_;
    std::vector<std::vector<std::string>> rows_;
    std::string area_column_;                                        // la_name
    std::map<std::pair<std::string, int>, std::vector<int>> index_;  // (lower-case area, year) -> rows
};

// The files ehsim reads from a DfE data folder, each read once.
struct DfeTables {
    DfeTable children_in_need;           // b1
    DfeTable referrals;                  // c1
    DfeTable protection_plans_started;   // d3
    DfeTable protection_plans_open;      // d5
    DfeTable looked_after_2015_to_2017;  // cla_sfr
    DfeTable looked_after;               // cla_number_and_rate, 2021 on
    DfeTable workforce;                  // csww
    DfeTable population;                 // ONS mid-year estimates of children aged 0-17

    // Throws DfeDataError naming the folder and the file missing or unreadable.
    static DfeTables read(const std::filesystem::path& folder);
};

}  // namespace ehsim::authority
