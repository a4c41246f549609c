#include "geo/kpi.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>

#include "core/csv_reader.h"
#include "core/error.h"
#include "core/table.h"

namespace playsight::geo {

GapHandling parse_gap_handling(const std::string& name) {
  if (name == "error") return GapHandling::kError;
  if (name == "drop-region") return GapHandling::kDropRegion;
  throw InputError("--gaps: expected error or drop-region, got " + quote_for_message(name));
}

std::int64_t KpiPanel::index_of(const std::string& code) const {
  const auto found = std::lower_bound(regions.begin(), regions.end(), code);
  return found != regions.end() && *found == code ? found - regions.begin() : -1;
}

KpiPanel read_kpi(const std::string& path, GapHandling gaps) {
  const CsvReader reader(path, {"region_code", "date", "value"});
  std::map<std::string, std::map<Days, double>> rows;
  CsvReadOptions options;
  options.threads = 1;
  reader.read(
      [&](unsigned) {
        return [&](const CsvRow& row) {
          const std::string code(row.text(0));
          if (code.empty()) row.fail(0, "a region code was expected, got an empty field");
          const Days day = row.date(1);
          const double value = row.number(2);
          if (value < 0) row.fail(2, "a non-negative KPI value was expected");
          if (!rows[code].emplace(day, value).second)
            row.fail(1,
                     "region " + quote_for_message(code) + " has " + format_date(day) + " twice");
        };
      },
      options);
  if (rows.empty()) throw InputError(path + ": no KPI values (no data rows)");
  Days first = std::numeric_limits<Days>::max(), last = std::numeric_limits<Days>::min();
  for (const auto& [code, series] : rows) {
    first = std::min(first, series.begin()->first);
    last = std::max(last, series.rbegin()->first);
  }
  KpiPanel panel;
  panel.path = path;
  panel.first_day = first;
  panel.days = static_cast<std::size_t>(last - first + 1);
  for (const auto& [code, series] : rows) {
    if (series.size() < panel.days) {
      if (gaps == GapHandling::kDropRegion) {
        panel.dropped_regions.push_back(code);
        panel.dropped_values += series.size();
        continue;
      }
      Days missing = first;
      while (series.count(missing)) ++missing;
      std::size_t gap_regions = 0;
      for (const auto& entry : rows) gap_regions += entry.second.size() < panel.days;
      throw InputError(path + ": region " + quote_for_message(code) + " has no value for " +
                       std::to_string(panel.days - series.size()) + " of the " +
                       std::to_string(panel.days) + " dates " + format_date(first) + " .. " +
                       format_date(last) + " (first missing: " + format_date(missing) + "); " +
                       std::to_string(gap_regions) +
                       " regions have gaps; fill them at the source or pass --gaps drop-region to "
                       "leave those regions out");
    }
    panel.regions.push_back(code);
    std::vector<double> values;
    values.reserve(panel.days);
    for (const auto& [day, value] : series) values.push_back(value);
    panel.value.push_back(std::move(values));
  }
  if (panel.regions.empty())
    throw InputError(path + ": every region has gaps: no complete series is left");
  return panel;
}

KpiPanel panel_until(const KpiPanel& panel, Days last) {
  if (last < panel.first_day) {
    throw InputError("--until: " + format_date(last) + " is before the first date of " +
                     panel.path + " (" + format_date(panel.first_day) + ")");
  }
  KpiPanel history = panel;
  history.days =
      std::min<std::size_t>(panel.days, static_cast<std::size_t>(last - panel.first_day + 1));
  for (auto& series : history.value) series.resize(history.days);
  return history;
}

std::vector<std::size_t> indices_of_treated(const KpiPanel& panel,
                                            const std::vector<std::string>& codes) {
  std::vector<std::size_t> indices;
  std::size_t unknown = 0;
  std::string first_unknown;
  for (const std::string& code : codes) {
    const std::int64_t r = panel.index_of(code);
    if (r >= 0) {
      indices.push_back(static_cast<std::size_t>(r));
    } else if (unknown++ == 0) {
      first_unknown = code;
    }
  }
  if (unknown > 0) {
    throw InputError(std::to_string(unknown) + " treated regions are not in " + panel.path +
                     " (first: " + quote_for_message(first_unknown) + ")" +
                     (panel.dropped_regions.empty() ? "" : ", or were dropped for gaps"));
  }
  return indices;
}

void write_kpi(const std::string& path, const KpiPanel& panel) {
  std::string text = "region_code,date,value\n";
  char number[64];
  for (std::size_t r = 0; r < panel.regions.size(); ++r) {
    for (std::size_t d = 0; d < panel.days; ++d) {
      const double v = panel.value[r][d];
      if (v == std::floor(v) && std::fabs(v) < 1e15) {
        std::snprintf(number, sizeof number, "%.0f", v);
      } else {
        std::snprintf(number, sizeof number, "%.6f", v);
      }
      text += panel.regions[r] + "," + format_date(panel.first_day + static_cast<Days>(d)) + "," +
              number + "\n";
    }
  }
  write_file(path, text);
}

std::vector<std::string> read_region_list(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path + ": cannot open the region list");
  std::vector<std::string> codes;
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string field = line.substr(0, line.find(','));
    if (first && field == "region_code") {
      first = false;
      continue;
    }
    first = false;
    if (field.empty() || field[0] == '#') continue;
    codes.push_back(field);
  }
  if (codes.empty()) throw InputError(path + ": no region codes");
  return codes;
}

}  // namespace playsight::geo
