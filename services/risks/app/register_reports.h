#pragma once

// Read-only answers over the whole register: what is overdue (reviews and
// response actions), and the contingency reserve of a scope over time,
// folded from the risk events' history.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "libs/base/clock.h"
#include "libs/eventstore/event_store.h"
#include "pmo/risks/v1/risks_service.pb.h"
#include "services/risks/app/risk_scopes.h"

namespace pmo::risks {

struct Overdue {
  std::vector<v1::OverdueReview> reviews;  // most overdue first
  std::vector<v1::OverdueAction> actions;  // most overdue first
};

class RegisterReports {
 public:
  RegisterReports(eventstore::EventStore& store, RiskScopes& scopes,
                  const Clock& clock = Clock::Real())
      : store_(store), scopes_(scopes), clock_(clock) {}

  // Open risks of `scope_id` (every scope when empty) whose next review,
  // and their open actions whose due date, is before `as_of`.
  absl::StatusOr<Overdue> ListOverdue(const std::string& scope_id,
                                      std::optional<absl::CivilDay> as_of);

  // The reserve at the end of `from`, of every later day up to `to` on
  // which it changed, and of `to`. A risk counts on a day when it was open
  // at its end; its expected value is the one of its rating then (residual
  // where assessed, else inherent). Days are UTC days of the events'
  // business time; the scope's projects and programmes are taken as placed
  // now. Unset `from`: the day of the first risk event; unset `to`: today.
  absl::StatusOr<std::vector<v1::ContingencyPoint>> ContingencyReserve(
      v1::RiskLevel level, const std::string& scope_id,
      std::optional<absl::CivilDay> from, std::optional<absl::CivilDay> to);

 private:
  absl::CivilDay Today() const;

  eventstore::EventStore& store_;
  RiskScopes& scopes_;
  const Clock& clock_;
};

}  // namespace pmo::risks
