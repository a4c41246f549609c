// playsight: one command, a subcommand per job. Exit codes: 0 success, 1 internal fault,
// 2 bad input (a bad flag, a missing file, a malformed row).
#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "core/error.h"
#include "playsight/version.h"

int main(int argc, char** argv) {
  CLI::App app{
      "playsight: spend prediction, nudge effects, audience and playtest vision, "
      "geo targeting and model operations for a live game's ML team.",
      "playsight"};
  app.set_version_flag("--version", playsight::kVersion);
  app.require_subcommand(1);
  app.fallthrough(false);
  playsight::cli::add_generate_command(app);
  playsight::cli::add_features_command(app);
  playsight::cli::add_detect_command(app);
  playsight::cli::add_vision_command(app);
  playsight::cli::add_train_command(app);
  playsight::cli::add_predict_command(app);
  playsight::cli::add_compare_command(app);
  try {
    app.parse(argc, argv);
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
  } catch (const std::exception& error) {
    std::fprintf(stderr, "playsight: internal error: %s\n", error.what());
    return 1;
  }
  return 0;
}
