#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/error.h"
#include "core/random.h"
#include "spend/clv/gamma_gamma.h"
#include "spend/clv/simulation.h"

namespace playsight::spend::clv {
namespace {

// The CDNOW estimates of Fader, Hardie & Lee (2005, "RFM and CLV"), values in dollars.
const GammaGammaParameters kCdnow{6.25, 3.74, 15.44};

TEST(ClvGammaGamma, LogLikelihoodMatchesReferenceValues) {
  // ln Gamma(px + q) - ln Gamma(px) - ln Gamma(q) + q ln gamma + (px - 1) ln m + px ln x
  //   - (px + q) ln(gamma + x m), references from mpmath (30 digits).
  EXPECT_NEAR(gamma_gamma_log_likelihood(kCdnow, 1, 20), -3.5941964929491958785, 1e-12);
  EXPECT_NEAR(gamma_gamma_log_likelihood(kCdnow, 3, 35.5), -4.0905522096788454492, 1e-12);
  EXPECT_NEAR(gamma_gamma_log_likelihood(kCdnow, 10, 8.25), -5.6706455476612746842, 1e-12);
}

TEST(ClvGammaGamma, ConditionalExpectedValue) {
  // p (gamma + x m) / (p x + q - 1): a weighted mean of the population mean p gamma / (q - 1)
  // = 35.22 and the customer's own mean.
  const double population = 6.25 * 15.44 / 2.74;
  EXPECT_NEAR(gamma_gamma_expected_value(kCdnow, 0, 0), population, 1e-12);
  EXPECT_NEAR(gamma_gamma_expected_value(kCdnow, 2, 50), 6.25 * (15.44 + 100) / (12.5 + 2.74),
              1e-12);
  const double weight = 12.5 / (12.5 + 2.74);  // on the customer's own mean
  EXPECT_NEAR(gamma_gamma_expected_value(kCdnow, 2, 50), weight * 50 + (1 - weight) * population,
              1e-12);
  // Many purchases: the customer's own mean dominates.
  EXPECT_NEAR(gamma_gamma_expected_value(kCdnow, 1000, 80), 80, 0.1);
  EXPECT_TRUE(std::isinf(gamma_gamma_expected_value({1.0, 0.5, 10.0}, 0, 0)));
}

TEST(ClvGammaGamma, MaximumLikelihoodRecoversSimulatedParameters) {
  // 8,000 repeat customers with 1 to 12 repeat purchases.
  Rng rng(5);
  std::vector<double> frequency(8000);
  for (double& x : frequency) x = 1.0 + static_cast<double>(rng.below(12));
  const std::vector<double> monetary = simulate_gamma_gamma_means(kCdnow, frequency, 6);
  const GammaGammaFit fit = fit_gamma_gamma(frequency, monetary, {});
  const GammaGammaParameters& p = fit.parameters;
  const std::vector<double>& se = fit.diagnostics.standard_errors;
  ASSERT_TRUE(fit.diagnostics.converged) << fit.diagnostics.optimiser_status;
  ASSERT_EQ(se.size(), 3u);
  // Within 3 standard errors. p and gamma trade off against each other (their product, with q,
  // fixes the population mean), so theirs are the larger errors: about 10% and 12% here, q 2%
  // (6 seeds).
  EXPECT_NEAR(p.p, kCdnow.p, 3 * se[0]);
  EXPECT_NEAR(p.q, kCdnow.q, 3 * se[1]);
  EXPECT_NEAR(p.gamma, kCdnow.gamma, 3 * se[2]);
  EXPECT_LT(se[0], 0.15 * kCdnow.p);
  EXPECT_LT(se[1], 0.04 * kCdnow.q);
  EXPECT_LT(se[2], 0.2 * kCdnow.gamma);
  const double true_mean = kCdnow.p * kCdnow.gamma / (kCdnow.q - 1);
  EXPECT_NEAR(p.p * p.gamma / (p.q - 1), true_mean, 0.03 * true_mean);
  double at_truth = 0;
  for (std::size_t i = 0; i < frequency.size(); ++i) {
    at_truth += gamma_gamma_log_likelihood(kCdnow, frequency[i], monetary[i]);
  }
  EXPECT_GE(fit.diagnostics.log_likelihood, at_truth);

  // Subplex, derivative-free, reaches the same optimum (it stops on a looser criterion: within
  // 1e-3 of the log-likelihood, never above what L-BFGS found).
  FitOptions subplex;
  subplex.optimiser = Optimiser::kSubplex;
  subplex.max_evaluations = 20000;
  const GammaGammaFit other = fit_gamma_gamma(frequency, monetary, subplex);
  EXPECT_NEAR(other.diagnostics.log_likelihood, fit.diagnostics.log_likelihood, 1e-3);
  EXPECT_LE(other.diagnostics.log_likelihood, fit.diagnostics.log_likelihood + 1e-9);
  EXPECT_NEAR(other.parameters.p, p.p, 0.02 * p.p);
  EXPECT_NEAR(other.parameters.q, p.q, 1e-3 * p.q);
}

TEST(ClvGammaGamma, BadInputsAreInputErrors) {
  const std::vector<double> none;
  EXPECT_THROW(fit_gamma_gamma(none, none, {}), InputError);
  // Nobody with a repeat purchase: nothing to fit.
  const std::vector<double> zeros{0, 0}, values{10, 20};
  try {
    fit_gamma_gamma(zeros, values, {});
    FAIL() << "fitted on non-repeat customers";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("repeat customer"), std::string::npos) << error.what();
  }
  const std::vector<double> ones{1, 2}, bad{10, -5};
  EXPECT_THROW(fit_gamma_gamma(ones, bad, {}), InputError);
  const std::vector<double> same{7, 7};
  EXPECT_THROW(fit_gamma_gamma(ones, same, {}), InputError);
  const std::vector<double> one{1}, one_value{3};
  EXPECT_THROW(fit_gamma_gamma(one, one_value, {}), InputError);
}

}  // namespace
}  // namespace playsight::spend::clv
