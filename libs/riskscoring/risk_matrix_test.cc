#include "libs/riskscoring/risk_matrix.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/errors.h"
#include "libs/base/testing/status_matchers.h"

namespace pmo::riskscoring {

void PrintTo(const Rating& r, std::ostream* os) {
  *os << "{p " << r.probability << ", i " << r.impact << ", score " << r.score
      << ", " << r.rating << ", " << r.matrix_version << ", EV "
      << r.expected_value_minor << "}";
}

namespace {

using ::pmo::testing::IsOk;
using ::pmo::testing::IsOkAndHolds;
using ::pmo::testing::StatusIs;
using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

std::vector<std::string> BadFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) {
    fields.push_back(v.field);
  }
  return fields;
}

Assessment Risk(int probability, Impact impact, int64_t cost_minor = 0) {
  return {probability, impact, cost_minor};
}

// A second version of the default matrix: rarer low levels, tighter bands.
RiskMatrix MatrixV2() {
  return RiskMatrix{
      .version = "v2",
      .probability_of_level = {0.05, 0.2, 0.5, 0.7, 0.9},
      .bands = {{"LOW", 1, 3},
                {"MEDIUM", 4, 7},
                {"HIGH", 8, 14},
                {"CRITICAL", 15, 25}},
  };
}

// --- The default matrix --------------------------------------------------

TEST(DefaultMatrixTest, IsValidAndAsDocumented) {
  const RiskMatrix m = DefaultMatrix();
  EXPECT_OK(ValidateMatrix(m));
  EXPECT_EQ(m.version, "5x5-default");
  EXPECT_EQ(m.probability_levels, 5);
  EXPECT_EQ(m.impact_levels, 5);
  EXPECT_THAT(m.probability_of_level, ElementsAre(0.1, 0.3, 0.5, 0.7, 0.9));
  ASSERT_EQ(m.bands.size(), 4u);
  EXPECT_EQ(m.bands[3].rating, "CRITICAL");
  EXPECT_EQ(m.bands[3].min_score, 17);
  EXPECT_EQ(m.bands[3].max_score, 25);
}

// --- Scoring ---------------------------------------------------------------

TEST(RateTest, HighestImpactDrives) {
  // impact = max(cost 2, schedule 4, quality 1) = 4; score = 3 × 4 = 12 (HIGH
  // 10-16); EV = 0.5 × 1,000,000 = 500,000.
  EXPECT_THAT(Rate(DefaultMatrix(), Risk(3, {2, 4, 1}, 1'000'000)),
              IsOkAndHolds(Rating{3, 4, 12, "HIGH", "5x5-default", 500'000}));
  // Quality alone: impact 5; score 2 × 5 = 10 (HIGH); no money: EV 0.
  EXPECT_THAT(Rate(DefaultMatrix(), Risk(2, {0, 0, 5})),
              IsOkAndHolds(Rating{2, 5, 10, "HIGH", "5x5-default", 0}));
  // Cost drives: impact max(3, 1, 0) = 3; score 1 × 3 = 3 (LOW).
  EXPECT_THAT(Rate(DefaultMatrix(), Risk(1, {3, 1, 0}, 50)),
              IsOkAndHolds(Field(&Rating::score, 3)));
}

int ScoreOf(int probability, int impact) {
  return Rate(DefaultMatrix(), Risk(probability, {impact, 0, 0}))->score;
}
std::string RatingOf(int probability, int impact) {
  return Rate(DefaultMatrix(), Risk(probability, {impact, 0, 0}))->rating;
}

TEST(RateTest, BandBoundariesOfTheDefaultMatrix) {
  // LOW 1-4 | MEDIUM 5-9 | HIGH 10-16 | CRITICAL 17-25. On a 5 × 5 matrix the
  // reachable scores near the boundaries are 4|5, 9|10 and 16|20 (17, 18, 19
  // are no product of two levels 1..5).
  EXPECT_EQ(ScoreOf(1, 1), 1);
  EXPECT_EQ(RatingOf(1, 1), "LOW");
  EXPECT_EQ(ScoreOf(2, 2), 4);
  EXPECT_EQ(RatingOf(2, 2), "LOW");
  EXPECT_EQ(RatingOf(1, 4), "LOW");
  EXPECT_EQ(ScoreOf(1, 5), 5);
  EXPECT_EQ(RatingOf(1, 5), "MEDIUM");
  EXPECT_EQ(RatingOf(5, 1), "MEDIUM");
  EXPECT_EQ(ScoreOf(3, 3), 9);
  EXPECT_EQ(RatingOf(3, 3), "MEDIUM");
  EXPECT_EQ(ScoreOf(2, 5), 10);
  EXPECT_EQ(RatingOf(2, 5), "HIGH");
  EXPECT_EQ(ScoreOf(4, 4), 16);
  EXPECT_EQ(RatingOf(4, 4), "HIGH");
  EXPECT_EQ(ScoreOf(4, 5), 20);
  EXPECT_EQ(RatingOf(4, 5), "CRITICAL");
  EXPECT_EQ(ScoreOf(5, 5), 25);
  EXPECT_EQ(RatingOf(5, 5), "CRITICAL");
}

TEST(RateTest, BandBoundariesExactlyAtMinAndMax) {
  // 6 × 6 matrix with bands A 1-15 / B 16-36, chosen so both sides of the
  // boundary are reachable: 3 × 5 = 15 and 4 × 4 = 16.
  RiskMatrix m{.version = "6x6",
               .probability_levels = 6,
               .impact_levels = 6,
               .probability_of_level = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6},
               .bands = {{"A", 1, 15}, {"B", 16, 36}}};
  ASSERT_OK(ValidateMatrix(m));
  EXPECT_THAT(Rate(m, Risk(3, {0, 5, 0})),
              IsOkAndHolds(Field(&Rating::rating, "A")));  // 15 = max of A
  EXPECT_THAT(Rate(m, Risk(4, {0, 4, 0})),
              IsOkAndHolds(Field(&Rating::rating, "B")));  // 16 = min of B
  EXPECT_THAT(Rate(m, Risk(6, {0, 0, 6})),
              IsOkAndHolds(Field(&Rating::score, 36)));  // 6 × 6
}

int64_t EvOf(int probability, int64_t cost_minor) {
  return Rate(DefaultMatrix(), Risk(probability, {1, 0, 0}, cost_minor))
      ->expected_value_minor;
}

TEST(RateTest, ExpectedValueRoundsHalfAwayFromZero) {
  EXPECT_EQ(EvOf(4, 5), 4);  // 0.7 × 5 = 3.5 -> 4 (double: 3.4999999999999996)
  EXPECT_EQ(EvOf(4, 15), 11);  // 0.7 × 15 = 10.5 -> 11
  EXPECT_EQ(EvOf(1, 5), 1);    // 0.1 × 5 = 0.5 -> 1
  EXPECT_EQ(EvOf(1, 4), 0);    // 0.1 × 4 = 0.4 -> 0
  EXPECT_EQ(EvOf(2, 5), 2);    // 0.3 × 5 = 1.5 -> 2
  EXPECT_EQ(EvOf(2, 3), 1);    // 0.3 × 3 = 0.9 -> 1
  EXPECT_EQ(EvOf(3, 1), 1);    // 0.5 × 1 = 0.5 -> 1
  EXPECT_EQ(EvOf(3, 0), 0);
  // 0.9 × 123,456,789 = 111,111,110.1 -> 111,111,110
  EXPECT_EQ(EvOf(5, 123'456'789), 111'111'110);
  // 0.9 × 9,223,372,036,854,775,807 = 8,301,034,833,169,298,226.3: no
  // overflow, no double precision loss.
  EXPECT_EQ(EvOf(5, std::numeric_limits<int64_t>::max()),
            int64_t{8'301'034'833'169'298'226});
}

TEST(RateTest, InvalidMatrixIsNamedUnderMatrixPrefix) {
  RiskMatrix m = DefaultMatrix();
  m.bands[2].min_score = 11;  // gap at 10
  const auto rating = Rate(m, Risk(3, {3, 0, 0}));
  EXPECT_THAT(rating, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(BadFields(rating.status()),
              ElementsAre("matrix.bands[2].min_score"));
}

TEST(RateTest, InvalidAssessmentIsRejected) {
  const auto rating = Rate(DefaultMatrix(), Risk(6, {1, 0, 0}));
  EXPECT_THAT(rating, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(BadFields(rating.status()), ElementsAre("probability"));
}

// --- Re-rating after a matrix change ---------------------------------------

TEST(RerateAllTest, ReratesUnderTheNewMatrixVersion) {
  const std::vector<Assessment> risks = {
      Risk(2, {4, 0, 0}, 10'000),  // score 8
      Risk(1, {0, 4, 0}, 10'000),  // score 4
      Risk(3, {0, 0, 5}, 10'000),  // score 15
  };
  // Default: 8 MEDIUM EV 0.3 × 10,000 = 3,000; 4 LOW EV 1,000;
  // 15 HIGH EV 5,000.
  EXPECT_THAT(RerateAll(DefaultMatrix(), risks),
              ElementsAre(Rating{2, 4, 8, "MEDIUM", "5x5-default", 3'000},
                          Rating{1, 4, 4, "LOW", "5x5-default", 1'000},
                          Rating{3, 5, 15, "HIGH", "5x5-default", 5'000}));
  // v2: 8 HIGH EV 0.2 × 10,000 = 2,000; 4 MEDIUM EV 0.05 × 10,000 = 500;
  // 15 CRITICAL EV 5,000.
  EXPECT_THAT(RerateAll(MatrixV2(), risks),
              ElementsAre(Rating{2, 4, 8, "HIGH", "v2", 2'000},
                          Rating{1, 4, 4, "MEDIUM", "v2", 500},
                          Rating{3, 5, 15, "CRITICAL", "v2", 5'000}));
}

TEST(RerateAllTest, AgreesWithRateOnEveryCell) {
  std::vector<Assessment> risks;
  for (int p = 1; p <= 5; ++p) {
    for (int i = 0; i <= 5; ++i) {
      for (int j = 0; j <= 5; ++j) {
        if (i == 0 && j == 0) continue;
        risks.push_back(Risk(p, {i, j, 0}, 1'000 * p + 7 * i + j));
      }
    }
  }
  const std::vector<Rating> ratings = RerateAll(MatrixV2(), risks);
  ASSERT_EQ(ratings.size(), risks.size());
  for (size_t k = 0; k < risks.size(); ++k) {
    EXPECT_THAT(Rate(MatrixV2(), risks[k]), IsOkAndHolds(ratings[k]));
  }
  EXPECT_THAT(RerateAll(MatrixV2(), {}), IsEmpty());
}

// --- Combined exposure -----------------------------------------------------

TEST(CombineTest, TwoMembers) {
  const std::vector<Assessment> members = {
      Risk(3, {2, 0, 0}, 1'000),  // p 0.5, score 6 MEDIUM, EV 500
      Risk(4, {0, 3, 0}, 3'000),  // p 0.7, score 12 HIGH, EV 2,100
  };
  ASSERT_OK_AND_ASSIGN(const CombinedExposure c,
                       Combine(DefaultMatrix(), members));
  // 1 - (1 - 0.5)(1 - 0.7) = 1 - 0.15 = 0.85
  EXPECT_THAT(c.probability_any, DoubleNear(0.85, 1e-12));
  EXPECT_EQ(c.expected_value_minor, 2'600);  // 500 + 2,100
  EXPECT_EQ(c.worst_case_minor, 4'000);      // 1,000 + 3,000
  EXPECT_EQ(c.max_score, 12);
  EXPECT_EQ(c.max_rating, "HIGH");
}

TEST(CombineTest, ThreeMembers) {
  const std::vector<Assessment> members = {
      Risk(1, {5, 0, 0}, 1'005),  // p 0.1, score 5 MEDIUM, EV 100.5 -> 101
      Risk(2, {0, 3, 0}, 2'000),  // p 0.3, score 6 MEDIUM, EV 600
      Risk(3, {0, 0, 4}, 3'000),  // p 0.5, score 12 HIGH, EV 1,500
  };
  ASSERT_OK_AND_ASSIGN(const CombinedExposure c,
                       Combine(DefaultMatrix(), members));
  // 1 - 0.9 × 0.7 × 0.5 = 1 - 0.315 = 0.685
  EXPECT_THAT(c.probability_any, DoubleNear(0.685, 1e-12));
  // Σ of the members' rounded EVs: 101 + 600 + 1,500 = 2,201.
  EXPECT_EQ(c.expected_value_minor, 2'201);
  EXPECT_EQ(c.worst_case_minor, 6'005);
  EXPECT_EQ(c.max_score, 12);
  EXPECT_EQ(c.max_rating, "HIGH");
}

TEST(CombineTest, CertainMemberMakesAnyCertain) {
  RiskMatrix m = DefaultMatrix();
  m.probability_of_level = {0.1, 0.3, 0.5, 0.7, 1.0};
  ASSERT_OK(ValidateMatrix(m));
  ASSERT_OK_AND_ASSIGN(const CombinedExposure c,
                       Combine(m, std::vector<Assessment>{Risk(1, {1, 0, 0}),
                                                          Risk(5, {1, 0, 0})}));
  EXPECT_EQ(c.probability_any, 1.0);  // 1 - 0.9 × 0 = 1
}

TEST(CombineTest, NoMembersIsNoExposure) {
  ASSERT_OK_AND_ASSIGN(const CombinedExposure c, Combine(DefaultMatrix(), {}));
  EXPECT_EQ(c.probability_any, 0.0);
  EXPECT_EQ(c.expected_value_minor, 0);
  EXPECT_EQ(c.worst_case_minor, 0);
  EXPECT_EQ(c.max_score, 0);
  EXPECT_EQ(c.max_rating, "");
}

TEST(CombineTest, NamesTheBadMember) {
  const auto c = Combine(
      DefaultMatrix(),
      std::vector<Assessment>{Risk(1, {1, 0, 0}), Risk(0, {1, 0, 0}, -5)});
  EXPECT_THAT(c, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      BadFields(c.status()),
      ElementsAre("members[1].probability", "members[1].cost_impact_minor"));
}

TEST(CombineTest, OverflowIsOutOfRange) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  EXPECT_THAT(
      Combine(DefaultMatrix(), std::vector<Assessment>{Risk(1, {1, 0, 0}, kMax),
                                                       Risk(1, {1, 0, 0}, 1)}),
      StatusIs(absl::StatusCode::kOutOfRange));
}

// --- Matrix validation -----------------------------------------------------

TEST(ValidateMatrixTest, BandsInAnyOrderAreFine) {
  RiskMatrix m = DefaultMatrix();
  std::swap(m.bands[0], m.bands[3]);
  EXPECT_OK(ValidateMatrix(m));
}

TEST(ValidateMatrixTest, OverlappingBand) {
  RiskMatrix m = DefaultMatrix();
  m.bands[1].min_score = 4;  // MEDIUM 4-9 overlaps LOW 1-4 at 4
  const absl::Status s = ValidateMatrix(m);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          ::testing::HasSubstr("overlaps bands[0]")));
  EXPECT_THAT(BadFields(s), ElementsAre("bands[1].min_score"));
}

TEST(ValidateMatrixTest, GapBelowABand) {
  RiskMatrix m = DefaultMatrix();
  m.bands[2].min_score = 11;  // score 10 in no band
  const absl::Status s = ValidateMatrix(m);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          ::testing::HasSubstr("10-10 in no band")));
  EXPECT_THAT(BadFields(s), ElementsAre("bands[2].min_score"));
}

TEST(ValidateMatrixTest, GapAtTheStartAndTheEnd) {
  RiskMatrix m = DefaultMatrix();
  m.bands[0].min_score = 2;   // score 1 in no band
  m.bands[3].max_score = 24;  // score 25 in no band
  EXPECT_THAT(BadFields(ValidateMatrix(m)),
              ElementsAre("bands[0].min_score", "bands[3].max_score"));
}

TEST(ValidateMatrixTest, BandBeyondTheLastScore) {
  RiskMatrix m = DefaultMatrix();
  m.bands[3].max_score = 26;  // 5 × 5 = 25
  EXPECT_THAT(BadFields(ValidateMatrix(m)), ElementsAre("bands[3].max_score"));
}

TEST(ValidateMatrixTest, MalformedBands) {
  RiskMatrix m = DefaultMatrix();
  m.bands[0].rating = "";
  m.bands[2].rating = "MEDIUM";  // same as bands[1]
  m.bands[3] = {"CRITICAL", 25, 17};
  // bands[3] is left out of the coverage walk, so 17-25 is also a gap,
  // reported on the last well-formed band (HIGH).
  EXPECT_THAT(BadFields(ValidateMatrix(m)),
              UnorderedElementsAre("bands[0].rating", "bands[2].rating",
                                   "bands[3].min_score", "bands[2].max_score"));
  m.bands.clear();
  EXPECT_THAT(BadFields(ValidateMatrix(m)), ElementsAre("bands"));
}

TEST(ValidateMatrixTest, WrongSizes) {
  RiskMatrix m = DefaultMatrix();
  m.probability_of_level.pop_back();  // 4 probabilities for 5 levels
  EXPECT_THAT(BadFields(ValidateMatrix(m)),
              ElementsAre("probability_of_level"));

  m = DefaultMatrix();
  m.probability_levels = 1;
  m.impact_levels = 11;
  m.version = "";
  EXPECT_THAT(BadFields(ValidateMatrix(m)),
              UnorderedElementsAre("version", "probability_levels",
                                   "impact_levels", "probability_of_level"));
}

TEST(ValidateMatrixTest, ProbabilitiesInRangeAndIncreasing) {
  RiskMatrix m = DefaultMatrix();
  m.probability_of_level = {0.0, std::nan(""), 0.5, 0.4, 1.5};
  EXPECT_THAT(
      BadFields(ValidateMatrix(m)),
      ElementsAre("probability_of_level[0]", "probability_of_level[1]",
                  "probability_of_level[3]", "probability_of_level[4]"));
  m.probability_of_level = {1e-9, 0.3, 0.5, 0.7, 1.0};  // below one millionth
  EXPECT_THAT(BadFields(ValidateMatrix(m)),
              ElementsAre("probability_of_level[0]"));
}

TEST(ValidateMatrixTest, NonSquareMatrix) {
  // 3 probability levels × 4 impact levels: scores 1..12.
  RiskMatrix m{.version = "3x4",
               .probability_levels = 3,
               .impact_levels = 4,
               .probability_of_level = {0.2, 0.5, 0.8},
               .bands = {{"LOW", 1, 3}, {"MEDIUM", 4, 6}, {"HIGH", 7, 12}}};
  ASSERT_OK(ValidateMatrix(m));
  EXPECT_THAT(Rate(m, Risk(3, {4, 0, 0}, 100)),
              IsOkAndHolds(Rating{3, 4, 12, "HIGH", "3x4", 80}));
  EXPECT_THAT(BadFields(ValidateAssessment(m, Risk(4, {5, 0, 0}))),
              ElementsAre("probability", "impact.cost"));
}

// --- Assessment validation -------------------------------------------------

TEST(ValidateAssessmentTest, ValidAssessments) {
  EXPECT_OK(ValidateAssessment(DefaultMatrix(), Risk(1, {0, 0, 1})));
  EXPECT_OK(ValidateAssessment(DefaultMatrix(), Risk(5, {5, 5, 5}, 0)));
}

TEST(ValidateAssessmentTest, NamesEachBadField) {
  EXPECT_THAT(
      BadFields(ValidateAssessment(DefaultMatrix(), Risk(0, {6, -1, 7}, -1))),
      ElementsAre("probability", "impact.cost", "impact.schedule",
                  "impact.quality", "cost_impact_minor"));
  EXPECT_THAT(
      BadFields(ValidateAssessment(DefaultMatrix(), Risk(6, {1, 0, 0}))),
      ElementsAre("probability"));
}

TEST(ValidateAssessmentTest, AtLeastOneImpact) {
  const absl::Status s =
      ValidateAssessment(DefaultMatrix(), Risk(3, {0, 0, 0}, 1'000));
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(BadFields(s), ElementsAre("impact"));
}

}  // namespace
}  // namespace pmo::riskscoring
