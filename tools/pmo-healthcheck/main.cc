// pmo-healthcheck: asks a server's grpc.health.v1.Health/Check and exits 0
// when it answers SERVING, 1 otherwise (not serving, unreachable, timed
// out). For container health checks (docker-compose.yml), where no
// grpc_health_probe is packaged; Kubernetes uses its native gRPC probe.
//
//   pmo-healthcheck --addr 127.0.0.1:50061 [--service NAME] [--timeout 2s]
//
// The messages are tiny and fixed, so they are written by hand rather than
// generating grpc/health/v1/health.proto (gRPC's own copy lives in its
// core library): request field 1 `service` (string); response field 1
// `status` (enum, SERVING = 1).

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <future>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/time/time.h"

ABSL_FLAG(std::string, addr, "127.0.0.1:50051", "Server address host:port");
ABSL_FLAG(std::string, service, "",
          "Service name to ask about; empty: the whole server");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(2),
          "How long to wait for the answer");

namespace {

constexpr int kServing = 1;

std::string EncodeRequest(const std::string& service) {
  if (service.empty()) return "";
  std::string out = "\x0a";  // field 1, length-delimited
  size_t n = service.size();
  do {  // varint length
    unsigned char byte = n & 0x7f;
    n >>= 7;
    if (n != 0) byte |= 0x80;
    out.push_back(static_cast<char>(byte));
  } while (n != 0);
  return out + service;
}

// The status field of a HealthCheckResponse; 0 (UNKNOWN) when absent.
int DecodeStatus(const std::string& bytes) {
  for (size_t i = 0; i + 1 < bytes.size(); ++i) {
    if (bytes[i] == '\x08') return static_cast<unsigned char>(bytes[i + 1]);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Exits 0 when a PMO server's health check answers SERVING.");
  absl::ParseCommandLine(argc, argv);
  const std::string addr = absl::GetFlag(FLAGS_addr);
  auto channel = grpc::CreateChannel(addr, grpc::InsecureChannelCredentials());
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(
      absl::ToChronoTime(absl::Now() + absl::GetFlag(FLAGS_timeout)));

  const std::string request_bytes = EncodeRequest(absl::GetFlag(FLAGS_service));
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(),
                 &request, &response,
                 [&](grpc::Status s) { done.set_value(std::move(s)); });
  const grpc::Status status = done.get_future().get();
  if (!status.ok()) {
    std::fprintf(stderr, "pmo-healthcheck: %s: %s\n", addr.c_str(),
                 status.error_message().c_str());
    return 1;
  }
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (response.Dump(&slices).ok()) {
    for (const grpc::Slice& s : slices) {
      bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
  }
  const int serving = DecodeStatus(bytes);
  if (serving != kServing) {
    std::fprintf(stderr, "pmo-healthcheck: %s: not serving (status %d)\n",
                 addr.c_str(), serving);
    return 1;
  }
  return 0;
}
