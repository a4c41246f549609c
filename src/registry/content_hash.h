#pragma once
// The content hash of a model artifact folder: one SHA-256 (OpenSSL) over every regular file in
// the folder and its sub-folders, taken in byte order of their relative paths ('/'-separated).
// For each file it reads: the relative path, a NUL byte, the size in bytes as decimal digits, a
// NUL byte, then the contents. So the hash changes when any file's contents, name or location
// changes, or a file is added or removed, and two folders with the same files have the same hash
// wherever they are and whatever their files' times. Returned as 64 lowercase hex digits.
#include <filesystem>
#include <string>
#include <string_view>

namespace playsight::registry {

// Throws InputError naming the folder or file that cannot be read.
std::string hash_folder(const std::filesystem::path& folder);

// The SHA-256 of some bytes, as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

}  // namespace playsight::registry
