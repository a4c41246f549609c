#pragma once
// Rounding a number for people and JSON: to `decimals` places after the point. Dividing by a power
// of ten (rather than multiplying by its inverse) gives the shortest JSON text for the result.
#include <cmath>

namespace playsight {

inline double rounded(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

}  // namespace playsight
