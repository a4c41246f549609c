#include "audience/assignment.h"

#include <cmath>
#include <limits>

#include "core/error.h"

namespace playsight::audience {
namespace {

// The method for n <= m (rows <= columns): potentials u, v; p[j] = row matched to column j
// (1-based, 0 = none); one augmenting path per row.
std::vector<int> assign_rows(const std::vector<double>& cost, std::size_t n, std::size_t m) {
  const double infinity = std::numeric_limits<double>::infinity();
  std::vector<double> u(n + 1, 0), v(m + 1, 0);
  std::vector<std::size_t> p(m + 1, 0), way(m + 1, 0);
  for (std::size_t i = 1; i <= n; ++i) {
    p[0] = i;
    std::size_t j0 = 0;
    std::vector<double> min_value(m + 1, infinity);
    std::vector<bool> used(m + 1, false);
    do {
      used[j0] = true;
      const std::size_t i0 = p[j0];
      double delta = infinity;
      std::size_t j1 = 0;
      for (std::size_t j = 1; j <= m; ++j) {
        if (used[j]) continue;
        const double reduced = cost[(i0 - 1) * m + (j - 1)] - u[i0] - v[j];
        if (reduced < min_value[j]) {
          min_value[j] = reduced;
          way[j] = j0;
        }
        if (min_value[j] < delta) {
          delta = min_value[j];
          j1 = j;
        }
      }
      for (std::size_t j = 0; j <= m; ++j) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          min_value[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] != 0);
    do {
      const std::size_t j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 != 0);
  }
  std::vector<int> row_to_column(n, -1);
  for (std::size_t j = 1; j <= m; ++j) {
    if (p[j] != 0) row_to_column[p[j] - 1] = static_cast<int>(j - 1);
  }
  return row_to_column;
}

}  // namespace

std::vector<int> minimum_cost_assignment(const std::vector<double>& cost, std::size_t rows,
                                         std::size_t columns) {
  if (cost.size() != rows * columns) {
    throw InputError("assignment: " + std::to_string(cost.size()) + " costs for " +
                     std::to_string(rows) + " x " + std::to_string(columns));
  }
  for (double c : cost) {
    if (!std::isfinite(c)) throw InputError("assignment: a cost is not finite");
  }
  if (rows == 0 || columns == 0) return std::vector<int>(rows, -1);
  if (rows <= columns) return assign_rows(cost, rows, columns);
  // More rows than columns: assign the columns to rows on the transposed matrix.
  std::vector<double> transposed(cost.size());
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < columns; ++c) transposed[c * rows + r] = cost[r * columns + c];
  }
  const std::vector<int> column_to_row = assign_rows(transposed, columns, rows);
  std::vector<int> row_to_column(rows, -1);
  for (std::size_t c = 0; c < columns; ++c) {
    if (column_to_row[c] >= 0)
      row_to_column[static_cast<std::size_t>(column_to_row[c])] = static_cast<int>(c);
  }
  return row_to_column;
}

}  // namespace playsight::audience
