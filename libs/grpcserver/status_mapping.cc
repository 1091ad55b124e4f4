#include "libs/grpcserver/status_mapping.h"

#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "libs/base/errors.h"
#include "libs/eventstore/event_store.h"

namespace pmo::grpcserver {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  google::rpc::Status details;
  details.set_code(static_cast<int>(status.code()));
  details.set_message(std::string(status.message()));

  if (std::vector<FieldViolation> fields = FieldViolationsOf(status);
      !fields.empty()) {
    google::rpc::BadRequest bad_request;
    for (const FieldViolation& f : fields) {
      auto* v = bad_request.add_field_violations();
      v->set_field(f.field);
      v->set_description(f.description);
    }
    details.add_details()->PackFrom(bad_request);
  }
  if (RuleViolation rule; RuleViolationOf(status, &rule)) {
    google::rpc::PreconditionFailure failure;
    auto* v = failure.add_violations();
    v->set_type(rule.rule);
    v->set_subject(rule.subject);
    v->set_description(rule.description);
    details.add_details()->PackFrom(failure);
  }
  if (std::optional<int64_t> current = eventstore::CurrentVersionOf(status)) {
    google::rpc::ErrorInfo info;
    info.set_reason("VERSION_CONFLICT");
    info.set_domain("pmo");
    (*info.mutable_metadata())["current_version"] = absl::StrCat(*current);
    details.add_details()->PackFrom(info);
  }
  return grpc::Status(
      static_cast<grpc::StatusCode>(status.code()),
      std::string(status.message()),
      details.details_size() > 0 ? details.SerializeAsString() : std::string());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

}  // namespace pmo::grpcserver
