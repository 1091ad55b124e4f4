#include "services/resources/domain/mentoring.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"
#include "libs/base/text_checks.h"
#include "libs/dates/calendar_dates.h"

namespace pmo::resources {
namespace {}  // namespace

void MentorshipAggregate::Apply(const google::protobuf::Message& event,
                                absl::Time) {
  if (const auto* s = dynamic_cast<const v1::MentorshipStarted*>(&event)) {
    state_.set_mentorship_id(s->mentorship_id());
    state_.set_mentor(s->mentor());
    state_.set_mentee(s->mentee());
  } else if (const auto* h =
                 dynamic_cast<const v1::MentoringSessionHeld*>(&event)) {
    *state_.add_sessions() = h->session();
  }
}

absl::StatusOr<eventsourcing::Decision> MentorshipAggregate::Start(
    const std::string& mentorship_id, const std::string& mentor,
    const std::string& mentee) const {
  if (exists()) return absl::AlreadyExistsError("mentorship exists");
  FieldViolations v;
  CheckText(v, "mentor", mentor, 128);
  CheckText(v, "mentee", mentee, 128);
  if (!mentor.empty() && mentor == mentee)
    v.Add("mentee", "must not be the mentor");
  RETURN_IF_ERROR(v.ToStatus());
  auto started = std::make_unique<v1::MentorshipStarted>();
  started->set_mentorship_id(mentorship_id);
  started->set_mentor(mentor);
  started->set_mentee(mentee);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(started));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> MentorshipAggregate::HoldSession(
    const v1::MentoringSession& session) const {
  if (!exists()) return absl::NotFoundError("mentorship not found");
  FieldViolations v;
  if (!dates::IsRealDate(session.date()))
    v.Add("session.date", "must be a real date");
  if (session.topics().empty() || session.topics_size() > 20) {
    v.Add("session.topics", "must list 1-20 topics");
  }
  for (int i = 0; i < session.topics_size(); ++i) {
    CheckText(v, absl::StrCat("session.topics[", i, "]"), session.topics(i),
              200);
  }
  if (session.notes().size() > 10000)
    v.Add("session.notes", "at most 10000 characters");
  RETURN_IF_ERROR(v.ToStatus());
  auto held = std::make_unique<v1::MentoringSessionHeld>();
  held->set_mentorship_id(state_.mentorship_id());
  *held->mutable_session() = session;
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(held));
  return decision;
}

void LessonAggregate::Apply(const google::protobuf::Message& event,
                            absl::Time) {
  if (const auto* r = dynamic_cast<const v1::LessonRecorded*>(&event))
    state_ = r->lesson();
}

absl::StatusOr<eventsourcing::Decision> LessonAggregate::Record(
    v1::Lesson lesson) const {
  if (exists()) return absl::AlreadyExistsError("lesson exists");
  FieldViolations v;
  CheckText(v, "category", lesson.category(), 100);
  CheckText(v, "what_happened", lesson.what_happened(), 10000,
            TextKind::kMultiline);
  CheckText(v, "recommendation", lesson.recommendation(), 10000,
            TextKind::kMultiline);
  if (lesson.tags_size() > 20) v.Add("tags", "at most 20");
  for (int i = 0; i < lesson.tags_size() && i < 20; ++i) {
    CheckText(v, absl::StrCat("tags[", i, "]"), lesson.tags(i), 50);
  }
  RETURN_IF_ERROR(v.ToStatus());
  // Tags are matched without regard to case.
  for (std::string& tag : *lesson.mutable_tags())
    tag = absl::AsciiStrToLower(tag);
  auto recorded = std::make_unique<v1::LessonRecorded>();
  *recorded->mutable_lesson() = std::move(lesson);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(recorded));
  return decision;
}

}  // namespace pmo::resources
