#include "core/html.h"

#include "playsight/chart_js.h"

namespace playsight {

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string script_safe_json(const nlohmann::ordered_json& json) {
  const std::string text = json.dump();
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '<') {
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

std::string chart_js_version() {
  const std::string_view text(kChartJs);
  const std::size_t at = text.find("Chart.js v");
  if (at == std::string_view::npos) return "Chart.js";
  const std::size_t end = text.find_first_of(" \n\r", at + 9);
  return std::string(text.substr(at, end - at));
}

std::string_view chart_js_source() {
  return kChartJs;
}

}  // namespace playsight
