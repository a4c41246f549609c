#pragma once
// Table: the columnar table playsight passes between parts — one text key column (player_id,
// user_id, ...) and named numeric columns of equal length. NaN is a missing value and is written
// as an empty CSV field. This is the plain data contract between parts (features -> models ->
// predictions -> effect measurement).
#include <cstddef>
#include <string>
#include <vector>

namespace playsight {

struct Table {
  std::string key_name;
  std::vector<std::string> keys;
  std::vector<std::string> column_names;
  std::vector<std::vector<double>> columns;

  std::size_t rows() const { return keys.size(); }
  // Index of the named column; throws InputError naming the table's columns if it is absent.
  std::size_t column_index(const std::string& name) const;
  const std::vector<double>& column(const std::string& name) const {
    return columns[column_index(name)];
  }
  // REQUIRES: values.size() == rows().
  void add_column(std::string name, std::vector<double> values);
};

struct CsvWriteOptions {
  unsigned threads = 0;
  int max_decimals = 6;  // doubles are rounded to this many places (integers stay integers)
};

// Writes the table as CSV (key column first), formatting rows in parallel. Throws Error when the
// file cannot be written.
void write_table_csv(const Table& table, const std::string& path, const CsvWriteOptions& options);

// Reads a CSV written by write_table_csv (or any CSV whose first column is the key and the rest
// numbers; empty fields are missing values). Errors name the file, line and column.
Table read_table_csv(const std::string& path, unsigned threads = 0);

// Writes bytes to a file atomically enough for our use: to PATH.partial, then renamed.
void write_file(const std::string& path, const std::string& contents);

}  // namespace playsight
