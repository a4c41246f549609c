#pragma once
// CsvReader: reads a CSV file (RFC 4180: header row, comma, double-quote quoting, LF or CRLF) in
// parallel, handing every record to a per-worker visitor. This is playsight's ingestion engine:
// it is what makes `playsight features` read millions of log rows a second.
//
// How: the file is memory-mapped and cut into chunks of a few MB at record boundaries (quotes are
// tracked, so a quoted field holding a line break never splits a record); workers take chunks
// from a shared counter and call their own visitor, so visitors need no locks. Pages already
// parsed are released, so memory stays flat however large the file.
//
// Columns are looked up by name in the header (any order, extra columns ignored). Visitors read
// fields through CsvRow, whose typed getters throw a CsvFieldError naming the column; the reader
// turns it into an InputError "FILE:LINE: column 'name': what was expected, got 'what'".
// With skip_bad_rows, such rows are counted (with the first few messages kept) and reading goes
// on; otherwise the first bad row stops the read.
//
// Thread-safety: one CsvReader per file; read() may be called more than once (e.g. two passes).
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/detail/csv_record_splitter.h"
#include "core/error.h"
#include "core/parallel.h"
#include "core/time.h"

namespace playsight {

class Progress;

// A bad value in a known column; CsvReader adds the file and line.
class CsvFieldError : public FieldError {
 public:
  CsvFieldError(std::size_t column, const std::string& message)
      : FieldError(message), column_(column) {}
  std::size_t column() const { return column_; }  // index into the reader's wanted columns

 private:
  std::size_t column_;
};

// Plain value parsers (no location): throw FieldError saying what was expected.
std::int64_t parse_integer(std::string_view text);
double parse_number(std::string_view text);  // finite decimal, optional exponent

// One record, seen through the columns the reader was asked for (index k = k-th wanted column).
class CsvRow {
 public:
  CsvRow(std::span<const std::string_view> fields, std::span<const std::size_t> wanted)
      : fields_(fields), wanted_(wanted) {}

  std::string_view text(std::size_t k) const { return fields_[wanted_[k]]; }
  std::int64_t integer(std::size_t k) const { return parse(k, parse_integer); }
  double number(std::size_t k) const { return parse(k, parse_number); }
  Seconds timestamp(std::size_t k) const { return parse(k, parse_timestamp); }
  Days date(std::size_t k) const { return parse(k, parse_date); }

  // An error about column k of this row, to throw from a visitor.
  [[noreturn]] void fail(std::size_t k, const std::string& message) const {
    throw CsvFieldError(k, message);
  }

 private:
  template <class Parser>
  std::invoke_result_t<Parser, std::string_view> parse(std::size_t k, Parser parser) const {
    try {
      return parser(text(k));
    } catch (const FieldError& error) {
      throw CsvFieldError(k, error.what());
    }
  }

  std::span<const std::string_view> fields_;
  std::span<const std::size_t> wanted_;
};

struct CsvReadOptions {
  unsigned threads = 0;        // 0 = one per core
  bool skip_bad_rows = false;  // count and keep going instead of stopping at the first
  std::size_t chunk_bytes = std::size_t{4} << 20;  // unit of parallel work
  std::size_t kept_examples = 5;                   // messages kept for skipped rows
  Progress* progress = nullptr;                    // advanced by bytes parsed
};

struct CsvReadReport {
  std::string path;
  std::uint64_t rows = 0;                     // data rows accepted by the visitors
  std::uint64_t skipped_rows = 0;             // rows rejected (only with skip_bad_rows)
  std::vector<std::string> skipped_examples;  // "FILE:LINE: column 'x': ..." for the first few
  std::uint64_t bytes = 0;
};

// A visitor for one worker: called for every data row; may throw (via CsvRow) for bad values.
// Any callable taking const CsvRow& works; lambdas are inlined into the reading loop.
using CsvVisitor = std::function<void(const CsvRow& row)>;

class CsvReader {
 public:
  // Opens and maps the file and reads its header. Throws InputError if the file does not exist,
  // cannot be read, is empty, or lacks one of the wanted columns.
  CsvReader(std::string path, std::vector<std::string_view> wanted_columns);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  const std::string& path() const { return path_; }
  std::uint64_t size_bytes() const { return size_; }
  const std::vector<std::string>& header() const { return header_; }

  // Reads every data row. make_visitor(worker) is called once per worker before reading starts
  // (worker in [0, workers)) and returns that worker's visitor, which is only ever called from
  // that worker. Returns counts; throws InputError on the first bad row unless
  // options.skip_bad_rows.
  template <class MakeVisitor>
  CsvReadReport read(MakeVisitor&& make_visitor, const CsvReadOptions& options) const;

  // The number of workers read() will use for these options (to size per-worker state).
  unsigned worker_count(const CsvReadOptions& options) const;

 private:
  static constexpr std::size_t kWholeRecord = static_cast<std::size_t>(-1);
  struct Chunk {
    std::uint64_t begin = 0;  // offset of the first record
    std::uint64_t end = 0;    // offset just past the last record
  };
  struct ChunkError {
    std::uint64_t local_line = 0;  // line breaks before the row within its chunk
    std::size_t wanted_column = kWholeRecord;
    std::string message;
  };
  struct ChunkResult {
    std::uint64_t rows = 0;
    std::uint64_t lines = 0;  // line breaks inside the chunk (valid when complete)
    std::uint64_t skipped = 0;
    std::vector<ChunkError> errors;  // strict: at most one; skipping: the first few
    bool complete = false;
  };

  // Splits the mapped file's header and finds the wanted columns; throws InputError.
  void read_header();
  std::vector<Chunk> plan_chunks(const CsvReadOptions& options) const;
  // Calls parse(chunk index, worker) for every chunk until `stop`; afterwards releases each
  // chunk's pages and advances the progress bar.
  void run_chunks(const std::vector<Chunk>& chunks, unsigned workers, const CsvReadOptions& options,
                  const std::atomic<bool>& stop,
                  const std::function<void(std::size_t, unsigned)>& parse) const;
  // Counts, and located error messages (thrown in strict mode).
  CsvReadReport finish(const std::vector<Chunk>& chunks, const std::vector<ChunkResult>& results,
                       const CsvReadOptions& options) const;
  std::string locate(std::uint64_t line, std::size_t wanted_column,
                     const std::string& message) const;

  std::string path_;
  std::vector<std::string_view> wanted_names_;
  std::vector<std::string> header_;
  std::string header_text_;          // the header names joined by commas, for messages
  std::vector<std::size_t> wanted_;  // file column index of each wanted column
  const char* data_ = nullptr;
  std::uint64_t size_ = 0;
  std::uint64_t body_offset_ = 0;  // first byte after the header line
  int fd_ = -1;
};

template <class MakeVisitor>
CsvReadReport CsvReader::read(MakeVisitor&& make_visitor, const CsvReadOptions& options) const {
  const std::vector<Chunk> chunks = plan_chunks(options);
  const auto workers = static_cast<unsigned>(
      std::min<std::size_t>(resolve_thread_count(options.threads), chunks.size()));
  using Visitor = std::decay_t<std::invoke_result_t<MakeVisitor&, unsigned>>;
  std::vector<Visitor> visitors;
  visitors.reserve(workers);
  for (unsigned w = 0; w < workers; ++w) visitors.push_back(make_visitor(w));
  std::vector<detail::CsvRecordSplitter> splitters(
      workers, detail::CsvRecordSplitter(header_.size(), header_text_));
  std::vector<ChunkResult> results(chunks.size());
  std::atomic<bool> stop{false};

  run_chunks(chunks, workers, options, stop, [&](std::size_t index, unsigned worker) {
    ChunkResult& result = results[index];
    Visitor& visit = visitors[worker];
    const auto record_error = [&](std::uint64_t line, std::size_t column, std::string message) {
      if (!options.skip_bad_rows) {
        result.errors.push_back({line, column, std::move(message)});
        stop.store(true);
        return false;
      }
      ++result.skipped;
      if (result.errors.size() < options.kept_examples) {
        result.errors.push_back({line, column, std::move(message)});
      }
      return true;
    };
    const auto outcome = splitters[worker].split(
        data_ + chunks[index].begin, data_ + chunks[index].end,
        [&](const std::vector<std::string_view>& fields, std::uint64_t line) {
          if (!options.skip_bad_rows && stop.load(std::memory_order_relaxed)) return false;
          try {
            visit(CsvRow(fields, wanted_));
            ++result.rows;
            return true;
          } catch (const CsvFieldError& error) {
            return record_error(line, error.column(), error.what());
          }
        },
        [&](std::uint64_t line, std::string message) {
          return record_error(line, kWholeRecord, std::move(message));
        });
    result.lines = outcome.lines;
    result.complete = outcome.complete;
  });
  return finish(chunks, results, options);
}

}  // namespace playsight
