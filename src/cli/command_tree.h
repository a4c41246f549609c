#pragma once
// The command line, built from the task declarations: a CLI11 subcommand per task (words of its
// name: "geo select" is `playsight geo select`), an option per declared option with its help,
// default and type, and a run that turns what was parsed into tasks::Values (checked like the
// jobs API's JSON) and runs the task.
#include <CLI/CLI.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tasks/task.h"

namespace playsight::cli {

class CommandTree {
 public:
  CommandTree();
  CLI::App& app() { return *app_; }
  // After app().parse(): runs the task of the deepest subcommand parsed; its exit code.
  int run_parsed();
  // Every subcommand path with its options' flags, as the tree holds them (for the test that
  // checks the tree against the declarations).
  std::map<std::string, std::vector<std::string>> shape() const;

 private:
  struct Bound {
    const tasks::Task* task = nullptr;
    CLI::App* command = nullptr;
    std::map<std::string, std::vector<std::string>> texts;  // option name -> texts given
    std::map<std::string, bool> flags;
    std::map<std::string, CLI::Option*> options;
  };
  CLI::App* node(const std::string& path);
  void bind(const tasks::Task& task);

  std::unique_ptr<CLI::App> app_;
  std::map<std::string, CLI::App*> nodes_;
  std::vector<std::unique_ptr<Bound>> bound_;
};

}  // namespace playsight::cli
