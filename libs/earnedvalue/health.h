#pragma once

// A traffic-light reading of a project's (or portfolio's) SPI and CPI:
//
//   Health health = AssessHealth(ev.spi, ev.cpi);             // defaults
//   Health strict = AssessHealth(ev.spi, ev.cpi, {.green_at_or_above = 1.0,
//                                                 .red_below = 0.9});

#include <optional>

#include "absl/strings/string_view.h"

namespace pmo::earnedvalue {

enum class Health { kGreen, kAmber, kRed };

// "GREEN", "AMBER" or "RED".
absl::string_view HealthName(Health health);

struct HealthThresholds {
  double green_at_or_above = 0.95;  // GREEN needs every index >= this
  double red_below = 0.85;          // RED when any index is < this
};

// RED if SPI or CPI is below `red_below`; else GREEN if each is at least
// `green_at_or_above`; else AMBER. The RED test comes first, so the result is
// well defined even for thresholds that overlap.
//
// An absent index (PV = 0 or AC = 0: nothing planned or nothing spent yet)
// is no evidence of trouble and is left out of the tests, so two absent
// indices read GREEN. A zero index (EV = 0 against some PV or AC) is present
// and reads RED under any positive `red_below`.
Health AssessHealth(std::optional<double> spi, std::optional<double> cpi,
                    const HealthThresholds& thresholds = {});

}  // namespace pmo::earnedvalue
