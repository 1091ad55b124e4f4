#include "services/risks/domain/combined_risk.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"

namespace pmo::risks {

void CombinedRiskAggregate::Apply(const google::protobuf::Message& event, absl::Time) {
  if (const auto* c = dynamic_cast<const v1::RisksCombined*>(&event)) {
    state_.set_combined_risk_id(c->combined_risk_id());
    state_.set_level(c->level());
    state_.set_scope_id(c->scope_id());
    state_.set_title(c->title());
    state_.set_category(c->category());
    state_.set_owner(c->owner());
    *state_.mutable_member_risk_ids() = c->member_risk_ids();
    *state_.mutable_exposure() = c->exposure();
  } else if (const auto* e = dynamic_cast<const v1::CombinedExposureChanged*>(&event)) {
    *state_.mutable_exposure() = e->exposure();
  }
}

absl::StatusOr<eventsourcing::Decision> CombinedRiskAggregate::Combine(
    v1::RisksCombined combined) const {
  if (exists()) return absl::AlreadyExistsError("combined risk exists");
  FieldViolations v;
  if (combined.level() != v1::RISK_LEVEL_PROGRAMME && combined.level() != v1::RISK_LEVEL_PORTFOLIO) {
    v.Add("level", "must be PROGRAMME or PORTFOLIO");
  }
  auto text = [&](const char* field, const std::string& value, size_t max) {
    if (absl::StripAsciiWhitespace(value).empty() || value.size() > max) {
      v.Add(field, absl::StrCat("must be 1-", max, " characters"));
    }
  };
  text("scope_id", combined.scope_id(), 64);
  text("title", combined.title(), 200);
  text("category", combined.category(), 100);
  text("owner", combined.owner(), 128);
  if (combined.member_risk_ids_size() < 2) v.Add("member_risk_ids", "needs at least two risks");
  std::set<std::string> seen;
  for (int i = 0; i < combined.member_risk_ids_size(); ++i) {
    if (!seen.insert(combined.member_risk_ids(i)).second) {
      v.Add(absl::StrCat("member_risk_ids[", i, "]"), "a risk cannot be combined with itself");
    }
  }
  RETURN_IF_ERROR(v.ToStatus());
  eventsourcing::Decision decision;
  decision.events.push_back(std::make_unique<v1::RisksCombined>(std::move(combined)));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> CombinedRiskAggregate::UpdateExposure(
    const std::string& member_risk_id, const v1::CombinedExposure& exposure) const {
  if (!exists()) return absl::NotFoundError("combined risk not found");
  eventsourcing::Decision decision;
  if (google::protobuf::util::MessageDifferencer::Equals(exposure, state_.exposure())) {
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
