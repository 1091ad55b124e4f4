#pragma once

// gRPC adapters of the reporting context: ReportsService (reports now or
// as of a day) and CommunicationService (plans, inboxes, announcements).

#include "libs/auth/access_policy.h"
#include "pmo/reporting/v1/reporting_service.grpc.pb.h"
#include "services/reporting/app/distribution.h"
#include "services/reporting/app/inbox_handlers.h"
#include "services/reporting/app/plan_handlers.h"
#include "services/reporting/app/report_generator.h"

namespace pmo::reporting {

class ReportsGrpcService final : public v1::ReportsService::Service {
 public:
  explicit ReportsGrpcService(ReportGenerator& reports) : reports_(reports) {}
  grpc::Status GetReport(grpc::ServerContext* context,
                         const v1::GetReportRequest* request,
                         v1::GetReportResponse* response) override;

 private:
  ReportGenerator& reports_;
};

// Every plan answer is the plan as the caller may read it (PlanSeenBy).
// The RPCs keyed by an item name its owners through ItemScopes (the
// method guard asks; docs/security.md):
//   GetCommunicationPlan{plan_id}   the projects of every stakeholder of
//                                   the plan, none when one has none (a
//                                   plan is PMO-wide)
//   AddDistribution{stakeholder_id} the stakeholder's projects
//   ListInbox, WatchInbox           no project (a plan is PMO-wide); the
//     {stakeholder_id}              stakeholder's principal as owner
// and NOT_FOUND for a plan or stakeholder that does not exist.
class CommunicationGrpcService final : public v1::CommunicationService::Service,
                                       public auth::ItemScopes {
 public:
  CommunicationGrpcService(PlanHandlers& plans, InboxHandlers& inboxes,
                           Distribution& distribution)
      : plans_(plans), inboxes_(inboxes), distribution_(distribution) {}

  grpc::Status CreateCommunicationPlan(
      grpc::ServerContext* context,
      const v1::CreateCommunicationPlanRequest* request,
      v1::CreateCommunicationPlanResponse* response) override;
  grpc::Status GetCommunicationPlan(
      grpc::ServerContext* context,
      const v1::GetCommunicationPlanRequest* request,
      v1::GetCommunicationPlanResponse* response) override;
  grpc::Status AddStakeholder(grpc::ServerContext* context,
                              const v1::AddStakeholderRequest* request,
                              v1::AddStakeholderResponse* response) override;
  grpc::Status AddDistribution(grpc::ServerContext* context,
                               const v1::AddDistributionRequest* request,
                               v1::AddDistributionResponse* response) override;
  grpc::Status ListInbox(grpc::ServerContext* context,
                         const v1::ListInboxRequest* request,
                         v1::ListInboxResponse* response) override;
  grpc::Status WatchInbox(
      grpc::ServerContext* context, const v1::WatchInboxRequest* request,
      grpc::ServerWriter<v1::WatchInboxResponse>* writer) override;
  grpc::Status PublishAnnouncement(
      grpc::ServerContext* context,
      const v1::PublishAnnouncementRequest* request,
      v1::PublishAnnouncementResponse* response) override;

  absl::StatusOr<std::optional<auth::ItemScope>> ScopeOf(
      const google::protobuf::MethodDescriptor& method,
      const google::protobuf::Message& request) const override;

 private:
  PlanHandlers& plans_;
  InboxHandlers& inboxes_;
  Distribution& distribution_;
};

}  // namespace pmo::reporting
