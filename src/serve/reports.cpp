#include "serve/reports.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <system_error>

#include "core/error.h"
#include "core/time.h"

namespace playsight::serve {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxDepth = 3;

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError("cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string iso_time(fs::file_time_type time) {
  const auto system = std::chrono::file_clock::to_sys(time);
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(system.time_since_epoch());
  std::string text = format_timestamp(seconds.count());
  text[10] = 'T';
  return text + "Z";
}

// The kind a seconds.jsonl's first complete line suggests; "" if it has none yet.
std::string kind_of_seconds(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string line;
  if (!std::getline(in, line) || in.eof()) return "";
  const nlohmann::json first = nlohmann::json::parse(line, nullptr, false);
  if (!first.is_object()) return "";
  if (first.contains("expressions")) return "playsight.playtest_session";
  if (first.contains("people")) return "playsight.audience";
  return "";
}

std::optional<ReportFolder> report_in(const ReportFormats& formats, const fs::path& root,
                                      const fs::path& folder) {
  std::error_code error;
  ReportFolder report;
  report.folder = folder;
  for (const ReportFormat& candidate : formats.reports) {
    const fs::path file = folder / candidate.file;
    if (!fs::is_regular_file(file, error)) continue;
    const nlohmann::json head = nlohmann::json::parse(read_text(file), nullptr, false);
    if (!head.is_object() || head.value("kind", "") != candidate.kind) continue;
    report.kind = candidate.kind;
    report.json_file = candidate.file;
    break;
  }
  const fs::path seconds = folder / formats.stream_file;
  report.stream_file = seconds;
  if (report.kind.empty()) {
    if (formats.stream_file.empty()) return std::nullopt;
    if (!fs::is_regular_file(seconds, error)) return std::nullopt;
    report.kind = kind_of_seconds(seconds);
    if (report.kind.empty()) return std::nullopt;
    report.running = true;
  }
  fs::file_time_type newest = fs::file_time_type::min();
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, error))
    if (entry.is_regular_file(error)) newest = std::max(newest, entry.last_write_time(error));
  report.modified_at = iso_time(newest);
  std::string id = fs::relative(folder, root, error).generic_string();
  std::replace(id.begin(), id.end(), '/', '~');
  report.id = id;
  return report;
}

void search(const ReportFormats& formats, const fs::path& root, const fs::path& folder, int depth,
            std::vector<ReportFolder>& out) {
  std::error_code error;
  std::vector<fs::path> children;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, error))
    if (entry.is_directory(error) && !entry.is_symlink(error)) children.push_back(entry.path());
  std::sort(children.begin(), children.end());
  for (const fs::path& child : children) {
    if (auto report = report_in(formats, root, child)) {
      out.push_back(std::move(*report));
    } else if (depth < kMaxDepth) {
      search(formats, root, child, depth + 1, out);
    }
  }
}

}  // namespace

nlohmann::json to_json(const ReportFolder& report) {
  return {{"id", report.id},
          {"kind", report.kind},
          {"status", report.running ? "running" : "complete"},
          {"folder", report.folder.filename().string()},
          {"file", report.json_file},
          {"modified_at", report.modified_at}};
}

std::vector<ReportFolder> ReportLibrary::list() const {
  std::vector<ReportFolder> out;
  std::error_code error;
  if (root_.empty() || !fs::is_directory(root_, error)) return out;
  search(formats_, root_, root_, 1, out);
  return out;
}

std::optional<ReportFolder> ReportLibrary::find(const std::string& id) const {
  for (ReportFolder& report : list())
    if (report.id == id) return std::move(report);
  return std::nullopt;
}

nlohmann::json ReportLibrary::read(const ReportFolder& report) {
  const fs::path file = report.folder / report.json_file;
  try {
    return nlohmann::json::parse(read_text(file));
  } catch (const nlohmann::json::parse_error& error) {
    throw InputError(file.string() + ": not valid JSON: " + error.what());
  }
}

SecondsPage ReportLibrary::seconds(const ReportFolder& report, std::size_t after,
                                   std::size_t max_lines) {
  SecondsPage page;
  page.running = report.running;
  std::ifstream in(report.stream_file, std::ios::binary);
  std::string line;
  std::size_t index = 0;
  while (std::getline(in, line) && !in.eof()) {  // a last line without '\n' is still growing
    if (index++ < after) continue;
    if (page.seconds.size() >= max_lines) {
      --index;
      break;
    }
    nlohmann::json second = nlohmann::json::parse(line, nullptr, false);
    if (!second.is_discarded()) page.seconds.push_back(std::move(second));
  }
  page.next = std::max(after, index);
  return page;
}

}  // namespace playsight::serve
