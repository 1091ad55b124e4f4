// A hand-built history of three contexts for the projection's tests.
//
// Project ERP (programme DIGITAL, portfolio CORP), 2027, money in minor units:
//   budget 100,000: planned 30,000 by 31 Mar and 70,000 by 30 Jun
//   costs 20,000 on 15 Mar, 15,000 on 10 Apr
//   progress 25 % measured 31 Mar
//   -> as of 31 Mar: PV 30,000, EV 25,000, AC 20,000, SPI 0.8333 (RED below
//      0.85), CPI 1.25
//   threat EV 5,000 with its review due 20 Mar (overdue on 31 Mar);
//   opportunity EV 700; one open issue;
//   Alice booked on ERP, over-allocated on 2 Apr (coming on 31 Mar, past
//   on 5 Apr).
// Project CRM in the same programme: budget 50,000 planned 10,000 by 31 Mar,
//   cost 10,000 on 20 Mar, progress 20 % (EV 10,000): SPI 1, CPI 1.
//   Programme roll-up on 31 Mar: PV 40,000, EV 35,000, AC 30,000 ->
//   SPI 0.875 (AMBER), CPI 1.1667.

#pragma once

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "libs/dates/calendar_dates.h"
#include "libs/eventsourcing/event_codec.h"
#include "libs/eventstore/recorded_event.h"
#include "libs/subscription/event_handler.h"
#include "pmo/projects/v1/events.pb.h"
#include "pmo/resources/v1/events.pb.h"
#include "pmo/risks/v1/events.pb.h"

namespace pmo::projection::history {

namespace pv1 = ::pmo::projects::v1;
namespace kv1 = ::pmo::risks::v1;
namespace rv1 = ::pmo::resources::v1;

struct Sourced {
  std::string source;  // the topic it arrives on
  eventstore::RecordedEvent event;
};

class History {
 public:
  // Adds the next event of a stream, happened on `day` (09:00 UTC).
  History& Add(const std::string& context, const std::string& stream_type,
               const std::string& stream_id, absl::CivilDay day,
               const google::protobuf::Message& event) {
    const absl::Time at = absl::FromCivil(
        absl::CivilSecond(day.year(), day.month(), day.day(), 9, 0, 0),
        absl::UTCTimeZone());
    eventstore::NewEvent encoded = eventsourcing::EncodeEvent(event, at);
    eventstore::RecordedEvent e;
    e.stream_id = stream_id;
    e.stream_type = stream_type;
    e.stream_version = ++versions_[context + "/" + stream_id];
    e.event_type = encoded.event_type;
    e.payload = encoded.payload;
    e.occurred_at = at;
    e.recorded_at = at;
    events_.push_back({absl::StrCat("pmo.", context, ".events.v1"), e});
    return *this;
  }
  const std::vector<Sourced>& events() const { return events_; }

 private:
  std::map<std::string, int64_t> versions_;
  std::vector<Sourced> events_;
};

inline google::type::Date D(int y, int m, int d) {
  return dates::ToDate(absl::CivilDay(y, m, d));
}

inline History Portfolio() {
  History h;
  const absl::CivilDay jan1(2027, 1, 1);
  pv1::PortfolioCreated corp;
  corp.set_code("CORP");
  h.Add("projects", "portfolio", "corp", jan1, corp);
  pv1::ProgrammeCreated digital;
  digital.set_code("DIGITAL");
  digital.set_portfolio_id("corp");
  h.Add("projects", "programme", "digital", jan1, digital);
  for (auto [id, code, bac, planned] :
       {std::tuple{"erp", "ERP", 100'000, 30'000},
        std::tuple{"crm", "CRM", 50'000, 10'000}}) {
    pv1::ProjectCreated created;
    created.set_code(code);
    created.set_name(code);
    created.set_manager("alice");
    created.set_status(pv1::PROJECT_STATUS_PROPOSED);
    h.Add("projects", "project", id, jan1, created);
    pv1::ProjectAssignedToProgramme assigned;
    assigned.set_programme_id("digital");
    h.Add("projects", "project", id, jan1, assigned);
    pv1::BudgetSet budget;
    budget.mutable_budget()->set_budget_at_completion_minor(bac);
    auto* first = budget.mutable_budget()->add_planned_values();
    *first->mutable_date() = D(2027, 3, 31);
    first->set_amount_minor(planned);
    auto* rest = budget.mutable_budget()->add_planned_values();
    *rest->mutable_date() = D(2027, 6, 30);
    rest->set_amount_minor(bac - planned);
    h.Add("projects", "project", id, jan1, budget);
  }
  pv1::TaskAdded golive;
  golive.set_task_id("t-golive");
  golive.set_name("Go-live");
  golive.set_milestone(true);
  *golive.mutable_not_before() = D(2027, 6, 1);
  h.Add("projects", "project", "erp", jan1, golive);
  for (auto [id, day, amount] :
       {std::tuple{"erp", 15, 20'000}, std::tuple{"crm", 20, 10'000}}) {
    pv1::ActualCostRecorded cost;
    *cost.mutable_cost_date() = D(2027, 3, day);
    cost.set_amount_minor(amount);
    h.Add("projects", "project", id, absl::CivilDay(2027, 3, day), cost);
  }
  for (auto [id, percent] :
       {std::tuple{"erp", 25.0}, std::tuple{"crm", 20.0}}) {
    pv1::ProgressReported progress;
    *progress.mutable_measured_on() = D(2027, 3, 31);
    progress.set_percent_complete(percent);
    h.Add("projects", "project", id, absl::CivilDay(2027, 3, 31), progress);
  }
  pv1::ActualCostRecorded april;
  *april.mutable_cost_date() = D(2027, 4, 10);
  april.set_amount_minor(15'000);
  h.Add("projects", "project", "erp", absl::CivilDay(2027, 4, 10), april);

  kv1::RiskIdentified threat;
  threat.set_level(kv1::RISK_LEVEL_PROJECT);
  threat.set_scope_id("erp");
  threat.set_kind(kv1::RISK_KIND_THREAT);
  *threat.mutable_next_review() = D(2027, 3, 20);
  h.Add("risks", "risk", "r-threat", absl::CivilDay(2027, 3, 1), threat);
  kv1::RiskAssessed assessed;
  assessed.set_stage(kv1::ASSESSMENT_STAGE_INHERENT);
  assessed.mutable_rating()->set_expected_value_minor(5'000);
  h.Add("risks", "risk", "r-threat", absl::CivilDay(2027, 3, 1), assessed);
  kv1::RiskIdentified gain = threat;
  gain.set_kind(kv1::RISK_KIND_OPPORTUNITY);
  gain.clear_next_review();
  h.Add("risks", "risk", "r-gain", absl::CivilDay(2027, 3, 2), gain);
  assessed.mutable_rating()->set_expected_value_minor(700);
  h.Add("risks", "risk", "r-gain", absl::CivilDay(2027, 3, 2), assessed);
  kv1::IssueRaised issue;
  issue.set_scope_id("erp");
  h.Add("risks", "issue", "i-1", absl::CivilDay(2027, 3, 3), issue);

  rv1::AllocationMade booked;
  booked.mutable_allocation()->set_allocation_id("a-1");
  booked.mutable_allocation()->set_project_id("erp");
  booked.mutable_allocation()->set_status(rv1::ALLOCATION_STATUS_BOOKED);
  h.Add("resources", "resource", "alice", absl::CivilDay(2027, 3, 1), booked);
  rv1::ResourceOverAllocated over;
  *over.add_days()->mutable_day() = D(2027, 4, 2);
  h.Add("resources", "resource", "alice", absl::CivilDay(2027, 3, 1), over);
  return h;
}

inline std::vector<subscription::Delivery> Deliveries(
    const std::vector<Sourced>& events) {
  std::vector<subscription::Delivery> out;
  std::map<std::string, int64_t> offsets;
  for (const Sourced& s : events) {
    subscription::Delivery d;
    d.event = s.event;
    d.source = s.source;
    d.offset = offsets[s.source]++;
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace pmo::projection::history
