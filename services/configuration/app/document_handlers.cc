#include "services/configuration/app/document_handlers.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/ids.h"
#include "services/configuration/app/actors.h"
#include "services/configuration/app/business_time.h"
#include "services/configuration/domain/field_checks.h"

namespace pmo::configuration {

v1::Document ToProto(const VersionedDocument& document) {
  v1::Document out = document.state.state();
  out.set_version(document.version);
  return out;
}

absl::StatusOr<DocumentDraft> DocumentHandlers::StoreBody(
    DocumentContent content, const std::string& author) {
  DocumentDraft draft;
  draft.author = author;
  draft.change_summary = std::move(content.change_summary);
  draft.media_type = std::move(content.media_type);
  draft.body_size_bytes = static_cast<int64_t>(content.body.size());
  // A 64-character placeholder lets the field checks run before hashing.
  draft.content_sha256 = std::string(64, '0');
  RETURN_IF_ERROR(ValidateDraft(draft));
  ASSIGN_OR_RETURN(draft.content_sha256, bodies_.Put(content.body));
  return draft;
}

absl::StatusOr<VersionedDocument> DocumentHandlers::Run(
    const std::string& document_id, eventsourcing::CommandContext context,
    const DocumentCommand& decide) {
  StampBusinessTime(context, clock_);
  return eventsourcing::ExecuteCommand<DocumentAggregate>(store_, document_id,
                                                          context, decide);
}

absl::StatusOr<VersionedDocument> DocumentHandlers::Create(
    v1::DocumentKind kind, const std::string& title, const std::string& owner,
    DocumentContent content, eventsourcing::CommandContext context) {
  StampBusinessTime(context, clock_);
  ASSIGN_OR_RETURN(DocumentDraft first,
                   StoreBody(std::move(content), context.metadata.actor));
  const std::string id = NewUuid();
  absl::StatusOr<VersionedDocument> created =
      eventsourcing::ExecuteCommand<DocumentAggregate>(
          store_, id, context,
          [&](const VersionedDocument& d) {
            return d.state.Create(id, kind, title, owner, first);
          },
          eventsourcing::StreamIdentity::kNew);
  if (created.status().code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError(
        absl::StrCat("a ", v1::DocumentKind_Name(kind), " titled '", title,
                     "' is already in the library"));
  }
  return created;
}

absl::StatusOr<VersionedDocument> DocumentHandlers::Get(
    const std::string& document_id) {
  ASSIGN_OR_RETURN(
      VersionedDocument d,
      eventsourcing::LoadAggregate<DocumentAggregate>(store_, document_id));
  if (!d.state.exists()) {
    return absl::NotFoundError(
        absl::StrCat("document ", document_id, " not found"));
  }
  return d;
}

absl::StatusOr<std::vector<VersionedDocument>> DocumentHandlers::List(
    v1::DocumentKind kind, const std::string& project_id) {
  if (!v1::DocumentKind_IsValid(kind)) {
    FieldViolations v;
    v.Add("kind", "must be a document kind");
    return v.ToStatus();
  }
  ASSIGN_OR_RETURN(std::vector<VersionedDocument> all,
                   eventsourcing::LoadAllOfType<DocumentAggregate>(store_));
  std::vector<VersionedDocument> out;
  for (VersionedDocument& d : all) {
    if (kind != v1::DOCUMENT_KIND_UNSPECIFIED && d.state.state().kind() != kind)
      continue;
    if (!project_id.empty()) {
      const v1::DocumentVersion* published = d.state.Published();
      if (published == nullptr) continue;
      bool applies = false;
      for (const std::string& id : published->project_ids())
        applies = applies || id == project_id;
      if (!applies) continue;
    }
    out.push_back(std::move(d));
  }
  return out;
}

absl::StatusOr<DocumentBody> DocumentHandlers::GetBody(
    const std::string& document_id, int32_t version_number) {
  ASSIGN_OR_RETURN(VersionedDocument d, Get(document_id));
  const v1::DocumentVersion* version = d.state.FindVersion(version_number);
  if (version == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "document ", document_id, " has no version ", version_number));
  }
  ASSIGN_OR_RETURN(std::optional<std::string> body,
                   bodies_.Get(version->content_sha256()));
  if (!body) {
    return absl::DataLossError(absl::StrCat("the body of document ",
                                            document_id, " version ",
                                            version_number, " is missing"));
  }
  return DocumentBody{*std::move(body), version->content_sha256(),
                      version->media_type()};
}

absl::StatusOr<VersionedDocument> DocumentHandlers::DraftVersion(
    const std::string& document_id, DocumentContent content,
    eventsourcing::CommandContext context) {
  ASSIGN_OR_RETURN(DocumentDraft draft,
                   StoreBody(std::move(content), context.metadata.actor));
  return Run(document_id, std::move(context), [&](const VersionedDocument& d) {
    return d.state.DraftVersion(draft);
  });
}

absl::StatusOr<VersionedDocument> DocumentHandlers::RequestReview(
    const std::string& document_id, int32_t version_number,
    eventsourcing::CommandContext context) {
  return Run(document_id, std::move(context), [&](const VersionedDocument& d) {
    return d.state.RequestReview(version_number);
  });
}

absl::StatusOr<VersionedDocument> DocumentHandlers::Review(
    const std::string& document_id, int32_t version_number,
    const v1::DocumentReview& review, eventsourcing::CommandContext context) {
  return Run(document_id, std::move(context), [&](const VersionedDocument& d) {
    return d.state.Review(version_number, review);
  });
}

absl::StatusOr<VersionedDocument> DocumentHandlers::Approve(
    const std::string& document_id, int32_t version_number,
    const std::string& approved_by, eventsourcing::CommandContext context) {
  return Run(
      document_id, std::move(context),
      [&](const VersionedDocument& d)
          -> absl::StatusOr<eventsourcing::Decision> {
        const v1::DocumentVersion* version =
            d.state.FindVersion(version_number);
        if (version != nullptr && IsNamedPerson(version->author()) &&
            version->author() == approved_by) {
          return RuleViolationError(
              "SEPARATION_OF_DUTIES", absl::StrCat("documents/", document_id),
              absl::StrCat(approved_by, " drafted version ", version_number,
                           " and may not approve it: a second person must"));
        }
        return d.state.Approve(version_number, approved_by);
      });
}

absl::StatusOr<VersionedDocument> DocumentHandlers::Publish(
    const std::string& document_id, int32_t version_number,
    eventsourcing::CommandContext context) {
  return Run(document_id, std::move(context), [&](const VersionedDocument& d) {
    return d.state.Publish(version_number);
  });
}

absl::StatusOr<VersionedDocument> DocumentHandlers::SetApplicability(
    const std::string& document_id, int32_t version_number,
    const std::vector<std::string>& project_ids,
    eventsourcing::CommandContext context) {
  for (size_t i = 0; i < project_ids.size(); ++i) {
    RETURN_IF_ERROR(CheckKnownProject(
        projects_, absl::StrCat("project_ids[", i, "]"), project_ids[i]));
  }
  return Run(document_id, std::move(context), [&](const VersionedDocument& d) {
    return d.state.SetApplicability(version_number, project_ids);
  });
}

absl::StatusOr<VersionedDocument> DocumentHandlers::AddApplicability(
    const std::string& document_id, int32_t version_number,
    const std::string& project_id, eventsourcing::CommandContext context) {
  RETURN_IF_ERROR(CheckProjectField(project_id));
  RETURN_IF_ERROR(CheckKnownProject(projects_, "project_id", project_id));
  return Run(document_id, std::move(context), [&](const VersionedDocument& d) {
    std::vector<std::string> ids;
    if (const v1::DocumentVersion* v = d.state.FindVersion(version_number)) {
      ids.assign(v->project_ids().begin(), v->project_ids().end());
    }
    const bool present =
        std::find(ids.begin(), ids.end(), project_id) != ids.end();
    if (!present) ids.push_back(project_id);
    absl::StatusOr<eventsourcing::Decision> decision =
        d.state.SetApplicability(version_number, ids);
    if (decision.ok() && present) decision->events.clear();  // already applies
    return decision;
  });
}

absl::StatusOr<VersionedDocument> DocumentHandlers::RemoveApplicability(
    const std::string& document_id, int32_t version_number,
    const std::string& project_id, eventsourcing::CommandContext context) {
  RETURN_IF_ERROR(CheckProjectField(project_id));
  return Run(document_id, std::move(context), [&](const VersionedDocument& d) {
    std::vector<std::string> ids;
    if (const v1::DocumentVersion* v = d.state.FindVersion(version_number)) {
      ids.assign(v->project_ids().begin(), v->project_ids().end());
    }
    const size_t before = ids.size();
    ids.erase(std::remove(ids.begin(), ids.end(), project_id), ids.end());
    absl::StatusOr<eventsourcing::Decision> decision =
        d.state.SetApplicability(version_number, ids);
    if (decision.ok() && ids.size() == before)
      decision->events.clear();  // did not apply
    return decision;
  });
}

absl::Status DocumentHandlers::CheckProjectField(
    const std::string& project_id) {
  FieldViolations v;
  CheckText(v, "project_id", project_id, 64);
  return v.ToStatus();
}

absl::StatusOr<VersionedDocument> DocumentHandlers::Retire(
    const std::string& document_id, const std::string& reason,
    eventsourcing::CommandContext context) {
  return Run(document_id, std::move(context), [&](const VersionedDocument& d) {
    return d.state.Retire(reason);
  });
}

}  // namespace pmo::configuration
