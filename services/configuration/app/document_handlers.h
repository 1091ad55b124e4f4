#pragma once

// Commands and queries of the PMO library's documents (policies,
// procedures, templates, standards). Bodies go to DocumentBodies first;
// the events record their SHA-256.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/base/clock.h"
#include "libs/eventsourcing/command_handling.h"
#include "libs/eventstore/event_store.h"
#include "services/configuration/app/document_bodies.h"
#include "services/configuration/app/known_projects.h"
#include "services/configuration/domain/document.h"

namespace pmo::configuration {

using VersionedDocument = eventsourcing::Versioned<DocumentAggregate>;

v1::Document ToProto(const VersionedDocument& document);

// A new version's content as the caller sends it.
struct DocumentContent {
  std::string body;
  std::string media_type;
  std::string change_summary;
};

struct DocumentBody {
  std::string body;
  std::string content_sha256;
  std::string media_type;
};

class DocumentHandlers {
 public:
  DocumentHandlers(eventstore::EventStore& store, DocumentBodies& bodies,
                   projectdirectory::KnownProjects& projects,
                   const Clock& clock = Clock::Real())
      : store_(store), bodies_(bodies), projects_(projects), clock_(clock) {}

  // The author of the first version is the caller. ALREADY_EXISTS when the
  // title is taken for the kind.
  absl::StatusOr<VersionedDocument> Create(
      v1::DocumentKind kind, const std::string& title, const std::string& owner,
      DocumentContent content, eventsourcing::CommandContext context);
  absl::StatusOr<VersionedDocument> Get(const std::string& document_id);
  // Documents of `kind` (all when UNSPECIFIED); with `project_id`, only those
  // whose published version applies to it.
  absl::StatusOr<std::vector<VersionedDocument>> List(
      v1::DocumentKind kind, const std::string& project_id);
  absl::StatusOr<DocumentBody> GetBody(const std::string& document_id,
                                       int32_t version_number);
  absl::StatusOr<VersionedDocument> DraftVersion(
      const std::string& document_id, DocumentContent content,
      eventsourcing::CommandContext context);
  absl::StatusOr<VersionedDocument> RequestReview(
      const std::string& document_id, int32_t version_number,
      eventsourcing::CommandContext context);
  absl::StatusOr<VersionedDocument> Review(
      const std::string& document_id, int32_t version_number,
      const v1::DocumentReview& review, eventsourcing::CommandContext context);
  absl::StatusOr<VersionedDocument> Approve(
      const std::string& document_id, int32_t version_number,
      const std::string& approved_by, eventsourcing::CommandContext context);
  absl::StatusOr<VersionedDocument> Publish(
      const std::string& document_id, int32_t version_number,
      eventsourcing::CommandContext context);
  // NOT_FOUND naming project_ids[i] when a project is unknown.
  absl::StatusOr<VersionedDocument> SetApplicability(
      const std::string& document_id, int32_t version_number,
      const std::vector<std::string>& project_ids,
      eventsourcing::CommandContext context);
  // One project more (NOT_FOUND when unknown) or one less for the
  // PUBLISHED version `version_number`; the same project added again, or one
  // it does not apply to removed, records nothing.
  absl::StatusOr<VersionedDocument> AddApplicability(
      const std::string& document_id, int32_t version_number,
      const std::string& project_id, eventsourcing::CommandContext context);
  absl::StatusOr<VersionedDocument> RemoveApplicability(
      const std::string& document_id, int32_t version_number,
      const std::string& project_id, eventsourcing::CommandContext context);
  absl::StatusOr<VersionedDocument> Retire(
      const std::string& document_id, const std::string& reason,
      eventsourcing::CommandContext context);

 private:
  static absl::Status CheckProjectField(const std::string& project_id);
  using DocumentCommand = std::function<absl::StatusOr<eventsourcing::Decision>(
      const VersionedDocument&)>;
  absl::StatusOr<VersionedDocument> Run(const std::string& document_id,
                                        eventsourcing::CommandContext context,
                                        const DocumentCommand& decide);
  // Checks the size before hashing or storing anything, then stores.
  absl::StatusOr<DocumentDraft> StoreBody(DocumentContent content,
                                          const std::string& author);

  eventstore::EventStore& store_;
  DocumentBodies& bodies_;
  projectdirectory::KnownProjects& projects_;
  const Clock& clock_;
};

}  // namespace pmo::configuration
