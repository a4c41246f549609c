#include "registry/deploy_file.h"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/error.h"

namespace playsight::registry {
namespace {

std::string where(const std::string& path, const toml::source_region& region) {
  return path + ":" + std::to_string(region.begin.line) + ": ";
}

// "an integer", "a string", ...
std::string type_name(const toml::node& node) {
  std::ostringstream out;
  out << node.type();
  const std::string name = out.str();
  return (name.find_first_of("aeiou") == 0 ? "an " : "a ") + name;
}

void check_name(const std::string& path, const toml::key& key, const std::string& full_key,
                const char* what) {
  if (!is_valid_name(key.str()))
    throw InputError(where(path, key.source()) + full_key + ": " + what + " name " +
                     quote_for_message(key.str()) +
                     " may only have letters, digits, '_' and '-' (1 to 64 of them)");
}

void read_model(const std::string& path, const toml::key& model_key, const toml::node& node,
                DeployFile& file) {
  const std::string model = std::string(model_key.str());
  const std::string model_path = "models." + model;
  check_name(path, model_key, model_path, "model");
  const toml::table* aliases = node.as_table();
  if (!aliases)
    throw InputError(where(path, node.source()) + model_path +
                     ": expected a table of alias = version, got " + type_name(node));
  for (const auto& [alias_key, value] : *aliases) {
    const std::string alias = std::string(alias_key.str());
    const std::string full_key = model_path + "." + alias;
    check_name(path, alias_key, full_key, "alias");
    const auto* number = value.as_integer();
    if (!number || number->get() < 1 || number->get() > std::numeric_limits<int>::max()) {
      const std::string got = number ? std::to_string(number->get()) : type_name(value);
      throw InputError(where(path, value.source()) + full_key +
                       ": expected a version number (an integer >= 1), got " + got);
    }
    file.entries.push_back({model, alias, static_cast<int>(number->get()),
                            static_cast<int>(value.source().begin.line)});
  }
}

}  // namespace

bool is_valid_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

DeployFile parse_deploy_file(std::string_view text, const std::string& path) {
  toml::table document;
  try {
    document = toml::parse(text, path);
  } catch (const toml::parse_error& error) {
    throw InputError(where(path, error.source()) +
                     "not valid TOML: " + std::string(error.description()));
  }
  DeployFile file;
  file.path = path;
  for (const auto& [key, node] : document) {
    if (key.str() != "models")
      throw InputError(where(path, key.source()) + "unknown key " + quote_for_message(key.str()) +
                       "; expected only [models.NAME] tables");
    const toml::table* models = node.as_table();
    if (!models)
      throw InputError(where(path, node.source()) + "models: expected [models.NAME] tables, got " +
                       type_name(node));
    for (const auto& [model_key, model_node] : *models)
      read_model(path, model_key, model_node, file);
  }
  // toml++ keeps keys sorted; the plan and its messages follow the file instead.
  std::stable_sort(file.entries.begin(), file.entries.end(),
                   [](const DeployEntry& a, const DeployEntry& b) { return a.line < b.line; });
  return file;
}

DeployFile read_deploy_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot open the deploy file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_deploy_file(text.str(), path.string());
}

}  // namespace playsight::registry
