#pragma once

// gRPC adapter of the projects service: decode and validate the request,
// call the handlers, encode the answer, map the status.

#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "services/projects/app/project_handlers.h"

namespace pmo::projects {

class ProjectsGrpcService final : public v1::ProjectsService::Service {
 public:
  explicit ProjectsGrpcService(ProjectHandlers& handlers)
      : handlers_(handlers) {}

  grpc::Status CreateProject(grpc::ServerContext* context,
                             const v1::CreateProjectRequest* request,
                             v1::CreateProjectResponse* response) override;
  grpc::Status GetProject(grpc::ServerContext* context,
                          const v1::GetProjectRequest* request,
                          v1::GetProjectResponse* response) override;
  grpc::Status ListProjects(grpc::ServerContext* context,
                            const v1::ListProjectsRequest* request,
                            v1::ListProjectsResponse* response) override;
  grpc::Status ChangeProjectStatus(
      grpc::ServerContext* context,
      const v1::ChangeProjectStatusRequest* request,
      v1::ChangeProjectStatusResponse* response) override;
  grpc::Status AddTask(grpc::ServerContext* context,
                       const v1::AddTaskRequest* request,
                       v1::AddTaskResponse* response) override;
  grpc::Status RecordTaskProgress(
      grpc::ServerContext* context,
      const v1::RecordTaskProgressRequest* request,
      v1::RecordTaskProgressResponse* response) override;
  grpc::Status AddDependency(grpc::ServerContext* context,
                             const v1::AddDependencyRequest* request,
                             v1::AddDependencyResponse* response) override;
  grpc::Status ChangeTaskPlan(grpc::ServerContext* context,
                              const v1::ChangeTaskPlanRequest* request,
                              v1::ChangeTaskPlanResponse* response) override;
  grpc::Status CaptureBaseline(grpc::ServerContext* context,
                               const v1::CaptureBaselineRequest* request,
                               v1::CaptureBaselineResponse* response) override;
  grpc::Status GetScheduleVariance(
      grpc::ServerContext* context,
      const v1::GetScheduleVarianceRequest* request,
      v1::GetScheduleVarianceResponse* response) override;
  grpc::Status RegisterMethodology(
      grpc::ServerContext* context,
      const v1::RegisterMethodologyRequest* request,
      v1::RegisterMethodologyResponse* response) override;
  grpc::Status ApplyMethodology(
      grpc::ServerContext* context, const v1::ApplyMethodologyRequest* request,
      v1::ApplyMethodologyResponse* response) override;
  grpc::Status RecordGateReview(
      grpc::ServerContext* context, const v1::RecordGateReviewRequest* request,
      v1::RecordGateReviewResponse* response) override;
  grpc::Status EnterNextPhase(grpc::ServerContext* context,
                              const v1::EnterNextPhaseRequest* request,
                              v1::EnterNextPhaseResponse* response) override;
  grpc::Status SetBudget(grpc::ServerContext* context,
                         const v1::SetBudgetRequest* request,
                         v1::SetBudgetResponse* response) override;
  grpc::Status RecordActualCost(
      grpc::ServerContext* context, const v1::RecordActualCostRequest* request,
      v1::RecordActualCostResponse* response) override;
  grpc::Status ReportProgress(grpc::ServerContext* context,
                              const v1::ReportProgressRequest* request,
                              v1::ReportProgressResponse* response) override;
  grpc::Status SubmitStatusReport(
      grpc::ServerContext* context,
      const v1::SubmitStatusReportRequest* request,
      v1::SubmitStatusReportResponse* response) override;
  grpc::Status GetEarnedValue(grpc::ServerContext* context,
                              const v1::GetEarnedValueRequest* request,
                              v1::GetEarnedValueResponse* response) override;
  grpc::Status GetProjectSchedule(
      grpc::ServerContext* context,
      const v1::GetProjectScheduleRequest* request,
      v1::GetProjectScheduleResponse* response) override;

 private:
  ProjectHandlers& handlers_;
};

// Who calls, for the rules about people: the caller's name and whether
// their token lists `project_id` among the projects they manage.
// `typed`, a name from the request, counts only on a development server
// where the call names nobody (grpcserver::ActorName).
Actor ActorOf(const grpc::ServerContextBase& context,
              const std::string& project_id, const std::string& typed = "");

// The API view of a project at a version.
v1::Project ToProto(const VersionedProject& project);

}  // namespace pmo::projects
