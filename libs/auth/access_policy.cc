#include "libs/auth/access_policy.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace pmo::auth {
namespace {

using google::protobuf::FieldDescriptor;

bool IsProjectField(const FieldDescriptor& field) {
  if (field.type() != FieldDescriptor::TYPE_STRING) return false;
  const std::string& name = field.name();
  if (field.is_repeated()) return absl::EndsWith(name, "project_ids");
  return name == "project_id" || name == "scope_id" || absl::EndsWith(name, "_project_id");
}

bool IsRoleAllowedEverything(const Principal& p) { return p.Has(Role::kPmoAdmin); }

constexpr absl::string_view kAnsweredForCaller[] = {
    "pmo.projection.v1.PortfolioService.ListPortfolioProjects",
    "pmo.projection.v1.PortfolioService.GetPortfolioOverview",
    "pmo.projection.v1.ConsolidatedViewsService.GetResourceLoad",
    "pmo.projection.v1.ConsolidatedViewsService.ListRiskRegister",
    "pmo.projection.v1.ConsolidatedViewsService.GetRiskExposureHistory",
    "pmo.projection.v1.ConsolidatedViewsService.GetDependencyGraph",
    "pmo.projection.v1.ConsolidatedViewsService.GetConfigurationAcrossProjects",
    "pmo.reporting.v1.ReportsService.GetReport",
};

}  // namespace

MethodKind KindOf(const google::protobuf::MethodDescriptor& method) {
  for (absl::string_view verb : {"Get", "List", "Search", "Find", "Compare"}) {
    if (absl::StartsWith(method.name(), verb)) return MethodKind::kRead;
  }
  return MethodKind::kWrite;
}

bool AnswersForCaller(const google::protobuf::MethodDescriptor& method) {
  if (KindOf(method) != MethodKind::kRead) return false;
  for (absl::string_view name : kAnsweredForCaller) {
    if (method.full_name() == name) return true;
  }
  return false;
}

std::vector<std::string> ProjectIdsOf(const google::protobuf::Message& request) {
  std::vector<std::string> ids;
  const google::protobuf::Descriptor* type = request.GetDescriptor();
  const google::protobuf::Reflection* reflection = request.GetReflection();
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    if (!IsProjectField(*field)) continue;
    if (field->is_repeated()) {
      for (int j = 0; j < reflection->FieldSize(request, field); ++j) {
        std::string id = reflection->GetRepeatedString(request, field, j);
        if (!id.empty()) ids.push_back(std::move(id));
      }
    } else {
      std::string id = reflection->GetString(request, field);
      if (!id.empty()) ids.push_back(std::move(id));
    }
  }
  return ids;
}

bool NamesProjects(const google::protobuf::Descriptor& request) {
  for (int i = 0; i < request.field_count(); ++i) {
    if (IsProjectField(*request.field(i))) return true;
  }
  return false;
}

absl::Status Authorize(const Principal& principal,
                       const google::protobuf::MethodDescriptor& method,
                       const google::protobuf::Message& request) {
  if (IsRoleAllowedEverything(principal)) return absl::OkStatus();
  const MethodKind kind = KindOf(method);
  if (kind == MethodKind::kRead &&
      (principal.Has(Role::kPmoAnalyst) || principal.Has(Role::kService))) {
    return absl::OkStatus();
  }
  if (principal.Has(Role::kProjectManager)) {
    const std::vector<std::string> ids = ProjectIdsOf(request);
    if (!ids.empty()) {
      for (const std::string& id : ids) {
        if (!principal.Manages(id)) {
          return absl::PermissionDeniedError(absl::StrCat(
              method.name(), ": ", principal.subject, " does not manage project ", id));
        }
      }
      return absl::OkStatus();
    }
    // Naming none: the handler answers over the manager's projects.
    if (AnswersForCaller(method)) return absl::OkStatus();
  }
  if (kind == MethodKind::kRead) {
    return absl::PermissionDeniedError(absl::StrCat(
        method.name(), ": a cross-project read needs pmo_admin, pmo_analyst or service"));
  }
  return absl::PermissionDeniedError(absl::StrCat(
      method.name(), NamesProjects(*method.input_type())
                         ? ": needs pmo_admin or the manager of the project named"
                         : ": a PMO-wide change needs pmo_admin"));
}

std::string AccessTableRow(const google::protobuf::MethodDescriptor& method) {
  const bool scoped = NamesProjects(*method.input_type());
  std::string kind, who;
  if (KindOf(method) == MethodKind::kRead) {
    kind = "read";
    who = AnswersForCaller(method) ? "admin, analyst, service; manager: over their projects only"
          : scoped                 ? "admin, analyst, service; manager of the project named"
                                   : "admin, analyst, service";
  } else if (scoped) {
    kind = "write (project)";
    who = "admin; manager of the project named";
  } else {
    kind = "write (PMO-wide)";
    who = "admin";
  }
  return absl::StrCat("| `", method.service()->name(), "/", method.name(), "` | ", kind,
                      " | ", who, " |");
}

}  // namespace pmo::auth
