// API-key files (access::ApiKeys::load): any bytes are loaded or refused with an InputError. What
// is loaded has the names the header documents (1 to 64 of [A-Za-z0-9_.@-], unique) and is saved
// and loaded back to the same keys.
#include <cstdint>
#include <set>
#include <string>

#include "access/api_keys.h"
#include "fuzz_support.h"

namespace playsight::fuzz {
namespace {

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '@' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void check(std::string_view text) {
  const std::string path = scratch().write("keys.json", text);
  access::ApiKeys keys;
  if (!accepts([&] { keys = access::ApiKeys::load(path); })) return;
  std::set<std::string> names;
  for (const access::ApiKey& key : keys.keys()) {
    require(valid_name(key.name),
            "a loaded key has an invalid name: " + quote_for_message(key.name));
    require(names.insert(key.name).second, "two loaded keys share the name " + key.name);
  }
  for (const access::ApiKey& key : keys.keys()) accepts([&] { keys.find(key.name); });
  const std::string saved = scratch().path("saved/keys.json");
  if (!accepts([&] { keys.save(saved); })) finding("loaded keys cannot be saved");
  access::ApiKeys again;
  if (!accepts([&] { again = access::ApiKeys::load(saved); }))
    finding("a keys file saved from loaded keys is refused");
  require(again.keys().size() == keys.keys().size(), "saved keys load back as another count");
  for (std::size_t i = 0; i < keys.keys().size(); ++i) {
    const access::ApiKey& a = keys.keys()[i];
    const access::ApiKey& b = again.keys()[i];
    require(a.name == b.name && a.role == b.role && a.created_at == b.created_at,
            "a saved key loads back differently: " + a.name);
  }
}

}  // namespace
}  // namespace playsight::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  playsight::fuzz::check(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
