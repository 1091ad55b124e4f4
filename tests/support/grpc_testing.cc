#include "tests/support/grpc_testing.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace pmo::testing {

std::shared_ptr<grpc::Channel> LoopbackChannel(int port) {
  return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                             grpc::InsecureChannelCredentials());
}

std::shared_ptr<grpc::Channel> LoopbackChannel(
    int port, const grpcclient::ClientSecurity& security) {
  return grpcclient::ChannelTo(absl::StrCat("127.0.0.1:", port), security);
}

std::vector<std::string> BadRequestFields(const grpc::Status& status) {
  std::vector<std::string> fields;
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return fields;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad;
    if (any.UnpackTo(&bad)) {
      for (const auto& v : bad.field_violations()) fields.push_back(v.field());
    }
  }
  return fields;
}

std::vector<std::string> PreconditionRules(const grpc::Status& status) {
  std::vector<std::string> rules;
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return rules;
  for (const auto& any : details.details()) {
    google::rpc::PreconditionFailure failure;
    if (any.UnpackTo(&failure)) {
      for (const auto& v : failure.violations()) rules.push_back(v.type());
    }
  }
  return rules;
}

int64_t ConflictCurrentVersion(const grpc::Status& status) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return -1;
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info) && info.reason() == "VERSION_CONFLICT") {
      int64_t v = -1;
      if (absl::SimpleAtoi(info.metadata().at("current_version"), &v)) return v;
    }
  }
  return -1;
}

int PortFromStartupLine(const std::string& line) {
  const size_t at = line.find(" port ");
  if (at == std::string::npos) return 0;
  int port = 0;
  size_t end = line.find_first_not_of("0123456789", at + 6);
  if (!absl::SimpleAtoi(line.substr(at + 6, end - (at + 6)), &port)) return 0;
  return port;
}

}  // namespace pmo::testing
