#pragma once

// Mentoring of project managers and lessons learned across all projects.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/base/clock.h"
#include "libs/eventsourcing/command_handling.h"
#include "libs/eventstore/event_store.h"
#include "services/resources/domain/mentoring.h"

namespace pmo::resources {

class MentoringHandlers {
 public:
  explicit MentoringHandlers(eventstore::EventStore& store,
                             const Clock& clock = Clock::Real())
      : store_(store), clock_(clock) {}

  absl::StatusOr<eventsourcing::Versioned<MentorshipAggregate>> StartMentorship(
      const std::string& mentor, const std::string& mentee,
      eventsourcing::CommandContext context);
  absl::StatusOr<eventsourcing::Versioned<MentorshipAggregate>> RecordSession(
      const std::string& mentorship_id, const v1::MentoringSession& session,
      eventsourcing::CommandContext context);
  // The recording principal is the command's actor.
  absl::StatusOr<v1::Lesson> RecordLesson(
      v1::Lesson lesson, eventsourcing::CommandContext context);
  // Lessons with every tag in `tags` (any case) and, when not empty, the
  // category; newest first, at most `limit`.
  absl::StatusOr<std::vector<v1::Lesson>> SearchLessons(
      const std::vector<std::string>& tags, const std::string& category,
      int limit);

 private:
  eventstore::EventStore& store_;
  const Clock& clock_;
};

}  // namespace pmo::resources
