#include "tools/pmo-bench/rpc_call.h"

#include "absl/strings/str_cat.h"

namespace pmo::bench {

absl::StatusOr<std::shared_ptr<grpc::Channel>> ChannelPool::To(const std::string& address) {
  auto it = channels_.find(address);
  if (it != channels_.end()) return it->second;
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  if (!channel->WaitForConnected(absl::ToChronoTime(absl::Now() + connect_timeout_))) {
    return absl::UnavailableError(absl::StrCat("cannot connect to ", address, " within ",
                                               absl::FormatDuration(connect_timeout_)));
  }
  channels_.emplace(address, channel);
  return channel;
}

}  // namespace pmo::bench
