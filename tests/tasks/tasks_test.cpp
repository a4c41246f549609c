// The task layer: every command's options are declared once (tasks/*.cpp), and the command line,
// `--help`, the reference docs and the jobs API are all built from those declarations and agree.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "../support/checks.h"
#include "cli/command_tree.h"
#include "tasks/task.h"

namespace playsight::testing {
namespace {

using json = nlohmann::json;

std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(TaskDeclarations, EveryCommandOfTheCommandLineIsADeclaredTaskWithExactlyItsOptions) {
  cli::CommandTree tree;
  const std::map<std::string, std::vector<std::string>> shape = tree.shape();
  std::set<std::string> groups;
  for (const tasks::Group& group : tasks::groups()) groups.insert(group.name);
  std::size_t options = 0;
  for (const tasks::Task& task : tasks::all()) {
    std::vector<std::string> declared;
    for (const tasks::Option& option : task.options) declared.push_back(option.flag_text());
    std::vector<std::string> unique = declared;
    std::sort(unique.begin(), unique.end());
    EXPECT_EQ(std::adjacent_find(unique.begin(), unique.end()), unique.end())
        << task.name << " declares an option twice";
    ASSERT_TRUE(shape.contains(task.name)) << task.name << " is not on the command line";
    std::vector<std::string> bound = shape.at(task.name);
    std::sort(bound.begin(), bound.end());
    EXPECT_EQ(bound, unique) << task.name;
    EXPECT_FALSE(task.summary.empty()) << task.name;
    EXPECT_TRUE(task.run) << task.name;
    options += declared.size();
  }
  // Every command of the tree is a task or a group of tasks ("geo", "models", "serve keys").
  for (const auto& [path, flags] : shape)
    EXPECT_TRUE(tasks::find(path) || groups.contains(path)) << path << " is neither";
  EXPECT_GE(tasks::all().size(), 35u);
  EXPECT_GE(options, 250u);
}

TEST(TaskDeclarations, SharedOptionsAreTheOneDeclarationEverywhere) {
  const tasks::Option threads = tasks::shared::threads();
  const tasks::Option progress = tasks::shared::progress();
  std::size_t with_threads = 0, with_out = 0, with_seed = 0;
  for (const tasks::Task& task : tasks::all()) {
    const tasks::Option* declared = task.option("progress");
    ASSERT_NE(declared, nullptr) << task.name;
    EXPECT_EQ(declared->help, progress.help);
    EXPECT_EQ(declared->choices, progress.choices);
    if (const tasks::Option* option = task.option("threads");
        option && option->help == threads.help) {
      ++with_threads;
      EXPECT_EQ(option->default_value, threads.default_value) << task.name;
      EXPECT_EQ(option->type, threads.type) << task.name;
    }
    if (const tasks::Option* option = task.option("out")) {
      ++with_out;
      EXPECT_EQ(option->type, tasks::Type::kPath) << task.name;
    }
    if (const tasks::Option* option = task.option("seed")) {
      ++with_seed;
      EXPECT_EQ(option->type, tasks::Type::kInteger) << task.name;
      EXPECT_EQ(option->minimum, 0.0) << task.name;
    }
  }
  EXPECT_GE(with_threads, 10u);
  EXPECT_GE(with_out, 15u);
  EXPECT_GE(with_seed, 8u);
}

// `playsight X --help`, docs/<part>.md and GET /v1/tasks say the same of every option.
TEST(TaskDeclarations, HelpTheReferenceDocsAndTheJobsApiAgree) {
  const json catalog = tasks::catalog(true);
  for (const tasks::Task& task : tasks::all()) {
    const CommandRun help = run_playsight(task.name + " --help");
    ASSERT_EQ(help.exit_code, 0) << task.name << ": " << help.output;
    // CLI11 may wrap nothing: each option's flag and its description are on the page as declared.
    for (const tasks::Option& option : task.options) {
      EXPECT_NE(help.output.find(option.flag_text()), std::string::npos)
          << task.name << " --help lacks " << option.flag_text();
      EXPECT_NE(help.output.find(tasks::describe(option)), std::string::npos)
          << task.name << " --help describes " << option.flag_text() << " otherwise than the docs";
    }
    const auto listed = std::find_if(catalog.begin(), catalog.end(),
                                     [&](const json& entry) { return entry["name"] == task.name; });
    EXPECT_EQ(listed != catalog.end(), task.job) << task.name;
    if (listed == catalog.end()) continue;
    ASSERT_EQ((*listed)["options"].size(), task.options.size()) << task.name;
    for (std::size_t i = 0; i < task.options.size(); ++i) {
      const json& entry = (*listed)["options"][i];
      EXPECT_EQ(entry["flag"], task.options[i].flag_text());
      EXPECT_EQ(entry["help"], task.options[i].help);
      EXPECT_EQ(entry.value("default", ""), task.options[i].default_value);
      EXPECT_EQ(entry["required"], task.options[i].required);
    }
  }
  for (const std::string& part : tasks::parts()) {
    const std::string committed = file_text(PLAYSIGHT_SOURCE_DIR "/docs/" + part + ".md");
    EXPECT_EQ(committed, tasks::markdown(part))
        << "docs/" << part << ".md is not what the declarations say: run `build/playsight help "
        << "--markdown --out docs` and review the diff";
  }
}

TEST(TaskValues, JsonOptionsAreCheckedAndNamed) {
  const tasks::Task& generate = *tasks::find("generate");
  const tasks::Values values =
      tasks::values_from_json(generate, {{"out", "logs"}, {"players", 200}, {"force", true}});
  EXPECT_EQ(values.text("out"), "logs");
  EXPECT_EQ(values.integer("players"), 200);
  EXPECT_TRUE(values.flag("force"));
  EXPECT_EQ(values.text("cutoff"), "2026-10-01");  // the default
  EXPECT_TRUE(values.given("players"));
  EXPECT_FALSE(values.given("cutoff"));
  EXPECT_EQ(input_error_of([&] {
              tasks::values_from_json(generate, {{"out", "x"}, {"players", "many"}});
            }),
            "options.players: expected a whole number, got 'many'");
  EXPECT_EQ(input_error_of([&] {
              tasks::values_from_json(generate, {{"out", "x"}, {"players", 2.5}});
            }),
            "options.players: expected a whole number, got 2.5");
  EXPECT_EQ(input_error_of([&] {
              tasks::values_from_json(generate, {{"out", "x"}, {"force", "yes"}});
            }),
            "options.force: expected true or false, got \"yes\"");
  EXPECT_TRUE(input_error_of([&] {
                tasks::values_from_json(generate, {{"out", "x"}, {"colour", 1}});
              })
                  .starts_with("options.colour: not an option of generate (its options: out, "
                               "players, seed, cutoff"));
  EXPECT_EQ(input_error_of([&] {
              tasks::values_from_json(generate, {{"players", 1}});
            }),
            "options.out is required (generate: folder to write the files to (created if "
            "missing))");
  EXPECT_EQ(input_error_of([&] {
              tasks::values_from_json(generate, {{"out", "x"}, {"cutoff", "2026-13-01"}});
            }).substr(0, 15),
            "options.cutoff:");
  const tasks::Task& features = *tasks::find("features");
  EXPECT_EQ(input_error_of([&] {
              tasks::values_from_json(features, {{"label", "sometimes"}});
            }),
            "options.label: expected one of auto, always, never, got 'sometimes'");
  EXPECT_EQ(input_error_of([&] { tasks::values_from_json(features, json::array()); }).substr(0, 8),
            "options:");
}

TEST(TaskValues, CommandLineWordsRoundTrip) {
  const tasks::Task& select = *tasks::find("geo select");
  const std::vector<std::string> words = {"--regions", "r.csv", "--players", "p.csv",
                                          "--budget",  "12.5",  "--exact"};
  const tasks::Values values = tasks::values_from_arguments(select, words);
  EXPECT_EQ(values.number("budget"), 12.5);
  EXPECT_TRUE(values.flag("exact"));
  const std::vector<std::string> line = tasks::command_line(select, values);
  ASSERT_GE(line.size(), 2u);
  EXPECT_EQ(line[0], "geo");
  EXPECT_EQ(line[1], "select");
  const tasks::Values again =
      tasks::values_from_arguments(select, std::vector<std::string>(line.begin() + 2, line.end()));
  EXPECT_EQ(again.json(), values.json());
  EXPECT_EQ(input_error_of([&] {
              tasks::values_from_arguments(select, {"--budjet", "5"});
            }),
            "--budjet: not an option of geo select");
  EXPECT_EQ(input_error_of([&] { tasks::values_from_arguments(select, {"--budget"}); }),
            "--budget: a value is missing");
  EXPECT_EQ(
      input_error_of([&] { tasks::job_command("rm", std::vector<std::string>{}); }).substr(0, 34),
      "unknown task 'rm'; known: generate");
  // Positionals: models show NAME VERSION.
  const tasks::Task& show = *tasks::find("models show");
  const tasks::Values shown = tasks::values_from_arguments(show, {"spend", "production", "--json"});
  EXPECT_EQ(shown.text("NAME"), "spend");
  EXPECT_EQ(shown.text("VERSION"), "production");
  EXPECT_TRUE(shown.flag("json"));
}

TEST(TaskCommandLine, BadValuesAreRefusedBeforeATaskRuns) {
  const CommandRun run = run_playsight("generate --out /nonexistent/x --players many");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.output, "playsight: error: --players: expected a whole number, got 'many'\n");
  const CommandRun choice = run_playsight("features --label sometimes --list");
  EXPECT_EQ(choice.exit_code, 2);
  EXPECT_EQ(choice.output,
            "playsight: error: --label: expected one of auto, always, never, got 'sometimes'\n");
  const CommandRun part = run_playsight("help nopart");
  EXPECT_EQ(part.exit_code, 2);
  EXPECT_TRUE(part.output.starts_with(
      "playsight: error: PART 'nopart': not a part; the parts: gamelog, spend"))
      << part.output;
  const CommandRun reports = run_playsight("serve --no-auth --port 0 --reports /nonexistent/r");
  EXPECT_EQ(reports.exit_code, 2);
  EXPECT_EQ(reports.output, "playsight: error: --reports: /nonexistent/r: no such folder\n");
  const CommandRun help = run_playsight("help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.output.find("playsight geo select"), std::string::npos) << help.output;
}

}  // namespace
}  // namespace playsight::testing
