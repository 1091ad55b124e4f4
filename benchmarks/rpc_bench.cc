// The CreateProject RPC end to end against an Echo RPC on the same kind of
// server.
//
//   BM_CreateProjectRpc   a real gRPC server on 127.0.0.1:0 (ServiceHost,
//                         log_requests=false) with ProjectsGrpcService over
//                         ProjectHandlers over a SqliteEventStore in a temp
//                         dir; every call creates a new project (unique code
//                         and request_id), so every call is a durable append.
//   BM_CreateProjectHandler
//                         decomposition: the same command in process, no
//                         gRPC (ProjectHandlers over the store only).
//   BM_EchoRpc            baseline: pmo.bench.v1.EchoService on the same
//                         ServiceHost (same interceptor chain), no storage.
//
// Clients: each benchmark thread has its own stub over one shared channel.

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "benchmarks/bench_support.h"
#include "benchmarks/echo_service.h"
#include "libs/eventstore/sqlite_event_store.h"
#include "libs/grpcserver/service_host.h"
#include "pmo/bench/v1/echo.grpc.pb.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "services/projects/api/projects_grpc_service.h"
#include "services/projects/app/project_handlers.h"

namespace pmo::bench {
namespace {

using grpcserver::ServiceHost;
using grpcserver::ServiceHostOptions;

ServiceHostOptions BenchHostOptions() {
  ServiceHostOptions options;
  options.listen_address = "127.0.0.1:0";
  options.log_requests = false;
  return options;
}

// Connects a channel to the host's port and waits until it is ready, so the
// connection set-up is not part of the measured calls.
std::shared_ptr<grpc::Channel> ConnectTo(const ServiceHost& host,
                                         std::string* error) {
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", host.port()),
                                     grpc::InsecureChannelCredentials());
  if (!channel->WaitForConnected(std::chrono::system_clock::now() +
                                 std::chrono::seconds(10))) {
    *error = "channel did not connect within 10s";
  }
  return channel;
}

// ---------------------------------------------------------------------------
// CreateProject

struct ProjectsFixture {
  BenchDir dir;
  std::unique_ptr<eventstore::SqliteEventStore> store;
  std::unique_ptr<projects::ProjectHandlers> handlers;
  std::unique_ptr<projects::ProjectsGrpcService> service;
  std::unique_ptr<ServiceHost> host;
  std::shared_ptr<grpc::Channel> channel;
  std::string error;

  ~ProjectsFixture() {
    channel.reset();
    if (host) host->Stop(absl::Seconds(5));
    host.reset();
    service.reset();
    handlers.reset();
    store.reset();  // then `dir` goes, with the store's files
  }
};
ProjectsFixture* g_projects = nullptr;

void ProjectsSetup(const benchmark::State&) {
  auto* f = g_projects = new ProjectsFixture();
  if (!f->dir.ok()) {
    f->error = "cannot create a temp dir under /tmp";
    return;
  }
  auto store = eventstore::SqliteEventStore::Open(f->dir.File("projects.db"));
  if (!store.ok()) {
    f->error = std::string(store.status().message());
    return;
  }
  f->store = std::move(*store);
  f->handlers = std::make_unique<projects::ProjectHandlers>(*f->store);
  f->service = std::make_unique<projects::ProjectsGrpcService>(*f->handlers);
  auto host = ServiceHost::Start(BenchHostOptions(), {f->service.get()});
  if (!host.ok()) {
    f->error = std::string(host.status().message());
    return;
  }
  f->host = std::move(*host);
  f->channel = ConnectTo(*f->host, &f->error);
}

void ProjectsTeardown(const benchmark::State&) {
  delete g_projects;
  g_projects = nullptr;
}

void SetDate(google::type::Date* date, int year, int month, int day) {
  date->set_year(year);
  date->set_month(month);
  date->set_day(day);
}

void BM_CreateProjectRpc(benchmark::State& state) {
  if (!g_projects->error.empty()) {
    state.SkipWithError(g_projects->error.c_str());
    return;
  }
  auto stub = projects::v1::ProjectsService::NewStub(g_projects->channel);
  const int thread = state.thread_index();
  int64_t n = 0;
  for (auto _ : state) {
    projects::v1::CreateProjectRequest request;
    // Codes must match ^[A-Z0-9][A-Z0-9_-]{1,31}$ and be unique in the store
    // (fresh for every run): "B<thread>-<n>".
    request.set_request_id(absl::StrCat("bench-", thread, "-", n));
    request.set_code(absl::StrCat("B", thread, "-", n));
    request.set_name("Benchmark project");
    request.set_manager("bench.manager");
    SetDate(request.mutable_planned_start(), 2025, 1, 1);
    SetDate(request.mutable_planned_end(), 2025, 12, 31);
    grpc::ClientContext context;
    projects::v1::CreateProjectResponse response;
    const grpc::Status status =
        stub->CreateProject(&context, request, &response);
    if (!status.ok()) {
      state.SkipWithError(
          absl::StrCat("CreateProject: ", status.error_message()).c_str());
      break;
    }
    ++n;
  }
  state.SetItemsProcessed(state.iterations());
  if (thread == 0 && g_projects->store->committed_batches() > 0) {
    state.counters["appends_per_fsync"] =
        static_cast<double>(g_projects->store->HeadPosition()) /
        static_cast<double>(g_projects->store->committed_batches());
  }
}
BENCHMARK(BM_CreateProjectRpc)
    ->Setup(ProjectsSetup)
    ->Teardown(ProjectsTeardown)
    ->Apply(ConcurrencyRuns);

// ---------------------------------------------------------------------------
// Decomposition (no baseline of its own): the same command in process,
// ProjectHandlers::CreateProject over a SqliteEventStore, no gRPC. Between
// the store append and the RPC it shows where a create's time goes.

struct HandlersFixture {
  BenchDir dir;
  std::unique_ptr<eventstore::SqliteEventStore> store;
  std::unique_ptr<projects::ProjectHandlers> handlers;
  std::string error;

  ~HandlersFixture() {
    handlers.reset();
    store.reset();
  }
};
HandlersFixture* g_handlers = nullptr;

void HandlersSetup(const benchmark::State&) {
  auto* f = g_handlers = new HandlersFixture();
  if (!f->dir.ok()) {
    f->error = "cannot create a temp dir under /tmp";
    return;
  }
  auto store = eventstore::SqliteEventStore::Open(f->dir.File("projects.db"));
  if (!store.ok()) {
    f->error = std::string(store.status().message());
    return;
  }
  f->store = std::move(*store);
  f->handlers = std::make_unique<projects::ProjectHandlers>(*f->store);
}

void HandlersTeardown(const benchmark::State&) {
  delete g_handlers;
  g_handlers = nullptr;
}

void BM_CreateProjectHandler(benchmark::State& state) {
  if (!g_handlers->error.empty()) {
    state.SkipWithError(g_handlers->error.c_str());
    return;
  }
  const int thread = state.thread_index();
  int64_t n = 0;
  for (auto _ : state) {
    projects::ProjectCharter charter{
        absl::StrCat("B", thread, "-", n), "Benchmark project", "bench.manager",
        absl::CivilDay(2025, 1, 1), absl::CivilDay(2025, 12, 31)};
    eventsourcing::CommandContext context;
    context.request_id = absl::StrCat("bench-", thread, "-", n);
    context.metadata.actor = "bench";
    context.metadata.causation_id = context.request_id;
    context.metadata.correlation_id = context.request_id;
    auto project = g_handlers->handlers->CreateProject(charter, context);
    if (!project.ok()) {
      state.SkipWithError(
          absl::StrCat("CreateProject: ", project.status().message()).c_str());
      break;
    }
    ++n;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CreateProjectHandler)
    ->Setup(HandlersSetup)
    ->Teardown(HandlersTeardown)
    ->Apply(ConcurrencyRuns);

// ---------------------------------------------------------------------------
// Baseline: Echo

struct EchoFixture {
  EchoServiceImpl service;
  std::unique_ptr<ServiceHost> host;
  std::shared_ptr<grpc::Channel> channel;
  std::string error;

  ~EchoFixture() {
    channel.reset();
    if (host) host->Stop(absl::Seconds(5));
  }
};
EchoFixture* g_echo = nullptr;

void EchoSetup(const benchmark::State&) {
  auto* f = g_echo = new EchoFixture();
  auto host = ServiceHost::Start(BenchHostOptions(), {&f->service});
  if (!host.ok()) {
    f->error = std::string(host.status().message());
    return;
  }
  f->host = std::move(*host);
  f->channel = ConnectTo(*f->host, &f->error);
}

void EchoTeardown(const benchmark::State&) {
  delete g_echo;
  g_echo = nullptr;
}

void BM_EchoRpc(benchmark::State& state) {
  if (!g_echo->error.empty()) {
    state.SkipWithError(g_echo->error.c_str());
    return;
  }
  auto stub = v1::EchoService::NewStub(g_echo->channel);
  // About the size of a CreateProjectRequest.
  const std::string payload(96, 'e');
  for (auto _ : state) {
    v1::EchoRequest request;
    request.set_payload(payload);
    grpc::ClientContext context;
    v1::EchoResponse response;
    const grpc::Status status = stub->Echo(&context, request, &response);
    if (!status.ok()) {
      state.SkipWithError(
          absl::StrCat("Echo: ", status.error_message()).c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EchoRpc)
    ->Setup(EchoSetup)
    ->Teardown(EchoTeardown)
    ->Apply(ConcurrencyRuns);

}  // namespace
}  // namespace pmo::bench
