#pragma once

// Tests tell a ProjectDirectory about portfolios, programmes and projects the
// way the projects service's events would, without running that service.

#include <map>
#include <string>
#include <vector>

#include "google/protobuf/message.h"
#include "libs/projectdirectory/project_directory.h"

namespace pmo::projectdirectory::testing {

class DirectoryFeed {
 public:
  explicit DirectoryFeed(ProjectDirectory& directory) : directory_(directory) {}

  // Each delivers at once.
  absl::Status Portfolio(const std::string& portfolio_id,
                         const std::string& code);
  absl::Status Programme(const std::string& programme_id,
                         const std::string& portfolio_id);
  // Created PROPOSED, then placed in `programme_id` when it is not empty.
  absl::Status Project(const std::string& project_id, const std::string& code,
                       const std::string& programme_id = "");

  // Queues the event as the next version of its stream (or as `version`).
  void Add(const std::string& stream_type, const std::string& stream_id,
           const google::protobuf::Message& event, int64_t version = 0);
  absl::Status Deliver();

 private:
  ProjectDirectory& directory_;
  int64_t offset_ = 0;
  std::map<std::string, int64_t> versions_;
  std::vector<subscription::Delivery> batch_;
};

}  // namespace pmo::projectdirectory::testing
