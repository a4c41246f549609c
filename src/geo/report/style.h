#pragma once
// The frame shared by geo's HTML pages: the head with the style sheet, and the end with the
// embedded Chart.js, the report's JSON (id "report-data") and the page's own script.
#include <nlohmann/json.hpp>
#include <string>

namespace playsight::geo {

std::string page_start(const std::string& title);
std::string page_end(const nlohmann::ordered_json& data, const std::string& generated_by,
                     const std::string& script);
// A CSV field, quoted when it holds a comma, quote or line break.
std::string csv_quote(const std::string& field);

}  // namespace playsight::geo
