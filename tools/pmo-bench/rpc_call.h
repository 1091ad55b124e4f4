#pragma once

// Channels to the targets and one blocking call with a deadline: the two
// things every workload session needs from gRPC.

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/grpcclient/client_security.h"

namespace pmo::bench {

// TLS files and bearer token of every channel and call of the run; set
// once by main() before any channel is made (plain text by default).
void SetClientSecurity(grpcclient::ClientSecurity security);
const grpcclient::ClientSecurity& ClientSecurity();

// One channel per address, connected before the run so connection set-up
// is not measured. Workers share a channel (one HTTP/2 connection, calls
// multiplexed), as the services' own clients do.
class ChannelPool {
 public:
  explicit ChannelPool(absl::Duration connect_timeout)
      : connect_timeout_(connect_timeout) {}
  // Not thread-safe: called while workloads are made, before the workers.
  absl::StatusOr<std::shared_ptr<grpc::Channel>> To(const std::string& address);

 private:
  absl::Duration connect_timeout_;
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels_;
};

// Runs `call(&context)` with a context whose deadline is `timeout` from
// now; every request of a run is bounded in time this way.
//   grpc::Status s = CallWithDeadline(timeout, [&](grpc::ClientContext* c) {
//     return stub->CreateProject(c, request, &response);
//   });
template <typename Call>
grpc::Status CallWithDeadline(absl::Duration timeout, Call&& call) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  grpcclient::AddCallCredentials(context, ClientSecurity());
  return call(&context);
}

}  // namespace pmo::bench
