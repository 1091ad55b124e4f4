#include "tools/pmo-bench/rpc_call.h"

#include "absl/strings/str_cat.h"

namespace pmo::bench {
namespace {

grpcclient::ClientSecurity& Security() {
  static auto* security = new grpcclient::ClientSecurity();
  return *security;
}

}  // namespace

void SetClientSecurity(grpcclient::ClientSecurity security) {
  Security() = std::move(security);
}
const grpcclient::ClientSecurity& ClientSecurity() { return Security(); }

absl::StatusOr<std::shared_ptr<grpc::Channel>> ChannelPool::To(
    const std::string& address) {
  auto it = channels_.find(address);
  if (it != channels_.end()) return it->second;
  auto channel = grpcclient::ChannelTo(address, ClientSecurity());
  if (!channel->WaitForConnected(
          absl::ToChronoTime(absl::Now() + connect_timeout_))) {
    return absl::UnavailableError(
        absl::StrCat("cannot connect to ", address, " within ",
                     absl::FormatDuration(connect_timeout_)));
  }
  channels_.emplace(address, channel);
  return channel;
}

}  // namespace pmo::bench
