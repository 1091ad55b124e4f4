#pragma once

// docs/api.md: every gRPC service and RPC of the PMO contracts, with its
// request and response fields, its comment, who may call it and the errors
// its comments name.
//
// "Who may call it" is libs/auth's rule for the method (the same
// AccessTableRow that docs/security.md's table and access_table_test use),
// so the reference cannot tell a caller something the servers do not
// enforce.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "tools/protodoc/type_sections.h"

namespace pmo::protodoc {

// The gRPC status codes a comment names, in the order it names them, each
// once, followed by the rules it names ("rule SCHEDULE_CYCLE"):
// "FAILED_PRECONDITION (rules SCHEDULE_CYCLE)". "" when it names none.
std::string ErrorsNamedIn(absl::string_view comment);

// The rule libs/auth enforces for `method` (the AccessTableRow of
// docs/security.md): its kind ("read", "write (project)", "write
// (PMO-wide)") and who may call it ("admin; manager of the project named").
std::string KindOfCall(const google::protobuf::MethodDescriptor& method);
std::string WhoMayCall(const google::protobuf::MethodDescriptor& method);

// The whole document for the services of the pmo.* files among `files`.
std::string RenderApiReference(
    const std::vector<const google::protobuf::FileDescriptor*>& files,
    Coverage& coverage);

}  // namespace pmo::protodoc
