#include "tools/pmo-bench/rate_schedule.h"

#include <set>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace pmo::bench {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1'700'000'000);

TEST(RateSchedule, EvenSpacingFromTheStart) {
  RateSchedule s(kStart, 1000, absl::Seconds(1));
  EXPECT_EQ(s.size(), 1000);
  EXPECT_EQ(s.DueTime(0), kStart);
  EXPECT_EQ(s.DueTime(1), kStart + absl::Milliseconds(1));
  EXPECT_EQ(s.DueTime(999), kStart + absl::Milliseconds(999));
  EXPECT_EQ(s.DueTime(1000), std::nullopt);
  EXPECT_EQ(s.DueTime(-1), std::nullopt);
}

TEST(RateSchedule, RatesThatDoNotDivideASecond) {
  // 3/s: due at 0, 333333333 and 666666666 ns; the next (1 s) is past the end.
  RateSchedule s(kStart, 3, absl::Seconds(1));
  EXPECT_EQ(s.size(), 3);
  EXPECT_EQ(s.DueTime(1), kStart + absl::Nanoseconds(333'333'333));
  EXPECT_EQ(s.DueTime(2), kStart + absl::Nanoseconds(666'666'666));
}

TEST(RateSchedule, SlowRatesAndTheEndIsExclusive) {
  // 0.5/s over 3 s: due at 0 and 2 s.
  EXPECT_EQ(RateSchedule(kStart, 0.5, absl::Seconds(3)).size(), 2);
  // 0.5/s over exactly 2 s: 2 s is not before the end.
  EXPECT_EQ(RateSchedule(kStart, 0.5, absl::Seconds(2)).size(), 1);
  EXPECT_EQ(RateSchedule(kStart, 100, absl::ZeroDuration()).size(), 0);
}

TEST(RateSchedule, DueTimesDoNotDependOnWhenTheyAreAsked) {
  // The schedule is fixed up front: asking late (a worker that was busy)
  // gives the same due time, which is what puts queueing into the latency.
  RateSchedule s(kStart, 250, absl::Seconds(2));
  EXPECT_EQ(s.size(), 500);
  EXPECT_EQ(s.DueTime(400), kStart + absl::Milliseconds(1600));
  EXPECT_EQ(s.DueTime(400), s.DueTime(400));
}

TEST(RequestTickets, StopAtTheLimit) {
  RequestTickets tickets(3);
  EXPECT_EQ(tickets.Next(), 0);
  EXPECT_EQ(tickets.Next(), 1);
  EXPECT_EQ(tickets.Next(), 2);
  EXPECT_EQ(tickets.Next(), std::nullopt);
  EXPECT_EQ(tickets.Next(), std::nullopt);
  EXPECT_EQ(tickets.issued(), 3);
}

TEST(RequestTickets, ConcurrentWorkersGetEachNumberOnce) {
  RequestTickets tickets(10'000);
  std::vector<std::vector<int64_t>> got(4);
  std::vector<std::thread> workers;
  workers.reserve(got.size());
  for (auto& mine : got) {
    workers.emplace_back([&tickets, &mine] {
      while (auto n = tickets.Next()) mine.push_back(*n);
    });
  }
  for (auto& w : workers) w.join();
  std::set<int64_t> all;
  size_t total = 0;
  for (const auto& mine : got) {
    all.insert(mine.begin(), mine.end());
    total += mine.size();
  }
  EXPECT_EQ(total, 10'000u);
  EXPECT_EQ(all.size(), 10'000u);
  EXPECT_EQ(*all.rbegin(), 9'999);
}

TEST(RequestTickets, NoLimit) {
  RequestTickets tickets(0);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(tickets.Next(), i);
  EXPECT_EQ(tickets.issued(), 5);
}

}  // namespace
}  // namespace pmo::bench
