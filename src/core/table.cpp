#include "core/table.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>

#include "core/csv_reader.h"
#include "core/error.h"
#include "core/parallel.h"
#include "core/text_buffer.h"

namespace playsight {

std::size_t Table::column_index(const std::string& name) const {
  for (std::size_t i = 0; i < column_names.size(); ++i) {
    if (column_names[i] == name) return i;
  }
  std::string known;
  for (const auto& column : column_names) known += (known.empty() ? "" : ", ") + column;
  throw InputError("no column '" + name + "' in the table (it has: " + known + ")");
}

void Table::add_column(std::string name, std::vector<double> values) {
  if (values.size() != keys.size()) {
    throw Error("column '" + name + "' has " + std::to_string(values.size()) +
                " values for a table of " + std::to_string(keys.size()) + " rows");
  }
  column_names.push_back(std::move(name));
  columns.push_back(std::move(values));
}

namespace {

class OutputFile {
 public:
  explicit OutputFile(const std::string& path) : path_(path), partial_(path + ".partial") {
    file_ = std::fopen(partial_.c_str(), "wb");
    if (!file_) throw Error(path_ + ": cannot write: " + std::strerror(errno));
  }
  ~OutputFile() {
    if (file_) {
      std::fclose(file_);
      std::remove(partial_.c_str());
    }
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::string_view bytes) {
    if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
      throw Error(path_ + ": write failed: " + std::strerror(errno));
    }
  }
  void commit() {
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!closed || std::rename(partial_.c_str(), path_.c_str()) != 0) {
      throw Error(path_ + ": cannot finish writing: " + std::strerror(errno));
    }
  }

 private:
  std::string path_;
  std::string partial_;
  std::FILE* file_ = nullptr;
};

}  // namespace

void write_file(const std::string& path, const std::string& contents) {
  OutputFile file(path);
  file.write(contents);
  file.commit();
}

void write_table_csv(const Table& table, const std::string& path, const CsvWriteOptions& options) {
  OutputFile file(path);
  TextBuffer header;
  header.append_csv_field(table.key_name);
  for (const auto& name : table.column_names) {
    header.append(',');
    header.append_csv_field(name);
  }
  header.append('\n');
  file.write(header.str());

  // Rows are formatted in blocks, in parallel, straight into buffers sized for the longest
  // possible row (no per-cell capacity checks); the buffers are reused from round to round.
  constexpr std::size_t kRowsPerBlock = 4096;
  const unsigned workers = resolve_thread_count(options.threads);
  const std::size_t in_flight = 2 * static_cast<std::size_t>(workers);
  const std::size_t blocks = (table.rows() + kRowsPerBlock - 1) / kRowsPerBlock;
  std::size_t longest_key = 0;
  for (const auto& key : table.keys) longest_key = std::max(longest_key, key.size());
  const std::size_t row_bytes =
      2 * longest_key + 3 + table.columns.size() * (TextBuffer::kMaxNumberChars + 1);
  std::vector<std::unique_ptr<char[]>> buffers(std::min(in_flight, blocks));
  std::vector<std::size_t> lengths(buffers.size());
  for (auto& buffer : buffers) buffer.reset(new char[kRowsPerBlock * row_bytes]);
  for (std::size_t first = 0; first < blocks; first += in_flight) {
    const std::size_t count = std::min(in_flight, blocks - first);
    parallel_for(count, options.threads, [&](std::size_t b, unsigned) {
      const std::size_t begin = (first + b) * kRowsPerBlock;
      const std::size_t end = std::min(table.rows(), begin + kRowsPerBlock);
      char* const start_of_block = buffers[b].get();
      char* p = start_of_block;
      TextBuffer key;
      for (std::size_t row = begin; row < end; ++row) {
        key.clear();
        key.append_csv_field(table.keys[row]);
        p = std::copy(key.str().begin(), key.str().end(), p);
        for (const auto& column : table.columns) {
          *p++ = ',';
          p = TextBuffer::write_fixed(p, column[row], options.max_decimals);
        }
        *p++ = '\n';
      }
      lengths[b] = static_cast<std::size_t>(p - start_of_block);
    });
    for (std::size_t b = 0; b < count; ++b)
      file.write(std::string_view(buffers[b].get(), lengths[b]));
  }
  file.commit();
}

Table read_table_csv(const std::string& path, unsigned /*threads*/) {
  // The header decides the columns; read it first, then ask for all of them.
  std::vector<std::string> names;
  {
    CsvReader probe(path, {});
    names = probe.header();
  }
  if (names.empty() || names.front().empty()) {
    throw InputError(path + ":1: expected a header whose first column is the key");
  }
  std::vector<std::string_view> wanted(names.begin(), names.end());
  CsvReader reader(path, wanted);
  Table table;
  table.key_name = names.front();
  table.column_names.assign(names.begin() + 1, names.end());
  table.columns.resize(table.column_names.size());
  CsvReadOptions options;
  options.threads = 1;  // rows keep their file order
  std::vector<double> values;
  reader.read(
      [&](unsigned) {
        return [&](const CsvRow& row) {
          values.clear();
          for (std::size_t c = 1; c <= table.columns.size(); ++c) {  // parse all before storing
            values.push_back(row.text(c).empty() ? std::numeric_limits<double>::quiet_NaN()
                                                 : row.number(c));
          }
          for (std::size_t c = 0; c < values.size(); ++c) table.columns[c].push_back(values[c]);
          table.keys.emplace_back(row.text(0));
        };
      },
      options);
  return table;
}

}  // namespace playsight
