#include "tests/support/create_project_load.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/project_requests.h"

namespace pmo::testing {
namespace {

namespace pv1 = ::pmo::projects::v1;

void Send(pv1::ProjectsService::Stub& stub, absl::Duration deadline, SentCommand& c) {
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  pv1::CreateProjectResponse resp;
  grpc::Status s = stub.CreateProject(&ctx, c.request, &resp);
  c.code = s.error_code();
  c.error = s.error_message();
  if (s.ok()) c.project_id = resp.project().project_id();
}

}  // namespace

CreateProjectLoad::CreateProjectLoad(int port, Options options)
    : port_(port), options_(std::move(options)) {
  for (int t = 0; t < options_.threads; ++t) {
    threads_.emplace_back([this, t] { Run(t); });
  }
}

CreateProjectLoad::~CreateProjectLoad() { Stop(); }

void CreateProjectLoad::Stop() {
  stopping_ = true;
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

std::vector<SentCommand> CreateProjectLoad::TakeSent() {
  std::lock_guard lock(mu_);
  return std::move(sent_);
}

void CreateProjectLoad::Run(int thread_index) {
  auto stub = pv1::ProjectsService::NewStub(LoopbackChannel(port_));
  for (int n = 0; n < options_.max_per_thread && !stopping_; ++n) {
    SentCommand c;
    c.request = NewProjectRequest(absl::StrCat(options_.code_prefix, "-", thread_index, "-", n));
    c.request.set_request_id("fault-" + c.request.code());
    Send(*stub, options_.rpc_deadline, c);
    (c.acked() ? acked_ : failed_).fetch_add(1);
    const bool acked = c.acked();
    {
      std::lock_guard lock(mu_);
      sent_.push_back(std::move(c));
    }
    if (options_.pause > absl::ZeroDuration()) absl::SleepFor(options_.pause);
    // A refused call (the server is down) is not retried here, but the next
    // command waits a little: no hot loop of failures while a test restarts
    // the server.
    if (!acked) absl::SleepFor(absl::Milliseconds(50));
  }
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
