#include "geo/report/style.h"

#include "core/html.h"

namespace playsight::geo {
namespace {

constexpr char kStyle[] = R"css(
body { font-family: system-ui, sans-serif; margin: 0; color: #1d2733; background: #fafbfc; }
main { max-width: 1100px; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.context { color: #4a5868; }
table { border-collapse: collapse; margin: 0.5rem 0; font-size: 0.9rem; }
th, td { padding: 0.3rem 0.6rem; border-bottom: 1px solid #dde3ea; text-align: right; }
th.text, td.text { text-align: left; }
.chart { position: relative; height: 320px; max-width: 900px; }
svg.map { background: #eef3f8; border: 1px solid #dde3ea; max-width: 100%; height: auto; }
footer { margin-top: 2rem; color: #6b7886; font-size: 0.8rem; }
)css";

}  // namespace

std::string page_start(const std::string& title) {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
         escape_html(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n<main>\n" +
         "<h1>" + escape_html(title) + "</h1>\n";
}

std::string page_end(const nlohmann::ordered_json& data, const std::string& generated_by,
                     const std::string& script) {
  std::string out = "<footer>" + escape_html(generated_by) + ". Charts drawn with " +
                    escape_html(chart_js_version()) +
                    " (MIT licence), embedded in this file: it opens offline.</footer>\n</main>\n"
                    "<script>";
  out += chart_js_source();
  out += "</script>\n<script type=\"application/json\" id=\"report-data\">";
  out += script_safe_json(data);
  out += "</script>\n<script>\n" + script + "</script>\n</body>\n</html>\n";
  return out;
}

std::string csv_quote(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string quoted = "\"";
  for (char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace playsight::geo
