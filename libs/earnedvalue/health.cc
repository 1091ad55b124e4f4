#include "libs/earnedvalue/health.h"

#include "libs/base/check.h"

namespace pmo::earnedvalue {

absl::string_view HealthName(Health health) {
  switch (health) {
    case Health::kGreen:
      return "GREEN";
    case Health::kAmber:
      return "AMBER";
    case Health::kRed:
      return "RED";
  }
  PMO_CHECK(false, "Health value outside the enum");
  return "";
}

Health AssessHealth(std::optional<double> spi, std::optional<double> cpi,
                    const HealthThresholds& thresholds) {
  auto below = [](std::optional<double> index, double threshold) {
    return index.has_value() && *index < threshold;
  };
  if (below(spi, thresholds.red_below) || below(cpi, thresholds.red_below)) {
    return Health::kRed;
  }
  if (below(spi, thresholds.green_at_or_above) ||
      below(cpi, thresholds.green_at_or_above)) {
    return Health::kAmber;
  }
  return Health::kGreen;
}

}  // namespace pmo::earnedvalue
