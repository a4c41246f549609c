#include "normalise.h"

#include <cstddef>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace playsight::golden {
namespace {

using Json = nlohmann::ordered_json;  // keeps the keys in the order playsight wrote them (5)

const char* const kTiming = "<timing>";

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// "2026-12-06T18:59:13Z" at `at`: the UTC time of a run, as playsight writes it.
bool is_run_time_at(const std::string& text, std::size_t at) {
  const std::string shape = "dddd-dd-ddTdd:dd:ddZ";
  if (text.size() < at + shape.size()) return false;
  for (std::size_t k = 0; k < shape.size(); ++k) {
    const char c = text[at + k];
    if (shape[k] == 'd' ? (c < '0' || c > '9') : c != shape[k]) return false;
  }
  return true;
}

// Normalisations 2 and 3, on any text: a JSON string or a line of HTML.
std::string normalise_text(std::string text, const RunContext& run) {
  replace_all(text, run.work_dir, "<work>");
  replace_all(text, run.source_dir, "<source>");
  const std::string made_by = "playsight " + run.version;
  const std::string placeholder = "playsight <version>";
  for (std::size_t at = text.find(made_by); at != std::string::npos;
       at = text.find(made_by, at + placeholder.size())) {
    text.replace(at, made_by.size(), placeholder);
    const std::size_t time_at = at + placeholder.size() + 2;  // after ", "
    if (text.compare(at + placeholder.size(), 2, ", ") == 0 && is_run_time_at(text, time_at))
      text.replace(time_at, 20, "<run time>");
  }
  return text;
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::stringstream in(path);
  for (std::string part; std::getline(in, part, '/');)
    if (!part.empty()) parts.push_back(part);
  return parts;
}

void replace_field(Json& node, const std::vector<std::string>& path, std::size_t depth) {
  if (depth == path.size()) {
    if (node.is_number()) node = kTiming;  // a null (no timing: a reference row) stays
    return;
  }
  const std::string& key = path[depth];
  if (node.is_object()) {
    for (auto item : node.items())
      if (key == "*" || key == item.key()) replace_field(item.value(), path, depth + 1);
  } else if (node.is_array()) {
    for (std::size_t k = 0; k < node.size(); ++k)
      if (key == "*" || key == std::to_string(k)) replace_field(node[k], path, depth + 1);
  }
}

void normalise_strings(Json& node, const RunContext& run) {
  if (node.is_string()) {
    node = normalise_text(node.get<std::string>(), run);
  } else if (node.is_structured()) {
    for (auto& child : node) normalise_strings(child, run);
  }
}

bool is_flat_array(const Json& node) {
  if (!node.is_array()) return false;
  for (const auto& element : node)
    if (element.is_structured()) return false;
  return true;
}

// Normalisation 5: an object's members and an array of objects or arrays one per line, indented
// by two spaces; an array of plain values (a curve, a sample of predictions) on one line.
void write_layout(const Json& node, const std::string& indent, std::string& out) {
  if (!node.is_structured() || node.empty() || is_flat_array(node)) {
    out += node.dump();
    return;
  }
  const std::string inner = indent + "  ";
  const bool object = node.is_object();
  out += object ? "{\n" : "[\n";
  bool first = true;
  for (auto item : node.items()) {
    out += (first ? "" : ",\n") + inner;
    first = false;
    if (object) out += Json(item.key()).dump() + ": ";
    write_layout(item.value(), inner, out);
  }
  out += "\n" + indent + (object ? "}" : "]");
}

std::string layout(const Json& document) {
  std::string out;
  write_layout(document, "", out);
  return out;
}

Json normalised_json(const std::string& text, const RunContext& run, const ReportRules& rules) {
  Json document = Json::parse(text);
  for (const std::string& field : rules.timing_fields)
    replace_field(document, split_path(field), 0);
  normalise_strings(document, run);
  return document;
}

std::string normalise_json_lines(const std::string& text, const RunContext& run,
                                 const ReportRules& rules) {
  std::string out;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);)
    out += normalised_json(line, run, rules).dump() + "\n";  // one record per line, as written
  return out;
}

// Normalisation 4: the inline Chart.js, which starts with its licence comment.
std::string strip_chart_js(std::string html) {
  const std::string start = "<script>/*!\n * Chart.js ";
  const std::string end = "</script>";
  for (std::size_t at = html.find(start); at != std::string::npos; at = html.find(start, at)) {
    const std::size_t version_at = at + start.size();
    const std::string version = html.substr(version_at, html.find('\n', version_at) - version_at);
    const std::size_t stop = html.find(end, at);
    if (stop == std::string::npos) break;
    const std::string placeholder =
        "<script>/* Chart.js " + version + ": the library from npm, left out of the golden file */";
    html.replace(at, stop - at, placeholder);
    at += placeholder.size();
  }
  return html;
}

// The JSON data that an HTML page embeds for its charts, normalised as a report file is (1-3, 5).
std::string normalise_embedded_json(std::string html, const RunContext& run,
                                    const ReportRules& rules) {
  const std::string start = "<script type=\"application/json\"";
  const std::string end = "</script>";
  for (std::size_t at = html.find(start); at != std::string::npos; at = html.find(start, at)) {
    const std::size_t data_at = html.find('>', at) + 1;
    const std::size_t stop = html.find(end, data_at);
    if (data_at == 0 || stop == std::string::npos) break;
    const std::string data =
        "\n" + layout(normalised_json(html.substr(data_at, stop - data_at), run, rules)) + "\n";
    html.replace(data_at, stop - data_at, data);
    at = data_at + data.size();
  }
  return html;
}

std::string normalise_html(const std::string& text, const RunContext& run,
                           const ReportRules& rules) {
  const std::string html = normalise_embedded_json(strip_chart_js(text), run, rules);
  std::vector<std::pair<std::regex, std::string>> timings;
  for (const auto& [pattern, replacement] : rules.html_timings)
    timings.emplace_back(std::regex(pattern), replacement);
  std::string out;
  std::stringstream in(html);
  for (std::string line; std::getline(in, line);) {
    line = normalise_text(line, run);
    for (const auto& [pattern, replacement] : timings)
      line = std::regex_replace(line, pattern, replacement);
    out += line + "\n";
  }
  return out;
}

}  // namespace

std::string normalise_report(const std::string& file_name, const std::string& text,
                             const RunContext& run, const ReportRules& rules) {
  try {
    if (ends_with(file_name, ".jsonl")) return normalise_json_lines(text, run, rules);
    if (ends_with(file_name, ".json")) return layout(normalised_json(text, run, rules)) + "\n";
  } catch (const Json::exception& error) {
    throw std::runtime_error(file_name + ": not JSON: " + error.what());
  }
  if (ends_with(file_name, ".html")) return normalise_html(text, run, rules);
  throw std::runtime_error(file_name + ": no normalisation for this kind of file");
}

}  // namespace playsight::golden
