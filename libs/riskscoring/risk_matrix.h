#pragma once

// Risk assessment on a probability × impact matrix (PMBOK's qualitative risk
// analysis), as plain functions over plain structs: no storage, no clock.
//
//   RiskMatrix matrix = DefaultMatrix();               // 5 × 5, version
//   "5x5-default" Assessment a{.probability = 3, .impact = {.cost = 4,
//   .schedule = 2},
//                .cost_impact_minor = 1'000'000};      // 10,000.00 in cents
//   ASSIGN_OR_RETURN(Rating r, Rate(matrix, a));
//   // r.impact == 4 (the highest of cost/schedule/quality drives),
//   // r.score == 3 × 4 == 12, r.rating == "HIGH",
//   // r.expected_value_minor == 0.5 × 1,000,000 == 500,000
//
// Scoring.
//   impact   = max(impact.cost, impact.schedule, impact.quality)  (1..I)
//   score    = probability level × impact                         (1..P×I)
//   rating   = the band whose [min_score, max_score] holds score
//   expected value = probability_of_level[probability - 1] × cost_impact_minor,
//            rounded half away from zero to a whole minor unit.
// Probabilities are taken to the nearest millionth (0.7 -> 700,000 ppm) and
// the expected value is computed in integers, so 0.7 × 5 is exactly 3.5 and
// rounds to 4 (in binary floating point 0.7 × 5 is 3.4999999999999996 -> 3).
//
// Opportunities (positive risks) are scored exactly like threats; the
// library has no sign: `cost_impact_minor` is a magnitude (a loss for a
// threat, a gain for an opportunity) and so is `expected_value_minor`. The
// caller, who knows which it is, applies the sign when it adds exposures up.
//
// Matrix versions. A portfolio's matrix is versioned: every Rating carries the
// `version` of the matrix that produced it, and `RerateAll` re-rates stored
// assessments after the matrix changes.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace pmo::riskscoring {

// Scores min_score..max_score (inclusive) carry `rating`.
struct RatingBand {
  std::string rating;  // e.g. "LOW", "MEDIUM", "HIGH", "CRITICAL"
  int min_score = 0;
  int max_score = 0;
};

// One version of a portfolio's probability × impact matrix.
struct RiskMatrix {
  std::string version;         // copied into every Rating; must not be empty
  int probability_levels = 5;  // P, 2..10
  int impact_levels = 5;       // I, 2..10
  // Level 1..P -> probability in (0, 1], strictly increasing; size P.
  std::vector<double> probability_of_level;
  // Together cover scores 1..P×I, each score exactly once; any order.
  std::vector<RatingBand> bands;
};

// The 5 × 5 matrix used when a portfolio configures none, version
// "5x5-default":
//   probability of level 1..5: 0.1, 0.3, 0.5, 0.7, 0.9
//   LOW 1-4, MEDIUM 5-9, HIGH 10-16, CRITICAL 17-25
//
//          impact 1   2   3   4   5
//   prob 5       5M 10H 15H 20C 25C
//   prob 4       4L  8M 12H 16H 20C
//   prob 3       3L  6M  9M 12H 15H
//   prob 2       2L  4L  6M  8M 10H
//   prob 1       1L  2L  3L  4L  5M
RiskMatrix DefaultMatrix();

// OK, or INVALID_ARGUMENT with a field violation (libs/base/errors.h) for
// each bad field:
//   "version"                    empty
//   "probability_levels", "impact_levels"   outside 2..10
//   "probability_of_level"       size differs from probability_levels
//   "probability_of_level[i]"    outside (0, 1], NaN, under one millionth,
//                                or not above level i-1's
//   "bands"                      empty
//   "bands[i].rating"            empty or the same name as another band
//   "bands[i].min_score"         below 1, greater than max_score, overlapping
//                                an earlier band, or leaving a gap below it
//   "bands[i].max_score"         above P×I, or the last band ending below P×I
// Coverage is checked only when both level counts are valid.
absl::Status ValidateMatrix(const RiskMatrix& matrix);

// Impact levels per dimension: 0 (none) or 1..impact_levels.
struct Impact {
  int cost = 0;
  int schedule = 0;
  int quality = 0;
};

// One risk's (or opportunity's) assessment against a matrix.
struct Assessment {
  int probability = 0;  // level 1..probability_levels
  Impact impact;
  int64_t cost_impact_minor = 0;  // money if it happens, >= 0, minor units
};

// OK, or INVALID_ARGUMENT naming each bad field: "probability" outside 1..P,
// "impact.cost" / "impact.schedule" / "impact.quality" outside 0..I,
// "impact" when all three are 0, "cost_impact_minor" when negative.
// `matrix` must be valid (its level counts are the bounds).
absl::Status ValidateAssessment(const RiskMatrix& matrix,
                                const Assessment& assessment);

struct Rating {
  int probability = 0;  // level, as assessed
  int impact = 0;       // the highest of cost/schedule/quality
  int score = 0;        // probability × impact
  std::string rating;   // the band holding score
  std::string matrix_version;
  int64_t expected_value_minor = 0;  // see "Scoring" above

  bool operator==(const Rating&) const = default;
};

// Rates one assessment. INVALID_ARGUMENT if the matrix is invalid (its field
// violations prefixed "matrix.", e.g. "matrix.bands[2].min_score") or else if
// the assessment is (fields as ValidateAssessment).
absl::StatusOr<Rating> Rate(const RiskMatrix& matrix,
                            const Assessment& assessment);

// Re-rates many assessments, e.g. a portfolio's risks after a matrix change;
// result i belongs to assessments[i]. The matrix and every assessment must
// already be valid: a level outside the matrix is a bug and aborts
// (PMO_CHECK), it is not reported.
std::vector<Rating> RerateAll(const RiskMatrix& matrix,
                              std::span<const Assessment> assessments);

// Combined exposure of several member risks (e.g. one supplier's risks across
// projects), assuming they occur independently of each other.
struct CombinedExposure {
  // 1 - Π(1 - p_i): the probability at least one member occurs (0 if none).
  double probability_any = 0;
  int64_t expected_value_minor = 0;  // Σ members' (rounded) expected values
  int64_t worst_case_minor = 0;      // Σ members' cost_impact_minor
  int max_score = 0;                 // highest member score (0 if none)
  std::string max_rating;            // its rating ("" if none)
};

// Rates every member (as Rate) and combines them. INVALID_ARGUMENT as Rate,
// with the member's fields prefixed "members[i]."; OUT_OF_RANGE if a sum
// overflows int64. No members: OK, all zeros and an empty rating.
absl::StatusOr<CombinedExposure> Combine(const RiskMatrix& matrix,
                                         std::span<const Assessment> members);

}  // namespace pmo::riskscoring
