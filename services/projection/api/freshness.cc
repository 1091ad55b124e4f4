#include "services/projection/api/freshness.h"

#include "google/protobuf/util/time_util.h"
#include "libs/base/status_macros.h"
#include "libs/base/time_format.h"

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
  using google::protobuf::util::TimeUtil;
  *freshness->mutable_last_event_record_time() = TimeUtil::MicrosecondsToTimestamp(ToUnixMicrosUtc(last));
  *freshness->mutable_apply_lag() =
      TimeUtil::MicrosecondsToDuration(absl::ToInt64Microseconds(view.ApplyLag()));
  return absl::OkStatus();
}

}  // namespace pmo::projection
