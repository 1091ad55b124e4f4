#pragma once

// How the risks adapter answers: aggregates with their stream version.

#include <string>

#include "absl/status/statusor.h"
#include "libs/base/errors.h"
#include "libs/grpcserver/request_checks.h"
#include "libs/grpcserver/status_mapping.h"
#include "services/risks/app/issue_handlers.h"
#include "services/risks/app/risk_handlers.h"

namespace pmo::risks {

inline v1::Risk ToProto(const VersionedRisk& r) {
  v1::Risk out = r.state.state();
  out.set_version(r.version);
  return out;
}

inline v1::CombinedRisk ToProto(const VersionedCombinedRisk& c) {
  v1::CombinedRisk out = c.state.state();
  out.set_version(c.version);
  return out;
}

inline v1::Issue ToProto(const VersionedIssue& i) {
  v1::Issue out = i.state.state();
  out.set_version(i.version);
  return out;
}

inline void CheckRiskId(FieldViolations& v, const std::string& id) {
  grpcserver::CheckUuid(v, "risk_id", id);
}

// Answers a command or query with the risk (or its error).
template <typename Response>
grpc::Status Answer(const absl::StatusOr<VersionedRisk>& risk,
                    Response* response) {
  if (!risk.ok()) return grpcserver::ToGrpcStatus(risk.status());
  *response->mutable_risk() = ToProto(*risk);
  return grpc::Status::OK;
}

// Answers a command or query with the issue (or its error).
template <typename Response>
grpc::Status AnswerIssue(const absl::StatusOr<VersionedIssue>& issue,
                         Response* response) {
  if (!issue.ok()) return grpcserver::ToGrpcStatus(issue.status());
  *response->mutable_issue() = ToProto(*issue);
  return grpc::Status::OK;
}

}  // namespace pmo::risks
