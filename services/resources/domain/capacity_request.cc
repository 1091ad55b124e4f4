#include "services/resources/domain/capacity_request.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"
#include "libs/base/text_checks.h"
#include "services/resources/domain/resource.h"

namespace pmo::resources {

void CapacityRequestAggregate::Apply(const google::protobuf::Message& event,
                                     absl::Time) {
  if (const auto* r = dynamic_cast<const v1::CapacityRequested*>(&event)) {
    state_.set_request_id(r->capacity_request_id());
    state_.set_project_id(r->project_id());
    *state_.mutable_skill() = r->skill();
    state_.set_unit(r->unit());
    state_.set_amount(r->amount());
    *state_.mutable_from() = r->from();
    *state_.mutable_to() = r->to();
    state_.set_requested_by(r->requested_by());
    state_.set_status(v1::CAPACITY_REQUEST_STATUS_REQUESTED);
  } else if (const auto* a =
                 dynamic_cast<const v1::CapacityRequestApproved*>(&event)) {
    state_.set_status(v1::CAPACITY_REQUEST_STATUS_APPROVED);
    state_.set_decision_reason(a->reason());
  } else if (const auto* r =
                 dynamic_cast<const v1::CapacityRequestRejected*>(&event)) {
    state_.set_status(v1::CAPACITY_REQUEST_STATUS_REJECTED);
    state_.set_decision_reason(r->reason());
  } else if (const auto* f =
                 dynamic_cast<const v1::CapacityRequestFulfilled*>(&event)) {
    state_.set_status(v1::CAPACITY_REQUEST_STATUS_FULFILLED);
    state_.set_resource_id(f->resource_id());
    state_.set_allocation_id(f->allocation_id());
  }
}

absl::StatusOr<eventsourcing::Decision> CapacityRequestAggregate::Request(
    v1::CapacityRequested request) const {
  if (exists()) return absl::AlreadyExistsError("capacity request exists");
  v1::Allocation shape;
  shape.set_project_id(request.project_id());
  *shape.mutable_from() = request.from();
  *shape.mutable_to() = request.to();
  shape.set_unit(request.unit());
  shape.set_amount(request.amount());
  FieldViolations v;
  v.AddAll(ValidateAllocationShape(shape));
  CheckText(v, "skill.name", request.skill().name(), 100);
  if (request.skill().level() < 1 || request.skill().level() > 5)
    v.Add("skill.level", "must be 1-5");
  RETURN_IF_ERROR(v.ToStatus());
  eventsourcing::Decision decision;
  decision.events.push_back(
      std::make_unique<v1::CapacityRequested>(std::move(request)));
  return decision;
}

absl::Status CapacityRequestAggregate::CheckOpen(const char* action) const {
  if (!exists()) return absl::NotFoundError("capacity request not found");
  const v1::CapacityRequestStatus s = state_.status();
  if (s == v1::CAPACITY_REQUEST_STATUS_REJECTED ||
      s == v1::CAPACITY_REQUEST_STATUS_FULFILLED) {
    return RuleViolationError(
        "CAPACITY_REQUEST_LIFECYCLE",
        absl::StrCat("capacity-requests/", state_.request_id()),
        absl::StrCat("a ", v1::CapacityRequestStatus_Name(s),
                     " request cannot be ", action));
  }
  return absl::OkStatus();
}

absl::StatusOr<eventsourcing::Decision> CapacityRequestAggregate::Approve(
    const std::string& reason) const {
  RETURN_IF_ERROR(CheckOpen("approved"));
  eventsourcing::Decision decision;
  if (state_.status() == v1::CAPACITY_REQUEST_STATUS_APPROVED) return decision;
  auto approved = std::make_unique<v1::CapacityRequestApproved>();
  approved->set_capacity_request_id(state_.request_id());
  approved->set_reason(reason);
  decision.events.push_back(std::move(approved));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> CapacityRequestAggregate::Reject(
    const std::string& reason) const {
  RETURN_IF_ERROR(CheckOpen("rejected"));
  if (absl::StripAsciiWhitespace(reason).empty()) {
    FieldViolations v;
    v.Add("reason", "is required to reject a request");
    return v.ToStatus();
  }
  auto rejected = std::make_unique<v1::CapacityRequestRejected>();
  rejected->set_capacity_request_id(state_.request_id());
  rejected->set_reason(reason);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(rejected));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> CapacityRequestAggregate::Fulfil(
    const std::string& resource_id, const std::string& allocation_id) const {
  RETURN_IF_ERROR(CheckOpen("fulfilled"));
  auto fulfilled = std::make_unique<v1::CapacityRequestFulfilled>();
  fulfilled->set_capacity_request_id(state_.request_id());
  fulfilled->set_resource_id(resource_id);
  fulfilled->set_allocation_id(allocation_id);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(fulfilled));
  return decision;
}

}  // namespace pmo::resources
