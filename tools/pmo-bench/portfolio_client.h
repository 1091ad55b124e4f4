#pragma once

// One worker's client of a PMO deployment: each method sends one valid
// request of the portfolio workloads (fresh request_id every time) and
// returns how it ended with what later requests need (the id created, the
// aggregate's new version). The mixed and bulk-import workloads differ in
// which calls they make and how often, not in how a call is made.

#include <grpcpp/channel.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "pmo/resources/v1/resources_service.grpc.pb.h"
#include "pmo/risks/v1/risks_service.grpc.pb.h"
#include "tools/pmo-bench/pmo_requests.h"

namespace pmo::bench {

struct PortfolioChannels {
  std::shared_ptr<grpc::Channel> projects;
  std::shared_ptr<grpc::Channel> resources;
  std::shared_ptr<grpc::Channel> risks;
};

struct Answer {
  grpc::Status status;
  // The id the call created (project, task, resource, allocation, risk).
  std::string id;
  // The aggregate's version after the call, when the response carries it.
  int64_t version = 0;
};

class PortfolioClient {
 public:
  PortfolioClient(const PortfolioChannels& channels,
                  absl::Duration call_timeout, const std::string& run_tag,
                  int worker);

  // Projects service. `expected_version` is sent when set (a bulk import
  // chains its writes with it); the others append whatever the version.
  Answer CreateProject();
  // A BAC of 1,200,000 (EUR minor units) planned as 100,000 a month of 2027.
  Answer SetBudget(const std::string& project_id,
                   std::optional<int64_t> expected_version);
  Answer AddTask(const std::string& project_id, int duration_days,
                 std::optional<int64_t> expected_version);
  Answer RecordTaskProgress(const std::string& project_id,
                            const std::string& task_id, int percent_complete);
  Answer RecordActualCost(const std::string& project_id, absl::CivilDay day,
                          int64_t amount_minor,
                          std::optional<int64_t> expected_version);
  Answer SubmitStatusReport(const std::string& project_id, absl::CivilDay day,
                            projects::v1::Health health);
  Answer GetProject(const std::string& project_id);

  // Resources service: a person working Monday to Friday, 8 hours a day.
  Answer RegisterResource();
  // Books `percent` of the resource's hours for one working week.
  Answer AllocateResource(const std::string& resource_id,
                          const std::string& project_id, absl::CivilDay monday,
                          double percent);
  Answer GetResourceLoad(const std::string& resource_id, absl::CivilDay from,
                         absl::CivilDay to);

  // Risks service: a project threat, its assessment, the project's register.
  Answer IdentifyRisk(const std::string& project_id);
  Answer AssessRisk(const std::string& risk_id, int probability,
                    int schedule_impact);
  Answer ListRisks(const std::string& project_id);

 private:
  std::unique_ptr<projects::v1::ProjectsService::Stub> projects_;
  std::unique_ptr<resources::v1::ResourcesService::Stub> resources_;
  std::unique_ptr<risks::v1::RisksService::Stub> risks_;
  absl::Duration timeout_;
  RequestNames names_;
};

}  // namespace pmo::bench
