#include "serve/api_keys.h"

#include <openssl/rand.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/table.h"
#include "core/time.h"
#include "registry/content_hash.h"

namespace playsight::serve {
namespace {

constexpr Role kRoles[] = {Role::predict, Role::deploy, Role::admin};

bool valid_key_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
           c == '@';
  });
}

std::string new_key_text() {
  unsigned char bytes[24];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw Error("cannot draw random bytes for a key");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "psk_";
  for (unsigned char byte : bytes) {
    out += kHex[byte >> 4];
    out += kHex[byte & 15];
  }
  return out;
}

}  // namespace

std::string role_name(Role role) {
  switch (role) {
    case Role::predict:
      return "predict";
    case Role::deploy:
      return "deploy";
    case Role::admin:
      return "admin";
  }
  return "predict";
}

Role parse_role(const std::string& name) {
  for (Role role : kRoles)
    if (role_name(role) == name) return role;
  throw InputError("unknown role " + quote_for_message(name) + " (roles: predict, deploy, admin)");
}

ApiKeys ApiKeys::load(const std::filesystem::path& file) {
  ApiKeys out;
  std::ifstream in(file);
  if (!in) {
    if (!std::filesystem::exists(file)) return out;
    throw InputError(file.string() + ": cannot read the keys file");
  }
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& error) {
    throw InputError(file.string() + ": not valid JSON: " + error.what());
  }
  if (!json.is_object() || !json.contains("keys") || !json["keys"].is_array())
    throw InputError(file.string() + ": expected {\"keys\": [...]}");
  for (std::size_t i = 0; i < json["keys"].size(); ++i) {
    const nlohmann::json& entry = json["keys"][i];
    const std::string where = file.string() + ": keys[" + std::to_string(i) + "]";
    try {
      ApiKey key{entry.at("name").get<std::string>(),
                 parse_role(entry.at("role").get<std::string>()),
                 entry.at("sha256").get<std::string>(), entry.value("created_at", "")};
      if (key.sha256.size() != 64) throw InputError("sha256 is not 64 hex digits");
      const auto same_name = [&](const ApiKey& other) { return other.name == key.name; };
      if (!valid_key_name(key.name) || std::any_of(out.keys_.begin(), out.keys_.end(), same_name))
        throw InputError("name " + quote_for_message(key.name) +
                         ": expected a unique name of 1 to 64 of letters, digits, _ . @ -");
      out.keys_.push_back(std::move(key));
    } catch (const std::exception& error) {
      throw InputError(where + ": " + error.what());
    }
  }
  return out;
}

std::string ApiKeys::add(const std::string& name, Role role) {
  if (!valid_key_name(name))
    throw InputError("bad key name " + quote_for_message(name) +
                     ": use 1 to 64 of letters, digits, _ . @ -");
  for (const ApiKey& key : keys_)
    if (key.name == name)
      throw InputError("there is already a key named " + quote_for_message(name) +
                       " (remove it first to replace it)");
  const std::string text = new_key_text();
  keys_.push_back({name, role, registry::sha256_hex(text), utc_now_iso()});
  return text;
}

bool ApiKeys::remove(const std::string& name) {
  const auto found =
      std::find_if(keys_.begin(), keys_.end(), [&](const ApiKey& key) { return key.name == name; });
  if (found == keys_.end()) return false;
  keys_.erase(found);
  return true;
}

void ApiKeys::save(const std::filesystem::path& file) const {
  nlohmann::json json = {{"keys", nlohmann::json::array()}};
  for (const ApiKey& key : keys_)
    json["keys"].push_back({{"name", key.name},
                            {"role", role_name(key.role)},
                            {"sha256", key.sha256},
                            {"created_at", key.created_at}});
  std::error_code error;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), error);
  if (error) throw InputError(file.string() + ": cannot create its folder: " + error.message());
  const mode_t old_mask = ::umask(077);
  try {
    write_file(file.string(), json.dump(2) + "\n");
  } catch (...) {
    ::umask(old_mask);
    throw;
  }
  ::umask(old_mask);
}

std::optional<ApiKey> ApiKeys::find(std::string_view key_text) const {
  const std::string hash = registry::sha256_hex(key_text);
  for (const ApiKey& key : keys_)
    if (key.sha256 == hash) return key;
  return std::nullopt;
}

std::string default_keys_file() {
  if (const char* file = std::getenv("PLAYSIGHT_KEYS"); file && *file) return file;
  return "playsight-registry/keys.json";
}

}  // namespace playsight::serve
