#pragma once

// The projection's read model: every project with its status (table rows),
// and the consolidated enterprise view of every context (projects, risks,
// resources) as a Consolidation held in memory. What it keeps goes through
// a ViewStorage (view_storage.h): its own SQLite file by default, or a
// schema of a PostgreSQL database.
//
// Rules (docs/architecture.md, event sourcing rule 6):
//  - per stream (of one source context), version n+1 is applied only after
//    n; a version already applied is a duplicate and is ignored; a version
//    beyond n+1 is parked until the gap closes (never skipped);
//  - every applied event is kept in a journal, in the order applied, in the
//    same transaction as the rows and the source offsets. The in-memory
//    consolidation is the fold of the journal: it is rebuilt from it at
//    start, and changed only after a batch commits.
//  - "As of" a past date, the consolidation is folded afresh from the
//    journal's events whose business time is on or before that date
//    (docs/adr/0003).

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/subscription/event_handler.h"
#include "pmo/projects/v1/project.pb.h"
#include "services/projection/app/consolidation.h"
#include "services/projection/app/view_storage.h"

namespace pmo::projection {

struct PortfolioPage {
  std::vector<PortfolioProject> projects;
  std::string next_page_token;
};

class PortfolioView : public subscription::EventHandler {
 public:
  struct Options {
    // Test seam: runs inside the transaction after the batch is applied; an
    // error rolls the whole batch back (view and offsets alike).
    std::function<absl::Status()> before_commit;
  };

  // The view on storage already opened. A SQLite file or a PostgreSQL
  // schema: OpenPortfolioView and OpenPortfolioViewAt in
  // adapters/open_view_storage.h.
  static absl::StatusOr<std::unique_ptr<PortfolioView>> Open(
      std::unique_ptr<ViewStorage> storage, Options options);

  // subscription::EventHandler
  absl::StatusOr<std::optional<int64_t>> ResumeOffset(
      const std::string& source, int32_t partition) override;
  absl::Status Handle(
      const std::vector<subscription::Delivery>& batch) override;

  // Projects ordered by code; status UNSPECIFIED means all. page_size 0 is 100.
  absl::StatusOr<PortfolioPage> ListProjects(
      int page_size, const std::string& page_token,
      ::pmo::projects::v1::ProjectStatus status);
  // Lower-case hex SHA-256 of the rows and the consolidated facts (not of
  // offsets or the journal's order): equal views, equal digests, however
  // they were built.
  absl::StatusOr<std::string> Digest();
  absl::StatusOr<int64_t> ProjectCount();
  absl::StatusOr<std::vector<SourceOffset>> Offsets();
  // Recording time of the newest event applied (or the epoch).
  absl::StatusOr<absl::Time> LastEventRecordTime();
  // Events waiting for an earlier version of their stream.
  absl::StatusOr<int64_t> ParkedCount();

  // The consolidated overview at `status_date`: from the live view when
  // `as_of` is false, else folded from the events whose business time is
  // on or before the end of `status_date` (UTC).
  absl::StatusOr<Overview> ComputeOverview(absl::CivilDay status_date,
                                           bool as_of);
  // Asks `question` of the live consolidation (`as_of` unset), or of one
  // folded afresh from the journal's events whose business time is on or
  // before the end of *as_of (UTC). Every view's RPC goes through here.
  absl::Status WithConsolidation(
      std::optional<absl::CivilDay> as_of,
      const std::function<void(const Consolidation&)>& question);
  // How long the newest batch took from its events' recording (the newest
  // in the batch) to being visible in the live view; zero before the first
  // batch since the view was opened.
  absl::Duration ApplyLag();
  // A view rebuilt from the beginning takes the live view's apply lag when
  // it replaces it: its own newest batch was history, not a live apply.
  void TakeApplyLagFrom(PortfolioView& live);

  // Rebuild and switch (ADR 0005): folds the whole journal (the view's copy
  // of every event it applied, from the beginning of every source) into a
  // fresh consolidation on a thread of its own, while the live one keeps
  // answering; then, with writes held for the moment it takes, folds the
  // events applied meanwhile, compares digests and swaps the fresh one in.
  //
  //   IDLE -StartRebuild-> RUNNING --> SWITCHED (or FAILED) -StartRebuild->
  //   RUNNING
  //
  // FAILED_PRECONDITION while one is running.
  absl::Status StartRebuild();
  struct RebuildState {
    enum class Phase { kIdle, kRunning, kSwitched, kFailed };
    Phase phase = Phase::kIdle;
    int64_t events_folded = 0;
    // The live consolidation's digest just before the switch and the
    // rebuilt one's: equal unless the fold changed (a new build that reads
    // the events differently).
    std::string live_digest, rebuilt_digest;
    absl::Time started, finished;
    std::string error;  // FAILED only
  };
  RebuildState Rebuild();
  // Waits for a running rebuild to end (tests, shutdown).
  void WaitForRebuild();
  ~PortfolioView() override;
  // Events in the journal (every event applied).
  absl::StatusOr<int64_t> JournalSize();

 private:
  PortfolioView(std::unique_ptr<ViewStorage> storage, Options options)
      : options_(std::move(options)), storage_(std::move(storage)) {}
  void RunRebuild();
  absl::Status HandleOne(const subscription::Delivery& d)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  absl::Status ApplyInOrder(const std::string& stream_key,
                            const eventstore::RecordedEvent& e)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  absl::Status ApplyToRows(const eventstore::RecordedEvent& e)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Folds the journal's events of `range` into `into`; returns the last
  // seq folded (range.after_seq when none).
  static absl::StatusOr<int64_t> FoldJournal(ViewReader& reader,
                                             const JournalRange& range,
                                             Consolidation& into);

  const Options options_;
  // writer() is used under write_mu_, reader() under read_mu_.
  const std::unique_ptr<ViewStorage> storage_;
  // Applied in the current batch's transaction; folded into `live_` once
  // it commits.
  // Each with its payload decoded once, for the rows and then the fold
  // (null when it does not decode).
  struct Applied {
    eventstore::RecordedEvent event;
    std::unique_ptr<google::protobuf::Message> decoded;
  };
  std::vector<Applied> pending_ ABSL_GUARDED_BY(write_mu_);
  // Stream versions: what is committed (read from storage on first use and
  // kept, this view being the schema's or file's only writer), and what the
  // current batch moved, written once per stream at the batch's end and
  // merged into the first only once it commits.
  std::unordered_map<std::string, int64_t> committed_versions_
      ABSL_GUARDED_BY(write_mu_);
  std::unordered_map<std::string, int64_t> batch_versions_
      ABSL_GUARDED_BY(write_mu_);
  std::mutex live_mu_;
  std::unique_ptr<Consolidation> live_ ABSL_GUARDED_BY(live_mu_) =
      std::make_unique<Consolidation>();
  absl::Duration apply_lag_ ABSL_GUARDED_BY(live_mu_);
  std::mutex rebuild_mu_;
  RebuildState rebuild_ ABSL_GUARDED_BY(rebuild_mu_);
  std::thread rebuilder_ ABSL_GUARDED_BY(rebuild_mu_);
  std::mutex write_mu_;
  std::mutex read_mu_;
};

}  // namespace pmo::projection
