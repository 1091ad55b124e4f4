#include "services/risks/domain/issue.h"

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"
#include "libs/dates/calendar_dates.h"
#include "services/risks/domain/risk.h"

namespace pmo::risks {
namespace {

bool IsPriority(v1::IssuePriority p) {
  return p != v1::ISSUE_PRIORITY_UNSPECIFIED && v1::IssuePriority_IsValid(p);
}

}  // namespace

void IssueAggregate::Apply(const google::protobuf::Message& event, absl::Time) {
  if (const auto* r = dynamic_cast<const v1::IssueRaised*>(&event)) {
    state_.set_issue_id(r->issue_id());
    state_.set_level(r->level());
    state_.set_scope_id(r->scope_id());
    state_.set_title(r->title());
    state_.set_description(r->description());
    state_.set_priority(r->priority());
    state_.set_owner(r->owner());
    state_.set_risk_id(r->risk_id());
    *state_.mutable_raised_on() = r->raised_on();
    state_.set_status(v1::ISSUE_STATUS_OPEN);
  } else if (const auto* a = dynamic_cast<const v1::IssueReassigned*>(&event)) {
    state_.set_priority(a->priority());
    state_.set_owner(a->owner());
  } else if (const auto* s = dynamic_cast<const v1::IssueResolved*>(&event)) {
    state_.set_status(v1::ISSUE_STATUS_RESOLVED);
    state_.set_resolution(s->resolution());
    *state_.mutable_resolved_on() = s->resolved_on();
  }
}

absl::Status IssueAggregate::CheckOpen() const {
  if (!exists()) return absl::NotFoundError("issue not found");
  if (state_.status() != v1::ISSUE_STATUS_OPEN) {
    return RuleViolationError("ISSUE_LIFECYCLE",
                              absl::StrCat("issues/", state_.issue_id()),
                              "a resolved issue cannot change");
  }
  return absl::OkStatus();
}

absl::StatusOr<eventsourcing::Decision> IssueAggregate::Raise(
    v1::IssueRaised issue) const {
  if (exists()) return absl::AlreadyExistsError("issue exists");
  FieldViolations v;
  if (issue.level() == v1::RISK_LEVEL_UNSPECIFIED ||
      !v1::RiskLevel_IsValid(issue.level())) {
    v.Add("level", "must be PROJECT, PROGRAMME or PORTFOLIO");
  }
  CheckText(v, "scope_id", issue.scope_id(), 64);
  CheckText(v, "title", issue.title(), 200);
  CheckOptionalText(v, "description", issue.description(), 4000,
                    TextKind::kMultiline);
  if (!IsPriority(issue.priority()))
    v.Add("priority", "must be LOW, MEDIUM, HIGH or CRITICAL");
  CheckText(v, "owner", issue.owner(), 128);
  if (!dates::IsRealDate(issue.raised_on()))
    v.Add("raised_on", "must be a real date");
  RETURN_IF_ERROR(v.ToStatus());
  eventsourcing::Decision decision;
  decision.events.push_back(
      std::make_unique<v1::IssueRaised>(std::move(issue)));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> IssueAggregate::Reassign(
    v1::IssuePriority priority, const std::string& owner) const {
  FieldViolations v;
  if (!IsPriority(priority))
    v.Add("priority", "must be LOW, MEDIUM, HIGH or CRITICAL");
  CheckText(v, "owner", owner, 128);
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(CheckOpen());
  eventsourcing::Decision decision;
  if (priority == state_.priority() && owner == state_.owner()) return decision;
  auto reassigned = std::make_unique<v1::IssueReassigned>();
  reassigned->set_issue_id(state_.issue_id());
  reassigned->set_priority(priority);
  reassigned->set_owner(owner);
  decision.events.push_back(std::move(reassigned));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> IssueAggregate::Resolve(
    const std::string& resolution,
    const google::type::Date& resolved_on) const {
  FieldViolations v;
  CheckText(v, "resolution", resolution, 4000, TextKind::kMultiline);
  if (!dates::IsRealDate(resolved_on))
    v.Add("resolved_on", "must be a real date");
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(CheckOpen());
  if (dates::Day(resolved_on) < dates::Day(state_.raised_on())) {
    v.Add("resolved_on", "must not be before the day the issue was raised");
    return v.ToStatus();
  }
  auto resolved = std::make_unique<v1::IssueResolved>();
  resolved->set_issue_id(state_.issue_id());
  resolved->set_resolution(resolution);
  *resolved->mutable_resolved_on() = resolved_on;
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(resolved));
  return decision;
}

}  // namespace pmo::risks
