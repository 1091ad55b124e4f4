#pragma once

// The Document aggregate of the PMO library: a policy, procedure, template
// or standard with its versions. Each version moves along
// DocumentVersionStatus (see library.proto):
//
//   DRAFT --request review--> IN_REVIEW --approve--> APPROVED --publish-->
//   PUBLISHED
//     ^                          |                                            |
//     +---- review: REQUEST_CHANGES                 publishing a later one:
//     SUPERSEDED
//                                                   retiring the document:
//                                                   RETIRED
//
// At most one version is open (DRAFT or IN_REVIEW) at a time, approval needs
// an approving review in the current round, and a retired document takes no
// command. A broken rule is FAILED_PRECONDITION naming DOCUMENT_WORKFLOW.
// Bodies are not kept here: the events carry their SHA-256 and size.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventsourcing/decision.h"
#include "pmo/configuration/v1/events.pb.h"

namespace pmo::configuration {

// The largest body the library stores: 1 MiB.
inline constexpr int64_t kMaxDocumentBodyBytes = 1 << 20;

// What a new version holds besides its body.
struct DocumentDraft {
  std::string author;
  std::string change_summary;
  std::string content_sha256;
  int64_t body_size_bytes = 0;
  std::string media_type;
};

// The steps a version takes, one per command.
enum class DocumentStep {
  kRequestReview,
  kReview,
  kApprove,
  kPublish,
  kSetApplicability
};

// Whether `step` may be taken on a version in `status` (the workflow's table).
bool DocumentStepAllowed(v1::DocumentVersionStatus status, DocumentStep step);

class DocumentAggregate {
 public:
  static constexpr char kStreamType[] = "document";
  // Titles are unique per kind: claims "<kind>\n<title>".
  static constexpr char kTitleScope[] = "document.title";

  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);

  absl::StatusOr<eventsourcing::Decision> Create(
      const std::string& document_id, v1::DocumentKind kind,
      const std::string& title, const std::string& owner,
      const DocumentDraft& first) const;
  absl::StatusOr<eventsourcing::Decision> DraftVersion(
      const DocumentDraft& draft) const;
  absl::StatusOr<eventsourcing::Decision> RequestReview(
      int32_t version_number) const;
  absl::StatusOr<eventsourcing::Decision> Review(
      int32_t version_number, const v1::DocumentReview& review) const;
  absl::StatusOr<eventsourcing::Decision> Approve(
      int32_t version_number, const std::string& approved_by) const;
  absl::StatusOr<eventsourcing::Decision> Publish(int32_t version_number) const;
  absl::StatusOr<eventsourcing::Decision> SetApplicability(
      int32_t version_number,
      const std::vector<std::string>& project_ids) const;
  absl::StatusOr<eventsourcing::Decision> Retire(
      const std::string& reason) const;

  bool exists() const { return !state_.document_id().empty(); }
  // The version numbered `version_number`, or nullptr.
  const v1::DocumentVersion* FindVersion(int32_t version_number) const;
  // The PUBLISHED version, or nullptr.
  const v1::DocumentVersion* Published() const;
  // Without the stream version (the handler adds it).
  const v1::Document& state() const { return state_; }

 private:
  // NOT_FOUND for an unknown document or version; DOCUMENT_WORKFLOW when
  // retired or when `step` is not allowed from the version's status.
  absl::StatusOr<const v1::DocumentVersion*> CheckStep(int32_t version_number,
                                                       DocumentStep step) const;
  v1::DocumentVersion* MutableVersion(int32_t version_number);
  v1::Document state_;
};

// Field checks of a draft; violations name request fields.
absl::Status ValidateDraft(const DocumentDraft& draft);

}  // namespace pmo::configuration
