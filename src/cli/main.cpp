// playsight: one command, a subcommand per task. The command tree is built from the task
// declarations (tasks/task.h): this file knows no task. Exit codes: 0 success, 1 internal fault,
// 2 bad input (a bad flag, a missing file, a malformed row).
#include <cstdio>
#include <exception>

#include "cli/command_tree.h"
#include "core/error.h"

int main(int argc, char** argv) {
  playsight::cli::CommandTree tree;
  CLI::App& app = tree.app();
  try {
    app.parse(argc, argv);
    return tree.run_parsed();
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForVersion& version) {
    return app.exit(version);
  } catch (const CLI::ParseError& error) {
    std::fprintf(stderr, "playsight: %s\n", error.what());
    std::fprintf(stderr, "Run with --help for usage.\n");
    return 2;
  } catch (const playsight::InputError& error) {
    std::fprintf(stderr, "playsight: error: %s\n", error.what());
    return 2;
  } catch (const playsight::Error& error) {
    // Not the user's input, but a stated fault (a full disk, an unavailable registry).
    std::fprintf(stderr, "playsight: error: %s\n", error.what());
    return 1;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "playsight: internal error: %s\n", error.what());
    return 1;
  }
}
