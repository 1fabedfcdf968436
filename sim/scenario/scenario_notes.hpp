// What a scenario or option file says about itself for readers of a report: which of its values no source
// supports (from the file's comments), and its dated changes in words. Reads the file's text as written.
#pragma once

#include <string>
#include <vector>

namespace ehsim::scenario {

// A value with no source: its own comment, or the comment block above it, says "assumed", or it has no
// comment at all. Values written on one line (a flow mapping) are one entry.
struct UnsupportedValue {
    std::string parameter;  // key path; list items named by their name, locality and role, or site
    std::string value;      // as written: "60", or "fte: 14, caseload_per_fte: 12" for several on a line
    std::string note;       // the comment that applies ("" when none does)
    int line = 0;           // from 1
};

// The numbers and yes/no values of the file that no source supports, in file order. A comment supports a
// value when it applies to it (on its line; or the comment lines directly above it or above the lines
// without comments that lead to it, up to a blank line) and does not say "assumed"; a `source:` beside a
// value (as unit costs have) counts as its comment. Throws scenario::ScenarioError for text that is not YAML.
std::vector<UnsupportedValue> unsupported_values(const std::string& text, const std::string& file);

// For each line of a YAML file's text (from 0), the comment that applies to a value written on it, by the rule
// above ("" when none does). docs/sources.md's check reads values' comments with it.
std::vector<std::string> applying_comments(const std::string& text);

// The baseline an option file `extends` (resolved against the file's folder), or "" for a scenario file.
std::string extended_file(const std::string& text, const std::string& file);

// The file's `changes:` (a scenario's dated changes, or an option's changes), one sentence each:
// "From April 2017: close site: Birchills." Empty when it has none.
std::vector<std::string> changes_in_words(const std::string& text, const std::string& file);

}  // namespace ehsim::scenario
