#include "tools/pmo-bench/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace pmo::bench {
namespace {

// Buckets per power of two above the exact range.
constexpr int64_t kHalf = int64_t{1} << (LatencyHistogram::kSubBucketBits - 1);

// Index layout (m = kSubBucketBits, h = 2^(m-1)):
//   value < 2^m:           index = value                   (exact)
//   2^e <= value < 2^(e+1), e >= m:
//                          shift = e - (m - 1)
//                          index = shift * h + (value >> shift)
// value >> shift lies in [h, 2h), so each e adds h consecutive indexes
// right after the previous range's: [2^m, 2^m + h) for e = m, and so on.
// The largest value, 2^B - 1 (B = kMaxValueBits), has e = B - 1, so the
// last index is (B - m) * h + 2h - 1.
constexpr int kBucketCount = static_cast<int>(
    (LatencyHistogram::kMaxValueBits - LatencyHistogram::kSubBucketBits + 2) *
    kHalf);

}  // namespace

LatencyHistogram::LatencyHistogram() : buckets_(kBucketCount, 0) {}

int LatencyHistogram::BucketIndex(int64_t value) {
  if (value < 2 * kHalf) return static_cast<int>(std::max<int64_t>(value, 0));
  const int e = std::bit_width(static_cast<uint64_t>(value)) - 1;
  const int shift = e - (kSubBucketBits - 1);
  return static_cast<int>(shift * kHalf + (value >> shift));
}

int64_t LatencyHistogram::BucketLowest(int index) {
  if (index < 2 * kHalf) return index;
  const int64_t shift = index / kHalf - 1;
  const int64_t sub = index - shift * kHalf;  // in [h, 2h)
  return sub << shift;
}

int64_t LatencyHistogram::BucketHighest(int index) {
  if (index < 2 * kHalf) return index;
  const int64_t shift = index / kHalf - 1;
  return BucketLowest(index) + (int64_t{1} << shift) - 1;
}

void LatencyHistogram::Record(int64_t value) {
  if (value < 0) value = 0;
  if (value > kMaxValue) {
    value = kMaxValue;
    ++clamped_;
  }
  ++buckets_[BucketIndex(value)];
  if (count_ == 0 || value < min_) min_ = value;
  if (value > max_) max_ = value;
  ++count_;
  sum_ += value;
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  for (size_t i = 0; i < buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
  min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  count_ += other.count_;
  clamped_ += other.clamped_;
  sum_ += other.sum_;
}

double LatencyHistogram::mean() const {
  return count_ == 0 ? 0.0 : static_cast<double>(sum_ / count_);
}

int64_t LatencyHistogram::ValueAtPercentile(double percentile) const {
  if (count_ == 0) return 0;
  // The 0th percentile is the smallest value, known exactly.
  if (percentile <= 0) return min_;
  percentile = std::min(percentile, 100.0);
  // How many values must be at or below the answer: at least one. The
  // epsilon keeps a product such as 99.9 x 1000 / 100 = 999.0000000001
  // (binary fractions) from asking for one value too many.
  const double exact = percentile * static_cast<double>(count_) / 100.0;
  const auto wanted = std::max<int64_t>(
      1, static_cast<int64_t>(std::ceil(exact - 1e-9 * std::max(1.0, exact))));
  int64_t seen = 0;
  for (size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= wanted) {
      return std::clamp(BucketHighest(static_cast<int>(i)), min_, max_);
    }
  }
  return max_;
}

}  // namespace pmo::bench
