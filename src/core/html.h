#pragma once
// Helpers of playsight's self-contained HTML reports (spend comparison, nudge effects, ...):
// escaping text for HTML, JSON data safe to embed in a <script> element, and the version of the
// Chart.js that the build embeds (see CMakeLists.txt: the reports draw their charts with it and
// open offline).
// Thread-safety: pure functions.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace playsight {

// & < > " ' replaced by their entities.
std::string escape_html(std::string_view text);
// The JSON text with every '<' written as \u003c (it only occurs inside strings), so that
// "</script>" in a value cannot end the element.
std::string script_safe_json(const nlohmann::ordered_json& json);
// "Chart.js v4.5.1", read from the embedded file's licence banner.
std::string chart_js_version();
// The embedded Chart.js source (minified), for a <script> element.
std::string_view chart_js_source();

}  // namespace playsight
