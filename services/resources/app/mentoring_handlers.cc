#include "services/resources/app/mentoring_handlers.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "libs/base/errors.h"
#include "libs/base/ids.h"

namespace pmo::resources {

absl::StatusOr<eventsourcing::Versioned<MentorshipAggregate>>
MentoringHandlers::StartMentorship(const std::string& mentor,
                                   const std::string& mentee,
                                   eventsourcing::CommandContext context) {
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  const std::string id = NewUuid();
  return eventsourcing::ExecuteCommand<MentorshipAggregate>(
      store_, id, context,
      [&](const eventsourcing::Versioned<MentorshipAggregate>& m) {
        return m.state.Start(id, mentor, mentee);
      },
      eventsourcing::StreamIdentity::kNew);
}

absl::StatusOr<eventsourcing::Versioned<MentorshipAggregate>>
MentoringHandlers::RecordSession(const std::string& mentorship_id,
                                 const v1::MentoringSession& session,
                                 eventsourcing::CommandContext context) {
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  return eventsourcing::ExecuteCommand<MentorshipAggregate>(
      store_, mentorship_id, context,
      [&](const eventsourcing::Versioned<MentorshipAggregate>& m) {
        return m.state.HoldSession(session);
      });
}

absl::StatusOr<v1::Lesson> MentoringHandlers::RecordLesson(
    v1::Lesson lesson, eventsourcing::CommandContext context) {
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  const std::string id = NewUuid();
  lesson.set_lesson_id(id);
  lesson.set_recorded_by(context.metadata.actor);
  ASSIGN_OR_RETURN(eventsourcing::Versioned<LessonAggregate> recorded,
                   eventsourcing::ExecuteCommand<LessonAggregate>(
                       store_, id, context,
                       [&](const eventsourcing::Versioned<LessonAggregate>& l) {
                         return l.state.Record(lesson);
                       },
                       eventsourcing::StreamIdentity::kNew));
  return recorded.state.state();
}

absl::StatusOr<std::vector<v1::Lesson>> MentoringHandlers::SearchLessons(
    const std::vector<std::string>& tags, const std::string& category,
    int limit) {
  if (limit < 0 || limit > 1000) {
    FieldViolations v;
    v.Add("page_size", "must be between 0 and 1000");
    return v.ToStatus();
  }
  if (limit == 0) limit = 100;
  ASSIGN_OR_RETURN(std::vector<eventsourcing::Versioned<LessonAggregate>> all,
                   eventsourcing::LoadAllOfType<LessonAggregate>(store_));
  std::vector<v1::Lesson> out;
  for (auto it = all.rbegin();
       it != all.rend() && static_cast<int>(out.size()) < limit; ++it) {
    const v1::Lesson& l = it->state.state();
    if (!category.empty() && l.category() != category) continue;
    const bool has_all =
        std::all_of(tags.begin(), tags.end(), [&](const std::string& tag) {
          const std::string wanted = absl::AsciiStrToLower(tag);
          return std::find(l.tags().begin(), l.tags().end(), wanted) !=
                 l.tags().end();
        });
    if (has_all) out.push_back(l);
  }
  return out;
}

}  // namespace pmo::resources
