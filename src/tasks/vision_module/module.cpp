// The vision commands (`detect`, `vision`, `audience`, `playtest`) are built as a module that the
// playsight binary opens only when one of them is used (see load_vision_commands in main.cpp):
// linking OpenCV into the binary itself would make every command load its ~250 shared libraries at
// start (0.1 s, 80 MB).
#include "cli/commands.h"

extern "C" __attribute__((visibility("default"))) void playsight_add_vision_commands(
    CLI::App& app) {
  playsight::cli::add_detect_command(app);
  playsight::cli::add_vision_command(app);
  playsight::cli::add_audience_command(app);
  playsight::cli::add_playtest_command(app);
}
