#pragma once
// The task layer: one declaration per user-facing workflow (generate, features, train, compare,
// effect, geo select, audience, models deploy, serve ...). A task declares its options once (name,
// type, default, unit, help, validation), the files it writes, and a run(options, progress) that
// wires the parts together and returns what it wrote. Everything else is built from these
// declarations: the command line (cli/), the jobs API's validation of JSON options (/v1/jobs),
// `playsight <command> --help`, and the reference pages docs/<part>.md (`playsight help
// --markdown`).
//
//   Task train{"train", "spend", "Train one spend model ...", {
//       Option::path("features", "feature table from `playsight features`").needed(),
//       shared::out("model folder to write").needed(), shared::threads()}, ...};
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace playsight::tasks {

enum class Type {
  kText,     // any text
  kPath,     // a file or folder
  kInteger,  // a whole number (minimum/maximum checked)
  kNumber,   // a finite number (minimum/maximum checked)
  kFlag,     // present or not (JSON: true/false)
  kChoice,   // one of `choices`
  kDate,     // YYYY-MM-DD
  kList,     // several texts: a repeated flag, a comma-separated list, a JSON array
};
const char* type_name(Type type);

struct Option {
  std::string name;  // "features" for --features; upper case for a positional ("FOLDER")
  Type type = Type::kText;
  std::string help;
  std::string default_value;  // as a user would type it; empty: none
  std::string unit;           // "days", "s", "KRW", "MB" (shown in help and docs)
  bool required = false;
  std::vector<std::string> choices;
  std::optional<double> minimum, maximum;
  bool rest = false;  // positional taking every argument after it (`jobs submit -- TASK ARGS`)

  static Option text(std::string name, std::string help, std::string default_value = "");
  static Option path(std::string name, std::string help, std::string default_value = "");
  static Option integer(std::string name, std::string help, long long default_value);
  static Option number(std::string name, std::string help, double default_value);
  static Option flag(std::string name, std::string help);
  static Option choice(std::string name, std::string help, std::vector<std::string> choices,
                       std::string default_value);
  static Option date(std::string name, std::string help, std::string default_value = "");
  static Option list(std::string name, std::string help, std::string default_value = "");

  Option& needed() { return required = true, *this; }
  Option& in_unit(std::string text) { return unit = std::move(text), *this; }
  Option& at_least(double value) { return minimum = value, *this; }
  Option& at_most(double value) { return maximum = value, *this; }
  Option& taking_the_rest() { return rest = true, *this; }
  // A number with no default: absent (Values::has is false) unless given.
  Option& without_default() { return default_value.clear(), *this; }
  bool positional() const;
  // "--features" or "FOLDER".
  std::string flag_text() const;
};

// The options of one run, checked against the task's declarations: every declared option has a
// value (its default when not given). Typed getters throw std::logic_error for an undeclared
// name or the wrong type (a programming error, not the user's).
class Values {
 public:
  Values() = default;
  explicit Values(nlohmann::json values, std::vector<std::string> given = {})
      : values_(std::move(values)), given_(std::move(given)) {}

  const std::string& text(const std::string& name) const;
  long long integer(const std::string& name) const;
  double number(const std::string& name) const;
  bool flag(const std::string& name) const;
  std::vector<std::string> list(const std::string& name) const;
  // Whether the user gave it (rather than its default).
  bool given(const std::string& name) const;
  // A non-empty text or list.
  bool has(const std::string& name) const;
  // unsigned threads / seeds: an integer declared with a minimum of 0.
  unsigned count(const std::string& name) const { return static_cast<unsigned>(integer(name)); }
  const nlohmann::json& json() const { return values_; }

 private:
  const nlohmann::json& at(const std::string& name) const;
  nlohmann::json values_ = nlohmann::json::object();
  std::vector<std::string> given_;
};

// What a task reports while it runs: progress bars on stderr (when enabled: --progress) and step
// lines.
class Progress {
 public:
  explicit Progress(bool bars = false) : bars_(bars) {}
  bool bars() const { return bars_; }

 private:
  bool bars_;
};

// A file or folder a task writes, declared so that the service, the console and the docs know
// it without repeating its name.
struct Output {
  std::string name = {};    // "report", "seconds"
  std::string file = {};    // "effect.json", "seconds.jsonl" (inside --out)
  std::string schema = {};  // the JSON's "kind" field, e.g. "playsight.nudge_effects"; "" if none
  std::string help = {};
};

struct Written {
  std::string name = {};  // the Output's name
  std::string path = {};
};
struct Result {
  std::vector<Written> written = {};
  int exit_code = 0;  // 0 unless the task's outcome is a failure the caller must see (e.g. a
                      // failed `models check`)
};

struct Example {
  std::string command;  // "playsight train --features f.csv --model tweedie --out m"
  std::string what;
};

struct Task {
  std::string name = {};     // "train", "geo select", "models deploy"
  std::string part = {};     // docs/<part>.md: "spend", "experiment", "geo", "vision" ...
  std::string summary = {};  // one line
  std::vector<Option> options = {};
  std::function<Result(const Values&, Progress&)> run = {};
  std::vector<Output> outputs = {};
  std::vector<Example> examples = {};
  std::string details = {};  // a paragraph for --help and the docs
  bool job = false;          // may be started through the jobs API and `jobs submit`

  const Option* option(const std::string& option_name) const;
};

// Options every task shares, declared here once.
namespace shared {
// --out: where the task writes; `what` says what is written there.
Option out(std::string what, std::string default_value = "");
// --threads: worker threads, 0 = one per core.
Option threads();
// --seed: same seed, same result.
Option seed(std::string what = "random seed: same seed, same result", long long default_value = 42);
// --progress auto|always|never: progress bars on stderr (auto: when stderr is a terminal). Every
// task has it; the command line applies it before the task runs.
Option progress();
}  // namespace shared

// The option's name in a JSON object (the jobs API): "window_days" for --window-days, "source"
// for the positional SOURCE.
std::string json_name(const Option& option);

// Options from the command line (name -> the texts given; flags: {"true"}) or from a JSON object
// (the jobs API), checked and completed with defaults. Throws InputError naming the option
// ("--window-days: expected a whole number, got 'x'"; "options.window_days: ..." for JSON).
Values values_from_text(const Task& task,
                        const std::map<std::string, std::vector<std::string>>& given);
Values values_from_json(const Task& task, const nlohmann::json& options);
// Options from the words after the task's name on a command line ({"--out", "x", "--force",
// "FILE"}; "--name=value" too), checked like values_from_text: for `jobs submit -- TASK ARGS` and
// the jobs API's "arguments".
Values values_from_arguments(const Task& task, const std::vector<std::string>& arguments);
// The command line that runs the task with these options: {"geo", "select", "--budget", "5"}.
std::vector<std::string> command_line(const Task& task, const Values& values);

// A word that groups tasks on the command line without being one: "geo", "models", "jobs".
struct Group {
  std::string name;
  std::string summary;
};
const std::vector<Group>& groups();

// Every task: those of the main binary and the vision ones (run in a module loaded on demand).
const std::vector<Task>& all();
// nullptr if none has this name.
const Task* find(const std::string& name);
// The first words of task names: "geo" for "geo select" (for the command tree and the docs).
std::vector<std::string> parts();

// What --help and the docs say of an option: its help, unit, choices and default.
std::string describe(const Option& option);
// The words after the binary that run a job task ({"geo", "select", "--budget", "5"}), its options
// checked against the declarations, from command-line words or from the jobs API's JSON object.
// Throws InputError for a task that is unknown or not a job task, or a bad option (named).
std::vector<std::string> job_command(const std::string& task,
                                     const std::vector<std::string>& arguments);
std::vector<std::string> job_command(const std::string& task, const nlohmann::json& options);
// "train, compare, ..." : the tasks that may run as jobs.
std::string job_task_names();

// The reference page of one part (docs/<part>.md), from the declarations.
std::string markdown(const std::string& part);
// The catalog the jobs API and the console read: every job task with its options.
nlohmann::json catalog(bool jobs_only);

}  // namespace playsight::tasks
