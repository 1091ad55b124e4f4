#include "tests/support/portfolio_probe.h"

#include "absl/time/clock.h"
#include "tests/support/grpc_testing.h"

namespace pmo::testing {

namespace jv1 = ::pmo::projection::v1;

jv1::GetPortfolioDigestResponse PortfolioDigest(int port) {
  auto stub = jv1::PortfolioService::NewStub(LoopbackChannel(port));
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  jv1::GetPortfolioDigestResponse resp;
  if (!stub->GetPortfolioDigest(&ctx, {}, &resp).ok()) return {};
  return resp;
}

bool WaitForPortfolioCount(int port, int64_t count, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (PortfolioDigest(port).project_count() >= count) return true;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return false;
}

bool WaitForEqualDigests(int a, int b, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    const std::string da = PortfolioDigest(a).digest();
    if (!da.empty() && da == PortfolioDigest(b).digest()) return true;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return false;
}

}  // namespace pmo::testing
