#include "libs/riskscoring/risk_matrix.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/base/check.h"
#include "libs/base/errors.h"

namespace pmo::riskscoring {
namespace {

constexpr int kMinLevels = 2;
constexpr int kMaxLevels = 10;
constexpr int64_t kPpm = 1'000'000;

int64_t ToPpm(double probability) {
  return std::llround(probability * static_cast<double>(kPpm));
}

// value × ppm / 10^6 rounded half away from zero, exactly (value >= 0 here,
// but the rounding is written for both signs). __int128 holds the product.
int64_t ScaleByPpm(int64_t value, int64_t ppm) {
  const __int128 product = static_cast<__int128>(value) * ppm;
  const __int128 half = kPpm / 2;
  const __int128 rounded =
      product >= 0 ? (product + half) / kPpm : (product - half) / kPpm;
  return static_cast<int64_t>(rounded);
}

bool LevelsValid(const RiskMatrix& m) {
  return m.probability_levels >= kMinLevels &&
         m.probability_levels <= kMaxLevels && m.impact_levels >= kMinLevels &&
         m.impact_levels <= kMaxLevels;
}

void CollectMatrixViolations(const RiskMatrix& m, const std::string& prefix,
                             FieldViolations& v) {
  if (m.version.empty()) v.Add(prefix + "version", "must not be empty");
  const std::string levels_range =
      absl::StrCat("must be ", kMinLevels, "..", kMaxLevels);
  if (m.probability_levels < kMinLevels || m.probability_levels > kMaxLevels) {
    v.Add(prefix + "probability_levels", levels_range);
  }
  if (m.impact_levels < kMinLevels || m.impact_levels > kMaxLevels) {
    v.Add(prefix + "impact_levels", levels_range);
  }

  if (static_cast<int64_t>(m.probability_of_level.size()) !=
      m.probability_levels) {
    v.Add(prefix + "probability_of_level",
          absl::StrCat("has ", m.probability_of_level.size(),
                       " entries; must have one per probability level (",
                       m.probability_levels, ")"));
  }
  // Compared with the last in-range level below, so one bad entry is
  // reported once, not again by the level above it.
  double below = 0.0;
  for (size_t i = 0; i < m.probability_of_level.size(); ++i) {
    const double p = m.probability_of_level[i];
    const std::string field =
        absl::StrCat(prefix, "probability_of_level[", i, "]");
    if (!(p > 0.0 && p <= 1.0)) {  // NaN fails here too
      v.Add(field, "must be in (0, 1]");
    } else if (ToPpm(p) == 0) {
      v.Add(field, "must be at least 0.000001");
    } else if (!(p > below)) {
      v.Add(field, "must be greater than the level below");
    } else {
      below = p;
    }
  }

  if (m.bands.empty()) {
    v.Add(prefix + "bands", "must not be empty");
    return;
  }
  const auto band_field = [&](size_t i, const char* member) {
    return absl::StrCat(prefix, "bands[", i, "].", member);
  };
  std::vector<size_t> well_formed;  // bands with 1 <= min <= max
  for (size_t i = 0; i < m.bands.size(); ++i) {
    const RatingBand& b = m.bands[i];
    if (b.rating.empty()) {
      v.Add(band_field(i, "rating"), "must not be empty");
    } else {
      for (size_t j = 0; j < i; ++j) {
        if (m.bands[j].rating == b.rating) {
          v.Add(band_field(i, "rating"),
                absl::StrCat("\"", b.rating, "\" is already bands[", j, "]"));
          break;
        }
      }
    }
    if (b.min_score < 1) {
      v.Add(band_field(i, "min_score"), "must be at least 1");
    } else if (b.min_score > b.max_score) {
      v.Add(band_field(i, "min_score"), "must not exceed max_score");
    } else {
      well_formed.push_back(i);
    }
  }
  if (!LevelsValid(m)) return;  // P×I is meaningless

  // Walk the well-formed bands by min_score: each must start right after the
  // previous one ends.
  const int max_score = m.probability_levels * m.impact_levels;
  std::stable_sort(well_formed.begin(), well_formed.end(),
                   [&](size_t a, size_t b) {
                     return m.bands[a].min_score < m.bands[b].min_score;
                   });
  int covered_to = 0;   // scores 1..covered_to are in some band
  size_t covering = 0;  // the band that ends at covered_to
  for (size_t i : well_formed) {
    const RatingBand& b = m.bands[i];
    if (b.max_score > max_score) {
      v.Add(band_field(i, "max_score"),
            absl::StrCat("must not exceed ", max_score, " (",
                         m.probability_levels, " x ", m.impact_levels, ")"));
    }
    if (b.min_score <= covered_to) {
      v.Add(band_field(i, "min_score"),
            absl::StrCat("overlaps bands[", covering, "] (",
                         m.bands[covering].min_score, "-",
                         m.bands[covering].max_score, ")"));
    } else if (b.min_score > covered_to + 1) {
      v.Add(band_field(i, "min_score"),
            absl::StrCat("leaves scores ", covered_to + 1, "-", b.min_score - 1,
                         " in no band"));
    }
    if (b.max_score > covered_to) {
      covered_to = b.max_score;
      covering = i;
    }
  }
  if (!well_formed.empty() && covered_to < max_score) {
    v.Add(band_field(covering, "max_score"),
          absl::StrCat("leaves scores ", covered_to + 1, "-", max_score,
                       " in no band"));
  }
}

void CollectAssessmentViolations(const RiskMatrix& m, const Assessment& a,
                                 const std::string& prefix,
                                 FieldViolations& v) {
  if (a.probability < 1 || a.probability > m.probability_levels) {
    v.Add(prefix + "probability",
          absl::StrCat("must be 1..", m.probability_levels));
  }
  const std::pair<const char*, int> dimensions[] = {
      {"impact.cost", a.impact.cost},
      {"impact.schedule", a.impact.schedule},
      {"impact.quality", a.impact.quality}};
  bool any_impact = false;
  for (const auto& [field, level] : dimensions) {
    if (level < 0 || level > m.impact_levels) {
      v.Add(prefix + field,
            absl::StrCat("must be 0 (none) or 1..", m.impact_levels));
    }
    any_impact = any_impact || level > 0;
  }
  if (!any_impact) {
    v.Add(prefix + "impact",
          "at least one of cost, schedule, quality must be 1 or more");
  }
  if (a.cost_impact_minor < 0) {
    v.Add(prefix + "cost_impact_minor",
          "must not be negative (an opportunity's gain is also a magnitude)");
  }
}

// A valid matrix turned into lookup tables, built once per call.
class PreparedMatrix {
 public:
  explicit PreparedMatrix(const RiskMatrix& m) : matrix_(m) {
    PMO_CHECK(
        LevelsValid(m) && static_cast<int64_t>(m.probability_of_level.size()) ==
                              m.probability_levels,
        "matrix levels invalid; call ValidateMatrix first");
    ppm_.reserve(m.probability_of_level.size());
    for (double p : m.probability_of_level) ppm_.push_back(ToPpm(p));
    const int max_score = m.probability_levels * m.impact_levels;
    band_of_score_.assign(max_score + 1, -1);
    for (size_t i = 0; i < m.bands.size(); ++i) {
      for (int s = std::max(1, m.bands[i].min_score);
           s <= std::min(max_score, m.bands[i].max_score); ++s) {
        band_of_score_[s] = static_cast<int>(i);
      }
    }
    for (int s = 1; s <= max_score; ++s) {
      PMO_CHECK(band_of_score_[s] >= 0, "matrix bands leave a score uncovered");
    }
  }

  // `a` must be valid for the matrix.
  Rating Rate(const Assessment& a) const {
    PMO_CHECK(a.probability >= 1 && a.probability <= matrix_.probability_levels,
              "probability level outside the matrix");
    const int impact =
        std::max({a.impact.cost, a.impact.schedule, a.impact.quality});
    PMO_CHECK(impact >= 1 && impact <= matrix_.impact_levels,
              "impact level outside the matrix");
    const int score = a.probability * impact;
    return Rating{
        .probability = a.probability,
        .impact = impact,
        .score = score,
        .rating = matrix_.bands[band_of_score_[score]].rating,
        .matrix_version = matrix_.version,
        .expected_value_minor =
            ScaleByPpm(a.cost_impact_minor, ppm_[a.probability - 1]),
    };
  }

 private:
  const RiskMatrix& matrix_;
  std::vector<int64_t> ppm_;        // level - 1 -> probability in ppm
  std::vector<int> band_of_score_;  // score -> index into matrix_.bands
};

}  // namespace

RiskMatrix DefaultMatrix() {
  return RiskMatrix{
      .version = "5x5-default",
      .probability_levels = 5,
      .impact_levels = 5,
      .probability_of_level = {0.1, 0.3, 0.5, 0.7, 0.9},
      .bands = {{"LOW", 1, 4},
                {"MEDIUM", 5, 9},
                {"HIGH", 10, 16},
                {"CRITICAL", 17, 25}},
  };
}

absl::Status ValidateMatrix(const RiskMatrix& matrix) {
  FieldViolations v;
  CollectMatrixViolations(matrix, "", v);
  return v.ToStatus();
}

absl::Status ValidateAssessment(const RiskMatrix& matrix,
                                const Assessment& assessment) {
  FieldViolations v;
  CollectAssessmentViolations(matrix, assessment, "", v);
  return v.ToStatus();
}

absl::StatusOr<Rating> Rate(const RiskMatrix& matrix,
                            const Assessment& assessment) {
  FieldViolations v;
  CollectMatrixViolations(matrix, "matrix.", v);
  if (!v.empty()) return v.ToStatus();
  CollectAssessmentViolations(matrix, assessment, "", v);
  if (!v.empty()) return v.ToStatus();
  return PreparedMatrix(matrix).Rate(assessment);
}

std::vector<Rating> RerateAll(const RiskMatrix& matrix,
                              std::span<const Assessment> assessments) {
  const PreparedMatrix prepared(matrix);
  std::vector<Rating> ratings;
  ratings.reserve(assessments.size());
  for (const Assessment& a : assessments) ratings.push_back(prepared.Rate(a));
  return ratings;
}

absl::StatusOr<CombinedExposure> Combine(const RiskMatrix& matrix,
                                         std::span<const Assessment> members) {
  FieldViolations v;
  CollectMatrixViolations(matrix, "matrix.", v);
  if (!v.empty()) return v.ToStatus();
  for (size_t i = 0; i < members.size(); ++i) {
    CollectAssessmentViolations(matrix, members[i],
                                absl::StrCat("members[", i, "]."), v);
  }
  if (!v.empty()) return v.ToStatus();

  const PreparedMatrix prepared(matrix);
  CombinedExposure combined;
  double probability_none = 1.0;
  for (const Assessment& a : members) {
    const Rating r = prepared.Rate(a);
    probability_none *= 1.0 - matrix.probability_of_level[a.probability - 1];
    if (__builtin_add_overflow(combined.expected_value_minor,
                               r.expected_value_minor,
                               &combined.expected_value_minor) ||
        __builtin_add_overflow(combined.worst_case_minor, a.cost_impact_minor,
                               &combined.worst_case_minor)) {
      return absl::OutOfRangeError(
          "combined exposure overflows 64-bit minor units");
    }
    if (r.score > combined.max_score) {
      combined.max_score = r.score;
      combined.max_rating = r.rating;
    }
  }
  combined.probability_any = members.empty() ? 0.0 : 1.0 - probability_none;
  return combined;
}

}  // namespace pmo::riskscoring
