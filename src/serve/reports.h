#pragma once
// The report folders the console shows: everything under one root folder (`playsight serve
// --reports DIR`) that an analysis wrote. A report folder is found by its JSON file and that
// file's "kind", as the tasks declare them (tasks/task.h: a task's outputs, e.g. effect.json of
// kind playsight.nudge_effects written by `playsight effect --out DIR`).
//
// A folder with the stream file (seconds.jsonl, declared by audience and playtest) but none of
// those files is an analysis still running (a stream being analysed writes it as it goes and
// the JSON at the end); its kind is told from its first line (audience seconds count "people",
// playtest seconds carry "expressions").
//
// Folders are searched up to three levels below the root. A report's id is its path relative to
// the root with '/' written as '~' (ids are one URL path segment); ids are only ever looked up
// among the folders found, so an id cannot name anything outside the root. Reads the disk on
// every call (reports appear and finish while the service runs); thread-safe.
#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace playsight::serve {

// The report files the tasks declare: each JSON file's name and kind, and the stream file.
struct ReportFormat {
  std::string file;  // "effect.json"
  std::string kind;  // "playsight.nudge_effects"
};
struct ReportFormats {
  std::vector<ReportFormat> reports;
  std::string stream_file;  // "seconds.jsonl"; "" = none
};

struct ReportFolder {
  std::string id;
  std::string kind;      // playsight.nudge_effects, playsight.audience, playsight.playtest_session
  bool running = false;  // seconds.jsonl only, no final JSON yet
  std::filesystem::path folder;
  std::string json_file;              // "" while running
  std::string modified_at;            // UTC, ISO 8601, of the newest of its files
  std::filesystem::path stream_file;  // its seconds.jsonl (may not exist)
};

nlohmann::json to_json(const ReportFolder& report);

// The seconds of a report's seconds.jsonl after the first `after` lines.
struct SecondsPage {
  std::vector<nlohmann::json> seconds;
  std::size_t next = 0;  // lines read so far: pass as `after` to get only newer ones
  bool running = false;
};

class ReportLibrary {
 public:
  // root "" = no reports (every list is empty).
  ReportLibrary(std::filesystem::path root, ReportFormats formats)
      : root_(std::move(root)), formats_(std::move(formats)) {}

  std::vector<ReportFolder> list() const;
  // The folder of that id, if it is one of list()'s.
  std::optional<ReportFolder> find(const std::string& id) const;
  // The report's JSON. REQUIRES: !report.running. Throws InputError for an unreadable file.
  static nlohmann::json read(const ReportFolder& report);
  // Complete lines only: a line still being written is left for the next call. At most
  // max_lines lines are returned.
  static SecondsPage seconds(const ReportFolder& report, std::size_t after,
                             std::size_t max_lines = 5000);
  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
  ReportFormats formats_;
};

}  // namespace playsight::serve
