// libFuzzer target: request validation of every service's gRPC adapter.
//
// All services are registered, as in the all-in-one pmo, on one in-process
// gRPC server (no port) with the platform's interceptor chain, over SQLite
// stores in a temporary folder. An input picks a method of any service (its
// first two bytes) and is parsed as that method's request message (the
// rest); the parsed request goes through the real adapter: decode, check,
// command handler, store. The oracle, besides the sanitizers: an answer is
// never UNKNOWN or INTERNAL, since a caller's bad request must be named as
// such (docs/architecture.md, gRPC contract).
//
// With PMO_FUZZ_WRITE_SEEDS=<dir> the binary writes one plausible request
// per method into <dir> and exits (scripts/fuzz.sh seeds an empty corpus
// this way, so no binary corpus is committed).

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>

#include "fuzz/fuzz_seeds.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/stubs/logging.h"
#include "libs/grpcserver/call_context.h"
#include "libs/grpcserver/interceptors.h"
#include "libs/grpcserver/request_metrics.h"
#include "services/configuration/configuration_module.h"
#include "services/projection/projection_module.h"
#include "services/projects/projects_module.h"
#include "services/reporting/adapters/projection_views.h"
#include "services/reporting/reporting_module.h"
#include "services/resources/resources_module.h"
#include "services/risks/risks_module.h"

namespace pmo::fuzz {
namespace {

using google::protobuf::MethodDescriptor;

// Every service the all-in-one pmo serves (services/pmo/main.cc).
constexpr const char* kServices[] = {
    "pmo.projects.v1.ProjectsService",
    "pmo.projects.v1.PortfoliosService",
    "pmo.resources.v1.ResourcesService",
    "pmo.resources.v1.MentoringService",
    "pmo.risks.v1.RisksService",
    "pmo.projection.v1.PortfolioService",
    "pmo.projection.v1.ConsolidatedViewsService",
    "pmo.configuration.v1.ConfigurationService",
    "pmo.configuration.v1.ChangeControlService",
    "pmo.configuration.v1.LibraryService",
    "pmo.configuration.v1.DocumentsService",
    "pmo.configuration.v1.ToolsService",
    "pmo.configuration.v1.QualityService",
    "pmo.reporting.v1.ReportsService",
    "pmo.reporting.v1.CommunicationService",
};

struct Platform {
  std::unique_ptr<projects::ProjectsModule> projects;
  std::unique_ptr<projection::ProjectionModule> projection;
  std::unique_ptr<resources::ResourcesModule> resources;
  std::unique_ptr<risks::RisksModule> risks;
  std::unique_ptr<configuration::ConfigurationModule> configuration;
  std::unique_ptr<reporting::ReportingModule> reporting;
  std::unique_ptr<grpcserver::PrincipalResolver> principals;
  std::unique_ptr<grpcserver::RequestMetrics> metrics;
  std::unique_ptr<grpc::Server> server;
  std::unique_ptr<grpc::GenericStub> stub;
  std::vector<const MethodDescriptor*> methods;
};

template <typename T>
std::unique_ptr<T> OrDie(absl::StatusOr<std::unique_ptr<T>> v) {
  if (!v.ok()) {
    std::fprintf(stderr, "fuzzer set-up: %s\n", v.status().ToString().c_str());
    std::abort();
  }
  return *std::move(v);
}

std::vector<const MethodDescriptor*> AllMethods() {
  std::vector<const MethodDescriptor*> out;
  for (const char* name : kServices) {
    const auto* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
            name);
    if (!service) {
      std::fprintf(stderr, "fuzzer set-up: no service %s\n", name);
      std::abort();
    }
    for (int i = 0; i < service->method_count(); ++i)
      out.push_back(service->method(i));
  }
  return out;
}

Platform& ThePlatform() {
  static Platform* p = [] {
    std::string dir = pmo::fuzz::ScratchBase() + "/pmo-fuzz-XXXXXX";
    if (!mkdtemp(dir.data())) std::abort();
    auto* out = new Platform();
    out->projects = OrDie(projects::ProjectsModule::Open(dir));
    out->projection = OrDie(projection::ProjectionModule::Open(dir));
    out->resources = OrDie(resources::ResourcesModule::Open(dir));
    out->risks = OrDie(risks::RisksModule::Open(dir));
    out->configuration = OrDie(configuration::ConfigurationModule::Open(dir));
    // Reports read the views in-process, as in pmo; no distribution loop
    // runs, so no fuzzed webhook is ever called.
    out->reporting = OrDie(reporting::ReportingModule::Open(
        dir, reporting::ProjectionInProcess(*out->projection->grpc_service,
                                            *out->projection->views_service)));
    out->principals = grpcserver::MakeDevelopmentPrincipalResolver();
    out->metrics = std::make_unique<grpcserver::RequestMetrics>();
    grpc::ServerBuilder builder;
    for (grpc::Service* s : out->projects->grpc_services())
      builder.RegisterService(s);
    builder.RegisterService(out->projection->grpc_service.get());
    builder.RegisterService(out->projection->views_service.get());
    for (grpc::Service* s : out->resources->grpc_services())
      builder.RegisterService(s);
    builder.RegisterService(out->risks->grpc_service.get());
    for (grpc::Service* s : out->configuration->grpc_services())
      builder.RegisterService(s);
    for (grpc::Service* s : out->reporting->grpc_services())
      builder.RegisterService(s);
    builder.experimental().SetInterceptorCreators(
        grpcserver::MakeInterceptorChain({out->principals.get(),
                                          out->metrics.get(),
                                          /*log_requests=*/false}));
    out->server = builder.BuildAndStart();
    out->stub = std::make_unique<grpc::GenericStub>(
        out->server->InProcessChannel(grpc::ChannelArguments()));
    out->methods = AllMethods();
    return out;
  }();
  return *p;
}

grpc::Status Call(Platform& p, const MethodDescriptor& method,
                  const std::string& bytes) {
  grpc::ByteBuffer request;
  grpc::Slice slice(bytes);
  request = grpc::ByteBuffer(&slice, 1);
  grpc::ByteBuffer response;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  std::promise<grpc::Status> done;
  p.stub->UnaryCall(&ctx,
                    "/" + method.service()->full_name() + "/" + method.name(),
                    grpc::StubOptions(), &request, &response,
                    [&done](grpc::Status s) { done.set_value(std::move(s)); });
  return done.get_future().get();
}

}  // namespace
}  // namespace pmo::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Most mutated inputs are not valid protobuf (bad UTF-8 in a string
  // field...); protobuf would log each one. Those inputs are skipped anyway.
  google::protobuf::SetLogHandler(nullptr);
  if (const char* dir = std::getenv("PMO_FUZZ_WRITE_SEEDS")) {
    int n = 0;
    const auto methods = pmo::fuzz::AllMethods();
    for (size_t i = 0; i < methods.size(); ++i) {
      const std::string request =
          pmo::fuzz::PlausibleMessage(*methods[i]->input_type());
      std::string input;
      input.push_back(static_cast<char>(i >> 8));
      input.push_back(static_cast<char>(i & 0xff));
      input += request;
      std::ofstream(std::string(dir) + "/seed-" + methods[i]->name()) << input;
      ++n;
    }
    std::fprintf(stderr, "wrote %d seeds into %s\n", n, dir);
    std::exit(0);
  }
  (void)pmo::fuzz::ThePlatform();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  pmo::fuzz::Platform& p = pmo::fuzz::ThePlatform();
  const size_t index = ((size_t{data[0]} << 8) | data[1]) % p.methods.size();
  const google::protobuf::MethodDescriptor& method = *p.methods[index];
  // Only requests that parse: the gRPC layer rejects the others before any
  // code of ours runs.
  std::unique_ptr<google::protobuf::Message> request(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(method.input_type())
          ->New());
  if (!request->ParseFromArray(data + 2, static_cast<int>(size - 2))) return 0;
  const grpc::Status s =
      pmo::fuzz::Call(p, method, request->SerializeAsString());
  if (s.error_code() == grpc::StatusCode::UNKNOWN ||
      s.error_code() == grpc::StatusCode::INTERNAL) {
    std::fprintf(stderr, "%s answered %d: %s\nrequest: %s\n",
                 method.full_name().c_str(), s.error_code(),
                 s.error_message().c_str(), request->DebugString().c_str());
    std::abort();
  }
  return 0;
}
