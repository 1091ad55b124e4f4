#include "tests/support/create_project_load.h"

#include "absl/time/clock.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/project_requests.h"

namespace pmo::testing {
namespace {

namespace pv1 = ::pmo::projects::v1;

void Send(pv1::ProjectsService::Stub& stub, absl::Duration deadline,
          SentCommand& c) {
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  pv1::CreateProjectResponse resp;
  grpc::Status s = stub.CreateProject(&ctx, c.request, &resp);
  c.code = s.error_code();
  c.error = s.error_message();
  if (s.ok()) c.project_id = resp.project().project_id();
}

}  // namespace

CreateProjectLoad::CreateProjectLoad(int port, const Options& options)
    : load_(
          [port, deadline = options.rpc_deadline](int) -> CommandSender {
            std::shared_ptr<pv1::ProjectsService::Stub> stub =
                pv1::ProjectsService::NewStub(LoopbackChannel(port));
            return [stub, deadline](LedgerEntry& entry) {
              SentCommand c;
              c.request = NewProjectRequest(entry.request_id);
              c.request.set_request_id("fault-" + entry.request_id);
              Send(*stub, deadline, c);
              entry.code = c.code;
              entry.error = c.error;
              entry.result_id = c.project_id;
            };
          },
          {.threads = options.threads,
           .request_prefix = options.code_prefix,
           .max_per_thread = options.max_per_thread,
           .pause = options.pause}) {}

std::vector<SentCommand> CreateProjectLoad::TakeSent() {
  std::vector<SentCommand> out;
  for (LedgerEntry& entry : load_.TakeSent()) {
    SentCommand& c = out.emplace_back();
    c.request = NewProjectRequest(entry.request_id);
    c.request.set_request_id("fault-" + entry.request_id);
    c.code = entry.code;
    c.error = std::move(entry.error);
    c.project_id = std::move(entry.result_id);
  }
  return out;
}

void RetryUntilAcked(int port, SentCommand& command, absl::Duration timeout) {
  auto stub = pv1::ProjectsService::NewStub(LoopbackChannel(port));
  const absl::Time until = absl::Now() + timeout;
  do {
    Send(*stub, absl::Seconds(5), command);
    if (command.acked()) return;
    absl::SleepFor(absl::Milliseconds(100));
  } while (absl::Now() < until);
}

}  // namespace pmo::testing
