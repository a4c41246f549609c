#include "core/csv_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <random>
#include <tuple>

#include "../support/checks.h"
#include "../support/temp_dir.h"

namespace playsight {
namespace {

using testing::TempDir;

struct Collected {
  std::mutex mutex;
  std::vector<std::vector<std::string>> rows;
};

CsvReadReport read_all(const std::string& path, std::vector<std::string_view> columns,
                       Collected& out, CsvReadOptions options = {}) {
  CsvReader reader(path, columns);
  return reader.read(
      [&](unsigned) {
        return [&out, n = columns.size()](const CsvRow& row) {
          std::vector<std::string> values;
          for (std::size_t k = 0; k < n; ++k) values.emplace_back(row.text(k));
          std::lock_guard lock(out.mutex);
          out.rows.push_back(std::move(values));
        };
      },
      options);
}

std::string error_of(const std::function<void()>& action) {
  return testing::input_error_of(action);
}

TEST(CsvReader, ReadsColumnsByNameInAnyOrderWithQuotesAndCrlf) {
  TempDir dir;
  const auto path = dir.write("a.csv",
                              "extra,amount,player_id\r\n"
                              "x,100,1\r\n"
                              "\"y, with comma\",\"2\"\"5\",\"line\nbreak\"\r\n"
                              "z,7,3");  // no final line break
  Collected got;
  const auto report = read_all(path, {"player_id", "amount"}, got);
  EXPECT_EQ(report.rows, 3u);
  ASSERT_EQ(got.rows.size(), 3u);
  EXPECT_EQ(got.rows[0], (std::vector<std::string>{"1", "100"}));
  EXPECT_EQ(got.rows[1], (std::vector<std::string>{"line\nbreak", "2\"5"}));
  EXPECT_EQ(got.rows[2], (std::vector<std::string>{"3", "7"}));
}

TEST(CsvReader, ErrorsNameFileLineAndColumn) {
  TempDir dir;
  const auto path = dir.write("topups.csv", "player_id,amount\n1,10\n2,ten\n3,30\n");
  EXPECT_EQ(error_of([&] {
              CsvReader reader(path, {"player_id", "amount"});
              reader.read([](unsigned) { return [](const CsvRow& row) { row.number(1); }; }, {});
            }),
            path + ":3: column 'amount': expected a number, got 'ten'");
}

TEST(CsvReader, MissingFileEmptyFileMissingColumnAndShortRow) {
  TempDir dir;
  EXPECT_NE(error_of([&] {
              CsvReader(dir.file("nope.csv"), {"a"});
            }).find("nope.csv: cannot open: No such file"),
            std::string::npos);
  const auto empty = dir.write("empty.csv", "");
  EXPECT_EQ(error_of([&] {
              CsvReader(empty, {"a", "b"});
            }),
            empty + ": the file is empty; expected a header row with a,b");
  const auto header = dir.write("h.csv", "a,c\n1,2\n");
  EXPECT_EQ(error_of([&] {
              CsvReader(header, {"a", "b"});
            }),
            header + ":1: missing column b; the header has 'a,c', expected a,b");
  const auto short_row = dir.write("s.csv", "a,b\n1,2\n3\n");
  Collected got;
  EXPECT_EQ(error_of([&] {
              read_all(short_row, {"a", "b"}, got);
            }),
            short_row + ":3: expected 2 fields (a,b), found 1");
  const auto open_quote = dir.write("q.csv", "a,b\n1,\"2\n");
  EXPECT_EQ(error_of([&] {
              read_all(open_quote, {"a", "b"}, got);
            }),
            open_quote + ":2: a quoted field is not closed (missing '\"')");
}

TEST(CsvReader, SkipBadRowsCountsThemAndKeepsExamples) {
  TempDir dir;
  const auto path = dir.write("t.csv", "id,n\n1,1\n2,x\n3\n4,4\n5,y\n");
  CsvReader reader(path, {"id", "n"});
  CsvReadOptions options;
  options.skip_bad_rows = true;
  options.kept_examples = 2;
  std::atomic<int> sum{0};
  const auto report = reader.read(
      [&](unsigned) { return [&](const CsvRow& row) { sum += static_cast<int>(row.integer(1)); }; },
      options);
  EXPECT_EQ(report.rows, 2u);
  EXPECT_EQ(report.skipped_rows, 3u);
  EXPECT_EQ(sum.load(), 5);
  ASSERT_EQ(report.skipped_examples.size(), 2u);
  EXPECT_EQ(report.skipped_examples[0], path + ":3: column 'n': expected an integer, got 'x'");
  EXPECT_EQ(report.skipped_examples[1], path + ":4: expected 2 fields (id,n), found 1");
}

// Many small chunks and several workers must see exactly the rows a single worker sees, with the
// right line numbers, also when quoted fields hold line breaks across chunk cuts.
TEST(CsvReader, ParallelChunksMatchSequentialReadWithQuotedLineBreaks) {
  TempDir dir;
  std::mt19937 random(7);
  std::string text = "id,note,value\n";
  long expected_sum = 0;
  for (int i = 0; i < 20000; ++i) {
    const int value = static_cast<int>(random() % 1000);
    expected_sum += value;
    text += std::to_string(i) + ",";
    text += (random() % 5 == 0) ? "\"multi\nline, \"\"quoted\"\"\"" : "plain";
    text += "," + std::to_string(value) + "\n";
  }
  text += "20000,plain,oops\n";
  const auto path = dir.write("big.csv", text);
  for (unsigned threads : {1u, 2u, 4u}) {
    CsvReader reader(path, {"id", "note", "value"});
    CsvReadOptions options;
    options.threads = threads;
    options.chunk_bytes = 4096;
    options.skip_bad_rows = true;
    std::atomic<long> sum{0};
    std::atomic<long> multi{0};
    const auto report = reader.read(
        [&](unsigned) {
          return [&](const CsvRow& row) {
            sum += row.integer(2);
            if (row.text(1) == "multi\nline, \"quoted\"")
              ++multi;
            else if (row.text(1) != "plain")
              row.fail(1, "corrupt");
          };
        },
        options);
    EXPECT_EQ(report.rows, 20000u) << threads;
    EXPECT_EQ(sum.load(), expected_sum);
    EXPECT_GT(multi.load(), 3000);
    ASSERT_EQ(report.skipped_rows, 1u);
    const long lines = std::count(text.begin(), text.end(), '\n');
    EXPECT_EQ(report.skipped_examples[0], path + ":" + std::to_string(lines) +
                                              ": column 'value': expected an integer, got 'oops'");
  }
}

// In strict mode the first bad row stops every worker; its line number must still count the
// line breaks of chunks that other workers left unfinished.
TEST(CsvReader, StrictErrorInALaterChunkHasItsTrueLineNumber) {
  TempDir dir;
  std::string text = "id,value\n";
  for (int i = 0; i < 50000; ++i) text += std::to_string(i) + ",\"a\nb\"\n";
  text += "x,\"unclosed\n";
  const auto path = dir.write("strict.csv", text);
  const long lines = std::count(text.begin(), text.end(), '\n');
  for (unsigned threads : {1u, 2u, 3u}) {
    CsvReader reader(path, {"id", "value"});
    CsvReadOptions options;
    options.threads = threads;
    options.chunk_bytes = 4096;
    EXPECT_EQ(
        error_of([&] { reader.read([](unsigned) { return [](const CsvRow&) {}; }, options); }),
        path + ":" + std::to_string(lines) + ": a quoted field is not closed (missing '\"')");
  }
}

// The fuzzing finding of issue 18: with skip_bad_rows, malformed quoting (stray quotes after a
// closing quote or inside an unquoted field) made the chunked read skip other rows than the whole
// read, because the chunk planner counts quote parity from the file's start while the parser
// resynchronised at the bad field. Both now end a bad record where the quote parity says.
TEST(CsvReader, MalformedQuotesSkipTheSameRowsWholeAndInChunks) {
  TempDir dir;
  std::mt19937 random(11);
  std::string text = "id,note,value\n";
  for (int i = 0; i < 6000; ++i) {
    text += std::to_string(i) + ",";
    switch (random() % 40) {
      case 0:
        text += "\"a\"b\"c";
        break;  // three quotes: text after a closing quote
      case 1:
        text += "5'11\"";
        break;  // a quote inside an unquoted field
      case 2:
        text += "\"x\"\"y\"z";
        break;  // an escaped quote, then text after the close
      case 3:
        text += "\"ok\r\nfine\"";
        break;
      default:
        text += "plain";
        break;
    }
    text += "," + std::to_string(i % 97) + "\n";
  }
  const auto path = dir.write("stray_quotes.csv", text);
  const auto read = [&](std::size_t chunk_bytes, unsigned threads) {
    Collected rows;
    CsvReadOptions options;
    options.threads = threads;
    options.chunk_bytes = chunk_bytes;
    options.skip_bad_rows = true;
    const CsvReadReport report = read_all(path, {"id", "note", "value"}, rows, options);
    std::sort(rows.rows.begin(), rows.rows.end());
    return std::make_tuple(report.rows, report.skipped_rows, rows.rows);
  };
  const auto whole = read(std::size_t{1} << 30, 1);
  EXPECT_GT(std::get<1>(whole), 100u);  // some malformed rows were met
  EXPECT_GT(std::get<0>(whole), 100u);  // and rows after them were read
  for (unsigned threads : {1u, 3u}) EXPECT_EQ(read(4096, threads), whole) << threads;
}

TEST(CsvReader, AQuoteInsideAnUnquotedFieldIsNamed) {
  TempDir dir;
  const auto path = dir.write("quote.csv", "id,name\n1,Jo\n2,5'11\"\n3,Al\n");
  Collected rows;
  EXPECT_EQ(error_of([&] {
              read_all(path, {"id", "name"}, rows);
            }),
            path +
                ":3: a '\"' inside an unquoted field (quote the whole field and double the "
                "quotes in it: \"5'11\"\"\")");
}

// Found by the csv fuzzer: a constructor that threw for a bad header (after opening and mapping
// the file) leaked both, and thousands of bad files ran the process out of file descriptors.
TEST(CsvReader, ABadHeaderLeavesNoFileOpen) {
  TempDir dir;
  const auto missing = dir.write("missing.csv", "id,other\n1,2\n");
  const auto twice = dir.write("twice.csv", "id,n,n\n1,2,3\n");
  const auto open_files = [] {
    return std::distance(std::filesystem::directory_iterator("/proc/self/fd"),
                         std::filesystem::directory_iterator());
  };
  const auto before = open_files();
  for (int i = 0; i < 200; ++i) {
    EXPECT_THROW(CsvReader(missing, {"id", "n"}), InputError);
    EXPECT_THROW(CsvReader(twice, {"id", "n"}), InputError);
  }
  EXPECT_EQ(open_files(), before);
}

TEST(CsvReader, ParsesNumbers) {
  EXPECT_EQ(parse_integer("+42"), 42);
  EXPECT_EQ(parse_integer("-7"), -7);
  EXPECT_DOUBLE_EQ(parse_number("1.5e3"), 1500);
  EXPECT_THROW(parse_integer("4.2"), FieldError);
  EXPECT_THROW(parse_number(""), FieldError);
  EXPECT_THROW(parse_number("nan"), FieldError);
  EXPECT_THROW(parse_number("12abc"), FieldError);
}

}  // namespace
}  // namespace playsight
