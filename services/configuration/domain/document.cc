#include "services/configuration/domain/document.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/proto_time.h"
#include "libs/base/status_macros.h"
#include "services/configuration/domain/field_checks.h"

namespace pmo::configuration {
namespace {

constexpr int kMaxApplicableProjects = 1000;

const char* StepName(DocumentStep step) {
  switch (step) {
    case DocumentStep::kRequestReview:
      return "sent to review";
    case DocumentStep::kReview:
      return "reviewed";
    case DocumentStep::kApprove:
      return "approved";
    case DocumentStep::kPublish:
      return "published";
    case DocumentStep::kSetApplicability:
      return "applied to projects";
  }
  return "changed";
}

const char* StepPrecondition(DocumentStep step) {
  switch (step) {
    case DocumentStep::kRequestReview:
      return "only a DRAFT goes to review";
    case DocumentStep::kReview:
      return "only a version IN_REVIEW is reviewed";
    case DocumentStep::kApprove:
      return "only a version IN_REVIEW is approved";
    case DocumentStep::kPublish:
      return "only an APPROVED version is published";
    case DocumentStep::kSetApplicability:
      return "only the PUBLISHED version applies to projects";
  }
  return "";
}

bool IsOpen(v1::DocumentVersionStatus s) {
  return s == v1::DOCUMENT_VERSION_STATUS_DRAFT ||
         s == v1::DOCUMENT_VERSION_STATUS_IN_REVIEW;
}

std::string Subject(const v1::Document& d) {
  return absl::StrCat("documents/", d.document_id());
}

}  // namespace

bool DocumentStepAllowed(v1::DocumentVersionStatus status, DocumentStep step) {
  switch (step) {
    case DocumentStep::kRequestReview:
      return status == v1::DOCUMENT_VERSION_STATUS_DRAFT;
    case DocumentStep::kReview:
    case DocumentStep::kApprove:
      return status == v1::DOCUMENT_VERSION_STATUS_IN_REVIEW;
    case DocumentStep::kPublish:
      return status == v1::DOCUMENT_VERSION_STATUS_APPROVED;
    case DocumentStep::kSetApplicability:
      return status == v1::DOCUMENT_VERSION_STATUS_PUBLISHED;
  }
  return false;
}

absl::Status ValidateDraft(const DocumentDraft& d) {
  FieldViolations v;
  if (d.body_size_bytes <= 0) {
    v.Add("body", "must not be empty");
  } else if (d.body_size_bytes > kMaxDocumentBodyBytes) {
    v.Add("body", absl::StrCat("must be at most 1 MiB (", kMaxDocumentBodyBytes,
                               " bytes); it is ", d.body_size_bytes, " bytes"));
  }
  CheckMediaType(v, "media_type", d.media_type);
  CheckOptionalText(v, "change_summary", d.change_summary, 2000,
                    TextKind::kMultiline);
  if (d.content_sha256.size() != 64)
    v.Add("body", "has no SHA-256 content hash");
  return v.ToStatus();
}

void DocumentAggregate::Apply(const google::protobuf::Message& event,
                              absl::Time occurred_at) {
  if (const auto* c = dynamic_cast<const v1::DocumentCreated*>(&event)) {
    state_.set_document_id(c->document_id());
    state_.set_kind(c->kind());
    state_.set_title(c->title());
    state_.set_owner(c->owner());
  } else if (const auto* d =
                 dynamic_cast<const v1::DocumentVersionDrafted*>(&event)) {
    v1::DocumentVersion* version = state_.add_versions();
    version->set_version_number(d->version_number());
    version->set_author(d->author());
    version->set_change_summary(d->change_summary());
    version->set_content_sha256(d->content_sha256());
    version->set_body_size_bytes(d->body_size_bytes());
    version->set_media_type(d->media_type());
    version->set_status(v1::DOCUMENT_VERSION_STATUS_DRAFT);
  } else if (const auto* r =
                 dynamic_cast<const v1::DocumentReviewRequested*>(&event)) {
    v1::DocumentVersion* version = MutableVersion(r->version_number());
    version->set_status(v1::DOCUMENT_VERSION_STATUS_IN_REVIEW);
    // A new round: the last round's verdicts were on another text.
    version->clear_reviews();
  } else if (const auto* rv =
                 dynamic_cast<const v1::DocumentReviewed*>(&event)) {
    v1::DocumentVersion* version = MutableVersion(rv->version_number());
    *version->add_reviews() = rv->review();
    if (rv->review().verdict() == v1::REVIEW_VERDICT_REQUEST_CHANGES) {
      version->set_status(v1::DOCUMENT_VERSION_STATUS_DRAFT);
    }
  } else if (const auto* a =
                 dynamic_cast<const v1::DocumentVersionApproved*>(&event)) {
    v1::DocumentVersion* version = MutableVersion(a->version_number());
    version->set_status(v1::DOCUMENT_VERSION_STATUS_APPROVED);
    version->set_approved_by(a->approved_by());
  } else if (const auto* p =
                 dynamic_cast<const v1::DocumentVersionPublished*>(&event)) {
    if (v1::DocumentVersion* old =
            MutableVersion(p->superseded_version_number())) {
      old->set_status(v1::DOCUMENT_VERSION_STATUS_SUPERSEDED);
    }
    v1::DocumentVersion* version = MutableVersion(p->version_number());
    version->set_status(v1::DOCUMENT_VERSION_STATUS_PUBLISHED);
    *version->mutable_published_at() = ToTimestamp(occurred_at);
  } else if (const auto* s =
                 dynamic_cast<const v1::DocumentApplicabilitySet*>(&event)) {
    *MutableVersion(s->version_number())->mutable_project_ids() =
        s->project_ids();
  } else if (dynamic_cast<const v1::DocumentRetired*>(&event) != nullptr) {
    state_.set_retired(true);
    for (v1::DocumentVersion& version : *state_.mutable_versions()) {
      if (version.status() == v1::DOCUMENT_VERSION_STATUS_PUBLISHED) {
        version.set_status(v1::DOCUMENT_VERSION_STATUS_RETIRED);
      }
    }
  }
}

const v1::DocumentVersion* DocumentAggregate::FindVersion(
    int32_t version_number) const {
  if (version_number < 1 || version_number > state_.versions_size())
    return nullptr;
  return &state_.versions(version_number - 1);
}

v1::DocumentVersion* DocumentAggregate::MutableVersion(int32_t version_number) {
  if (version_number < 1 || version_number > state_.versions_size())
    return nullptr;
  return state_.mutable_versions(version_number - 1);
}

const v1::DocumentVersion* DocumentAggregate::Published() const {
  for (const v1::DocumentVersion& v : state_.versions()) {
    if (v.status() == v1::DOCUMENT_VERSION_STATUS_PUBLISHED) return &v;
  }
  return nullptr;
}

absl::StatusOr<const v1::DocumentVersion*> DocumentAggregate::CheckStep(
    int32_t version_number, DocumentStep step) const {
  if (!exists()) return absl::NotFoundError("document not found");
  if (state_.retired()) {
    return RuleViolationError("DOCUMENT_WORKFLOW", Subject(state_),
                              "a retired document takes no further change");
  }
  const v1::DocumentVersion* version = FindVersion(version_number);
  if (version == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "document ", state_.document_id(), " has no version ", version_number));
  }
  if (!DocumentStepAllowed(version->status(), step)) {
    return RuleViolationError(
        "DOCUMENT_WORKFLOW", Subject(state_),
        absl::StrCat("version ", version_number, " is ",
                     v1::DocumentVersionStatus_Name(version->status()),
                     " and cannot be ", StepName(step), ": ",
                     StepPrecondition(step)));
  }
  return version;
}

absl::StatusOr<eventsourcing::Decision> DocumentAggregate::Create(
    const std::string& document_id, v1::DocumentKind kind,
    const std::string& title, const std::string& owner,
    const DocumentDraft& first) const {
  if (exists()) return absl::AlreadyExistsError("document exists");
  FieldViolations v;
  if (kind == v1::DOCUMENT_KIND_UNSPECIFIED ||
      !v1::DocumentKind_IsValid(kind)) {
    v.Add("kind", "must be POLICY, PROCEDURE, TEMPLATE or STANDARD");
  }
  CheckText(v, "title", title, 200);
  CheckText(v, "owner", owner, 128);
  v.AddAll(ValidateDraft(first));
  RETURN_IF_ERROR(v.ToStatus());
  auto created = std::make_unique<v1::DocumentCreated>();
  created->set_document_id(document_id);
  created->set_kind(kind);
  created->set_title(title);
  created->set_owner(owner);
  auto drafted = std::make_unique<v1::DocumentVersionDrafted>();
  drafted->set_document_id(document_id);
  drafted->set_version_number(1);
  drafted->set_author(first.author);
  drafted->set_change_summary(first.change_summary);
  drafted->set_content_sha256(first.content_sha256);
  drafted->set_body_size_bytes(first.body_size_bytes);
  drafted->set_media_type(first.media_type);
  eventsourcing::Decision decision;
  decision.unique_values.push_back(
      {kTitleScope, absl::StrCat(v1::DocumentKind_Name(kind), "\n", title)});
  decision.events.push_back(std::move(created));
  decision.events.push_back(std::move(drafted));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> DocumentAggregate::DraftVersion(
    const DocumentDraft& draft) const {
  RETURN_IF_ERROR(ValidateDraft(draft));
  if (!exists()) return absl::NotFoundError("document not found");
  if (state_.retired()) {
    return RuleViolationError("DOCUMENT_WORKFLOW", Subject(state_),
                              "a retired document takes no further change");
  }
  for (const v1::DocumentVersion& version : state_.versions()) {
    if (IsOpen(version.status())) {
      return RuleViolationError(
          "DOCUMENT_WORKFLOW", Subject(state_),
          absl::StrCat("version ", version.version_number(), " is still ",
                       v1::DocumentVersionStatus_Name(version.status()),
                       ": one version is drafted at a time"));
    }
  }
  auto drafted = std::make_unique<v1::DocumentVersionDrafted>();
  drafted->set_document_id(state_.document_id());
  drafted->set_version_number(state_.versions_size() + 1);
  drafted->set_author(draft.author);
  drafted->set_change_summary(draft.change_summary);
  drafted->set_content_sha256(draft.content_sha256);
  drafted->set_body_size_bytes(draft.body_size_bytes);
  drafted->set_media_type(draft.media_type);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(drafted));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> DocumentAggregate::RequestReview(
    int32_t version_number) const {
  RETURN_IF_ERROR(
      CheckStep(version_number, DocumentStep::kRequestReview).status());
  auto requested = std::make_unique<v1::DocumentReviewRequested>();
  requested->set_document_id(state_.document_id());
  requested->set_version_number(version_number);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(requested));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> DocumentAggregate::Review(
    int32_t version_number, const v1::DocumentReview& review) const {
  FieldViolations v;
  CheckText(v, "review.reviewer", review.reviewer(), 128);
  if (review.verdict() != v1::REVIEW_VERDICT_APPROVE &&
      review.verdict() != v1::REVIEW_VERDICT_REQUEST_CHANGES) {
    v.Add("review.verdict", "must be APPROVE or REQUEST_CHANGES");
  }
  CheckOptionalText(v, "review.comments", review.comments(), 4000,
                    TextKind::kMultiline);
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(CheckStep(version_number, DocumentStep::kReview).status());
  auto reviewed = std::make_unique<v1::DocumentReviewed>();
  reviewed->set_document_id(state_.document_id());
  reviewed->set_version_number(version_number);
  *reviewed->mutable_review() = review;
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(reviewed));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> DocumentAggregate::Approve(
    int32_t version_number, const std::string& approved_by) const {
  FieldViolations v;
  CheckText(v, "approved_by", approved_by, 128);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(const v1::DocumentVersion* version,
                   CheckStep(version_number, DocumentStep::kApprove));
  bool approving_review = false;
  for (const v1::DocumentReview& r : version->reviews()) {
    approving_review =
        approving_review || r.verdict() == v1::REVIEW_VERDICT_APPROVE;
  }
  if (!approving_review) {
    return RuleViolationError(
        "DOCUMENT_WORKFLOW", Subject(state_),
        absl::StrCat("version ", version_number,
                     " needs an approving review before approval"));
  }
  auto approved = std::make_unique<v1::DocumentVersionApproved>();
  approved->set_document_id(state_.document_id());
  approved->set_version_number(version_number);
  approved->set_approved_by(approved_by);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(approved));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> DocumentAggregate::Publish(
    int32_t version_number) const {
  RETURN_IF_ERROR(CheckStep(version_number, DocumentStep::kPublish).status());
  auto published = std::make_unique<v1::DocumentVersionPublished>();
  published->set_document_id(state_.document_id());
  published->set_version_number(version_number);
  if (const v1::DocumentVersion* current = Published()) {
    published->set_superseded_version_number(current->version_number());
  }
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(published));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> DocumentAggregate::SetApplicability(
    int32_t version_number, const std::vector<std::string>& project_ids) const {
  FieldViolations v(50);
  if (project_ids.size() > kMaxApplicableProjects) {
    v.Add("project_ids",
          absl::StrCat("at most ", kMaxApplicableProjects, " projects"));
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < project_ids.size() && i < kMaxApplicableProjects;
       ++i) {
    const std::string field = absl::StrCat("project_ids[", i, "]");
    CheckText(v, field, project_ids[i], 64);
    if (!seen.insert(project_ids[i]).second) v.Add(field, "is listed twice");
  }
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(
      CheckStep(version_number, DocumentStep::kSetApplicability).status());
  auto set = std::make_unique<v1::DocumentApplicabilitySet>();
  set->set_document_id(state_.document_id());
  set->set_version_number(version_number);
  for (const std::string& id : project_ids) set->add_project_ids(id);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(set));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> DocumentAggregate::Retire(
    const std::string& reason) const {
  FieldViolations v;
  CheckText(v, "reason", reason, 2000, TextKind::kMultiline);
  RETURN_IF_ERROR(v.ToStatus());
  if (!exists()) return absl::NotFoundError("document not found");
  eventsourcing::Decision decision;
  if (state_.retired()) return decision;
  auto retired = std::make_unique<v1::DocumentRetired>();
  retired->set_document_id(state_.document_id());
  retired->set_reason(reason);
  decision.events.push_back(std::move(retired));
  return decision;
}

}  // namespace pmo::configuration
