// playsight help: the reference of every command, from the task declarations. `help --markdown
// --out docs` writes docs/<part>.md (tests/tasks checks that the committed pages are these).
#include <cstdio>
#include <filesystem>

#include "core/error.h"
#include "core/table.h"
#include "tasks/catalog.h"

namespace playsight::tasks {
namespace {

Result run_help(const Values& values, Progress&) {
  const std::string& part = values.text("PART");
  std::vector<std::string> chosen = parts();
  if (!part.empty()) {
    if (std::find(chosen.begin(), chosen.end(), part) == chosen.end()) {
      std::string known;
      for (const std::string& name : chosen) known += (known.empty() ? "" : ", ") + name;
      throw InputError("PART " + quote_for_message(part) + ": not a part; the parts: " + known);
    }
    chosen = {part};
  }
  if (!values.flag("markdown")) {
    for (const std::string& name : chosen) {
      std::printf("%s (docs/%s.md)\n", name.c_str(), name.c_str());
      for (const Task& task : all())
        if (task.part == name)
          std::printf("  playsight %-24s %s\n", task.name.c_str(), task.summary.c_str());
    }
    std::printf("\n`playsight COMMAND --help` for a command's options.\n");
    return {};
  }
  const std::string& out = values.text("out");
  if (out.empty()) {
    for (const std::string& name : chosen) std::fputs(markdown(name).c_str(), stdout);
    return {};
  }
  std::filesystem::create_directories(out);
  Result result;
  for (const std::string& name : chosen) {
    const std::string path = (std::filesystem::path(out) / (name + ".md")).string();
    write_file(path, markdown(name));
    std::printf("%s\n", path.c_str());
    result.written.push_back({"reference", path});
  }
  return result;
}

}  // namespace

std::vector<Task> help_tasks() {
  return {{.name = "help",
           .part = "reference",
           .summary = "Every command by part, or the reference pages (docs/<part>.md) as Markdown.",
           .options = {Option::text("PART", "only this part (spend, experiment, geo, ...)"),
                       Option::flag("markdown", "print the reference page as Markdown"),
                       shared::out("with --markdown: write one PART.md per part into this folder")},
           .run = run_help,
           .examples = {{"playsight help --markdown --out docs",
                         "regenerates the reference pages from the declarations"}}}};
}

}  // namespace playsight::tasks
