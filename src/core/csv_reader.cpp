#include "core/csv_reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <mutex>

#include "core/parallel.h"
#include "core/progress.h"

namespace playsight {

namespace {

// Plain non-negative decimal digits (the common case in logs), at most 18 of them; false
// for anything else, which the general parsers then handle.
inline bool parse_plain_digits(std::string_view text, std::int64_t& value) {
  if (text.empty() || text.size() > 18) return false;
  std::int64_t result = 0;
  for (char c : text) {
    const auto digit = static_cast<unsigned>(c - '0');
    if (digit > 9) return false;
    result = result * 10 + digit;
  }
  value = result;
  return true;
}

}  // namespace

std::int64_t parse_integer(std::string_view text) {
  std::int64_t value = 0;
  if (parse_plain_digits(text, value)) return value;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') ++begin;
  const auto [stop, error] = std::from_chars(begin, end, value);
  if (text.empty() || error != std::errc() || stop != end) {
    throw FieldError("expected an integer, got " + quote_for_message(text));
  }
  return value;
}

double parse_number(std::string_view text) {
  std::int64_t whole = 0;
  if (text.size() <= 15 && parse_plain_digits(text, whole))
    return static_cast<double>(whole);  // exact
  double value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') ++begin;
  const auto [stop, error] = std::from_chars(begin, end, value, std::chars_format::general);
  if (text.empty() || error != std::errc() || stop != end || !std::isfinite(value)) {
    throw FieldError("expected a number, got " + quote_for_message(text));
  }
  return value;
}

namespace {

std::string describe_errno(int error_number) {
  return std::strerror(error_number);
}

// Splits one header line into names (quoted names allowed, no line breaks inside).
std::vector<std::string> split_header(std::string_view line) {
  std::vector<std::string> names;
  std::string current;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        current += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        current += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      names.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  names.push_back(current);
  for (auto& name : names) {  // tolerate spaces around names
    const auto first = name.find_first_not_of(" \t");
    const auto last = name.find_last_not_of(" \t");
    name = first == std::string::npos ? "" : name.substr(first, last - first + 1);
  }
  return names;
}

// Names joined by commas (of std::string or std::string_view).
template <class Names>
std::string join(const Names& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ",") + std::string(name);
  return out;
}

}  // namespace

CsvReader::CsvReader(std::string path, std::vector<std::string_view> wanted_columns)
    : path_(std::move(path)), wanted_names_(std::move(wanted_columns)) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw InputError(path_ + ": cannot open: " + describe_errno(errno));
  struct stat info {};
  if (::fstat(fd_, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd_);
    throw InputError(path_ + ": not a regular file");
  }
  size_ = static_cast<std::uint64_t>(info.st_size);
  if (size_ == 0) {
    ::close(fd_);
    throw InputError(path_ + ": the file is empty; expected a header row with " +
                     join(wanted_names_));
  }
  void* mapped = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
  if (mapped == MAP_FAILED) {
    ::close(fd_);
    throw Error(path_ + ": cannot map the file: " + describe_errno(errno));
  }
  data_ = static_cast<const char*>(mapped);
  ::madvise(mapped, size_, MADV_SEQUENTIAL);
  // A constructor that throws runs no destructor: a bad header must not leak the file and its
  // mapping (found by the csv fuzzer: thousands of bad headers ran the process out of files).
  try {
    read_header();
  } catch (...) {
    ::munmap(mapped, size_);
    ::close(fd_);
    data_ = nullptr;
    fd_ = -1;
    throw;
  }
}

void CsvReader::read_header() {
  const std::string expected = join(wanted_names_);

  std::uint64_t header_start = 0;
  if (size_ >= 3 && std::memcmp(data_, "\xEF\xBB\xBF", 3) == 0) header_start = 3;  // UTF-8 BOM
  const void* newline = std::memchr(data_ + header_start, '\n', size_ - header_start);
  const std::uint64_t header_end =
      newline ? static_cast<std::uint64_t>(static_cast<const char*>(newline) - data_) : size_;
  body_offset_ = newline ? header_end + 1 : size_;
  std::string_view header_line(data_ + header_start, header_end - header_start);
  if (!header_line.empty() && header_line.back() == '\r') header_line.remove_suffix(1);
  header_ = split_header(header_line);
  header_text_ = join(header_);

  std::vector<std::string> missing;
  for (auto name : wanted_names_) {
    const auto found = std::find(header_.begin(), header_.end(), name);
    if (found == header_.end()) {
      missing.emplace_back(name);
      continue;
    }
    if (std::find(found + 1, header_.end(), name) != header_.end()) {
      throw InputError(path_ + ":1: column '" + std::string(name) +
                       "' appears twice in the header");
    }
    wanted_.push_back(static_cast<std::size_t>(found - header_.begin()));
  }
  if (!missing.empty()) {
    throw InputError(path_ + ":1: missing column" + (missing.size() > 1 ? "s " : " ") +
                     join(missing) + "; the header has " + quote_for_message(header_line, 200) +
                     ", expected " + expected);
  }
}

CsvReader::~CsvReader() {
  if (data_) ::munmap(const_cast<char*>(data_), size_);
  if (fd_ >= 0) ::close(fd_);
}

unsigned CsvReader::worker_count(const CsvReadOptions& options) const {
  const std::uint64_t body = size_ - body_offset_;
  const std::uint64_t chunks = std::max<std::uint64_t>(
      1, (body + options.chunk_bytes - 1) / std::max<std::size_t>(1, options.chunk_bytes));
  return static_cast<unsigned>(
      std::min<std::uint64_t>(resolve_thread_count(options.threads), chunks));
}

// Cuts the body at record boundaries near multiples of chunk_bytes. A boundary must not fall
// inside a quoted field, so if the file has quotes at all, the quote parity before each nominal
// cut is counted first (with pread, which does not grow the process's memory).
std::vector<CsvReader::Chunk> CsvReader::plan_chunks(const CsvReadOptions& options) const {
  const std::uint64_t body = size_ - body_offset_;
  const std::uint64_t step = std::max<std::size_t>(options.chunk_bytes, 4096);
  const std::size_t nominal_count =
      static_cast<std::size_t>(std::max<std::uint64_t>(1, (body + step - 1) / step));
  std::vector<std::uint64_t> quotes(nominal_count, 0);
  if (nominal_count > 1) {
    parallel_for(nominal_count, options.threads, [&](std::size_t k, unsigned) {
      std::vector<char> buffer(1 << 20);
      std::uint64_t offset = body_offset_ + k * step;
      const std::uint64_t stop = std::min(size_, offset + step);
      while (offset < stop) {
        const std::size_t want =
            static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), stop - offset));
        const ssize_t got = ::pread(fd_, buffer.data(), want, static_cast<off_t>(offset));
        if (got <= 0) throw Error(path_ + ": read failed: " + describe_errno(errno));
        const char* p = buffer.data();
        const char* end = p + got;
        while ((
            p = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(end - p))))) {
          ++quotes[k];
          ++p;
        }
        offset += static_cast<std::uint64_t>(got);
      }
    });
  }
  std::vector<Chunk> chunks;
  std::uint64_t begin = body_offset_;
  std::uint64_t quotes_before = 0;
  for (std::size_t k = 1; k < nominal_count; ++k) {
    quotes_before += quotes[k - 1];
    std::uint64_t cut = body_offset_ + k * step;
    if (cut <= begin) continue;
    // Walk to the first record start (just after a line break, outside quotes) from the cut.
    bool inside = (quotes_before % 2) == 1;
    while (cut < size_ && (inside || data_[cut - 1] != '\n')) {
      if (data_[cut] == '"') inside = !inside;
      ++cut;
    }
    if (cut >= size_) break;
    chunks.push_back({begin, cut});
    begin = cut;
  }
  chunks.push_back({begin, size_});
  return chunks;
}

std::string CsvReader::locate(std::uint64_t line, std::size_t wanted_column,
                              const std::string& message) const {
  std::string where = path_ + ":" + std::to_string(line) + ": ";
  if (wanted_column != kWholeRecord) {
    where += "column '" + std::string(wanted_names_[wanted_column]) + "': ";
  }
  return where + message;
}

void CsvReader::run_chunks(const std::vector<Chunk>& chunks, unsigned workers,
                           const CsvReadOptions& options, const std::atomic<bool>& stop,
                           const std::function<void(std::size_t, unsigned)>& parse) const {
  const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  parallel_for(chunks.size(), workers, [&](std::size_t index, unsigned worker) {
    if (stop.load(std::memory_order_relaxed)) return;
    parse(index, worker);
    // Release the parsed pages from this process (the kernel keeps them in the page cache).
    const Chunk chunk = chunks[index];
    const std::uint64_t first_page = (chunk.begin + page - 1) / page * page;
    const std::uint64_t last_page = chunk.end / page * page;
    if (last_page > first_page) {
      ::madvise(const_cast<char*>(data_) + first_page, last_page - first_page, MADV_DONTNEED);
    }
    if (options.progress) options.progress->advance(chunk.end - chunk.begin);
  });
}

CsvReadReport CsvReader::finish(const std::vector<Chunk>& chunks,
                                const std::vector<ChunkResult>& results,
                                const CsvReadOptions& options) const {
  // Line numbers: the header is line 1; a chunk's first line follows all line breaks before it
  // (counted again for chunks that were not read to their end).
  std::uint64_t line_of_chunk = 2;
  CsvReadReport report;
  report.path = path_;
  report.bytes = size_;
  for (std::size_t k = 0; k < chunks.size(); ++k) {
    const ChunkResult& result = results[k];
    report.rows += result.rows;
    report.skipped_rows += result.skipped;
    if (!result.errors.empty()) {
      if (!options.skip_bad_rows) {
        const ChunkError& error = result.errors.front();
        throw InputError(
            locate(line_of_chunk + error.local_line, error.wanted_column, error.message));
      }
      for (const ChunkError& error : result.errors) {
        if (report.skipped_examples.size() >= options.kept_examples) break;
        report.skipped_examples.push_back(
            locate(line_of_chunk + error.local_line, error.wanted_column, error.message));
      }
    }
    line_of_chunk += result.complete ? result.lines
                                     : static_cast<std::uint64_t>(std::count(
                                           data_ + chunks[k].begin, data_ + chunks[k].end, '\n'));
  }
  return report;
}

}  // namespace playsight
