#include "access/api_keys.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/error.h"
#include "core/table.h"
#include "core/time.h"
#include "registry/content_hash.h"

namespace playsight::access {
namespace {

constexpr Role kRoles[] = {Role::predict, Role::deploy, Role::admin};

bool valid_key_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
           c == '@';
  });
}

// `count` random bytes as lowercase hex digits.
std::string random_hex(std::size_t count, const char* what) {
  std::vector<unsigned char> bytes(count);
  if (RAND_bytes(bytes.data(), static_cast<int>(count)) != 1)
    throw Error(std::string("cannot draw random bytes for ") + what);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char byte : bytes) {
    out += kHex[byte >> 4];
    out += kHex[byte & 15];
  }
  return out;
}

std::string new_key_text() {
  return "psk_" + random_hex(24, "a key");
}

// The stored hash of a key whose SHA-256 (hex) is `key_digest`, under `salt` (hex).
std::string salted_hash(const std::string& salt, const std::string& key_digest) {
  return registry::sha256_hex(salt + key_digest);
}

ApiKey salted_key(std::string name, Role role, const std::string& key_digest,
                  std::string created_at) {
  std::string salt = random_hex(16, "a key's salt");
  std::string hash = salted_hash(salt, key_digest);
  return {std::move(name), role, std::move(salt), std::move(hash), std::move(created_at)};
}

// Throws InputError unless `text` is `digits` lowercase hex digits.
void check_hex(const std::string& text, std::size_t digits, const char* field) {
  const bool hex = std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
  if (text.size() != digits || !hex)
    throw InputError(std::string(field) + ": expected " + std::to_string(digits) +
                     " lowercase hex digits");
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
      if (!entry.is_object()) throw InputError("expected an object");
      std::string name = entry.at("name").get<std::string>();
      const auto same_name = [&](const ApiKey& other) { return other.name == name; };
      if (!valid_key_name(name) || std::any_of(out.keys_.begin(), out.keys_.end(), same_name))
        throw InputError("name " + quote_for_message(name) +
                         ": expected a unique name of 1 to 64 of letters, digits, _ . @ -");
      const Role role = parse_role(entry.at("role").get<std::string>());
      std::string created_at = entry.value("created_at", "");
      if (entry.contains("hash") || !entry.contains("sha256")) {
        ApiKey key{std::move(name), role, entry.at("salt").get<std::string>(),
                   entry.at("hash").get<std::string>(), std::move(created_at)};
        check_hex(key.salt, 32, "salt");
        check_hex(key.hash, 64, "hash");
        out.keys_.push_back(std::move(key));
      } else {
        // Written before keys were salted: salt the digest it kept.
        const std::string digest = entry.at("sha256").get<std::string>();
        check_hex(digest, 64, "sha256");
        out.keys_.push_back(salted_key(std::move(name), role, digest, std::move(created_at)));
        ++out.migrated_;
      }
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
  keys_.push_back(salted_key(name, role, registry::sha256_hex(text), utc_now_iso()));
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
                            {"salt", key.salt},
                            {"hash", key.hash},
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
  const std::string digest = registry::sha256_hex(key_text);
  // Every entry is hashed and compared in constant time, with no early exit, so the time taken
  // does not depend on which key (or none) matches.
  std::size_t found = keys_.size();
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    const std::string hash = salted_hash(keys_[i].salt, digest);
    const bool same = keys_[i].hash.size() == hash.size() &&
                      CRYPTO_memcmp(keys_[i].hash.data(), hash.data(), hash.size()) == 0;
    const std::size_t unmatched = found == keys_.size() ? 1 : 0;
    found = (same && unmatched) ? i : found;
  }
  if (found == keys_.size()) return std::nullopt;
  return keys_[found];
}

std::string default_keys_file() {
  if (const char* file = std::getenv("PLAYSIGHT_KEYS"); file && *file) return file;
  return "playsight-registry/keys.json";
}

}  // namespace playsight::access
