#pragma once

// Mentoring between project managers (Mentorship aggregate) and the
// lessons learned on projects (Lesson aggregate, one stream each).

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventsourcing/decision.h"
#include "pmo/resources/v1/events.pb.h"

namespace pmo::resources {

class MentorshipAggregate {
 public:
  static constexpr char kStreamType[] = "mentorship";
  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);
  absl::StatusOr<eventsourcing::Decision> Start(
      const std::string& mentorship_id, const std::string& mentor,
      const std::string& mentee) const;
  absl::StatusOr<eventsourcing::Decision> HoldSession(
      const v1::MentoringSession& session) const;
  bool exists() const { return !state_.mentorship_id().empty(); }
  const v1::Mentorship& state() const { return state_; }

 private:
  v1::Mentorship state_;
};

class LessonAggregate {
 public:
  static constexpr char kStreamType[] = "lesson";
  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);
  absl::StatusOr<eventsourcing::Decision> Record(v1::Lesson lesson) const;
  bool exists() const { return !state_.lesson_id().empty(); }
  const v1::Lesson& state() const { return state_; }

 private:
  v1::Lesson state_;
};

}  // namespace pmo::resources
