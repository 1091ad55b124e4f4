#include "services/projection/app/view_rebuild.h"

namespace pmo::projection {

ViewRebuildStatus JournalRebuild::Status() {
  using Phase = PortfolioView::RebuildState::Phase;
  const PortfolioView::RebuildState state = served_.Current()->Rebuild();
  ViewRebuildStatus out;
  out.source = ViewRebuildStatus::Source::kJournal;
  switch (state.phase) {
    case Phase::kIdle:
      out.phase = ViewRebuildStatus::Phase::kIdle;
      break;
    case Phase::kRunning:
      out.phase = ViewRebuildStatus::Phase::kRunning;
      break;
    case Phase::kSwitched:
      out.phase = ViewRebuildStatus::Phase::kSwitched;
      break;
    case Phase::kFailed:
      out.phase = ViewRebuildStatus::Phase::kFailed;
      break;
  }
  out.events_folded = state.events_folded;
  out.live_digest = state.live_digest;
  out.rebuilt_digest = state.rebuilt_digest;
  out.live_view = live_view_;
  out.started = state.started;
  out.finished = state.finished;
  out.error = state.error;
  return out;
}

}  // namespace pmo::projection
