#include "libs/earnedvalue/health.h"

#include <optional>

#include "gtest/gtest.h"

namespace pmo::earnedvalue {
namespace {

TEST(AssessHealth, DefaultThresholdsAndTheirBoundaries) {
  // Defaults: GREEN if both >= 0.95, RED if either < 0.85, else AMBER.
  EXPECT_EQ(AssessHealth(1.10, 1.00), Health::kGreen);
  EXPECT_EQ(AssessHealth(0.95, 0.95), Health::kGreen);
  EXPECT_EQ(AssessHealth(0.9499, 1.20), Health::kAmber);
  EXPECT_EQ(AssessHealth(1.20, 0.9499), Health::kAmber);
  EXPECT_EQ(AssessHealth(0.85, 0.85), Health::kAmber);
  EXPECT_EQ(AssessHealth(0.8499, 1.00), Health::kRed);
  EXPECT_EQ(AssessHealth(1.00, 0.50), Health::kRed);
}

TEST(AssessHealth, AbsentIndexIsLeftOut) {
  EXPECT_EQ(AssessHealth(std::nullopt, std::nullopt), Health::kGreen);
  EXPECT_EQ(AssessHealth(std::nullopt, 0.90), Health::kAmber);
  EXPECT_EQ(AssessHealth(0.0, std::nullopt), Health::kRed);
}

TEST(AssessHealth, CustomThresholds) {
  const HealthThresholds strict{.green_at_or_above = 1.0, .red_below = 0.9};
  EXPECT_EQ(AssessHealth(1.0, 1.0, strict), Health::kGreen);
  EXPECT_EQ(AssessHealth(0.95, 1.0, strict), Health::kAmber);
  EXPECT_EQ(AssessHealth(0.89, 1.0, strict), Health::kRed);
  // Overlapping thresholds: the RED test wins.
  const HealthThresholds overlapping{.green_at_or_above = 0.8,
                                     .red_below = 0.9};
  EXPECT_EQ(AssessHealth(0.85, 0.85, overlapping), Health::kRed);
}

TEST(HealthName, NamesEachValue) {
  EXPECT_EQ(HealthName(Health::kGreen), "GREEN");
  EXPECT_EQ(HealthName(Health::kAmber), "AMBER");
  EXPECT_EQ(HealthName(Health::kRed), "RED");
}

}  // namespace
}  // namespace pmo::earnedvalue
