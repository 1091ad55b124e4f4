#include "services/projection/api/freshness.h"

#include "libs/base/proto_time.h"
#include "libs/base/status_macros.h"

namespace pmo::projection {

absl::Status FillFreshness(PortfolioView& view, v1::ViewFreshness* freshness) {
  ASSIGN_OR_RETURN(std::vector<SourceOffset> offsets, view.Offsets());
  for (const SourceOffset& o : offsets) {
    v1::SourcePosition* p = freshness->add_positions();
    p->set_source(o.source);
    p->set_partition(o.partition);
    p->set_position(o.next_offset);
  }
  ASSIGN_OR_RETURN(absl::Time last, view.LastEventRecordTime());
  *freshness->mutable_last_event_record_time() = ToTimestamp(last);
  *freshness->mutable_apply_lag() = ToDurationProto(view.ApplyLag());
  return absl::OkStatus();
}

}  // namespace pmo::projection
