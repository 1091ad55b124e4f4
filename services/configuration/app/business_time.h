#pragma once

#include "absl/time/time.h"
#include "libs/base/clock.h"
#include "libs/eventsourcing/command_handling.h"

namespace pmo::configuration {

// Gives a command its business time (now, unless the caller set one) at the
// store's precision (microseconds), so the state a command answers with
// equals the state read back later.
inline void StampBusinessTime(eventsourcing::CommandContext& context,
                              const Clock& clock) {
  if (context.occurred_at == absl::Time()) {
    context.occurred_at = absl::FromUnixMicros(absl::ToUnixMicros(clock.Now()));
  }
}

}  // namespace pmo::configuration
