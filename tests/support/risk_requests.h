#pragma once

// Requests to the risk register that tests make again and again.

#include <cstdint>
#include <string>

#include "pmo/risks/v1/risks_service.pb.h"

namespace pmo::testing {

// A project risk of `kind` in `project_id`, owned by alice.
inline ::pmo::risks::v1::IdentifyRiskRequest NewProjectRiskRequest(
    const std::string& request_id, const std::string& project_id,
    const std::string& title,
    ::pmo::risks::v1::RiskKind kind = ::pmo::risks::v1::RISK_KIND_THREAT) {
  ::pmo::risks::v1::IdentifyRiskRequest r;
  r.set_request_id(request_id);
  r.set_level(::pmo::risks::v1::RISK_LEVEL_PROJECT);
  r.set_scope_id(project_id);
  r.set_kind(kind);
  r.set_title(title);
  r.set_category("External/Suppliers");
  r.set_owner("alice");
  return r;
}

// An inherent assessment: probability level, cost impact level (schedule
// and quality 0) and the money if it happens.
inline ::pmo::risks::v1::AssessRiskRequest AssessRequest(
    const std::string& request_id, const std::string& risk_id, int probability,
    int cost_impact, int64_t cost_impact_minor) {
  ::pmo::risks::v1::AssessRiskRequest r;
  r.set_request_id(request_id);
  r.set_risk_id(risk_id);
  r.mutable_assessment()->set_probability(probability);
  r.mutable_assessment()->mutable_impact()->set_cost(cost_impact);
  r.mutable_assessment()->set_cost_impact_minor(cost_impact_minor);
  return r;
}

}  // namespace pmo::testing
