#include "services/reporting/domain/announcement.h"

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"
#include "libs/base/text_checks.h"

namespace pmo::reporting {

void AnnouncementAggregate::Apply(const google::protobuf::Message& event,
                                  absl::Time) {
  if (const auto* p = dynamic_cast<const v1::AnnouncementPublished*>(&event))
    published_ = *p;
}

absl::StatusOr<eventsourcing::Decision> AnnouncementAggregate::Publish(
    v1::Announcement announcement,
    std::vector<std::string> stakeholder_ids) const {
  if (exists()) return absl::AlreadyExistsError("announcement exists");
  FieldViolations v;
  CheckText(v, "title", announcement.title(), 200);
  CheckText(v, "body", announcement.body(), 20000, TextKind::kMultiline);
  if (announcement.project_ids().empty() ||
      announcement.project_ids_size() > 1000) {
    v.Add("project_ids", "must name 1-1000 projects");
  }
  for (int i = 0; i < announcement.project_ids_size(); ++i) {
    if (announcement.project_ids(i).empty() ||
        announcement.project_ids(i).size() > 64 ||
        HasControlCharacter(announcement.project_ids(i))) {
      v.Add(absl::StrCat("project_ids[", i, "]"),
            "must be 1-64 characters, no control characters");
    }
  }
  RETURN_IF_ERROR(v.ToStatus());
  auto published = std::make_unique<v1::AnnouncementPublished>();
  *published->mutable_announcement() = std::move(announcement);
  for (std::string& id : stakeholder_ids)
    published->add_stakeholder_ids(std::move(id));
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(published));
  return decision;
}

}  // namespace pmo::reporting
