#include "services/configuration/domain/baseline_comparison.h"

namespace pmo::configuration {

v1::BaselineComparison CompareBaselines(const v1::Baseline& from,
                                        const v1::Baseline& to) {
  v1::BaselineComparison out;
  out.set_from_baseline_id(from.baseline_id());
  out.set_to_baseline_id(to.baseline_id());
  int unchanged = 0;
  int i = 0;
  int j = 0;
  const auto& a = from.entries();
  const auto& b = to.entries();
  // A merge of the two sorted lists.
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].item_id() < b[j].item_id())) {
      *out.add_removed() = a[i++];
    } else if (i == a.size() || b[j].item_id() < a[i].item_id()) {
      *out.add_added() = b[j++];
    } else {
      if (a[i].version_number() == b[j].version_number()) {
        ++unchanged;
      } else {
        v1::ChangedEntry* changed = out.add_changed();
        changed->set_item_id(b[j].item_id());
        changed->set_identifier(b[j].identifier());
        changed->set_from_version_number(a[i].version_number());
        changed->set_to_version_number(b[j].version_number());
      }
      ++i;
      ++j;
    }
  }
  out.set_unchanged_count(unchanged);
  return out;
}

}  // namespace pmo::configuration
