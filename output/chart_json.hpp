// The JSON of the reports' chart specifications (Vega-Lite), built as nlohmann::ordered_json values and written
// out for an inline <script>. Private to output/*.cpp.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ehsim::output::charts {

// Keys stay in the order they are added: a specification reads in the order Vega-Lite's documentation gives,
// and the page's bytes do not depend on the library's sorting.
using Json = nlohmann::ordered_json;

// Compact JSON text safe inside a <script> element: strings as html::json_string writes them ('<', '>', '&',
// U+2028 and U+2029 escaped), fractional numbers with six significant digits and non-finite ones as null
// (html::json_number: finer than a chart can show, and small), whole numbers stored as integers as they are.
std::string dump(const Json& value);

// A JSON array of strings.
Json strings(const std::vector<std::string>& texts);

// The font and label sizes of every chart, its last key.
Json config();

// A legend below the plot, in a row, without a title.
Json legend_below();

}  // namespace ehsim::output::charts
