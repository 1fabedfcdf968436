// The check that every value of a scenario, option or targets file is either quoted from its source in
// docs/sources.md or marked "assumed" in the file, and that every quoted phrase stands in the paper it
// cites (docs/sources.md says how). Reads files as text; needs nothing but yaml-cpp.
#pragma once

#include <string>
#include <vector>

namespace ehsim::sources {

// A source a value can be cited to: `path` is a file relative to the repository (e.g.
// ../shared/seeds/000_69b13a5d769b5de8.txt), or "external" for a source with no text here (ONS tables).
struct Source {
    std::string key;  // "W", "ONS"
    std::string path;
    std::string provenance;
    int line = 0;  // in docs/sources.md, from 1
};

// One row of docs/sources.md: a value of a file, its source and the source's own words.
struct CitedValue {
    std::string file;                 // repository-relative; '*' matches any run of characters
    std::string key;                  // key path as the report names it; '*' matches any run of characters
    std::vector<std::string> values;  // as the file writes it; a row may list several, separated by commas
    std::string source;
    std::string section;
    std::vector<std::string> quotes;  // the phrases between double quotes in the row's last column
    int line = 0;
};

struct SourcesDocument {
    std::vector<Source> sources;
    std::vector<CitedValue> values;
    std::vector<std::string> problems;  // rows that cannot be read, each "docs/sources.md:LINE: ..."
};

// Reads docs/sources.md: the table headed `| key | file | provenance |`, and under each `### file` heading
// the tables headed `| key | value | source | section | the paper's words |`.
SourcesDocument read_sources_document(const std::string& text, const std::string& name);

// A number or yes/no value of a YAML file, with the comment that applies to it.
struct FileValue {
    std::string key;  // key path: list items named by their name, their locality and role, or their site
    std::string value;
    int line = 0;  // from 1
    bool assumed = false;
    std::string note;  // the comment that applies to it ("" when none does), or its `source:`
};

// Every number and yes/no value of the file. A value is marked assumed when the comment that applies to it
// (its own; else the comment lines directly above it, reached through lines without comments, up to a blank
// line: the report's rule) or a `source:` beside it says "assumed". Throws std::runtime_error on bad YAML.
std::vector<FileValue> file_values(const std::string& text, const std::string& file);

// The text as quotes are compared: typographic quote marks and dashes made plain, markdown's "**" dropped,
// every run of white space one space, and no space either side of a hyphen (so "co-\nordinate" and
// "2022- 2024" read as written).
std::string normalise(const std::string& text);

// Whether `text` matches `pattern`, in which '*' matches any run of characters.
bool matches(const std::string& pattern, const std::string& text);

// The problems, one line each naming the file, line and key: values neither quoted nor assumed, rows whose
// file, key or value no longer exists, and rows citing an undeclared source or quoting nothing.
// `files` are repository-relative paths, `texts` their contents.
std::vector<std::string> coverage_problems(const SourcesDocument& document, const std::vector<std::string>& files,
                                           const std::vector<std::string>& texts, const std::string& document_name);

// The quotes of the rows citing the source at `source_path` that do not stand in its text `source_text`.
std::vector<std::string> quote_problems(const SourcesDocument& document, const std::string& source_path,
                                        const std::string& source_text, const std::string& document_name);

}  // namespace ehsim::sources
