#pragma once

// A log-bucketed latency histogram in the manner of HdrHistogram: constant
// relative precision over a wide range, fixed memory, O(1) Record, exact
// merge. Values are non-negative integers (pmo-bench records nanoseconds).
//
// Buckets: values below 2^kSubBucketBits (256) have a bucket each, so they
// are exact. Above that, each power-of-two range [2^e, 2^(e+1)) is cut into
// 128 equal buckets, so a bucket is at most 1/128 (0.8 %) of its values
// wide. Values above kMaxValue (2^40 - 1, about 18 minutes in ns) are
// counted in the last bucket and in clamped().
//
//   LatencyHistogram h;
//   h.Record(absl::ToInt64Nanoseconds(latency));
//   int64_t p99 = h.ValueAtPercentile(99.0);

#include <cstdint>
#include <vector>

namespace pmo::bench {

class LatencyHistogram {
 public:
  static constexpr int kSubBucketBits = 8;
  static constexpr int kMaxValueBits = 40;
  static constexpr int64_t kMaxValue = (int64_t{1} << kMaxValueBits) - 1;

  LatencyHistogram();

  // Negative values count as 0; values above kMaxValue as kMaxValue.
  void Record(int64_t value);
  // Adds every value recorded in `other`.
  void Merge(const LatencyHistogram& other);

  int64_t count() const { return count_; }
  // Exact over the recorded (clamped) values; 0 when empty.
  int64_t min() const { return count_ == 0 ? 0 : min_; }
  int64_t max() const { return max_; }
  double mean() const;
  int64_t clamped() const { return clamped_; }

  // The smallest value v such that at least `percentile` % of the recorded
  // values are <= v, reported as the highest value of v's bucket (never above
  // max() nor below min()). So the answer is never below the true
  // percentile and at most 1/128 above it. 0 when empty; `percentile` is
  // clamped to [0, 100], and 0 gives min().
  int64_t ValueAtPercentile(double percentile) const;

  // Bucket arithmetic, public for the tests: the bucket of a value and the
  // lowest and highest value a bucket holds.
  static int BucketIndex(int64_t value);
  static int64_t BucketLowest(int index);
  static int64_t BucketHighest(int index);

 private:
  std::vector<int64_t> buckets_;
  int64_t count_ = 0;
  int64_t min_ = 0;
  int64_t max_ = 0;
  int64_t clamped_ = 0;
  // Exact sum for the mean (a long double does not overflow at these counts).
  long double sum_ = 0;
};

}  // namespace pmo::bench
