#pragma once

// Which role may call which RPC: one rule for every method of every PMO
// service, read from the method's descriptor so a new RPC is covered the
// day it is added (docs/security.md is the table this produces).
//
//   kind       how it is told                      who may call it
//   read       name starts Get/List/Search/Find/   admin, analyst, service;
//              Compare                             a project manager when the
//                                                  request names only projects
//                                                  they manage
//   write      any other name, request names a     admin; the manager of every
//              project (project_id, scope_id,      project named
//              *_project_id(s))
//   pmo-wide   any other name, request names no    admin only
//   write      project
//
// "Names a project" is decided on the received request with protobuf
// reflection, so a manager cannot reach another project by leaving the
// field out: a read naming no project is a cross-project read, refused.
//
// Except for the consolidated views and reports (AnswersForCaller): there
// a manager's cross-project read is let through and the handler answers
// over the manager's projects only (project_scope.h), totals included.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "libs/auth/principal.h"

namespace pmo::auth {

enum class MethodKind { kRead, kWrite };

// kRead for the read verbs above, else kWrite.
MethodKind KindOf(const google::protobuf::MethodDescriptor& method);

// The project ids a request names: its top-level string fields project_id,
// scope_id and *_project_id, and repeated *project_ids; empty values left out.
std::vector<std::string> ProjectIdsOf(const google::protobuf::Message& request);
// True when the request type has any such field.
bool NamesProjects(const google::protobuf::Descriptor& request);

// True for the reads whose handler narrows the answer to the caller's
// ProjectScope: the projection's portfolio list and overview, its
// consolidated views, and the reporting service's reports. Listed by full
// method name, because a handler that does not narrow would leak; each is
// checked with a manager's token in tests/security_test.cc.
bool AnswersForCaller(const google::protobuf::MethodDescriptor& method);

// OK, or PERMISSION_DENIED saying which role the call needs (naming the
// method and, for a manager, the project; never a token).
absl::Status Authorize(const Principal& principal,
                       const google::protobuf::MethodDescriptor& method,
                       const google::protobuf::Message& request);

// One line of docs/security.md's table for `method`: "| method | kind |
// who |".
std::string AccessTableRow(const google::protobuf::MethodDescriptor& method);

}  // namespace pmo::auth
