// The files `ehsim new-scenario` writes for an authority: a baseline scenario (the template with DfE's figures
// filled in, each with its source) and a targets file of DfE's figures for the same year.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sim/authority/authority_figures.hpp"

namespace ehsim::authority {

// The authority's name as a file name: "bristol-city-of".
std::string file_stem(const std::string& authority);

// A YAML double-quoted scalar holding `text` exactly (names with commas, colons or quotes).
std::string yaml_quoted(const std::string& text);

// The values the template's {{placeholders}} take for these figures, each a complete YAML value or comment text.
std::map<std::string, std::string> template_values(const BaselineFigures& figures);

// `template_text` with every {{name}} replaced by its value; a DfeDataError names a placeholder with no value.
std::string fill_template(const std::string& template_text, const std::map<std::string, std::string>& values);

// The baseline scenario's text.
std::string baseline_text(const BaselineFigures& figures, const std::string& template_text);

// The targets file's text: every figure with its source and error, and those left out with DfE's reason.
std::string targets_text(const Authority& authority, int year, const std::vector<TargetFigure>& targets);

}  // namespace ehsim::authority
