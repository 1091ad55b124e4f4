#pragma once

// gRPC adapter of the resource pool.

#include "libs/auth/access_policy.h"
#include "pmo/resources/v1/resources_service.grpc.pb.h"
#include "services/resources/app/levelling_handlers.h"
#include "services/resources/app/mentoring_handlers.h"
#include "services/resources/app/resource_handlers.h"

namespace pmo::resources {

// Also the item scopes of its RPCs keyed by an item a project owns
// (resource_item_scopes.cc), so that project's manager may act on it
// (libs/auth/access_policy.h).
class ResourcesGrpcService final : public v1::ResourcesService::Service,
                                   public auth::ItemScopes {
 public:
  ResourcesGrpcService(ResourceHandlers& handlers, LevellingHandlers& levelling)
      : handlers_(handlers), levelling_(levelling) {}

  // CancelAllocation: the project the booking is for, as the resource
  // records it. DecideCapacityRequest and FulfilCapacityRequest: the
  // project that asked. nullopt for the others: the pool's own records
  // (a resource, its rates, absences and holidays, its load and every
  // booking on it) and levelling proposals, which span projects, stay the
  // PMO's. NOT_FOUND naming the id for an unknown item, INVALID_ARGUMENT
  // for an id that is not a UUID.
  absl::StatusOr<std::optional<auth::ItemScope>> ScopeOf(
      const google::protobuf::MethodDescriptor& method,
      const google::protobuf::Message& request) const override;

  grpc::Status RegisterResource(
      grpc::ServerContext* context, const v1::RegisterResourceRequest* request,
      v1::RegisterResourceResponse* response) override;
  grpc::Status GetResource(grpc::ServerContext* context,
                           const v1::GetResourceRequest* request,
                           v1::GetResourceResponse* response) override;
  grpc::Status RecordAbsence(grpc::ServerContext* context,
                             const v1::RecordAbsenceRequest* request,
                             v1::RecordAbsenceResponse* response) override;
  grpc::Status AddCostRate(grpc::ServerContext* context,
                           const v1::AddCostRateRequest* request,
                           v1::AddCostRateResponse* response) override;
  grpc::Status AddHoliday(grpc::ServerContext* context,
                          const v1::AddHolidayRequest* request,
                          v1::AddHolidayResponse* response) override;
  grpc::Status AllocateResource(
      grpc::ServerContext* context, const v1::AllocateResourceRequest* request,
      v1::AllocateResourceResponse* response) override;
  grpc::Status CancelAllocation(
      grpc::ServerContext* context, const v1::CancelAllocationRequest* request,
      v1::CancelAllocationResponse* response) override;
  grpc::Status GetResourceLoad(grpc::ServerContext* context,
                               const v1::GetResourceLoadRequest* request,
                               v1::GetResourceLoadResponse* response) override;
  grpc::Status RequestCapacity(grpc::ServerContext* context,
                               const v1::RequestCapacityRequest* request,
                               v1::RequestCapacityResponse* response) override;
  grpc::Status DecideCapacityRequest(
      grpc::ServerContext* context,
      const v1::DecideCapacityRequestRequest* request,
      v1::DecideCapacityRequestResponse* response) override;
  grpc::Status FulfilCapacityRequest(
      grpc::ServerContext* context,
      const v1::FulfilCapacityRequestRequest* request,
      v1::FulfilCapacityRequestResponse* response) override;
  grpc::Status FindFreeResources(
      grpc::ServerContext* context, const v1::FindFreeResourcesRequest* request,
      v1::FindFreeResourcesResponse* response) override;
  grpc::Status GetUtilisation(grpc::ServerContext* context,
                              const v1::GetUtilisationRequest* request,
                              v1::GetUtilisationResponse* response) override;
  grpc::Status GetCapacityVersusDemand(
      grpc::ServerContext* context,
      const v1::GetCapacityVersusDemandRequest* request,
      v1::GetCapacityVersusDemandResponse* response) override;
  grpc::Status ProposeLevelling(
      grpc::ServerContext* context, const v1::ProposeLevellingRequest* request,
      v1::ProposeLevellingResponse* response) override;
  grpc::Status AcceptLevelling(grpc::ServerContext* context,
                               const v1::AcceptLevellingRequest* request,
                               v1::AcceptLevellingResponse* response) override;
  grpc::Status DiscardLevelling(
      grpc::ServerContext* context, const v1::DiscardLevellingRequest* request,
      v1::DiscardLevellingResponse* response) override;

 private:
  ResourceHandlers& handlers_;
  LevellingHandlers& levelling_;
};

class MentoringGrpcService final : public v1::MentoringService::Service {
 public:
  explicit MentoringGrpcService(MentoringHandlers& handlers)
      : handlers_(handlers) {}
  grpc::Status StartMentorship(grpc::ServerContext* context,
                               const v1::StartMentorshipRequest* request,
                               v1::StartMentorshipResponse* response) override;
  grpc::Status RecordMentoringSession(
      grpc::ServerContext* context,
      const v1::RecordMentoringSessionRequest* request,
      v1::RecordMentoringSessionResponse* response) override;
  grpc::Status RecordLesson(grpc::ServerContext* context,
                            const v1::RecordLessonRequest* request,
                            v1::RecordLessonResponse* response) override;
  grpc::Status SearchLessons(grpc::ServerContext* context,
                             const v1::SearchLessonsRequest* request,
                             v1::SearchLessonsResponse* response) override;

 private:
  MentoringHandlers& handlers_;
};

}  // namespace pmo::resources
