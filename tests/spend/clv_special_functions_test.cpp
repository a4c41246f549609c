#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "core/error.h"
#include "spend/clv/special_functions.h"

namespace playsight::spend::clv {
namespace {

// Reference values computed with mpmath (30 digits): hyp2f1, digamma.
TEST(ClvSpecialFunctions, Hypergeometric2F1MatchesReferenceValues) {
  struct Case {
    double a, b, c, z, expected;
  };
  const Case cases[] = {
      {0.243, 2.426, 2.219, 0.5, 1.2070970070440423133},  // BG/NBD-like parameters
      {1.5, 2.5, 3.7, 0.9, 6.9271050406138271047},
      {1.2, 0.7, 4.1, 0.99, 1.3686261472291642725},  // close to 1: many terms
      {-2.5, 1.3, 0.7, 0.6, -0.32027844526717764468},
      {3.2, 5.1, 2.2, -0.4, 0.06070572369203935249},  // negative argument: Pfaff
      {2.0, 3.0, 1.5, -3.0, -0.0054157313857086081389},
      {40.0, 300.0, 500.0, 0.97, 14229037666297572.517},  // large parameters
  };
  for (const Case& k : cases) {
    EXPECT_NEAR(hypergeometric_2f1(k.a, k.b, k.c, k.z), k.expected, 1e-12 * std::abs(k.expected))
        << k.a << " " << k.b << " " << k.c << " " << k.z;
  }
}

TEST(ClvSpecialFunctions, Hypergeometric2F1MatchesClosedForms) {
  for (const double z : {-5.0, -0.7, 0.0, 0.3, 0.8, 0.95}) {
    // 2F1(1, 1; 2; z) = -ln(1 - z) / z
    const double log_form = z == 0 ? 1.0 : -std::log1p(-z) / z;
    EXPECT_NEAR(hypergeometric_2f1(1, 1, 2, z), log_form, 1e-14 * log_form) << z;
    // 2F1(a, b; b; z) = (1 - z)^-a
    EXPECT_NEAR(hypergeometric_2f1(0.37, 2.5, 2.5, z), std::pow(1 - z, -0.37), 1e-14) << z;
  }
  // 2F1(1/2, 1/2; 3/2; z^2) = arcsin(z) / z
  EXPECT_NEAR(hypergeometric_2f1(0.5, 0.5, 1.5, 0.25), std::numbers::pi / 3, 1e-15);
  // A terminating series: 2F1(-2, 3; 2; z) = 1 + (-2)(3)/(2) z + (-2)(-1)(3)(4)/((2)(3) 2!) z^2
  //                                       = 1 - 3z + 2z^2
  EXPECT_NEAR(hypergeometric_2f1(-2, 3, 2, 0.3), 1 - 3 * 0.3 + 2 * 0.09, 1e-15);
}

TEST(ClvSpecialFunctions, Hypergeometric2F1RejectsBadArguments) {
  EXPECT_THROW(hypergeometric_2f1(1, 1, 2, 1.0), Error);
  EXPECT_THROW(hypergeometric_2f1(1, 1, -2, 0.5), Error);
}

TEST(ClvSpecialFunctions, DigammaMatchesReferenceValues) {
  EXPECT_NEAR(digamma(1.0), -0.57721566490153286061, 3e-15);
  EXPECT_NEAR(digamma(0.5), -1.9635100260214234794, 3e-15);
  EXPECT_NEAR(digamma(0.01), -100.56088545786867242, 1e-12);
  EXPECT_NEAR(digamma(7.3), 1.9178203356379860723, 3e-15);
  EXPECT_NEAR(digamma(123.4), 4.8113737751162774191, 1e-14);
  EXPECT_NEAR(digamma(1e-5), -100000.57719921567289, 1e-9);
}

TEST(ClvSpecialFunctions, LogGammaMatchesFactorials) {
  EXPECT_NEAR(log_gamma(1.0), 0.0, 1e-15);
  EXPECT_NEAR(log_gamma(6.0), std::log(120.0), 1e-14);
  EXPECT_NEAR(log_gamma(0.5), 0.5 * std::log(std::numbers::pi), 1e-15);
}

}  // namespace
}  // namespace playsight::spend::clv
