#include "cli/command_tree.h"

#include <cstdlib>

#include "core/progress.h"
#include "playsight/version.h"

namespace playsight::cli {

CommandTree::CommandTree()
    : app_(std::make_unique<CLI::App>(
          "playsight: spend prediction, nudge effects, audience and playtest vision, geo "
          "targeting and model operations for a live game's ML team.",
          "playsight")) {
  app_->set_version_flag("--version", kVersion);
  app_->require_subcommand(1);
  app_->fallthrough(false);
  for (const tasks::Task& task : tasks::all()) bind(task);
}

// The subcommand of a path of words ("geo select"), made on first use; a group's words get the
// group's summary and need a subcommand.
CLI::App* CommandTree::node(const std::string& path) {
  if (path.empty()) return app_.get();
  if (const auto found = nodes_.find(path); found != nodes_.end()) return found->second;
  const std::size_t space = path.rfind(' ');
  CLI::App* parent = node(space == std::string::npos ? "" : path.substr(0, space));
  const std::string word = space == std::string::npos ? path : path.substr(space + 1);
  std::string summary;
  for (const tasks::Group& group : tasks::groups())
    if (group.name == path) summary = group.summary;
  CLI::App* command = parent->add_subcommand(word, summary);
  command->require_subcommand(1);  // until a task of this name says otherwise
  nodes_[path] = command;
  return command;
}

void CommandTree::bind(const tasks::Task& task) {
  auto bound = std::make_unique<Bound>();
  bound->task = &task;
  CLI::App* command = node(task.name);
  command->require_subcommand(0, 1);
  std::string description = task.summary;
  if (!task.details.empty()) description += "\n" + task.details;
  command->description(description);
  for (const tasks::Option& option : task.options) {
    CLI::Option* added = nullptr;
    const std::string help = tasks::describe(option);
    if (option.type == tasks::Type::kFlag) {
      added = command->add_flag(option.flag_text(), bound->flags[option.name], help);
    } else if (option.type == tasks::Type::kList || option.rest) {
      added = command->add_option(option.flag_text(), bound->texts[option.name], help);
      added->type_name(option.positional() ? "TEXT ..." : "LIST");
    } else {
      std::vector<std::string>& texts = bound->texts[option.name];
      added = command->add_option_function<std::string>(
          option.flag_text(), [&texts](const std::string& text) { texts.assign(1, text); }, help);
      added->type_name(option.type == tasks::Type::kChoice ? "" : tasks::type_name(option.type));
    }
    if (option.required) added->required();
    bound->options[option.name] = added;
  }
  bound->command = command;
  bound_.push_back(std::move(bound));
}

int CommandTree::run_parsed() {
  const Bound* deepest = nullptr;
  std::size_t depth = 0;
  for (const auto& bound : bound_) {
    if (!bound->command->parsed()) continue;
    const std::size_t words =
        std::count(bound->task->name.begin(), bound->task->name.end(), ' ') + 1;
    if (!deepest || words > depth) deepest = bound.get(), depth = words;
  }
  if (!deepest) return 0;  // CLI11 has already refused a missing subcommand
  std::map<std::string, std::vector<std::string>> given;
  for (const auto& [name, option] : deepest->options) {
    if (option->count() == 0) continue;
    const auto flag = deepest->flags.find(name);
    given[name] = flag != deepest->flags.end()
                      ? std::vector<std::string>{flag->second ? "true" : "false"}
                      : deepest->texts.at(name);
  }
  const tasks::Values values = tasks::values_from_text(*deepest->task, given);
  if (deepest->task->option("progress")) {
    const std::string& progress = values.text("progress");
    if (progress != "auto") ::setenv("PLAYSIGHT_PROGRESS", progress == "always" ? "1" : "0", 1);
  }
  tasks::Progress progress(Progress::enabled());
  return deepest->task->run(values, progress).exit_code;
}

std::map<std::string, std::vector<std::string>> CommandTree::shape() const {
  std::map<std::string, std::vector<std::string>> commands;
  for (const auto& [path, command] : nodes_) {
    std::vector<std::string>& flags = commands[path];
    for (const CLI::Option* option : command->get_options()) {
      if (option->get_name() == "--help") continue;
      flags.push_back(option->get_name());
    }
  }
  return commands;
}

}  // namespace playsight::cli
