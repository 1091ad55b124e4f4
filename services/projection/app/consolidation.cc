#include "services/projection/app/consolidation.h"

#include <openssl/evp.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "libs/dates/calendar_dates.h"
#include "libs/eventsourcing/event_codec.h"
#include "pmo/configuration/v1/events.pb.h"
#include "pmo/projects/v1/events.pb.h"
#include "pmo/resources/v1/events.pb.h"
#include "pmo/risks/v1/events.pb.h"

namespace pmo::projection {
namespace {

namespace pv1 = ::pmo::projects::v1;
namespace kv1 = ::pmo::risks::v1;
namespace rv1 = ::pmo::resources::v1;
namespace cv1 = ::pmo::configuration::v1;

std::optional<absl::CivilDay> DayOf(const google::type::Date& d) { return dates::ToCivilDay(d); }

// Canonical text for the digest: every value length-prefixed, so no value
// can forge a separator.
class Canonical {
 public:
  Canonical& operator()(const std::string& s) {
    absl::StrAppend(&out_, s.size(), ":", s, ";");
    return *this;
  }
  Canonical& operator()(int64_t v) { return (*this)(absl::StrCat(v)); }
  Canonical& operator()(double v) { return (*this)(absl::StrCat(v)); }
  Canonical& operator()(absl::CivilDay d) { return (*this)(absl::FormatCivilTime(d)); }
  Canonical& operator()(const std::optional<absl::CivilDay>& d) {
    return d ? (*this)(*d) : (*this)(std::string("-"));
  }
  void Line() { out_.push_back('\n'); }
  const std::string& text() const { return out_; }

 private:
  std::string out_;
};

}  // namespace

void Consolidation::Apply(const eventstore::RecordedEvent& e) {
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> decoded =
      eventsourcing::DecodeEvent(e.event_type, e.payload);
  if (!decoded.ok()) return;  // recorded as a dead letter by the caller's view
  const std::string& package = (*decoded)->GetDescriptor()->file()->package();
  if (package == "pmo.projects.v1") {
    ApplyProjects(e, **decoded);
  } else if (package == "pmo.risks.v1") {
    ApplyRisks(e, **decoded);
  } else if (package == "pmo.resources.v1") {
    ApplyResources(e, **decoded);
  } else if (package == "pmo.configuration.v1") {
    ApplyConfiguration(e, **decoded);
  }
}

void Consolidation::ApplyProjects(const eventstore::RecordedEvent& e,
                                  const google::protobuf::Message& m) {
  if (const auto* c = dynamic_cast<const pv1::PortfolioCreated*>(&m)) {
    portfolios_[e.stream_id] = {c->code(), c->name(), ""};
    return;
  }
  if (const auto* c = dynamic_cast<const pv1::ProgrammeCreated*>(&m)) {
    programmes_[e.stream_id] = {c->code(), c->name(), c->portfolio_id()};
    return;
  }
  if (e.stream_type != "project") return;
  Project& p = projects_[e.stream_id];
  if (const auto* c = dynamic_cast<const pv1::ProjectCreated*>(&m)) {
    p.code = c->code();
    p.name = c->name();
    p.manager = c->manager();
    p.status = c->status();
  } else if (const auto* s = dynamic_cast<const pv1::ProjectStatusChanged*>(&m)) {
    p.status = s->status();
  } else if (const auto* a = dynamic_cast<const pv1::ProjectAssignedToProgramme*>(&m)) {
    p.programme_id = a->programme_id();
  } else if (const auto* applied = dynamic_cast<const pv1::MethodologyApplied*>(&m)) {
    if (applied->methodology().phases_size() > 0) p.phase = applied->methodology().phases(0).name();
  } else if (const auto* phase = dynamic_cast<const pv1::PhaseEntered*>(&m)) {
    p.phase = phase->phase_name();
  } else if (const auto* b = dynamic_cast<const pv1::BudgetSet*>(&m)) {
    p.records.budget_at_completion = b->budget().budget_at_completion_minor();
    p.records.planned_values.clear();
    for (const pv1::PlannedAmount& pa : b->budget().planned_values()) {
      if (auto day = DayOf(pa.date())) p.records.planned_values.push_back({*day, pa.amount_minor()});
    }
  } else if (const auto* cost = dynamic_cast<const pv1::ActualCostRecorded*>(&m)) {
    if (auto day = DayOf(cost->cost_date())) {
      p.records.actual_costs.push_back({*day, std::nullopt, cost->amount_minor(), cost->category()});
    }
  } else if (const auto* progress = dynamic_cast<const pv1::ProgressReported*>(&m)) {
    if (auto day = DayOf(progress->measured_on())) {
      earnedvalue::ProgressReport report;
      report.date = *day;
      report.percent_complete = progress->percent_complete();
      p.records.progress.push_back(report);
    }
  } else if (const auto* report = dynamic_cast<const pv1::StatusReportSubmitted*>(&m)) {
    if (auto day = DayOf(report->report_date())) p.reports.emplace_back(*day, report->health());
  } else if (const auto* task = dynamic_cast<const pv1::TaskAdded*>(&m)) {
    if (task->milestone()) p.milestones[task->task_id()] = {task->name(), DayOf(task->not_before()), false};
  } else if (const auto* plan = dynamic_cast<const pv1::TaskPlanChanged*>(&m)) {
    auto it = p.milestones.find(plan->task_id());
    if (it != p.milestones.end()) it->second.not_before = DayOf(plan->not_before());
  } else if (const auto* done = dynamic_cast<const pv1::TaskProgressRecorded*>(&m)) {
    auto it = p.milestones.find(done->task_id());
    if (it != p.milestones.end()) it->second.done = done->percent_complete() >= 100;
  }
}

void Consolidation::ApplyRisks(const eventstore::RecordedEvent& e,
                               const google::protobuf::Message& m) {
  if (const auto* raised = dynamic_cast<const kv1::IssueRaised*>(&m)) {
    issues_[e.stream_id] = {raised->scope_id(), true};
    return;
  }
  if (dynamic_cast<const kv1::IssueResolved*>(&m)) {
    issues_[e.stream_id].open = false;
    return;
  }
  if (e.stream_type != "risk") return;
  Risk& r = risks_[e.stream_id];
  if (const auto* identified = dynamic_cast<const kv1::RiskIdentified*>(&m)) {
    r.scope_id = identified->scope_id();
    r.threat = identified->kind() != kv1::RISK_KIND_OPPORTUNITY;
    if (identified->has_next_review()) r.next_review = DayOf(identified->next_review());
  } else if (const auto* assessed = dynamic_cast<const kv1::RiskAssessed*>(&m)) {
    const int64_t ev = assessed->rating().expected_value_minor();
    if (assessed->stage() == kv1::ASSESSMENT_STAGE_RESIDUAL) {
      r.residual = true;
      r.residual_ev = ev;
    } else {
      r.inherent_ev = ev;
    }
    if (assessed->has_next_review()) r.next_review = DayOf(assessed->next_review());
  } else if (const auto* rerated = dynamic_cast<const kv1::RiskRerated*>(&m)) {
    (rerated->stage() == kv1::ASSESSMENT_STAGE_RESIDUAL ? r.residual_ev : r.inherent_ev) =
        rerated->rating().expected_value_minor();
  } else if (const auto* status = dynamic_cast<const kv1::RiskStatusChanged*>(&m)) {
    r.open = status->status() != kv1::RISK_STATUS_CLOSED && status->status() != kv1::RISK_STATUS_OCCURRED;
  } else if (const auto* planned = dynamic_cast<const kv1::ResponsePlanned*>(&m)) {
    r.actions.clear();
    for (const kv1::ResponseAction& a : planned->actions()) {
      if (auto due = DayOf(a.due())) r.actions[a.action_id()] = {*due, a.done()};
    }
  } else if (const auto* completed = dynamic_cast<const kv1::ResponseActionCompleted*>(&m)) {
    auto it = r.actions.find(completed->action_id());
    if (it != r.actions.end()) it->second.second = true;
  }
}

void Consolidation::ApplyResources(const eventstore::RecordedEvent& e,
                                   const google::protobuf::Message& m) {
  if (const auto* requested = dynamic_cast<const rv1::CapacityRequested*>(&m)) {
    capacity_requests_[e.stream_id] = {requested->project_id(), true};
    return;
  }
  if (dynamic_cast<const rv1::CapacityRequestRejected*>(&m) ||
      dynamic_cast<const rv1::CapacityRequestFulfilled*>(&m)) {
    capacity_requests_[e.stream_id].open = false;
    return;
  }
  if (e.stream_type != "resource") return;
  Resource& r = resources_[e.stream_id];
  if (const auto* made = dynamic_cast<const rv1::AllocationMade*>(&m)) {
    const bool booked = made->allocation().status() == rv1::ALLOCATION_STATUS_UNSPECIFIED ||
                        made->allocation().status() == rv1::ALLOCATION_STATUS_BOOKED;
    r.allocations[made->allocation().allocation_id()] = {made->allocation().project_id(), booked};
  } else if (const auto* cancelled = dynamic_cast<const rv1::AllocationCancelled*>(&m)) {
    auto it = r.allocations.find(cancelled->allocation_id());
    if (it != r.allocations.end()) it->second.second = false;
  } else if (const auto* over = dynamic_cast<const rv1::ResourceOverAllocated*>(&m)) {
    for (const rv1::OverAllocatedDay& d : over->days()) {
      if (auto day = DayOf(d.day())) r.over_allocated.insert(*day);
    }
  } else if (const auto* resolved = dynamic_cast<const rv1::ResourceOverAllocationResolved*>(&m)) {
    for (const google::type::Date& d : resolved->days()) {
      if (auto day = DayOf(d)) r.over_allocated.erase(*day);
    }
  }
}

void Consolidation::ApplyConfiguration(const eventstore::RecordedEvent& e,
                                       const google::protobuf::Message& m) {
  if (const auto* submitted = dynamic_cast<const cv1::ChangeRequestSubmitted*>(&m)) {
    change_requests_[e.stream_id] = {submitted->project_id(), true};
  } else if (const auto* decided = dynamic_cast<const cv1::ChangeRequestDecided*>(&m)) {
    if (decided->decision() == cv1::BOARD_DECISION_REJECT) change_requests_[e.stream_id].open = false;
  } else if (dynamic_cast<const cv1::ChangeRequestClosed*>(&m)) {
    change_requests_[e.stream_id].open = false;
  } else if (const auto* planned = dynamic_cast<const cv1::AuditPlanned*>(&m)) {
    audits_[e.stream_id].project_id = planned->project_id();
  } else if (const auto* finding = dynamic_cast<const cv1::AuditFindingRecorded*>(&m)) {
    audits_[e.stream_id].findings[finding->finding_id()] = {finding->severity(), true};
  } else if (const auto* closed = dynamic_cast<const cv1::AuditFindingClosed*>(&m)) {
    auto& findings = audits_[e.stream_id].findings;
    if (auto it = findings.find(closed->finding_id()); it != findings.end()) it->second.second = false;
  } else if (dynamic_cast<const cv1::AuditCompleted*>(&m)) {
    audits_[e.stream_id].completed = true;
  }
}

Overview Consolidation::Compute(absl::CivilDay status_date) const {
  Overview out;
  // Hash maps: every risk, issue and booking is looked up by its project.
  std::unordered_map<std::string, ProjectOverview> by_id;
  by_id.reserve(projects_.size());
  for (const auto& [id, p] : projects_) {
    if (p.code.empty()) continue;  // only known through later events
    ProjectOverview& o = by_id[id];
    o.project_id = id;
    o.code = p.code;
    o.name = p.name;
    o.manager = p.manager;
    o.status = p.status;
    o.phase = p.phase;
    o.programme_id = p.programme_id;
    if (auto g = programmes_.find(p.programme_id); g != programmes_.end()) {
      o.programme_code = g->second.code;
      o.portfolio_id = g->second.parent_id;
      if (auto f = portfolios_.find(o.portfolio_id); f != portfolios_.end()) {
        o.portfolio_code = f->second.code;
      }
    }
    // Records the projects service accepted are valid; should one not be,
    // the line shows no earned value rather than failing the whole view.
    absl::StatusOr<earnedvalue::EarnedValue> ev = earnedvalue::ComputeEarnedValue(p.records, status_date);
    if (ev.ok()) o.earned_value = *ev;
    o.health = earnedvalue::AssessHealth(o.earned_value.spi, o.earned_value.cpi);
    for (const auto& [day, health] : p.reports) {
      if (day <= status_date) o.reported_health = health;
    }
    for (const auto& [task_id, milestone] : p.milestones) {
      if (milestone.done) continue;
      const bool earlier = o.next_milestone.empty() ||
                           (milestone.not_before &&
                            (!o.next_milestone_date || *milestone.not_before < *o.next_milestone_date));
      if (earlier) {
        o.next_milestone = milestone.name;
        o.next_milestone_date = milestone.not_before;
      }
    }
  }
  for (const auto& [id, r] : risks_) {
    auto it = by_id.find(r.scope_id);
    if (it == by_id.end() || !r.open) continue;
    ProjectOverview& o = it->second;
    ++o.open_risks;
    (r.threat ? o.risk_exposure_minor : o.opportunity_value_minor) +=
        r.residual ? r.residual_ev : r.inherent_ev;
    bool overdue = r.next_review && *r.next_review < status_date;
    for (const auto& [action_id, action] : r.actions) overdue |= !action.second && action.first < status_date;
    if (overdue) ++o.overdue_risks;
  }
  for (const auto& [id, issue] : issues_) {
    auto it = by_id.find(issue.scope_id);
    if (it != by_id.end() && issue.open) ++it->second.open_issues;
  }
  std::unordered_map<std::string, std::unordered_set<std::string>> booked_resources, over_allocated;
  for (const auto& [resource_id, r] : resources_) {
    const bool over = r.over_allocated.lower_bound(status_date) != r.over_allocated.end();
    for (const auto& [allocation_id, allocation] : r.allocations) {
      auto it = by_id.find(allocation.first);
      if (it == by_id.end() || !allocation.second) continue;
      ++it->second.bookings;
      booked_resources[allocation.first].insert(resource_id);
      if (over) over_allocated[allocation.first].insert(resource_id);
    }
  }
  for (const auto& [id, request] : capacity_requests_) {
    auto it = by_id.find(request.project_id);
    if (it != by_id.end() && request.open) ++it->second.open_capacity_requests;
  }
  for (const auto& [id, request] : change_requests_) {
    auto it = by_id.find(request.project_id);
    if (it != by_id.end() && request.open) ++it->second.open_change_requests;
  }
  for (const auto& [id, audit] : audits_) {
    auto it = by_id.find(audit.project_id);
    if (it == by_id.end()) continue;
    ProjectOverview& o = it->second;
    if (audit.completed) o.compliance = std::max(o.compliance, Compliance::kCompliant);
    for (const auto& [finding_id, finding] : audit.findings) {
      if (!finding.second) continue;
      ++o.open_findings;
      if (finding.first >= cv1::FINDING_SEVERITY_MAJOR) {
        o.compliance = Compliance::kNonCompliant;
      } else if (finding.first == cv1::FINDING_SEVERITY_MINOR) {
        o.compliance = std::max(o.compliance, Compliance::kCompliantWithFindings);
      }
    }
  }

  // Roll-ups, and the lines ordered by code.
  std::map<std::string, RollUp> programmes, portfolios;
  std::map<std::string, std::vector<earnedvalue::EarnedValue>> programme_ev, portfolio_ev;
  for (auto& [id, o] : by_id) {
    o.resources_booked = static_cast<int>(booked_resources[id].size());
    o.over_allocated_resources = static_cast<int>(over_allocated[id].size());
    for (auto [rollups, evs, key, code] :
         {std::tuple{&programmes, &programme_ev, o.programme_id, o.programme_code},
          std::tuple{&portfolios, &portfolio_ev, o.portfolio_id, o.portfolio_code}}) {
      RollUp& r = (*rollups)[key];
      r.id = key;
      r.code = code;
      ++r.projects;
      r.open_risks += o.open_risks;
      r.overdue_risks += o.overdue_risks;
      r.risk_exposure_minor += o.risk_exposure_minor;
      r.opportunity_value_minor += o.opportunity_value_minor;
      r.open_issues += o.open_issues;
      (*evs)[key].push_back(o.earned_value);
    }
    out.projects.push_back(o);
  }
  for (auto [rollups, evs, target] : {std::tuple{&programmes, &programme_ev, &out.programmes},
                                      std::tuple{&portfolios, &portfolio_ev, &out.portfolios}}) {
    for (auto& [key, r] : *rollups) {
      r.earned_value = earnedvalue::RollUpPortfolio((*evs)[key]);
      r.health = earnedvalue::AssessHealth(r.earned_value.spi, r.earned_value.cpi);
      target->push_back(r);
    }
    std::sort(target->begin(), target->end(),
              [](const RollUp& a, const RollUp& b) { return a.code < b.code; });
  }
  std::sort(out.projects.begin(), out.projects.end(),
            [](const ProjectOverview& a, const ProjectOverview& b) { return a.code < b.code; });
  return out;
}

std::string Consolidation::Digest() const {
  Canonical c;
  for (const auto& [id, f] : portfolios_) { c("portfolio")(id)(f.code)(f.name); c.Line(); }
  for (const auto& [id, g] : programmes_) { c("programme")(id)(g.code)(g.name)(g.parent_id); c.Line(); }
  for (const auto& [id, p] : projects_) {
    c("project")(id)(p.code)(p.name)(p.manager)(static_cast<int64_t>(p.status))(p.programme_id)(p.phase)
        (p.records.budget_at_completion);
    for (const auto& pv : p.records.planned_values) c(pv.date)(pv.amount);
    for (const auto& cost : p.records.actual_costs) c(cost.date)(cost.amount)(cost.category);
    for (const auto& pr : p.records.progress) c(pr.date)(pr.percent_complete.value_or(-1));
    for (const auto& [day, health] : p.reports) c(day)(static_cast<int64_t>(health));
    for (const auto& [task, m] : p.milestones) c(task)(m.name)(m.not_before)(static_cast<int64_t>(m.done));
    c.Line();
  }
  for (const auto& [id, r] : risks_) {
    c("risk")(id)(r.scope_id)(static_cast<int64_t>(r.threat))(static_cast<int64_t>(r.open))(r.inherent_ev)
        (r.residual_ev)(static_cast<int64_t>(r.residual))(r.next_review);
    for (const auto& [action, a] : r.actions) c(action)(a.first)(static_cast<int64_t>(a.second));
    c.Line();
  }
  for (const auto& [id, i] : issues_) { c("issue")(id)(i.scope_id)(static_cast<int64_t>(i.open)); c.Line(); }
  for (const auto& [id, r] : resources_) {
    c("resource")(id);
    for (const auto& [a, x] : r.allocations) c(a)(x.first)(static_cast<int64_t>(x.second));
    for (absl::CivilDay d : r.over_allocated) c(d);
    c.Line();
  }
  for (const auto& [id, q] : capacity_requests_) {
    c("capacity_request")(id)(q.project_id)(static_cast<int64_t>(q.open));
    c.Line();
  }
  for (const auto& [id, q] : change_requests_) {
    c("change_request")(id)(q.project_id)(static_cast<int64_t>(q.open));
    c.Line();
  }
  for (const auto& [id, a] : audits_) {
    c("audit")(id)(a.project_id)(static_cast<int64_t>(a.completed));
    for (const auto& [f, x] : a.findings) c(f)(static_cast<int64_t>(x.first))(static_cast<int64_t>(x.second));
    c.Line();
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(c.text().data(), c.text().size(), digest, &length, EVP_sha256(), nullptr);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), length));
}

}  // namespace pmo::projection
