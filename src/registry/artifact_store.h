#pragma once
// The registry's copies of model artifact folders. A store folder (next to the SQLite database,
// or given for PostgreSQL) holds one sub-folder per content hash, store/<sha256>/, an exact copy
// of a registered artifact folder. The copy is written to store/.incoming-<unique>/ first, hashed
// there and then renamed to its hash, so a folder under a hash is always complete and matches it
// (a process killed mid-copy leaves only an .incoming folder). Stored folders are never changed,
// so a version stays as it was registered when its source folder changes. Identical content is
// stored once. The registry reads an artifact folder only as files plus its model.json (any JSON
// object; the fields it copies are listed in registry_store.h's ModelVersion).
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace playsight::registry {

struct StoredArtifact {
  std::string content_hash;      // content_hash.h
  std::filesystem::path folder;  // store/<content_hash>, absolute
  nlohmann::json model_json;     // the stored copy's model.json
};

// Copies the folder into the store. Throws InputError naming the folder when it does not exist,
// has no model.json, or its model.json is not a JSON object; Error naming the folder, the store
// and the system's reason when the copy fails (a full disk: "No space left on device"), after
// removing the partial copy.
StoredArtifact store_artifact(const std::filesystem::path& source,
                              const std::filesystem::path& store_folder);

// The model.json of an artifact folder, checked as above.
nlohmann::json read_model_json(const std::filesystem::path& folder);

}  // namespace playsight::registry
