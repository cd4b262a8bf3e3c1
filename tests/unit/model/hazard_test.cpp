#include "sim/model/hazard.hpp"

#include <gtest/gtest.h>

#include <cmath>

using tsim::model::Hazard;

TEST(Hazard, ConstantInvertsExactly) {
  Hazard h;
  h.rates = {0.01};
  EXPECT_DOUBLE_EQ(h.time_to(0, 1.0), 100.0);
  EXPECT_DOUBLE_EQ(h.time_to(50, 1.0), 100.0);       // memoryless
  EXPECT_DOUBLE_EQ(h.time_to(0, 1.0, 2.0), 50.0);    // hazard ratio 2
  EXPECT_TRUE(std::isinf(h.time_to(0, 1.0, 0.0)));
}

TEST(Hazard, PiecewiseWalksPieces) {
  Hazard h;
  h.breaks = {0, 10, 20};
  h.rates = {0.1, 0.0, 0.2};
  // Target 1.0 is spent exactly by the first piece.
  EXPECT_DOUBLE_EQ(h.time_to(0, 1.0), 10.0);
  // 1.5: 1.0 in [0,10), nothing in [10,20), 0.5 at rate 0.2 = 2.5 days: t = 22.5.
  EXPECT_DOUBLE_EQ(h.time_to(0, 1.5), 22.5);
  // Starting inside the zero piece.
  EXPECT_DOUBLE_EQ(h.time_to(15, 0.4), 7.0);
  EXPECT_DOUBLE_EQ(h.integral(0, 22.5), 1.5);
  EXPECT_DOUBLE_EQ(h.rate(12), 0.0);
  Hazard never;
  never.breaks = {0, 5};
  never.rates = {0.1, 0.0};
  EXPECT_TRUE(std::isinf(never.time_to(0, 1.0)));
}

TEST(Hazard, WeibullAndGompertzAreConsistent) {
  Hazard w;
  w.shape = Hazard::Shape::weibull;
  w.weibull_shape = 1.5;
  w.weibull_scale = 730;
  Hazard g;
  g.shape = Hazard::Shape::gompertz;
  g.gompertz_a = 1e-4;
  g.gompertz_b = 2e-4;
  for (const Hazard* h : {&w, &g})
    for (double c0 : {0.0, 100.0, 5000.0})
      for (double target : {0.01, 0.5, 3.0}) {
        const double d = h->time_to(c0, target);
        EXPECT_NEAR(h->integral(c0, c0 + d), target, 1e-9 * (1 + target));
      }
  // Weibull from zero: the time has the Weibull quantile.
  EXPECT_NEAR(w.time_to(0, -std::log(0.7)), 730 * std::pow(-std::log(0.7), 1 / 1.5), 1e-9);
}
