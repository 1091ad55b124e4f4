#include "libs/projectdirectory/testing/directory_feed.h"

#include "absl/time/clock.h"
#include "libs/eventsourcing/event_codec.h"
#include "pmo/projects/v1/events.pb.h"

namespace pmo::projectdirectory::testing {

namespace pv1 = ::pmo::projects::v1;

void DirectoryFeed::Add(const std::string& stream_type,
                        const std::string& stream_id,
                        const google::protobuf::Message& event,
                        int64_t version) {
  int64_t& current = versions_[stream_id];
  current = version > 0 ? version : current + 1;
  eventstore::NewEvent encoded = eventsourcing::EncodeEvent(event, absl::Now());
  subscription::Delivery d;
  d.event.stream_id = stream_id;
  d.event.stream_type = stream_type;
  d.event.stream_version = current;
  d.event.event_type = encoded.event_type;
  d.event.payload = encoded.payload;
  d.source = "pmo.projects.events.v1";
  d.offset = ++offset_;
  d.event.position = offset_;
  batch_.push_back(std::move(d));
}

absl::Status DirectoryFeed::Deliver() {
  absl::Status s = directory_.Handle(batch_);
  batch_.clear();
  return s;
}

absl::Status DirectoryFeed::Portfolio(const std::string& portfolio_id,
                                      const std::string& code) {
  pv1::PortfolioCreated created;
  created.set_portfolio_id(portfolio_id);
  created.set_code(code);
  Add("portfolio", portfolio_id, created);
  return Deliver();
}

absl::Status DirectoryFeed::Programme(const std::string& programme_id,
                                      const std::string& portfolio_id) {
  pv1::ProgrammeCreated created;
  created.set_programme_id(programme_id);
  created.set_code(programme_id);
  created.set_portfolio_id(portfolio_id);
  Add("programme", programme_id, created);
  return Deliver();
}

absl::Status DirectoryFeed::Project(const std::string& project_id,
                                    const std::string& code,
                                    const std::string& programme_id) {
  pv1::ProjectCreated created;
  created.set_project_id(project_id);
  created.set_code(code);
  created.set_status(pv1::PROJECT_STATUS_PROPOSED);
  Add("project", project_id, created);
  if (!programme_id.empty()) {
    pv1::ProjectAssignedToProgramme assigned;
    assigned.set_project_id(project_id);
    assigned.set_programme_id(programme_id);
    Add("project", project_id, assigned);
  }
  return Deliver();
}

}  // namespace pmo::projectdirectory::testing
