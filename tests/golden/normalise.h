#pragma once
// What a golden file holds: a report as playsight wrote it, minus what legitimately differs from
// one run or machine to the next. Each normalisation is listed here, once, with why it is one:
//
//  1. Wall-clock timings (a model's training seconds, the exact solver's seconds, an analysis's
//     wall seconds and speed against real time) become "<timing>": they depend on the machine and
//     its load, never on the inputs. Which JSON fields and which HTML texts hold a timing is named
//     per report (ReportRules); everything else, every model figure included, is kept as written.
//  2. The run's folder (a fresh temporary folder) becomes "<work>" and the source tree (a checkout
//     or a worktree anywhere) becomes "<source>". The tests run playsight inside the run's folder
//     with relative paths, so these rarely appear; this catches the rest.
//  3. "playsight 0.1.0" becomes "playsight <version>" (the project's version moves with every
//     release), and the date and time of the run that a report adds to it ("playsight 0.1.0,
//     2026-12-06T18:59:13Z") becomes "<run time>".
//  4. The inline Chart.js library of an HTML report (~200 KB of minified JavaScript from npm, the
//     same bytes in every report) is replaced by a one-line placeholder naming its version. The
//     rest of the page is kept: tables, text, the charts' code and their data.
//  5. Layout only, no value changes: JSON (report files and the JSON data embedded in an HTML
//     page, which is one long line there) is written with one member per line, indented by two
//     spaces, keys in the order playsight wrote them, and an array of plain values (a curve, a
//     sample of predictions) on one line, whatever layout playsight chose, so that a changed
//     figure is a short diff. JSON lines files stay one record per line.
#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace playsight::golden {

// Where a run happened: replaced by placeholders (2, 3).
struct RunContext {
  std::string work_dir;    // the run's folder, absolute
  std::string source_dir;  // the source tree, absolute
  std::string version;     // what `playsight --version` prints
};

// Where a report holds timings (1).
struct ReportRules {
  // JSON fields, as paths from the document's root: "/run/wall_seconds"; "*" stands for any key
  // or array element ("/rows/*/training_seconds").
  std::vector<std::string> timing_fields;
  // Texts of the HTML page, matched line by line: (ECMAScript regex, replacement with $1 ...).
  std::vector<std::pair<std::string, std::string>> html_timings;
};

// A report file's text, normalised; how depends on its name: .json, .jsonl or .html.
// Throws std::runtime_error when the file is not what its name says (JSON that does not parse).
std::string normalise_report(const std::string& file_name, const std::string& text,
                             const RunContext& run, const ReportRules& rules);

}  // namespace playsight::golden
