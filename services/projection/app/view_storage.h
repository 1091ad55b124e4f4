#pragma once

// The storage port of the projection's read model: what PortfolioView keeps
// between restarts, and nothing it computes. PortfolioView decides (order,
// duplicates, parking, which row an event touches); a ViewStorage only
// stores and reads, in one of two engines (both in ../adapters/, opened by
// OpenViewStorage in adapters/open_view_storage.h):
//
//   SqliteViewStorage    one file (the embedded default, `pmo`, tests)
//   PostgresViewStorage  a schema of a PostgreSQL database (--store_url)
//
// Rule 6 of docs/architecture.md lives in the writer's contract: everything a
// batch writes (journal, rows, stream versions, parked events, dead letters,
// offsets) goes through ViewWriter::InTransaction, and is either all
// committed or all rolled back.
//
// Threads: the writer and the reader are two connections; each is used by
// one thread at a time (PortfolioView holds a mutex per side). NewReader
// opens a third for a long read (a rebuild's fold) that must not hold up
// the others.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventstore/recorded_event.h"
#include "libs/subscription/event_handler.h"
#include "pmo/projects/v1/project.pb.h"

namespace pmo::projection {

// One row of the portfolio table: a project as its own events left it.
struct PortfolioProject {
  std::string project_id;
  std::string code;
  std::string name;
  std::string manager;
  ::pmo::projects::v1::ProjectStatus status =
      ::pmo::projects::v1::PROJECT_STATUS_UNSPECIFIED;
  std::string planned_start;  // ISO date, YYYY-MM-DD
  std::string planned_end;
  int64_t version = 0;
  absl::Time updated_at;
};

struct SourceOffset {
  std::string source;
  int32_t partition = 0;
  int64_t next_offset = 0;
};

// The write side. Every method but InTransaction is called inside
// InTransaction's `batch`.
class ViewWriter {
 public:
  virtual ~ViewWriter() = default;

  // Runs `batch` in one transaction: committed (durably) when it returns
  // OK, rolled back when it returns an error, which is returned.
  virtual absl::Status InTransaction(
      const std::function<absl::Status()>& batch) = 0;

  // The newest version applied of a stream (0 when none).
  virtual absl::StatusOr<int64_t> StreamVersion(
      const std::string& stream_key) = 0;
  virtual absl::Status SetStreamVersion(const std::string& stream_key,
                                        int64_t version) = 0;

  // Keeps an event that arrived ahead of a gap; a second copy is ignored.
  virtual absl::Status Park(const std::string& stream_key,
                            const eventstore::RecordedEvent& e) = 0;
  // Takes (reads and deletes) the event parked at `version`, if any, into
  // `into`'s event_type, payload, occurred_at and recorded_at.
  virtual absl::StatusOr<bool> Unpark(const std::string& stream_key,
                                      int64_t version,
                                      eventstore::RecordedEvent& into) = 0;

  // Appends an applied event to the journal (its seq grows in apply order).
  virtual absl::Status AppendJournal(const eventstore::RecordedEvent& e) = 0;
  // A message that could not be applied; a second copy is ignored.
  virtual absl::Status AddDeadLetter(const std::string& source,
                                     int64_t partition, int64_t offset,
                                     const std::string& reason) = 0;

  // Inserts or replaces a project's row.
  virtual absl::Status PutProject(const PortfolioProject& p) = 0;
  // Changes a project's status (no row: nothing happens).
  virtual absl::Status SetProjectStatus(
      const std::string& project_id, ::pmo::projects::v1::ProjectStatus status,
      int64_t version, absl::Time updated_at) = 0;
  virtual absl::Status SetProjectVersion(const std::string& project_id,
                                         int64_t version) = 0;

  // Raises the stored newest recording time to `t` (never lowers it).
  virtual absl::Status RaiseLastEventRecordTime(absl::Time t) = 0;
  // Moves each (source, partition) of the batch to one past its highest
  // offset; never backwards.
  virtual absl::Status SaveOffsets(
      const std::vector<subscription::Delivery>& batch) = 0;
};

// Which journal entries a fold reads: seq in (after_seq, up_to_seq] and
// business time at or before `until` (all when unset), in seq order.
struct JournalRange {
  std::optional<absl::Time> until;
  int64_t after_seq = 0;
  int64_t up_to_seq = INT64_MAX;
};

// The read side: sees what the writer has committed.
class ViewReader {
 public:
  virtual ~ViewReader() = default;

  // Calls `each` for every journal entry of `range`, in seq order; returns
  // the last seq read (range.after_seq when none).
  virtual absl::StatusOr<int64_t> ReadJournal(
      const JournalRange& range,
      const std::function<void(const eventstore::RecordedEvent&)>& each) = 0;
  // Journal entries with seq at or below `up_to_seq`.
  virtual absl::StatusOr<int64_t> JournalSize(
      int64_t up_to_seq = INT64_MAX) = 0;

  // Up to `limit` projects with code after `after_code` (byte order),
  // ordered by code; status UNSPECIFIED means any.
  virtual absl::StatusOr<std::vector<PortfolioProject>> ListProjects(
      const std::string& after_code, ::pmo::projects::v1::ProjectStatus status,
      int64_t limit) = 0;
  // Every project, ordered by id (byte order): the digest's input.
  virtual absl::StatusOr<std::vector<PortfolioProject>> AllProjects() = 0;
  virtual absl::StatusOr<int64_t> ProjectCount() = 0;
  virtual absl::StatusOr<int64_t> ParkedCount() = 0;
  // The epoch before any event was applied.
  virtual absl::StatusOr<absl::Time> LastEventRecordTime() = 0;

  virtual absl::StatusOr<std::optional<int64_t>> LoadOffset(
      const std::string& source, int32_t partition) = 0;
  // Ordered by source and partition.
  virtual absl::StatusOr<std::vector<SourceOffset>> LoadOffsets() = 0;
};

// One read model's storage, created (or migrated) when opened.
class ViewStorage {
 public:
  virtual ~ViewStorage() = default;
  virtual ViewWriter& writer() = 0;
  virtual ViewReader& reader() = 0;
  // A reader on a connection of its own.
  virtual absl::StatusOr<std::unique_ptr<ViewReader>> NewReader() = 0;
};

// Where a view is kept. An empty store_url is the SQLite file sqlite_path;
// a postgresql:// URL is the schema `schema` of that database. A fresh
// view is a new file or a new schema name.
struct ViewLocation {
  std::string store_url;
  std::string sqlite_path;
  std::string schema = "projection";
};

}  // namespace pmo::projection
