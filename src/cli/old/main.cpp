// playsight: one command, a subcommand per job. Exit codes: 0 success, 1 internal fault,
// 2 bad input (a bad flag, a missing file, a malformed row).
#include <dlfcn.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <string_view>

#include "cli/commands.h"
#include "core/error.h"
#include "playsight/version.h"

namespace {

// Whether this command line needs the vision commands: `detect`, `vision`, `audience` or
// `playtest`, or the top-level help (which lists every command), or no command at all.
bool wants_vision_commands(int argc, char** argv) {
  if (argc < 2) return true;
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i];
    if (argument == "detect" || argument == "vision" || argument == "audience" ||
        argument == "playtest")
      return true;
    if (argument == "--help" || argument == "-h" || argument == "--help-all") return true;
    if (!argument.starts_with("-")) return false;  // another command
  }
  return false;
}

// Opens the module with the vision commands (playsight-vision.so, next to the binary) and adds
// them to the app. The module stays loaded for the life of the process.
void load_vision_commands(CLI::App& app) {
  std::error_code error;
  const auto binary = std::filesystem::read_symlink("/proc/self/exe", error);
  const std::string module = (binary.parent_path() / "playsight-vision.so").string();
  void* handle = ::dlopen(module.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    throw playsight::Error("cannot load the vision commands: " + std::string(::dlerror()));
  void* symbol = ::dlsym(handle, "playsight_add_vision_commands");
  if (!symbol) throw playsight::Error(module + ": no playsight_add_vision_commands");
  void (*add)(CLI::App&) = nullptr;
  std::memcpy(&add, &symbol, sizeof add);  // object pointer to function pointer, without UB casts
  add(app);
}

}  // namespace

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
  playsight::cli::add_train_command(app);
  playsight::cli::add_predict_command(app);
  playsight::cli::add_compare_command(app);
  playsight::cli::add_effect_command(app);
  playsight::cli::add_models_command(app);
  playsight::cli::add_sync_command(app);
  playsight::cli::add_geo_command(app);
  playsight::cli::add_serve_command(app);
  playsight::cli::add_jobs_command(app);
  try {
    if (wants_vision_commands(argc, argv)) load_vision_commands(app);
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
  } catch (const playsight::Error& error) {
    // Not the user's input, but a stated fault (a full disk, an unavailable registry).
    std::fprintf(stderr, "playsight: error: %s\n", error.what());
    return 1;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "playsight: internal error: %s\n", error.what());
    return 1;
  }
  return 0;
}
