// Randomised tests of the CSV reader and the value parsers: mutated inputs must give a clear
// InputError or a result, never a crash; and cutting a file into many small chunks read by
// several workers must give exactly what one worker reading it whole gives.
#include <gtest/gtest.h>

#include <atomic>
#include <random>

#include "../support/temp_dir.h"
#include "core/csv_reader.h"

namespace playsight {
namespace {

struct Outcome {
  bool failed = false;
  std::uint64_t rows = 0;
  std::uint64_t skipped = 0;
  long long sum = 0;
  bool operator==(const Outcome&) const = default;
};

Outcome read_file(const std::string& path, unsigned threads, std::size_t chunk, bool skip) {
  Outcome outcome;
  try {
    CsvReader reader(path, {"id", "value"});
    CsvReadOptions options;
    options.threads = threads;
    options.chunk_bytes = chunk;
    options.skip_bad_rows = skip;
    std::atomic<long long> sum{0};
    const auto report = reader.read(
        [&](unsigned) {
          return [&](const CsvRow& row) {
            sum += row.integer(1) + static_cast<long long>(row.text(0).size());
          };
        },
        options);
    outcome.rows = report.rows;
    outcome.skipped = report.skipped_rows;
    outcome.sum = sum.load();
  } catch (const InputError&) {
    outcome.failed = true;
  }
  return outcome;
}

std::string valid_csv(std::mt19937& random, int rows, bool quotes) {
  std::string text = "id,value\n";
  for (int i = 0; i < rows; ++i) {
    if (quotes && random() % 4 == 0) {
      text += "\"a,\"\"b\"\"\nc" + std::to_string(i) + "\"";
    } else {
      text += "p" + std::to_string(random() % 1000);
    }
    text += "," + std::to_string(random() % 100000) + (random() % 7 == 0 ? "\r\n" : "\n");
  }
  return text;
}

// Mutations without quote characters keep every record boundary unambiguous, so the parallel
// read must agree with the sequential one exactly (rows, skipped rows and values).
TEST(CsvReaderFuzz, ParallelReadEqualsSequentialReadOnMutatedFiles) {
  testing::TempDir dir;
  std::mt19937 random(2026);
  const std::string alphabet = ",\n\r x1-9";
  for (int round = 0; round < 300; ++round) {
    std::string text = valid_csv(random, 200, /*quotes=*/false);
    const int mutations = static_cast<int>(random() % 20);
    for (int m = 0; m < mutations; ++m) {
      const std::size_t at = 9 + random() % (text.size() - 9);  // keep the header intact
      switch (random() % 3) {
        case 0:
          text.insert(at, 1, alphabet[random() % alphabet.size()]);
          break;
        case 1:
          text.erase(at, 1);
          break;
        default:
          text[at] = alphabet[random() % alphabet.size()];
          break;
      }
    }
    if (random() % 5 == 0) text.resize(9 + random() % (text.size() - 9));  // truncated
    const auto path = dir.write("fuzz.csv", text);
    for (bool skip : {true, false}) {
      const Outcome whole = read_file(path, 1, std::size_t{1} << 30, skip);
      const Outcome chunked = read_file(path, 3, 64 + random() % 512, skip);
      ASSERT_EQ(whole.failed, chunked.failed) << "round " << round;
      if (skip) {
        ASSERT_EQ(whole, chunked) << "round " << round;
      }
    }
  }
}

TEST(CsvReaderFuzz, QuotedFieldsWithLineBreaksAcrossTinyChunks) {
  testing::TempDir dir;
  std::mt19937 random(99);
  for (int round = 0; round < 100; ++round) {
    const auto path = dir.write("q.csv", valid_csv(random, 300, /*quotes=*/true));
    const Outcome whole = read_file(path, 1, std::size_t{1} << 30, true);
    EXPECT_EQ(whole.rows, 300u);
    EXPECT_EQ(whole.skipped, 0u);
    EXPECT_EQ(read_file(path, 4, 64 + random() % 256, true), whole) << "round " << round;
  }
}

TEST(CsvReaderFuzz, ArbitraryBytesNeverCrash) {
  testing::TempDir dir;
  std::mt19937 random(5);
  for (int round = 0; round < 300; ++round) {
    std::string text = "id,value\n";
    const std::size_t length = random() % 600;
    for (std::size_t i = 0; i < length; ++i) {
      const char pick[] = {',', '"', '\n', '\r', 'a', '1', '\0', static_cast<char>(0xC3)};
      text += pick[random() % sizeof pick];
    }
    const auto path = dir.write("bytes.csv", text);
    read_file(path, 2, 64, true);  // must return or throw InputError: checked by not crashing
    read_file(path, 2, 64, false);
  }
}

TEST(ValueParsersFuzz, TimestampsRoundTripAndGarbageIsRejected) {
  std::mt19937 random(17);
  for (int i = 0; i < 20000; ++i) {
    const Seconds t = static_cast<Seconds>(random() % 4'000'000'000u);
    const std::string text = format_timestamp(t);
    ASSERT_EQ(parse_timestamp(text), t) << text;
    std::string mutated = text;
    mutated[random() % mutated.size()] = "0123456789:- Tx"[random() % 15];
    try {
      const Seconds back = parse_timestamp(mutated);
      ASSERT_EQ(format_timestamp(back).substr(0, 10), mutated.substr(0, 10))
          << mutated;  // a real date
    } catch (const FieldError&) {
    }
  }
}

}  // namespace
}  // namespace playsight
