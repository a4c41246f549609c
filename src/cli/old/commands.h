#pragma once
// One function per subcommand: adds it to the app with its flags and its --help text, and sets
// the callback that parses nothing more, calls one function of a part, and prints the result.
// Callbacks throw playsight::InputError for bad input (exit 2), anything else is exit 1.
#include <CLI/CLI.hpp>

namespace playsight::cli {

void add_generate_command(CLI::App& app);
void add_features_command(CLI::App& app);
void add_detect_command(CLI::App& app);
void add_vision_command(CLI::App& app);
void add_audience_command(CLI::App& app);
void add_playtest_command(CLI::App& app);
void add_train_command(CLI::App& app);
void add_predict_command(CLI::App& app);
void add_compare_command(CLI::App& app);
void add_effect_command(CLI::App& app);
void add_models_command(CLI::App& app);
void add_sync_command(CLI::App& app);
void add_geo_command(CLI::App& app);
void add_serve_command(CLI::App& app);
void add_jobs_command(CLI::App& app);

}  // namespace playsight::cli
