// The histogram's answers against figures worked out by hand from the
// bucket layout in latency_histogram.cc (m = 8 bits, 128 buckets per power
// of two above 256).

#include "tools/pmo-bench/latency_histogram.h"

#include "gtest/gtest.h"

namespace pmo::bench {
namespace {

TEST(LatencyHistogram, EmptyAnswersZero) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), 0);
  EXPECT_EQ(h.mean(), 0.0);
  EXPECT_EQ(h.ValueAtPercentile(50), 0);
}

TEST(LatencyHistogram, ValuesBelow256AreExact) {
  LatencyHistogram h;
  for (int v = 1; v <= 100; ++v) h.Record(v);
  EXPECT_EQ(h.count(), 100);
  // At least p% of 100 values at or below the answer: the p-th value.
  EXPECT_EQ(h.ValueAtPercentile(50), 50);
  EXPECT_EQ(h.ValueAtPercentile(90), 90);
  EXPECT_EQ(h.ValueAtPercentile(99), 99);
  // ceil(0.999 x 100) = 100 values.
  EXPECT_EQ(h.ValueAtPercentile(99.9), 100);
  EXPECT_EQ(h.ValueAtPercentile(100), 100);
  EXPECT_EQ(h.ValueAtPercentile(0), 1);
  EXPECT_DOUBLE_EQ(h.mean(), 50.5);
}

TEST(LatencyHistogram, AboveTheExactRangeAnswersTheBucketsHighestValue) {
  LatencyHistogram h;
  for (int v = 1; v <= 1000; ++v) h.Record(v);
  // p50 wants 500 values. 500 is in [500, 501] (2^8 <= 500 < 2^9, shift 1),
  // so the answer is 501.
  EXPECT_EQ(h.ValueAtPercentile(50), 501);
  // p90 wants 900: bucket [900, 903] (2^9 <= 900 < 2^10, shift 2).
  EXPECT_EQ(h.ValueAtPercentile(90), 903);
  // p99.9 wants 999 (not 1000: 99.9 x 1000 / 100 is 999 exactly):
  // bucket [996, 999].
  EXPECT_EQ(h.ValueAtPercentile(99.9), 999);
  EXPECT_EQ(h.ValueAtPercentile(100), 1000);
}

TEST(LatencyHistogram, AnswersStayWithinMinAndMax) {
  LatencyHistogram h;
  h.Record(1000);
  h.Record(5000);
  // 1000 is in [1000, 1003]; the max clamps only the top bucket.
  EXPECT_EQ(h.ValueAtPercentile(50), 1003);
  EXPECT_EQ(h.ValueAtPercentile(0), 1000);
  EXPECT_EQ(h.ValueAtPercentile(100), 5000);

  LatencyHistogram single;
  single.Record(1'000'000);
  EXPECT_EQ(single.ValueAtPercentile(50), 1'000'000);
}

TEST(LatencyHistogram, MillisecondLatencies) {
  // 1 ms in ns: 2^19 <= 1e6 < 2^20, shift 12, 1e6 >> 12 = 244, so the
  // bucket is [244 x 4096, 245 x 4096 - 1] = [999424, 1003519].
  LatencyHistogram h;
  for (int i = 0; i < 99; ++i) h.Record(1'000'000);
  h.Record(5'000'000);
  EXPECT_EQ(h.ValueAtPercentile(99), 1'003'519);
  EXPECT_EQ(h.ValueAtPercentile(99.9), 5'000'000);
  EXPECT_EQ(h.min(), 1'000'000);
  EXPECT_DOUBLE_EQ(h.mean(), 1'040'000.0);
}

TEST(LatencyHistogram, OutOfRangeValuesAreClamped) {
  LatencyHistogram h;
  h.Record(-5);
  h.Record(LatencyHistogram::kMaxValue + 10);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), LatencyHistogram::kMaxValue);
  EXPECT_EQ(h.clamped(), 1);
  EXPECT_EQ(h.ValueAtPercentile(100), LatencyHistogram::kMaxValue);
}

TEST(LatencyHistogram, MergeAddsEveryValue) {
  LatencyHistogram a, b, empty;
  for (int v : {1, 2, 3}) a.Record(v);
  b.Record(100);
  empty.Merge(a);
  EXPECT_EQ(empty.min(), 1);
  a.Merge(b);
  EXPECT_EQ(a.count(), 4);
  EXPECT_EQ(a.min(), 1);
  EXPECT_EQ(a.max(), 100);
  EXPECT_EQ(a.ValueAtPercentile(50), 2);
  EXPECT_EQ(a.ValueAtPercentile(75), 3);
  EXPECT_EQ(a.ValueAtPercentile(100), 100);
  EXPECT_DOUBLE_EQ(a.mean(), 26.5);
}

TEST(LatencyHistogram, BucketBoundariesByHand) {
  EXPECT_EQ(LatencyHistogram::BucketIndex(255), 255);
  EXPECT_EQ(LatencyHistogram::BucketIndex(256), 256);
  EXPECT_EQ(LatencyHistogram::BucketIndex(257), 256);
  EXPECT_EQ(LatencyHistogram::BucketIndex(258), 257);
  EXPECT_EQ(LatencyHistogram::BucketIndex(511), 383);
  EXPECT_EQ(LatencyHistogram::BucketIndex(512), 384);
  EXPECT_EQ(LatencyHistogram::BucketLowest(383), 510);
  EXPECT_EQ(LatencyHistogram::BucketHighest(384), 515);
  EXPECT_EQ(LatencyHistogram::BucketIndex(LatencyHistogram::kMaxValue),
            34 * 128 - 1);
  EXPECT_EQ(LatencyHistogram::BucketHighest(34 * 128 - 1),
            LatencyHistogram::kMaxValue);
}

TEST(LatencyHistogram, BucketsTileTheRangeWithinOneIn128) {
  const int last = LatencyHistogram::BucketIndex(LatencyHistogram::kMaxValue);
  for (int i = 0; i <= last; ++i) {
    const int64_t lo = LatencyHistogram::BucketLowest(i);
    const int64_t hi = LatencyHistogram::BucketHighest(i);
    ASSERT_EQ(LatencyHistogram::BucketIndex(lo), i);
    ASSERT_EQ(LatencyHistogram::BucketIndex(hi), i);
    if (i < last) {
      ASSERT_EQ(LatencyHistogram::BucketLowest(i + 1), hi + 1) << i;
    }
    if (lo >= 256) {
      ASSERT_LE((hi - lo + 1) * 128, lo) << i;
    }
  }
}

}  // namespace
}  // namespace pmo::bench
