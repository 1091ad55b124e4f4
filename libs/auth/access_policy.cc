#include "libs/auth/access_policy.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/base/status_macros.h"

namespace pmo::auth {
namespace {

using google::protobuf::FieldDescriptor;

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool IsRoleAllowedEverything(const Principal& p) {
  return p.Has(Role::kPmoAdmin);
}

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

// The RPCs keyed by an item id whose project the service resolves
// (ItemScopes): a manager of the item's project may call them, a viewer
// may read. Listed, so that a service's answer widens no other RPC; each is
// called with every role in tests/access_matrix_test.cc.
struct ItemKeyed {
  absl::string_view method;
  // The person an item belongs to may read it (a stakeholder's inbox).
  bool owner_reads = false;
  // The item belongs to projects (else only to its owner).
  bool by_project = true;
  // Who else may call it by office (ItemScope::office_holders), as the
  // access table words it; empty: nobody by office.
  absl::string_view office = "";
};
constexpr ItemKeyed kItemKeyed[] = {
    {"pmo.risks.v1.RisksService.GetRisk"},
    {"pmo.risks.v1.RisksService.GetRiskHistory"},
    {"pmo.risks.v1.RisksService.AssessRisk"},
    {"pmo.risks.v1.RisksService.PlanResponse"},
    {"pmo.risks.v1.RisksService.CompleteResponseAction"},
    {"pmo.risks.v1.RisksService.ChangeRiskStatus"},
    {"pmo.risks.v1.RisksService.EscalateRisk"},
    {"pmo.risks.v1.RisksService.GetIssue"},
    {"pmo.risks.v1.RisksService.ReassignIssue"},
    {"pmo.risks.v1.RisksService.ResolveIssue"},
    // Every member risk's project: a manager must manage them all.
    {"pmo.risks.v1.RisksService.CombineRisks"},
    {"pmo.risks.v1.RisksService.GetCombinedRisk"},
    {"pmo.resources.v1.ResourcesService.CancelAllocation"},
    // The requesting project's.
    {"pmo.resources.v1.ResourcesService.DecideCapacityRequest"},
    {"pmo.resources.v1.ResourcesService.FulfilCapacityRequest"},
    {"pmo.configuration.v1.ConfigurationService.GetConfigurationItem"},
    {"pmo.configuration.v1.ConfigurationService.RecordItemVersion"},
    {"pmo.configuration.v1.ConfigurationService.ChangeItemStatus"},
    {"pmo.configuration.v1.ConfigurationService.LinkConfigurationItems"},
    {"pmo.configuration.v1.ConfigurationService.GetBaseline"},
    {"pmo.configuration.v1.ConfigurationService.CompareBaselines"},
    {"pmo.configuration.v1.ChangeControlService.GetChangeRequest", false, true,
     "its board's members"},
    {"pmo.reporting.v1.CommunicationService.GetCommunicationPlan"},
    {"pmo.reporting.v1.CommunicationService.AddDistribution"},
    {"pmo.configuration.v1.ChangeControlService.AssessChangeRequest"},
    {"pmo.configuration.v1.ChangeControlService.CastBoardVote", false, true,
     "its board's members"},
    {"pmo.configuration.v1.ChangeControlService.DecideChangeRequest", false,
     true, "its board's chair"},
    {"pmo.configuration.v1.ChangeControlService.RecordImplementation"},
    {"pmo.configuration.v1.ChangeControlService.VerifyChangeRequest"},
    {"pmo.configuration.v1.ChangeControlService.CloseChangeRequest"},
    {"pmo.configuration.v1.DocumentsService.GetDocument"},
    {"pmo.configuration.v1.DocumentsService.GetDocumentBody"},
    {"pmo.configuration.v1.DocumentsService.DraftDocumentVersion"},
    {"pmo.configuration.v1.DocumentsService.RequestDocumentReview"},
    {"pmo.configuration.v1.DocumentsService.ReviewDocument"},
    {"pmo.configuration.v1.DocumentsService.ApproveDocumentVersion"},
    {"pmo.configuration.v1.DocumentsService.PublishDocumentVersion"},
    {"pmo.configuration.v1.DocumentsService.RetireDocument"},
    {"pmo.configuration.v1.QualityService.GetAudit"},
    {"pmo.configuration.v1.QualityService.StartAudit"},
    {"pmo.configuration.v1.QualityService.RecordAuditFinding"},
    {"pmo.configuration.v1.QualityService.AssignCorrectiveAction"},
    {"pmo.configuration.v1.QualityService.CompleteCorrectiveAction"},
    {"pmo.configuration.v1.QualityService.VerifyCorrectiveAction"},
    {"pmo.configuration.v1.QualityService.CloseAuditFinding"},
    {"pmo.configuration.v1.QualityService.CompleteAudit"},
    {"pmo.reporting.v1.CommunicationService.ListInbox", true, false},
    {"pmo.reporting.v1.CommunicationService.WatchInbox", true, false},
};

// Writes that name a project but change what the PMO holds across
// projects: a programme's membership (and so its portfolio's), the whole
// applicability list of a document (a manager adds or removes their own
// project with Add/RemoveDocumentApplicability). The administrator's.
constexpr absl::string_view kPmoOnlyWrites[] = {
    "pmo.projects.v1.PortfoliosService.AssignProjectToProgramme",
    "pmo.configuration.v1.DocumentsService.SetDocumentApplicability",
};

bool IsPmoOnlyWrite(const google::protobuf::MethodDescriptor& method) {
  for (absl::string_view name : kPmoOnlyWrites) {
    if (method.full_name() == name) return true;
  }
  return false;
}

const ItemKeyed* ItemKeyedOf(const google::protobuf::MethodDescriptor& method) {
  for (const ItemKeyed& keyed : kItemKeyed) {
    if (method.full_name() == keyed.method) return &keyed;
  }
  return nullptr;
}

}  // namespace

bool IsProjectField(const FieldDescriptor& field) {
  if (field.type() != FieldDescriptor::TYPE_STRING) return false;
  const std::string& name = field.name();
  if (field.is_repeated()) return absl::EndsWith(name, "project_ids");
  return name == "project_id" || name == "scope_id" ||
         absl::EndsWith(name, "_project_id");
}

bool IsItemKeyed(const google::protobuf::MethodDescriptor& method) {
  return ItemKeyedOf(method) != nullptr;
}

MethodKind KindOf(const google::protobuf::MethodDescriptor& method) {
  // Rank and Watch compute or stream an answer and change nothing.
  for (absl::string_view verb :
       {"Get", "List", "Search", "Find", "Compare", "Rank", "Watch"}) {
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

std::vector<std::string> ProjectIdsOf(
    const google::protobuf::Message& request) {
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
                       const google::protobuf::Message& request,
                       const ItemScopeLookup& item_scope) {
  if (IsRoleAllowedEverything(principal)) return absl::OkStatus();
  const MethodKind kind = KindOf(method);
  if (kind == MethodKind::kRead && principal.ReadsEverything())
    return absl::OkStatus();

  std::vector<std::string> ids = ProjectIdsOf(request);
  std::optional<ItemScope> item;
  const ItemKeyed* keyed = ItemKeyedOf(method);
  if (item_scope && keyed != nullptr) {
    ASSIGN_OR_RETURN(item, item_scope());
    if (item) {
      if (kind == MethodKind::kRead && keyed->owner_reads &&
          Contains(item->owners, principal.subject)) {
        return absl::OkStatus();
      }
      if (!keyed->office.empty() &&
          Contains(item->office_holders, principal.subject)) {
        return absl::OkStatus();
      }
      ids.insert(ids.end(), item->project_ids.begin(), item->project_ids.end());
    }
  }
  const bool may_write_projects =
      principal.Has(Role::kProjectManager) && !IsPmoOnlyWrite(method);
  const bool may_read_projects =
      principal.Has(Role::kProjectManager) || principal.Has(Role::kViewer);
  const bool allowed_here =
      kind == MethodKind::kRead ? may_read_projects : may_write_projects;
  if (allowed_here) {
    if (!ids.empty()) {
      for (const std::string& id : ids) {
        const bool ok = kind == MethodKind::kRead ? principal.ReadsProject(id)
                                                  : principal.Manages(id);
        if (!ok) {
          return absl::PermissionDeniedError(
              absl::StrCat(method.name(), ": ", principal.subject,
                           may_write_projects ? " does not manage project "
                                              : " may not read project ",
                           id));
        }
      }
      return absl::OkStatus();
    }
    // Naming none: the handler answers over the caller's projects.
    if (AnswersForCaller(method)) return absl::OkStatus();
  }
  if (kind == MethodKind::kRead) {
    return absl::PermissionDeniedError(absl::StrCat(
        method.name(),
        ": a cross-project read needs pmo_admin, pmo_analyst or service"));
  }
  if (IsPmoOnlyWrite(method)) {
    return absl::PermissionDeniedError(absl::StrCat(
        method.name(),
        ": changes what the PMO holds across projects; needs pmo_admin"));
  }
  return absl::PermissionDeniedError(absl::StrCat(
      method.name(),
      NamesProjects(*method.input_type())
          ? ": needs pmo_admin or the manager of the project named"
      : item ? ": needs pmo_admin or the manager of the item's project"
             : ": a PMO-wide change needs pmo_admin"));
}

std::string AccessTableRow(const google::protobuf::MethodDescriptor& method) {
  const bool read = KindOf(method) == MethodKind::kRead;
  const ItemKeyed* keyed = ItemKeyedOf(method);
  std::string kind;
  // What a manager (of the project asked about, or of another) and a
  // viewer of the project get.
  std::string own = "yes", other = "no";
  if (AnswersForCaller(method)) {
    kind = "read (narrowed)";
    own = other = "their projects";
  } else if (IsPmoOnlyWrite(method)) {
    kind = "write (PMO-wide)";
    own = "no";
  } else if (NamesProjects(*method.input_type())) {
    kind = read ? "read (project)" : "write (project)";
  } else if (keyed != nullptr) {
    kind = read ? "read (item)" : "write (item)";
    if (!keyed->office.empty()) {
      kind = absl::StrCat(read ? "read" : "write", " (item; also ",
                          keyed->office, ")");
    }
    if (!keyed->by_project) own = "no";
  } else {
    kind = read ? "read (cross-project)" : "write (PMO-wide)";
    own = "no";
  }
  const std::string viewer = read ? own : "no";
  const std::string stakeholder =
      keyed != nullptr && keyed->owner_reads ? "own items" : "no";
  return absl::StrCat("| `", method.service()->name(), "/", method.name(),
                      "` | ", kind, " | yes | ", read ? "yes" : "no", " | ",
                      own, " | ", other, " | ", viewer, " | ", stakeholder,
                      " | no |");
}

}  // namespace pmo::auth
