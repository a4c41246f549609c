// deploy.toml (registry/deploy_file.h): any text is read or refused with an InputError. What is
// read has valid names, versions >= 1 and lines in file order, reads the same from disk, and
// written out again as TOML reads back to the same entries.
#include <algorithm>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "fuzz_support.h"
#include "registry/deploy_file.h"

namespace playsight::fuzz {
namespace {

using Entry = std::tuple<std::string, std::string, int>;

std::vector<Entry> sorted_entries(const registry::DeployFile& file) {
  std::vector<Entry> out;
  for (const auto& entry : file.entries) out.emplace_back(entry.model, entry.alias, entry.version);
  std::sort(out.begin(), out.end());
  return out;
}

void check(std::string_view text) {
  registry::DeployFile file;
  if (!accepts([&] { file = registry::parse_deploy_file(text, "deploy.toml"); })) return;
  int previous_line = 0;
  std::string written;
  for (const auto& entry : file.entries) {
    require(registry::is_valid_name(entry.model) && registry::is_valid_name(entry.alias),
            "a deploy entry with an invalid name: " + entry.model + "." + entry.alias);
    require(entry.version >= 1, "a deploy entry with a version < 1");
    require(entry.line >= previous_line && entry.line >= 1, "deploy entries out of file order");
    previous_line = entry.line;
    written +=
        "models." + entry.model + "." + entry.alias + " = " + std::to_string(entry.version) + "\n";
  }
  const std::vector<Entry> entries = sorted_entries(file);
  registry::DeployFile again;
  if (!accepts([&] { again = registry::parse_deploy_file(written, "written.toml"); }))
    finding("a deploy file written from what was read is refused:\n" + written);
  require(sorted_entries(again) == entries, "a written deploy file reads back differently");
  registry::DeployFile from_disk;
  const std::string path = scratch().write("deploy.toml", text);
  if (!accepts([&] { from_disk = registry::read_deploy_file(path); }))
    finding("a deploy file read from text is refused from disk");
  require(sorted_entries(from_disk) == entries, "a deploy file reads differently from disk");
}

}  // namespace
}  // namespace playsight::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  playsight::fuzz::check(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
