#pragma once
// The zero-inflated lognormal (ZILN) spend model of Wang, Liu & Miao (2019, "A deep probabilistic
// model for customer lifetime value prediction", Google's lifetime_value package), with boosted
// trees in place of the network: spend is 0 with probability 1 - p(x), and lognormal(mu(x),
// sigma(x)) otherwise, so the prediction is the expectation p exp(mu + sigma^2 / 2).
//
// The ZILN negative log-likelihood is a sum of a term in p (the cross-entropy of buying) and a
// term in (mu, sigma) over the buyers, so it is minimised by parts: logistic trees for p, and
// squared-error trees on log(amount) over the buyers for mu. sigma^2 is the mean squared residual
// of held-out (validation) buyers within ten equal-count buckets of mu: out of sample, so the
// mean is not shrunk by the trees' fit to their own training rows, and larger where the amount is
// harder to predict.
#include "spend/models/spend_model.h"

namespace playsight::spend {

// The catalogue entry "ziln_model" (see model_catalog.cpp).
ModelSpec ziln_model_spec();

}  // namespace playsight::spend
