#include "services/risks/domain/combined_risk.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"
#include "libs/base/text_checks.h"

namespace pmo::risks {

void CombinedRiskAggregate::Apply(const google::protobuf::Message& event,
                                  absl::Time) {
  if (const auto* c = dynamic_cast<const v1::RisksCombined*>(&event)) {
    state_.set_combined_risk_id(c->combined_risk_id());
    state_.set_level(c->level());
    state_.set_scope_id(c->scope_id());
    state_.set_title(c->title());
    state_.set_category(c->category());
    state_.set_owner(c->owner());
    *state_.mutable_member_risk_ids() = c->member_risk_ids();
    *state_.mutable_exposure() = c->exposure();
  } else if (const auto* e =
                 dynamic_cast<const v1::CombinedExposureChanged*>(&event)) {
    *state_.mutable_exposure() = e->exposure();
  }
}

absl::StatusOr<eventsourcing::Decision> CombinedRiskAggregate::Combine(
    v1::RisksCombined combined) const {
  if (exists()) return absl::AlreadyExistsError("combined risk exists");
  FieldViolations v;
  if (combined.level() != v1::RISK_LEVEL_PROGRAMME &&
      combined.level() != v1::RISK_LEVEL_PORTFOLIO) {
    v.Add("level", "must be PROGRAMME or PORTFOLIO");
  }
  CheckText(v, "scope_id", combined.scope_id(), 64);
  CheckText(v, "title", combined.title(), 200);
  CheckText(v, "category", combined.category(), 100);
  CheckText(v, "owner", combined.owner(), 128);
  if (combined.member_risk_ids_size() < 2)
    v.Add("member_risk_ids", "needs at least two risks");
  std::set<std::string> seen;
  for (int i = 0; i < combined.member_risk_ids_size(); ++i) {
    if (!seen.insert(combined.member_risk_ids(i)).second) {
      v.Add(absl::StrCat("member_risk_ids[", i, "]"),
            "a risk cannot be combined with itself");
    }
  }
  RETURN_IF_ERROR(v.ToStatus());
  eventsourcing::Decision decision;
  decision.events.push_back(
      std::make_unique<v1::RisksCombined>(std::move(combined)));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> CombinedRiskAggregate::UpdateExposure(
    const std::string& member_risk_id,
    const v1::CombinedExposure& exposure) const {
  if (!exists()) return absl::NotFoundError("combined risk not found");
  eventsourcing::Decision decision;
  if (google::protobuf::util::MessageDifferencer::Equals(exposure,
                                                         state_.exposure())) {
    return decision;
  }
  auto changed = std::make_unique<v1::CombinedExposureChanged>();
  changed->set_combined_risk_id(state_.combined_risk_id());
  changed->set_member_risk_id(member_risk_id);
  *changed->mutable_exposure() = exposure;
  decision.events.push_back(std::move(changed));
  return decision;
}

}  // namespace pmo::risks
