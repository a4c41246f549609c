#pragma once
// Declarative deploys: a TOML file, kept in the analysts' repository, that says which version
// each alias of each model should point at:
//
//   # deploy.toml
//   [models.spend]
//   production = 3
//   staging = 4
//
// Strict: the only top-level key is `models`; under it each key is a model name whose value is a
// table; under that each key is an alias name whose value is a version number (an integer >= 1).
// Model and alias names are letters, digits, '_' and '-'. Aliases the file does not name are left
// as they are. Any TOML form of the same tables works (dotted keys, inline tables).
// Errors are InputErrors that start with FILE:LINE: and name the key.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace playsight::registry {

struct DeployEntry {
  std::string model;
  std::string alias;
  int version = 0;
  int line = 0;  // of the alias's value in the file, from 1
};

struct DeployFile {
  std::string path;                  // as given, for messages and the audit log
  std::vector<DeployEntry> entries;  // in file order
};

DeployFile read_deploy_file(const std::filesystem::path& path);
// The same for text already read; path is used in messages.
DeployFile parse_deploy_file(std::string_view text, const std::string& path);

// Whether a model or alias name is allowed: 1 to 64 of [A-Za-z0-9_-].
bool is_valid_name(std::string_view name);

}  // namespace playsight::registry
