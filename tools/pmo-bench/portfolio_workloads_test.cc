#include "tools/pmo-bench/portfolio_workloads.h"

#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pmo::bench {
namespace {

TEST(MixedDeck, HoldsEachOperationAsOftenAsItsShare) {
  int total = 0;
  for (const MixedShare& share : kMixedShares) total += share.per_hundred;
  EXPECT_EQ(total, 100);
  for (uint64_t seed : {1u, 2u, 99u}) {
    std::map<MixedOperation, int> counted;
    for (MixedOperation op : MixedDeck(seed)) ++counted[op];
    for (const MixedShare& share : kMixedShares) {
      EXPECT_EQ(counted[share.operation], share.per_hundred);
    }
  }
}

TEST(MixedDeck, WorkersGetDifferentOrders) {
  EXPECT_NE(MixedDeck(1), MixedDeck(2));
  EXPECT_EQ(MixedDeck(7), MixedDeck(7));
}

}  // namespace
}  // namespace pmo::bench
