#include "tools/pmo-bench/simple_workloads.h"

#include <string>

#include "pmo/bench/v1/echo.grpc.pb.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "tools/pmo-bench/pmo_requests.h"
#include "tools/pmo-bench/rpc_call.h"

namespace pmo::bench {
namespace {

namespace pv1 = ::pmo::projects::v1;

class EchoSession final : public WorkloadSession {
 public:
  EchoSession(const std::shared_ptr<grpc::Channel>& channel,
              absl::Duration timeout)
      : stub_(v1::EchoService::NewStub(channel)), timeout_(timeout) {
    request_.set_payload(std::string(96, 'e'));
  }
  CallOutcome Next() override {
    v1::EchoResponse response;
    const grpc::Status s =
        CallWithDeadline(timeout_, [&](grpc::ClientContext* c) {
          return stub_->Echo(c, request_, &response);
        });
    return {"Echo", s.error_code()};
  }

 private:
  std::unique_ptr<v1::EchoService::Stub> stub_;
  absl::Duration timeout_;
  v1::EchoRequest request_;
};

class EchoWorkload final : public Workload {
 public:
  EchoWorkload(std::shared_ptr<grpc::Channel> channel, absl::Duration timeout)
      : channel_(std::move(channel)), timeout_(timeout) {}
  absl::StatusOr<std::unique_ptr<WorkloadSession>> StartSession(int) override {
    return std::make_unique<EchoSession>(channel_, timeout_);
  }

 private:
  std::shared_ptr<grpc::Channel> channel_;
  absl::Duration timeout_;
};

class CreateProjectSession final : public WorkloadSession {
 public:
  CreateProjectSession(const std::shared_ptr<grpc::Channel>& channel,
                       absl::Duration timeout, const std::string& run_tag,
                       int worker)
      : stub_(pv1::ProjectsService::NewStub(channel)),
        timeout_(timeout),
        names_(run_tag, worker) {}
  CallOutcome Next() override {
    const pv1::CreateProjectRequest request =
        NewProjectRequest(names_.NextRequestId(), names_.NextProjectCode());
    pv1::CreateProjectResponse response;
    const grpc::Status s =
        CallWithDeadline(timeout_, [&](grpc::ClientContext* c) {
          return stub_->CreateProject(c, request, &response);
        });
    return {"CreateProject", s.error_code()};
  }

 private:
  std::unique_ptr<pv1::ProjectsService::Stub> stub_;
  absl::Duration timeout_;
  RequestNames names_;
};

class CreateProjectWorkload final : public Workload {
 public:
  CreateProjectWorkload(std::shared_ptr<grpc::Channel> channel,
                        absl::Duration timeout, std::string run_tag)
      : channel_(std::move(channel)),
        timeout_(timeout),
        run_tag_(std::move(run_tag)) {}
  absl::StatusOr<std::unique_ptr<WorkloadSession>> StartSession(
      int worker) override {
    return std::make_unique<CreateProjectSession>(channel_, timeout_, run_tag_,
                                                  worker);
  }

 private:
  std::shared_ptr<grpc::Channel> channel_;
  absl::Duration timeout_;
  std::string run_tag_;
};

}  // namespace

std::unique_ptr<Workload> MakeEchoWorkload(std::shared_ptr<grpc::Channel> echo,
                                           absl::Duration call_timeout) {
  return std::make_unique<EchoWorkload>(std::move(echo), call_timeout);
}

std::unique_ptr<Workload> MakeCreateProjectWorkload(
    std::shared_ptr<grpc::Channel> projects, absl::Duration call_timeout,
    const std::string& run_tag) {
  return std::make_unique<CreateProjectWorkload>(std::move(projects),
                                                 call_timeout, run_tag);
}

}  // namespace pmo::bench
