// pmo-bench: drives PMO workloads against a running deployment and reports
// throughput, latency percentiles and errors by code; serves the echo
// baseline as a process of its own. See README.md.
//
//   pmo-bench serve-echo                       # prints "echo listening on port
//   N" pmo-bench run --workload=echo --target=127.0.0.1:N --concurrency=16
//   --duration=10s pmo-bench run --workload=mixed --target=127.0.0.1:50051
//   --rate=500 --output=json

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "benchmarks/echo_service.h"
#include "libs/grpcserver/service_host.h"
#include "tools/pmo-bench/load_run.h"
#include "tools/pmo-bench/pmo_requests.h"
#include "tools/pmo-bench/report.h"
#include "tools/pmo-bench/rpc_call.h"
#include "tools/pmo-bench/targets.h"
#include "tools/pmo-bench/workload_catalogue.h"

ABSL_FLAG(std::string, workload, "echo",
          "run: echo, create-project, mixed or bulk-import");
ABSL_FLAG(std::vector<std::string>, target, {},
          "run: host:port of every service, and/or service=host:port entries "
          "(projects, resources, risks, echo), comma-separated");
ABSL_FLAG(int, concurrency, 8,
          "run: workers, each with one request in flight (1-1024)");
ABSL_FLAG(
    double, rate, 0,
    "run: requests per second on a fixed schedule (open loop; latency counts "
    "queueing); 0: closed loop");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10),
          "run: how long to send (at most 10m)");
ABSL_FLAG(int64_t, requests, 0,
          "run: stop after this many requests; 0: no bound but --duration");
ABSL_FLAG(absl::Duration, call_timeout, absl::Seconds(10),
          "run: deadline of each request");
ABSL_FLAG(std::string, output, "table", "run: table or json");
ABSL_FLAG(std::string, run_tag, "",
          "run: 1-12 of [A-Z0-9] put in every project code and request id; "
          "empty: made from the clock");
ABSL_FLAG(bool, allow_remote, false, "run: allow targets beyond loopback");
ABSL_FLAG(std::string, listen, "127.0.0.1:0",
          "serve-echo: address (port 0: any free port)");
ABSL_FLAG(std::string, tls_ca, "",
          "run: use TLS, trusting these CA certificates (PEM)");
ABSL_FLAG(std::string, tls_cert, "",
          "run: mutual TLS, this client's certificate (PEM)");
ABSL_FLAG(std::string, tls_key, "",
          "run: mutual TLS, this client's private key (PEM)");
ABSL_FLAG(std::string, token_file, "",
          "run: send the bearer JWT in this file on every call");

namespace pmo::bench {
namespace {

constexpr int kMaxConcurrency = 1024;
constexpr absl::Duration kMaxDuration = absl::Minutes(10);

int Usage(const std::string& problem) {
  std::fprintf(stderr, "pmo-bench: %s\n%s\n", problem.c_str(),
               std::string(absl::ProgramUsageMessage()).c_str());
  return 2;
}

int ServeEcho() {
  EchoServiceImpl echo;
  grpcserver::ServiceHostOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  // Like `pmo` in a benchmark: a log line per RPC would be most of the cost.
  options.log_requests = false;
  return grpcserver::ServeUntilTerminated("echo", options, {&echo}, nullptr);
}

int Run() {
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  const double rate = absl::GetFlag(FLAGS_rate);
  const absl::Duration duration = absl::GetFlag(FLAGS_duration);
  const std::string output = absl::GetFlag(FLAGS_output);
  std::string run_tag = absl::GetFlag(FLAGS_run_tag);
  if (concurrency < 1 || concurrency > kMaxConcurrency) {
    return Usage("--concurrency must be 1-1024");
  }
  if (!(rate >= 0)) return Usage("--rate must be >= 0");
  if (duration <= absl::ZeroDuration() || duration > kMaxDuration) {
    return Usage("--duration must be more than 0 and at most 10m");
  }
  if (absl::GetFlag(FLAGS_call_timeout) <= absl::ZeroDuration()) {
    return Usage("--call_timeout must be positive");
  }
  if (output != "table" && output != "json")
    return Usage("--output must be table or json");
  if (run_tag.empty()) run_tag = NewRunTag();
  if (!IsValidRunTag(run_tag))
    return Usage("--run_tag must be 1-12 of [A-Z0-9]");
  grpcclient::ClientSecurity security{
      .tls_ca_file = absl::GetFlag(FLAGS_tls_ca),
      .tls_cert_file = absl::GetFlag(FLAGS_tls_cert),
      .tls_key_file = absl::GetFlag(FLAGS_tls_key)};
  if (const std::string path = absl::GetFlag(FLAGS_token_file); !path.empty()) {
    std::ifstream in(path);
    std::stringstream token;
    if (!in || !(token << in.rdbuf()))
      return Usage("--token_file: cannot read " + path);
    security.bearer_token =
        std::string(absl::StripAsciiWhitespace(token.str()));
  }
  SetClientSecurity(std::move(security));

  auto targets = ParseTargets(absl::GetFlag(FLAGS_target),
                              absl::GetFlag(FLAGS_allow_remote));
  if (!targets.ok()) return Usage(std::string(targets.status().message()));
  const std::string name = absl::GetFlag(FLAGS_workload);
  auto workload =
      MakeWorkload(name, *targets, absl::GetFlag(FLAGS_call_timeout), run_tag);
  if (!workload.ok()) {
    std::fprintf(stderr, "pmo-bench: %s\n",
                 workload.status().ToString().c_str());
    return workload.status().code() == absl::StatusCode::kInvalidArgument ? 2
                                                                          : 1;
  }
  LoadOptions options;
  options.concurrency = concurrency;
  options.rate_per_second = rate;
  options.duration = duration;
  options.max_requests = absl::GetFlag(FLAGS_requests);
  auto result = RunLoad(**workload, options);
  if (!result.ok()) {
    std::fprintf(stderr, "pmo-bench: %s\n", result.status().ToString().c_str());
    return 1;
  }
  const v1::BenchReport report =
      MakeReport({name, run_tag, concurrency, rate}, *result);
  const std::string text =
      output == "json" ? ReportJson(report) + "\n" : ReportTable(report);
  std::fputs(text.c_str(), stdout);
  return 0;
}

}  // namespace
}  // namespace pmo::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "pmo-bench run --workload=<echo|create-project|mixed|bulk-import> "
      "--target=127.0.0.1:PORT [--concurrency=N] [--rate=R] [--duration=10s] "
      "[--output=table|json]\n"
      "pmo-bench serve-echo [--listen=127.0.0.1:0]");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  const std::string command = args.size() == 2 ? args[1] : "";
  if (command == "serve-echo") {
    // Before any thread starts, so SIGTERM reaches the waiting main thread.
    pmo::grpcserver::BlockTerminationSignals();
    return pmo::bench::ServeEcho();
  }
  if (command == "run") return pmo::bench::Run();
  return pmo::bench::Usage("expected one command: run or serve-echo");
}
