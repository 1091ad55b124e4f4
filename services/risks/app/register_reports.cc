#include "services/risks/app/register_reports.h"

#include <algorithm>
#include <map>

#include "libs/base/errors.h"
#include "libs/base/status_macros.h"
#include "libs/dates/calendar_dates.h"
#include "libs/eventsourcing/command_handling.h"
#include "libs/eventsourcing/event_codec.h"
#include "services/risks/domain/risk.h"

namespace pmo::risks {
namespace {

bool IsOpen(const v1::Risk& risk) {
  return risk.status() == v1::RISK_STATUS_IDENTIFIED ||
         risk.status() == v1::RISK_STATUS_ASSESSED ||
         risk.status() == v1::RISK_STATUS_RESPONDING;
}

struct Reserve {
  int64_t threats = 0;
  int64_t opportunities = 0;
  int open = 0;

  void Add(const v1::Risk& risk, int sign) {
    if (!IsOpen(risk)) return;
    const v1::Rating& rating = risk.has_residual_rating()
                                   ? risk.residual_rating()
                                   : risk.inherent_rating();
    (risk.kind() == v1::RISK_KIND_OPPORTUNITY ? opportunities : threats) +=
        sign * rating.expected_value_minor();
    open += sign;
  }
  v1::ContingencyPoint ToPoint(absl::CivilDay day) const {
    v1::ContingencyPoint p;
    *p.mutable_date() = dates::ToDate(day);
    p.set_threat_expected_value_minor(threats);
    p.set_opportunity_expected_value_minor(opportunities);
    p.set_open_risks(open);
    return p;
  }
};

}  // namespace

absl::CivilDay RegisterReports::Today() const {
  return absl::ToCivilDay(clock_.Now(), absl::UTCTimeZone());
}

absl::StatusOr<Overdue> RegisterReports::ListOverdue(
    const std::string& scope_id, std::optional<absl::CivilDay> as_of) {
  const absl::CivilDay day = as_of.value_or(Today());
  ASSIGN_OR_RETURN(auto all,
                   eventsourcing::LoadAllOfType<RiskAggregate>(store_));
  Overdue out;
  for (const auto& r : all) {
    const v1::Risk& risk = r.state.state();
    if (!IsOpen(risk) || (!scope_id.empty() && risk.scope_id() != scope_id))
      continue;
    if (dates::IsRealDate(risk.next_review()) &&
        dates::Day(risk.next_review()) < day) {
      v1::OverdueReview review;
      review.set_risk_id(risk.risk_id());
      review.set_scope_id(risk.scope_id());
      review.set_title(risk.title());
      review.set_owner(risk.owner());
      *review.mutable_next_review() = risk.next_review();
      review.set_days_overdue(
          static_cast<int32_t>(day - dates::Day(risk.next_review())));
      out.reviews.push_back(std::move(review));
    }
    for (const v1::ResponseAction& a : risk.actions()) {
      if (a.done() || !dates::IsRealDate(a.due()) ||
          !(dates::Day(a.due()) < day))
        continue;
      v1::OverdueAction action;
      action.set_risk_id(risk.risk_id());
      action.set_scope_id(risk.scope_id());
      action.set_risk_title(risk.title());
      *action.mutable_action() = a;
      action.set_days_overdue(static_cast<int32_t>(day - dates::Day(a.due())));
      out.actions.push_back(std::move(action));
    }
  }
  std::stable_sort(out.reviews.begin(), out.reviews.end(),
                   [](const auto& a, const auto& b) {
                     return a.days_overdue() > b.days_overdue();
                   });
  std::stable_sort(out.actions.begin(), out.actions.end(),
                   [](const auto& a, const auto& b) {
                     return a.days_overdue() > b.days_overdue();
                   });
  return out;
}

absl::StatusOr<std::vector<v1::ContingencyPoint>>
RegisterReports::ContingencyReserve(v1::RiskLevel level,
                                    const std::string& scope_id,
                                    std::optional<absl::CivilDay> from,
                                    std::optional<absl::CivilDay> to) {
  FieldViolations v;
  if (level == v1::RISK_LEVEL_UNSPECIFIED || !v1::RiskLevel_IsValid(level)) {
    v.Add("level", "must be PROJECT, PROGRAMME or PORTFOLIO");
  }
  if (scope_id.empty()) v.Add("scope_id", "is required");
  if (from && to && *to < *from) v.Add("to", "must not be before from");
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(scopes_.CheckKnown(level, scope_id));

  // Fold the risk events in store order, keeping the scope's reserve at the
  // end of every day on which it changed.
  std::map<std::string, RiskAggregate> risks;
  std::map<std::string, bool> within;
  std::map<absl::CivilDay, Reserve> end_of_day;
  Reserve reserve;
  std::optional<absl::CivilDay> last_day;
  for (int64_t after = 0;;) {
    ASSIGN_OR_RETURN(std::vector<eventstore::RecordedEvent> batch,
                     store_.ReadAll(after, 2000));
    if (batch.empty()) break;
    for (const eventstore::RecordedEvent& e : batch) {
      after = e.position;
      if (e.stream_type != RiskAggregate::kStreamType) continue;
      ASSIGN_OR_RETURN(std::unique_ptr<google::protobuf::Message> event,
                       eventsourcing::DecodeEvent(e.event_type, e.payload));
      RiskAggregate& risk = risks[e.stream_id];
      auto in_scope = within.find(e.stream_id);
      if (in_scope != within.end() && in_scope->second)
        reserve.Add(risk.state(), -1);
      risk.Apply(*event, e.occurred_at);
      if (in_scope == within.end()) {
        ASSIGN_OR_RETURN(
            bool is_within,
            scopes_.IsWithin(risk.state().level(), risk.state().scope_id(),
                             level, scope_id));
        in_scope = within.emplace(e.stream_id, is_within).first;
      }
      if (!in_scope->second) continue;
      reserve.Add(risk.state(), +1);
      // A business time earlier than one already seen counts on the later
      // day: the series never goes back.
      absl::CivilDay day = absl::ToCivilDay(e.occurred_at, absl::UTCTimeZone());
      if (last_day && day < *last_day) day = *last_day;
      last_day = day;
      end_of_day[day] = reserve;
    }
  }
  const absl::CivilDay last = to.value_or(Today());
  const absl::CivilDay first =
      from.value_or(end_of_day.empty() ? last : end_of_day.begin()->first);
  if (last < first) {
    v.Add("to", "must not be before the first risk event's day (from)");
    return v.ToStatus();
  }
  auto at = [&](absl::CivilDay day) {
    auto it = end_of_day.upper_bound(day);
    return it == end_of_day.begin() ? Reserve{} : std::prev(it)->second;
  };
  std::vector<v1::ContingencyPoint> points{at(first).ToPoint(first)};
  for (auto it = end_of_day.upper_bound(first);
       it != end_of_day.end() && it->first < last; ++it) {
    points.push_back(it->second.ToPoint(it->first));
  }
  if (first < last) points.push_back(at(last).ToPoint(last));
  return points;
}

}  // namespace pmo::risks
