#include "services/reporting/domain/distribution_slots.h"

#include "gtest/gtest.h"

namespace pmo::reporting {
namespace {

absl::Time At(int y, int m, int d, int h = 7) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, h, 0, 0),
                         absl::UTCTimeZone());
}

TEST(DistributionSlots, DailyAndWeeklyRepeatFromTheStart) {
  const absl::Time start = At(2027, 3, 1);
  EXPECT_EQ(SlotAt(start, v1::FREQUENCY_DAILY, 3), At(2027, 3, 4));
  EXPECT_EQ(SlotAt(start, v1::FREQUENCY_WEEKLY, 2), At(2027, 3, 15));
  EXPECT_EQ(LatestSlotIndex(start, v1::FREQUENCY_DAILY, At(2027, 3, 1, 6)), -1);
  EXPECT_EQ(LatestSlotIndex(start, v1::FREQUENCY_DAILY, At(2027, 3, 1)), 0);
  EXPECT_EQ(LatestSlotIndex(start, v1::FREQUENCY_DAILY, At(2027, 3, 4, 6)), 2);
  EXPECT_EQ(LatestSlotIndex(start, v1::FREQUENCY_WEEKLY, At(2027, 3, 14, 23)),
            1);
}

TEST(DistributionSlots, MonthlyKeepsTheDayClampedToTheMonthsEnd) {
  const absl::Time start = At(2027, 1, 31);
  EXPECT_EQ(SlotAt(start, v1::FREQUENCY_MONTHLY, 1), At(2027, 2, 28));
  EXPECT_EQ(SlotAt(start, v1::FREQUENCY_MONTHLY, 2), At(2027, 3, 31));
  EXPECT_EQ(SlotAt(start, v1::FREQUENCY_MONTHLY, 13),
            At(2028, 2, 29));  // leap year
  EXPECT_EQ(LatestSlotIndex(start, v1::FREQUENCY_MONTHLY, At(2027, 3, 31, 6)),
            1);
  EXPECT_EQ(LatestSlotIndex(start, v1::FREQUENCY_MONTHLY, At(2027, 3, 31, 7)),
            2);
}

TEST(DistributionSlots, AfterDowntimeOnlyTheLatestSlotIsDueOnce) {
  const absl::Time start = At(2027, 3, 1);
  // Nothing delivered, now on day 0: slot 0 is due.
  auto first =
      DueRunAt(start, v1::FREQUENCY_DAILY, std::nullopt, At(2027, 3, 1, 9));
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->slot, At(2027, 3, 1));
  EXPECT_EQ(first->skipped_slots, 0);
  // Delivered slot 0; down until day 4 at 09:00: slots 1-3 skipped, 4 due.
  auto caught_up =
      DueRunAt(start, v1::FREQUENCY_DAILY, At(2027, 3, 1), At(2027, 3, 5, 9));
  ASSERT_TRUE(caught_up.has_value());
  EXPECT_EQ(caught_up->slot, At(2027, 3, 5));
  EXPECT_EQ(caught_up->skipped_slots, 3);
  // Once delivered, nothing more is due until the next slot.
  EXPECT_FALSE(
      DueRunAt(start, v1::FREQUENCY_DAILY, At(2027, 3, 5), At(2027, 3, 6, 6)));
  EXPECT_TRUE(
      DueRunAt(start, v1::FREQUENCY_DAILY, At(2027, 3, 5), At(2027, 3, 6, 7)));
  // Before the first slot nothing is due.
  EXPECT_FALSE(
      DueRunAt(start, v1::FREQUENCY_DAILY, std::nullopt, At(2027, 2, 28)));
}

}  // namespace
}  // namespace pmo::reporting
