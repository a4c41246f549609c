#include "registry/content_hash.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <memory>
#include <vector>

#include "core/error.h"

namespace playsight::registry {
namespace {

// One running SHA-256 through OpenSSL's EVP interface.
class Sha256 {
 public:
  Sha256() : context_(EVP_MD_CTX_new()) {
    if (!context_ || EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) != 1)
      throw Error("SHA-256: OpenSSL could not start a digest");
  }
  void add(std::string_view bytes) {
    if (EVP_DigestUpdate(context_.get(), bytes.data(), bytes.size()) != 1)
      throw Error("SHA-256: OpenSSL could not update the digest");
  }
  std::string hex() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(context_.get(), digest.data(), &length) != 1)
      throw Error("SHA-256: OpenSSL could not finish the digest");
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
      out += kDigits[digest[i] >> 4];
      out += kDigits[digest[i] & 0xf];
    }
    return out;
  }

 private:
  struct Free {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
  };
  std::unique_ptr<EVP_MD_CTX, Free> context_;
};

std::vector<std::string> relative_file_paths(const std::filesystem::path& folder) {
  std::error_code error;
  std::vector<std::string> paths;
  std::filesystem::recursive_directory_iterator it(folder, error), end;
  for (; !error && it != end; it.increment(error)) {
    if (it->is_regular_file())
      paths.push_back(std::filesystem::relative(it->path(), folder).generic_string());
  }
  if (error) throw InputError(folder.string() + ": cannot read the folder: " + error.message());
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace

std::string hash_folder(const std::filesystem::path& folder) {
  Sha256 sha;
  std::vector<char> buffer(1 << 16);
  for (const std::string& name : relative_file_paths(folder)) {
    const std::filesystem::path path = folder / name;
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    std::ifstream in(path, std::ios::binary);
    if (error || !in) throw InputError(path.string() + ": cannot read");
    sha.add(name);
    sha.add(std::string_view("\0", 1));
    sha.add(std::to_string(size));
    sha.add(std::string_view("\0", 1));
    while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0)
      sha.add(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
  }
  return sha.hex();
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 sha;
  sha.add(bytes);
  return sha.hex();
}

}  // namespace playsight::registry
