#pragma once

// gRPC adapter of the projects service: decode and validate the request,
// call the handlers, encode the answer, map the status.

#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "services/projects/app/project_handlers.h"

namespace pmo::projects {

class ProjectsGrpcService final : public v1::ProjectsService::Service {
 public:
  explicit ProjectsGrpcService(ProjectHandlers& handlers) : handlers_(handlers) {}

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
      grpc::ServerContext* context, const v1::ChangeProjectStatusRequest* request,
      v1::ChangeProjectStatusResponse* response) override;
  grpc::Status AddTask(grpc::ServerContext* context, const v1::AddTaskRequest* request,
                       v1::AddTaskResponse* response) override;
  grpc::Status RecordTaskProgress(grpc::ServerContext* context,
                                  const v1::RecordTaskProgressRequest* request,
                                  v1::RecordTaskProgressResponse* response) override;
  grpc::Status AddDependency(grpc::ServerContext* context,
                             const v1::AddDependencyRequest* request,
                             v1::AddDependencyResponse* response) override;
  grpc::Status GetProjectSchedule(grpc::ServerContext* context,
                                  const v1::GetProjectScheduleRequest* request,
                                  v1::GetProjectScheduleResponse* response) override;

 private:
  ProjectHandlers& handlers_;
};

// The API view of a project at a version.
v1::Project ToProto(const VersionedProject& project);

}  // namespace pmo::projects
