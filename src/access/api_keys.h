#pragma once
// API keys and their roles. A key is a random secret ("psk_" and 48 hex digits) handed out once by
// `playsight serve keys add NAME --role ROLE`; the keys file keeps only a salted hash of it, its
// name, role and creation time, so a stolen keys file reveals no key. Roles, each allowing what
// the ones before it allow:
//
//   predict   read the models and the monitoring, ask for predictions
//   deploy    also deploy and roll back aliases
//   admin     also list the keys (names and roles) and reset the drift monitoring
//
// The keys file is JSON: {"keys": [{"name", "role", "salt", "hash", "created_at"}, ...]}, where
// salt is 16 random bytes (32 hex digits) drawn for that key and hash = SHA-256(salt ||
// SHA-256(key)) as 64 hex digits, both hashes' inputs taken as the lowercase hex text. Two keys
// never share a hash even if their texts did, and a precomputed table of key hashes is of no use.
// The inner SHA-256 is what files written before salting kept ("sha256": SHA-256(key)); such
// entries are migrated when the file is loaded (a salt drawn, the hash computed from the old
// digest, no key needed) and written in the new form by the next save(); migrated() counts them.
//
// Why one fast hash suffices: a key is 192 random bits, not a password a person chose. Slow hashes
// (bcrypt, scrypt, Argon2) exist to make guessing a low-entropy secret from its hash expensive;
// guessing one of 2^192 keys is out of reach at any hashing speed, so the salt only has to make
// each entry unique. find() compares with CRYPTO_memcmp and checks every key, with no early exit,
// so its time does not depend on which key matched or how much of a hash did.
//
// Key names are 1 to 64 of [A-Za-z0-9_.@-] and unique. ApiKeys is not synchronised: the service
// loads it once at start and then only reads it.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace playsight::access {

enum class Role { predict = 0, deploy = 1, admin = 2 };

std::string role_name(Role role);
// Throws InputError naming the roles for anything else.
Role parse_role(const std::string& name);
// Whether a key of role `held` may do what needs `needed`.
inline bool allows(Role held, Role needed) {
  return static_cast<int>(held) >= static_cast<int>(needed);
}

struct ApiKey {
  std::string name;
  Role role = Role::predict;
  std::string salt;  // 32 lowercase hex digits, random per key
  std::string hash;  // SHA-256(salt || SHA-256(key text)), 64 lowercase hex digits
  std::string created_at;
};

class ApiKeys {
 public:
  // The keys of a keys file; none if the file does not exist. Throws InputError naming the file
  // and the entry for a damaged one.
  static ApiKeys load(const std::filesystem::path& file);

  // Adds a key and returns its text, the only time it is ever shown. Throws InputError for a bad
  // or taken name.
  std::string add(const std::string& name, Role role);
  // Removes the key of that name; false if there is none.
  bool remove(const std::string& name);
  // Writes the keys file (its folder created if missing), readable by its owner only.
  void save(const std::filesystem::path& file) const;

  // The key whose text this is, if any.
  std::optional<ApiKey> find(std::string_view key_text) const;
  const std::vector<ApiKey>& keys() const { return keys_; }
  bool empty() const { return keys_.empty(); }
  // Entries load() found in the old unsalted form (and salted in memory).
  std::size_t migrated() const { return migrated_; }

 private:
  std::vector<ApiKey> keys_;
  std::size_t migrated_ = 0;
};

// $PLAYSIGHT_KEYS if set, else ./playsight-registry/keys.json.
std::string default_keys_file();

}  // namespace playsight::access
