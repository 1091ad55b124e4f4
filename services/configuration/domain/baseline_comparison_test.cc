#include "services/configuration/domain/baseline_comparison.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/status_matchers.h"
#include "services/configuration/domain/baseline.h"

namespace pmo::configuration {
namespace {

using ::pmo::testing::StatusIs;

// A baseline established through the aggregate, so entries are sorted the
// way the store keeps them.
v1::Baseline Establish(
    const std::string& id,
    const std::vector<std::tuple<std::string, std::string, int>>& entries) {
  v1::BaselineEstablished e;
  e.set_baseline_id(id);
  e.set_project_id("erp");
  e.set_name(id);
  for (const auto& [item, identifier, version] : entries) {
    v1::BaselineEntry* entry = e.add_entries();
    entry->set_item_id(item);
    entry->set_identifier(identifier);
    entry->set_version_number(version);
  }
  BaselineAggregate b;
  auto decision = b.Establish(e);
  EXPECT_OK(decision.status());
  for (const auto& event : decision->events) b.Apply(*event, absl::Now());
  return b.state();
}

TEST(BaselineComparison, NamesAddedRemovedAndChangedItems) {
  const v1::Baseline functional = Establish("functional", {{"d", "REQ-4", 1},
                                                           {"a", "REQ-1", 1},
                                                           {"b", "REQ-2", 2},
                                                           {"c", "REQ-3", 1}});
  const v1::Baseline product = Establish("product", {{"e", "DES-1", 1},
                                                     {"b", "REQ-2", 3},
                                                     {"a", "REQ-1", 1},
                                                     {"d", "REQ-4", 2}});
  const v1::BaselineComparison diff = CompareBaselines(functional, product);
  EXPECT_EQ(diff.from_baseline_id(), "functional");
  EXPECT_EQ(diff.to_baseline_id(), "product");
  ASSERT_EQ(diff.added_size(), 1);
  EXPECT_EQ(diff.added(0).identifier(), "DES-1");
  ASSERT_EQ(diff.removed_size(), 1);
  EXPECT_EQ(diff.removed(0).identifier(), "REQ-3");
  ASSERT_EQ(diff.changed_size(), 2);
  EXPECT_EQ(diff.changed(0).identifier(), "REQ-2");
  EXPECT_EQ(diff.changed(0).from_version_number(), 2);
  EXPECT_EQ(diff.changed(0).to_version_number(), 3);
  EXPECT_EQ(diff.changed(1).identifier(), "REQ-4");
  EXPECT_EQ(diff.unchanged_count(), 1);

  // The other way round, added and removed swap.
  const v1::BaselineComparison back = CompareBaselines(product, functional);
  ASSERT_EQ(back.added_size(), 1);
  EXPECT_EQ(back.added(0).identifier(), "REQ-3");
  ASSERT_EQ(back.removed_size(), 1);
  EXPECT_EQ(back.removed(0).identifier(), "DES-1");
  EXPECT_EQ(back.changed(0).from_version_number(), 3);
}

TEST(BaselineComparison, ABaselineComparedWithItselfHasNoDifferences) {
  const v1::Baseline b = Establish("b", {{"a", "REQ-1", 1}, {"b", "REQ-2", 2}});
  const v1::BaselineComparison diff = CompareBaselines(b, b);
  EXPECT_EQ(diff.added_size() + diff.removed_size() + diff.changed_size(), 0);
  EXPECT_EQ(diff.unchanged_count(), 2);
}

TEST(BaselineComparison, DisjointBaselinesAreAllAddedAndRemoved) {
  const v1::BaselineComparison diff =
      CompareBaselines(Establish("x", {{"a", "A", 1}, {"c", "C", 1}}),
                       Establish("y", {{"b", "B", 1}, {"d", "D", 1}}));
  EXPECT_EQ(diff.added_size(), 2);
  EXPECT_EQ(diff.removed_size(), 2);
  EXPECT_EQ(diff.unchanged_count(), 0);
}

TEST(BaselineAggregate, RefusesAnEmptyOrDuplicatedSetAndNamesTheField) {
  BaselineAggregate b;
  v1::BaselineEstablished e;
  e.set_baseline_id("x");
  e.set_project_id("erp");
  e.set_name("Allocated baseline");
  EXPECT_THAT(b.Establish(e), StatusIs(absl::StatusCode::kInvalidArgument,
                                       ::testing::HasSubstr("item_ids")));
  for (int i = 0; i < 2; ++i) {
    v1::BaselineEntry* entry = e.add_entries();
    entry->set_item_id("same");
    entry->set_version_number(1);
  }
  EXPECT_THAT(b.Establish(e), StatusIs(absl::StatusCode::kInvalidArgument,
                                       ::testing::HasSubstr("listed twice")));
}

}  // namespace
}  // namespace pmo::configuration
