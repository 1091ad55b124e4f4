#pragma once

// Rebuild and switch (ADR 0005, ADR 0010), as StartViewRebuild / GetViewRebuild
// see it, whatever the source:
//  - TopicsRebuild (topics_rebuild.h), in pmo-projection: every events
//    topic from offset 0 into a fresh view file, switched in when its
//    digest equals the live one's (docs/adr/0010);
//  - JournalRebuild (below), in the all-in-one pmo, which has no topics:
//    the view's journal into a fresh consolidation (docs/adr/0005).
//
//   IDLE -Start-> RUNNING --> SWITCHED (or FAILED) -Start-> RUNNING

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/projection/app/served_view.h"

namespace pmo::projection {

struct ViewRebuildStatus {
  enum class Phase { kIdle, kRunning, kSwitched, kFailed };
  enum class Source { kJournal, kTopics };
  Phase phase = Phase::kIdle;
  Source source = Source::kJournal;
  // Events handed to the fresh view so far.
  int64_t events_folded = 0;
  // RUNNING from the topics: how many events the fresh view still lacks
  // of what the live one has applied (-1 before it is known).
  int64_t events_behind = -1;
  // The live view's digest at the switch and the rebuilt one's; a FAILED
  // topics rebuild whose digests differ has both.
  std::string live_digest, rebuilt_digest;
  // The generation being built (topics) and the one answering now.
  std::string rebuilt_view, live_view;
  absl::Time started, finished;
  // Topics: how long the live feed was held for the switch.
  absl::Duration feed_held;
  std::string error;  // FAILED only
};

class ViewRebuild {
 public:
  virtual ~ViewRebuild() = default;
  // Starts one in the background; FAILED_PRECONDITION while one runs.
  virtual absl::Status Start() = 0;
  virtual ViewRebuildStatus Status() = 0;
  // Ends a running rebuild without switching (shutdown); idempotent.
  virtual void Stop() {}
};

// The journal fold of PortfolioView::StartRebuild, on the served view.
class JournalRebuild final : public ViewRebuild {
 public:
  // `live_view`: the generation served (it does not change here).
  JournalRebuild(ServedView& served, std::string live_view)
      : served_(served), live_view_(std::move(live_view)) {}
  absl::Status Start() override { return served_.Current()->StartRebuild(); }
  ViewRebuildStatus Status() override;

 private:
  ServedView& served_;
  const std::string live_view_;
};

}  // namespace pmo::projection
