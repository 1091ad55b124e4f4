#include "services/risks/app/issue_handlers.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "libs/base/errors.h"
#include "libs/base/ids.h"
#include "libs/dates/calendar_dates.h"
#include "libs/eventsourcing/request_ids.h"
#include "services/risks/domain/risk.h"

namespace pmo::risks {

v1::IssuePriority PriorityOfRating(const std::string& rating) {
  if (rating == "CRITICAL") return v1::ISSUE_PRIORITY_CRITICAL;
  if (rating == "HIGH") return v1::ISSUE_PRIORITY_HIGH;
  if (rating == "MEDIUM") return v1::ISSUE_PRIORITY_MEDIUM;
  return v1::ISSUE_PRIORITY_LOW;
}

google::type::Date IssueHandlers::Today() const {
  return dates::ToDate(absl::ToCivilDay(clock_.Now(), absl::UTCTimeZone()));
}

absl::StatusOr<VersionedIssue> IssueHandlers::RaiseIssue(
    v1::IssueRaised issue, eventsourcing::CommandContext context) {
  if (!dates::IsSet(issue.raised_on())) *issue.mutable_raised_on() = Today();
  // Field checks before the scope look-up, so bad input is named as such.
  v1::IssueRaised probe = issue;
  probe.set_issue_id("probe");
  RETURN_IF_ERROR(IssueAggregate().Raise(probe).status());
  RETURN_IF_ERROR(scopes_.CheckKnown(issue.level(), issue.scope_id()));
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  const std::string id = NewUuid();
  issue.set_issue_id(id);
  return eventsourcing::ExecuteCommand<IssueAggregate>(
      store_, id, context,
      [&](const VersionedIssue& i) { return i.state.Raise(issue); },
      eventsourcing::StreamIdentity::kNew);
}

absl::StatusOr<VersionedIssue> IssueHandlers::OpenForOccurredRisk(
    const v1::Risk& risk, const std::string& reason,
    const eventsourcing::CommandContext& context) {
  eventsourcing::CommandContext open = context;
  open.request_id = eventsourcing::DerivedRequestId(
      context.request_id, "occurred-issue", risk.risk_id());
  open.expected_version = std::nullopt;
  open.metadata.causation_id = context.request_id;
  if (open.occurred_at == absl::Time()) open.occurred_at = clock_.Now();
  // A retry answers with the issue the first attempt opened.
  ASSIGN_OR_RETURN(std::optional<eventstore::AppendResult> earlier,
                   eventsourcing::FindEarlierRequest(store_, open));
  const std::string id = earlier ? earlier->stream_id : NewUuid();
  v1::IssueRaised issue;
  issue.set_issue_id(id);
  issue.set_level(risk.level());
  issue.set_scope_id(risk.scope_id());
  issue.set_title(risk.title());
  issue.set_description(absl::StrCat(
      "Risk occurred: ", risk.event().empty() ? risk.title() : risk.event(),
      risk.effect().empty() ? "" : absl::StrCat(" (", risk.effect(), ")"), ". ",
      reason));
  const v1::Rating& rating = risk.has_residual_rating()
                                 ? risk.residual_rating()
                                 : risk.inherent_rating();
  issue.set_priority(PriorityOfRating(rating.rating()));
  issue.set_owner(risk.owner());
  issue.set_risk_id(risk.risk_id());
  *issue.mutable_raised_on() =
      dates::ToDate(absl::ToCivilDay(open.occurred_at, absl::UTCTimeZone()));
  return eventsourcing::ExecuteCommand<IssueAggregate>(
      store_, id, open,
      [&](const VersionedIssue& i) { return i.state.Raise(issue); },
      eventsourcing::StreamIdentity::kNew);
}

absl::StatusOr<VersionedIssue> IssueHandlers::GetIssue(
    const std::string& issue_id) {
  ASSIGN_OR_RETURN(
      VersionedIssue i,
      eventsourcing::LoadAggregate<IssueAggregate>(store_, issue_id));
  if (!i.state.exists())
    return absl::NotFoundError(absl::StrCat("issue ", issue_id, " not found"));
  return i;
}

absl::StatusOr<VersionedIssue> IssueHandlers::ReassignIssue(
    const std::string& issue_id, v1::IssuePriority priority,
    const std::string& owner, eventsourcing::CommandContext context) {
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  return eventsourcing::ExecuteCommand<IssueAggregate>(
      store_, issue_id, context, [&](const VersionedIssue& i) {
        return i.state.Reassign(priority, owner);
      });
}

absl::StatusOr<VersionedIssue> IssueHandlers::ResolveIssue(
    const std::string& issue_id, const std::string& resolution,
    google::type::Date resolved_on, eventsourcing::CommandContext context) {
  if (!dates::IsSet(resolved_on)) resolved_on = Today();
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  return eventsourcing::ExecuteCommand<IssueAggregate>(
      store_, issue_id, context, [&](const VersionedIssue& i) {
        return i.state.Resolve(resolution, resolved_on);
      });
}

absl::StatusOr<std::vector<VersionedIssue>> IssueHandlers::ListIssues(
    const std::string& scope_id, bool include_resolved, int limit) {
  if (limit < 0 || limit > 1000) {
    FieldViolations v;
    v.Add("page_size", "must be between 0 and 1000");
    return v.ToStatus();
  }
  if (limit == 0) limit = 100;
  ASSIGN_OR_RETURN(std::vector<VersionedIssue> all,
                   eventsourcing::LoadAllOfType<IssueAggregate>(store_));
  std::vector<VersionedIssue> out;
  for (VersionedIssue& i : all) {
    const v1::Issue& issue = i.state.state();
    if (!scope_id.empty() && issue.scope_id() != scope_id) continue;
    if (!include_resolved && issue.status() != v1::ISSUE_STATUS_OPEN) continue;
    out.push_back(std::move(i));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const VersionedIssue& a, const VersionedIssue& b) {
                     const v1::Issue& x = a.state.state();
                     const v1::Issue& y = b.state.state();
                     const bool x_open = x.status() == v1::ISSUE_STATUS_OPEN;
                     const bool y_open = y.status() == v1::ISSUE_STATUS_OPEN;
                     if (x_open != y_open) return x_open;
                     return x.priority() > y.priority();
                   });
  if (static_cast<int>(out.size()) > limit) out.resize(limit);
  return out;
}

}  // namespace pmo::risks
