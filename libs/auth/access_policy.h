#pragma once

// Which role may call which RPC: one rule for every method of every PMO
// service, read from the method's descriptor so a new RPC is covered the
// day it is added (docs/security.md is the table this produces).
//
//   kind       how it is told                      who may call it
//   read       name starts Get/List/Search/Find/   admin, analyst, service;
//              Compare/Rank/Watch                  a project manager or viewer
//                                                  when the request names only
//                                                  projects in their
//                                                  pmo_projects; the person an
//                                                  item belongs to (a
//                                                  stakeholder's own inbox)
//   write      any other name, request names a     admin; the manager of every
//              project (project_id, scope_id,      project named
//              *_project_id(s)) or an item of one
//   pmo-wide   any other name, request names no    admin only
//   write      project
//
// "Names a project" is decided on the received request with protobuf
// reflection, so a manager cannot reach another project by leaving the
// field out: a read naming no project is a cross-project read, refused.
// A request keyed by an item id (a risk, an issue, a change request...)
// names the item's project through the service's own records: the gRPC
// service implements ItemScopes, and the item's project counts as named.
// For a few such RPCs an office the service records lets its holder call
// (a change control board's members vote, its chair decides), whatever
// their role; the service's handler then applies the office's own rules.
//
// Except for the consolidated views and reports (AnswersForCaller): there
// a manager's cross-project read is let through and the handler answers
// over the manager's projects only (project_scope.h), totals included.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "libs/auth/principal.h"

namespace pmo::auth {

enum class MethodKind { kRead, kWrite };

// Whom the item a request names belongs to, as the service's own records
// say (never as the request says).
struct ItemScope {
  // The projects owning the item(s); a manager of all of them may act.
  std::vector<std::string> project_ids;
  // People the item belongs to personally (a stakeholder's inbox): they
  // may read it.
  std::vector<std::string> owners;
  // People who act on the item by an office the service records, whatever
  // their role (the members of the change control board that votes on a
  // change request, or its chair who decides it): they may call the RPCs
  // listed as office-held.
  std::vector<std::string> office_holders;
};

// Implemented by a gRPC service whose RPCs are keyed by item ids; the
// method guard finds it on the service (libs/grpcserver/method_guard.h).
class ItemScopes {
 public:
  virtual ~ItemScopes() = default;
  // The scope of the item `request` names, or nullopt when the method is
  // not keyed by an item this service resolves. NOT_FOUND when the item
  // does not exist; any other error is the lookup's.
  virtual absl::StatusOr<std::optional<ItemScope>> ScopeOf(
      const google::protobuf::MethodDescriptor& method,
      const google::protobuf::Message& request) const = 0;
};

// Looks up the scope only when the decision needs it (not for an admin,
// nor for an analyst's read).
using ItemScopeLookup =
    std::function<absl::StatusOr<std::optional<ItemScope>>()>;

// kRead for the read verbs above, else kWrite.
MethodKind KindOf(const google::protobuf::MethodDescriptor& method);

// Whether a request field names a project: a string field project_id,
// scope_id or *_project_id, or a repeated string field *project_ids.
bool IsProjectField(const google::protobuf::FieldDescriptor& field);
// The project ids a request names: its top-level project fields (above);
// empty values left out.
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
// method and, for a manager, the project; never a token). `item_scope`,
// when given, finds the project of an item the request is keyed by; its
// NOT_FOUND is the answer for an item that does not exist.
absl::Status Authorize(const Principal& principal,
                       const google::protobuf::MethodDescriptor& method,
                       const google::protobuf::Message& request,
                       const ItemScopeLookup& item_scope = nullptr);

// True for the RPCs keyed by an item whose project the service resolves
// (listed in access_policy.cc); Authorize consults ItemScopes for these only.
bool IsItemKeyed(const google::protobuf::MethodDescriptor& method);

// The columns of the access table, after the RPC and its kind: who is let
// through (the service's own answer may still refuse).
inline constexpr const char* kAccessTableCallers[] = {
    "admin",
    "analyst",
    "manager of the project",
    "manager of another project",
    "viewer of the project",
    "stakeholder",
    "anonymous"};

// One line of docs/security.md's table for `method`:
// "| `Service/Method` | kind | admin | analyst | ... | anonymous |", each
// caller's cell "yes", "no", "their projects" (answered over the caller's
// projects) or "own items" (what is personally theirs).
std::string AccessTableRow(const google::protobuf::MethodDescriptor& method);

}  // namespace pmo::auth
