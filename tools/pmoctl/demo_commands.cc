// `pmoctl demo`: loads a sample portfolio into an empty deployment so a
// newcomer sees a living system a minute after starting `pmo`.
//
// The portfolio is the same on every run for the same --as-of: names, sizes
// and figures come from fixed tables and the project's index, and every date
// is counted from --as-of (default today). It refuses a deployment that
// already holds projects rather than mixing the sample into real data, so a
// second run changes nothing.
//
//   portfolio CORP ── 3 objectives
//     ├─ programme DIG ─ 8 projects ┐ each: 4 tasks chained finish-to-start,
//     ├─ programme OPS ─ 8 projects ├ a monthly budget, costs and progress
//     └─ programme CX ── 8 projects ┘ for the months before --as-of
//   15 people booked across projects (two over-allocated), risks on half
//   the projects (two combined across projects), two change requests.

#include <algorithm>
#include <cstdio>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "libs/base/ids.h"
#include "pmo/configuration/v1/change_control_service.grpc.pb.h"
#include "pmo/configuration/v1/configuration_service.grpc.pb.h"
#include "pmo/projects/v1/portfolios_service.grpc.pb.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "pmo/resources/v1/resources_service.grpc.pb.h"
#include "pmo/risks/v1/risks_service.grpc.pb.h"
#include "tools/pmoctl/command.h"

namespace pmoctl {
namespace {

namespace pv1 = ::pmo::projects::v1;
namespace rv1 = ::pmo::resources::v1;
namespace kv1 = ::pmo::risks::v1;
namespace cv1 = ::pmo::configuration::v1;

constexpr int kProjectsPerProgramme = 8;

struct ProgrammeSample {
  const char* code;
  const char* name;
  const char* projects[kProjectsPerProgramme];
};

constexpr ProgrammeSample kProgrammes[] = {
    {"DIG",
     "Digital Workplace",
     {"ERP replacement", "Intranet relaunch", "Identity and access",
      "Cloud migration wave 1", "Cloud migration wave 2", "Data warehouse",
      "Collaboration suite", "Endpoint refresh"}},
    {"OPS",
     "Operations Excellence",
     {"Warehouse automation", "Procurement portal", "Fleet telematics",
      "Lean finance close", "Supplier onboarding", "Maintenance planning",
      "Energy monitoring", "Shared service centre"}},
    {"CX",
     "Customer Experience",
     {"Mobile app 2.0", "Web shop redesign", "Loyalty programme",
      "Contact centre CRM", "Self-service billing", "Chatbot pilot",
      "Customer data platform", "Field service app"}},
};
constexpr int kProjectCount = 3 * kProjectsPerProgramme;

struct PersonSample {
  const char* name;
  const char* unit;
  const char* skill;
  int64_t rate_minor_per_hour;
};

constexpr PersonSample kPeople[] = {
    {"Alice Martin", "IT", "architecture", 11000},
    {"Bruno Keller", "IT", "sap", 9500},
    {"Chen Wei", "IT", "cloud", 10000},
    {"Dana Novak", "Finance", "controlling", 8000},
    {"Emre Yilmaz", "IT", "java", 8500},
    {"Fatima Haddad", "Operations", "logistics", 7500},
    {"Gustav Berg", "IT", "testing", 7000},
    {"Hana Sato", "Marketing", "ux", 8000},
    {"Ivan Petrov", "IT", "data", 9500},
    {"Julia Rossi", "PMO", "planning", 9000},
    {"Kofi Mensah", "Operations", "lean", 8000},
    {"Lena Fischer", "Customer", "crm", 8500},
    {"Marco Silva", "IT", "mobile", 9000},
    {"Nora Lind", "Legal", "compliance", 10000},
    {"Omar Aziz", "IT", "security", 10500},
};
constexpr int kPeopleCount = sizeof(kPeople) / sizeof(kPeople[0]);

// Task shares of the project's duration, chained finish-to-start.
struct TaskSample {
  const char* name;
  int percent_of_duration;  // 0: a milestone
};
constexpr TaskSample kTasks[] = {
    {"Analysis", 20}, {"Build", 45}, {"Test", 25}, {"Go-live", 0}};

// What the projects, people and risks of the sample are; derived from the
// index only, so the portfolio is the same on every run.
struct ProjectPlan {
  std::string code, name, manager, programme_code;
  absl::CivilDay start, end;
  bool active;           // started before --as-of; the rest stay proposed
  int64_t bac_minor;     // budget at completion
  int cost_percent;      // actual cost against plan, e.g. 112: overrunning
  int progress_percent;  // earned against plan
  int priority;
};

ProjectPlan PlanProject(int i, absl::CivilDay as_of) {
  const ProgrammeSample& g = kProgrammes[i / kProjectsPerProgramme];
  const int within = i % kProjectsPerProgramme;
  ProjectPlan p;
  p.programme_code = g.code;
  p.code = absl::StrFormat("%s-%02d", g.code, within + 1);
  p.name = g.projects[within];
  p.manager =
      absl::AsciiStrToLower(std::string(kPeople[(i * 4) % kPeopleCount].name));
  p.manager = p.manager.substr(0, p.manager.find(' '));
  // The last project of each programme is still a proposal, a month out.
  p.active = within != kProjectsPerProgramme - 1;
  p.start = p.active ? as_of - 30 * int64_t{2 + i % 6} : as_of + 30;
  p.end = p.start + 30 * int64_t{6 + (i * 5) % 7};
  p.bac_minor = (400'000 + (int64_t{i} * 137'000) % 1'600'000) * 100;
  // Mostly on track; every sixth project slips badly.
  p.cost_percent = 93 + (i * 5) % 15;
  p.progress_percent = i % 6 == 3 ? 78 : 92 + (i * 7) % 17;
  p.priority = 1 + (i * 3) % 5;
  return p;
}

google::type::Date ToDate(absl::CivilDay d) {
  google::type::Date out;
  out.set_year(static_cast<int32_t>(d.year()));
  out.set_month(d.month());
  out.set_day(d.day());
  return out;
}

// The budget's periods: every 30 days from the start, the last at the end.
std::vector<absl::CivilDay> Periods(const ProjectPlan& p) {
  std::vector<absl::CivilDay> out;
  for (absl::CivilDay d = p.start + 30; d < p.end; d += 30) out.push_back(d);
  out.push_back(p.end);
  return out;
}

// Sends the calls of the demo. A service that has not yet learnt a new
// project from the events answers FAILED_PRECONDITION; the same request (same
// request id, so a retry appends nothing twice) is sent again until it is
// known or 30 seconds have passed. Any other failure stops the demo.
class DemoLoader {
 public:
  explicit DemoLoader(Session& s)
      : s_(s),
        projects_(pv1::ProjectsService::NewStub(s.channel())),
        portfolios_(pv1::PortfoliosService::NewStub(s.channel())),
        resources_(rv1::ResourcesService::NewStub(s.channel())),
        risks_(kv1::RisksService::NewStub(s.channel())),
        changes_(cv1::ChangeControlService::NewStub(s.channel())),
        items_(cv1::ConfigurationService::NewStub(s.channel())) {}

  template <typename Stub, typename Request, typename Response>
  bool Send(Stub* stub,
            grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                         Response*),
            Request request, Response* response) {
    if constexpr (requires { request.set_request_id(std::string()); }) {
      request.set_request_id(pmo::NewUuid());
    }
    const absl::Time give_up = absl::Now() + absl::Seconds(30);
    for (;;) {
      grpc::Status status = s_.TryCall(stub, method, request, response);
      if (status.ok()) return true;
      if (status.error_code() != grpc::StatusCode::FAILED_PRECONDITION ||
          absl::Now() > give_up) {
        exit_code_ = s_.Report(status);
        return false;
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
  }

  int exit_code() const { return exit_code_; }
  pv1::ProjectsService::Stub* projects() { return projects_.get(); }
  pv1::PortfoliosService::Stub* portfolios() { return portfolios_.get(); }
  rv1::ResourcesService::Stub* resources() { return resources_.get(); }
  kv1::RisksService::Stub* risks() { return risks_.get(); }
  cv1::ChangeControlService::Stub* changes() { return changes_.get(); }
  cv1::ConfigurationService::Stub* items() { return items_.get(); }

 private:
  Session& s_;
  std::unique_ptr<pv1::ProjectsService::Stub> projects_;
  std::unique_ptr<pv1::PortfoliosService::Stub> portfolios_;
  std::unique_ptr<rv1::ResourcesService::Stub> resources_;
  std::unique_ptr<kv1::RisksService::Stub> risks_;
  std::unique_ptr<cv1::ChangeControlService::Stub> changes_;
  std::unique_ptr<cv1::ConfigurationService::Stub> items_;
  int exit_code_ = kExitOk;
};

struct LoadedProject {
  ProjectPlan plan;
  std::string id;
  std::vector<std::string> task_ids;  // as kTasks
};

// Counts for the summary.
struct DemoTotals {
  int portfolios = 0, programmes = 0, projects = 0, tasks = 0, dependencies = 0,
      cross_project_dependencies = 0, people = 0, bookings = 0,
      over_allocated_people = 0, costs = 0, risks = 0, combined_risks = 0,
      change_requests = 0;
};

bool LoadProject(DemoLoader& d, LoadedProject& p, DemoTotals& totals) {
  pv1::CreateProjectRequest create;
  create.set_code(p.plan.code);
  create.set_name(p.plan.name);
  create.set_manager(p.plan.manager);
  create.set_sponsor("board");
  create.set_priority(p.plan.priority);
  *create.mutable_planned_start() = ToDate(p.plan.start);
  *create.mutable_planned_end() = ToDate(p.plan.end);
  pv1::CreateProjectResponse created;
  if (!d.Send(d.projects(), &pv1::ProjectsService::Stub::CreateProject, create,
              &created)) {
    return false;
  }
  p.id = created.project().project_id();
  ++totals.projects;

  const int duration = static_cast<int>(p.plan.end - p.plan.start);
  for (const TaskSample& t : kTasks) {
    pv1::AddTaskRequest add;
    add.set_project_id(p.id);
    add.set_name(t.name);
    add.set_milestone(t.percent_of_duration == 0);
    add.set_duration_days(duration * t.percent_of_duration / 100);
    if (p.task_ids.empty()) *add.mutable_not_before() = ToDate(p.plan.start);
    pv1::AddTaskResponse added;
    if (!d.Send(d.projects(), &pv1::ProjectsService::Stub::AddTask, add,
                &added))
      return false;
    p.task_ids.push_back(added.task_id());
    ++totals.tasks;
  }
  for (size_t t = 1; t < p.task_ids.size(); ++t) {
    pv1::AddDependencyRequest dep;
    dep.set_project_id(p.id);
    dep.mutable_predecessor()->set_project_id(p.id);
    dep.mutable_predecessor()->set_task_id(p.task_ids[t - 1]);
    dep.set_successor_task_id(p.task_ids[t]);
    dep.set_type(pv1::DEPENDENCY_TYPE_FINISH_TO_START);
    pv1::AddDependencyResponse unused;
    if (!d.Send(d.projects(), &pv1::ProjectsService::Stub::AddDependency, dep,
                &unused)) {
      return false;
    }
    ++totals.dependencies;
  }

  pv1::SetBudgetRequest budget;
  budget.set_project_id(p.id);
  budget.mutable_budget()->set_currency("EUR");
  budget.mutable_budget()->set_budget_at_completion_minor(p.plan.bac_minor);
  const std::vector<absl::CivilDay> periods = Periods(p.plan);
  int64_t planned_so_far = 0;
  for (size_t k = 0; k < periods.size(); ++k) {
    // Even shares; the last period takes the remainder so they sum to BAC.
    const int64_t share =
        k + 1 == periods.size()
            ? p.plan.bac_minor - planned_so_far
            : p.plan.bac_minor / static_cast<int64_t>(periods.size());
    planned_so_far += share;
    pv1::PlannedAmount* pv = budget.mutable_budget()->add_planned_values();
    *pv->mutable_date() = ToDate(periods[k]);
    pv->set_amount_minor(share);
  }
  pv1::SetBudgetResponse unused_budget;
  if (!d.Send(d.projects(), &pv1::ProjectsService::Stub::SetBudget, budget,
              &unused_budget)) {
    return false;
  }
  if (!p.plan.active) return true;

  for (pv1::ProjectStatus status :
       {pv1::PROJECT_STATUS_APPROVED, pv1::PROJECT_STATUS_ACTIVE}) {
    pv1::ChangeProjectStatusRequest change;
    change.set_project_id(p.id);
    change.set_status(status);
    change.set_reason("portfolio board");
    pv1::ChangeProjectStatusResponse unused;
    if (!d.Send(d.projects(), &pv1::ProjectsService::Stub::ChangeProjectStatus,
                change, &unused)) {
      return false;
    }
  }
  return true;
}

// Costs and progress at the end of every month before `as_of`, and at
// `as_of` itself (the part-month's cost): the S-curves of earned value have
// a history to show and the indices a present.
bool LoadActuals(DemoLoader& d, const ProjectPlan& plan, const std::string& id,
                 absl::CivilDay as_of, DemoTotals& totals) {
  std::vector<absl::CivilDay> measured;
  for (absl::CivilDay day : Periods(plan)) {
    if (day < as_of) measured.push_back(day);
  }
  if (as_of < plan.end) measured.push_back(as_of);
  const int64_t per_day = plan.bac_minor / (plan.end - plan.start);
  const double total_days = static_cast<double>(plan.end - plan.start);
  absl::CivilDay last = plan.start;
  for (size_t k = 0; k < measured.size(); ++k) {
    pv1::RecordActualCostRequest cost;
    cost.set_project_id(id);
    *cost.mutable_cost_date() = ToDate(measured[k]);
    cost.set_amount_minor(per_day * (measured[k] - last) * plan.cost_percent /
                          100);
    last = measured[k];
    cost.set_category(k % 2 == 0 ? "labour" : "supplier");
    cost.set_description(absl::StrFormat("month %d", static_cast<int>(k) + 1));
    pv1::RecordActualCostResponse unused_cost;
    if (!d.Send(d.projects(), &pv1::ProjectsService::Stub::RecordActualCost,
                cost, &unused_cost)) {
      return false;
    }
    ++totals.costs;
    pv1::ReportProgressRequest progress;
    progress.set_project_id(id);
    *progress.mutable_measured_on() = ToDate(measured[k]);
    const double planned =
        100.0 * static_cast<double>(measured[k] - plan.start) / total_days;
    progress.set_percent_complete(
        std::min(100.0, planned * plan.progress_percent / 100.0));
    pv1::ReportProgressResponse unused_progress;
    if (!d.Send(d.projects(), &pv1::ProjectsService::Stub::ReportProgress,
                progress, &unused_progress)) {
      return false;
    }
  }
  return true;
}

int RunDemo(Session& s, const Invocation& in) {
  absl::CivilDay as_of = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  if (in.Has("as-of")) {
    const google::type::Date d = in.Date("as-of");
    as_of = absl::CivilDay(d.year(), d.month(), d.day());
  }
  if (!in.ok()) return in.UsageError();
  DemoLoader d(s);

  // Refuse a deployment that holds anything: the sample is for a fresh one.
  pv1::ListProjectsRequest list;
  list.set_page_size(1);
  pv1::ListProjectsResponse existing;
  if (!d.Send(d.projects(), &pv1::ProjectsService::Stub::ListProjects, list,
              &existing)) {
    return d.exit_code();
  }
  if (existing.projects_size() > 0) {
    std::fprintf(stderr,
                 "pmoctl: FAILED_PRECONDITION: the deployment already holds "
                 "projects (%s, "
                 "...); pmoctl demo loads its sample only into an empty one\n",
                 existing.projects(0).code().c_str());
    return kExitRefused;
  }

  DemoTotals totals;
  pv1::CreatePortfolioRequest portfolio_req;
  portfolio_req.set_code("CORP");
  portfolio_req.set_name("Corporate portfolio");
  pv1::CreatePortfolioResponse portfolio;
  if (!d.Send(d.portfolios(), &pv1::PortfoliosService::Stub::CreatePortfolio,
              portfolio_req, &portfolio)) {
    return d.exit_code();
  }
  const std::string portfolio_id = portfolio.portfolio().portfolio_id();
  ++totals.portfolios;
  std::vector<std::string> objective_ids;
  const std::pair<const char*, int> kObjectives[] = {
      {"Growth", 50}, {"Efficiency", 30}, {"Compliance", 20}};
  for (auto [name, weight] : kObjectives) {
    pv1::DefineStrategicObjectiveRequest req;
    req.set_portfolio_id(portfolio_id);
    req.set_name(name);
    req.set_weight(weight);
    pv1::DefineStrategicObjectiveResponse resp;
    if (!d.Send(d.portfolios(),
                &pv1::PortfoliosService::Stub::DefineStrategicObjective, req,
                &resp)) {
      return d.exit_code();
    }
    objective_ids.push_back(resp.objective_id());
  }
  std::vector<std::string> programme_ids;
  for (const ProgrammeSample& g : kProgrammes) {
    pv1::CreateProgrammeRequest req;
    req.set_code(g.code);
    req.set_name(g.name);
    req.set_portfolio_id(portfolio_id);
    pv1::CreateProgrammeResponse resp;
    if (!d.Send(d.portfolios(), &pv1::PortfoliosService::Stub::CreateProgramme,
                req, &resp)) {
      return d.exit_code();
    }
    programme_ids.push_back(resp.programme().programme_id());
    ++totals.programmes;
  }

  std::vector<LoadedProject> projects(kProjectCount);
  for (int i = 0; i < kProjectCount; ++i) {
    LoadedProject& p = projects[i];
    p.plan = PlanProject(i, as_of);
    if (!LoadProject(d, p, totals)) return d.exit_code();
    pv1::AssignProjectToProgrammeRequest assign;
    assign.set_project_id(p.id);
    assign.set_programme_id(programme_ids[i / kProjectsPerProgramme]);
    pv1::AssignProjectToProgrammeResponse unused_assign;
    if (!d.Send(d.portfolios(),
                &pv1::PortfoliosService::Stub::AssignProjectToProgramme, assign,
                &unused_assign)) {
      return d.exit_code();
    }
    for (size_t o = 0; o < objective_ids.size(); ++o) {
      pv1::ScoreProjectRequest score;
      score.set_project_id(p.id);
      score.set_portfolio_id(portfolio_id);
      score.set_objective_id(objective_ids[o]);
      score.set_score(
          1 + static_cast<int>((static_cast<size_t>(i) * 7 + o * 3) % 10));
      pv1::ScoreProjectResponse unused_score;
      if (!d.Send(d.portfolios(), &pv1::PortfoliosService::Stub::ScoreProject,
                  score, &unused_score)) {
        return d.exit_code();
      }
    }
    if (p.plan.active && !LoadActuals(d, p.plan, p.id, as_of, totals))
      return d.exit_code();
  }

  // Cross-project dependencies: the second project of each group of four
  // builds on the first one's analysis; the second project of each later
  // programme waits for the test of the matching project one programme up.
  for (int i = 1; i < kProjectCount; ++i) {
    std::vector<std::pair<int, int>> links;  // predecessor project, its task
    if (i % 4 == 1) links.push_back({i - 1, 0});
    if (i >= kProjectsPerProgramme && i % kProjectsPerProgramme == 1) {
      links.push_back({i - kProjectsPerProgramme, 2});
    }
    for (auto [from, task] : links) {
      pv1::AddDependencyRequest dep;
      dep.set_project_id(projects[i].id);
      dep.mutable_predecessor()->set_project_id(projects[from].id);
      dep.mutable_predecessor()->set_task_id(projects[from].task_ids[task]);
      dep.set_successor_task_id(projects[i].task_ids[1]);
      dep.set_type(pv1::DEPENDENCY_TYPE_FINISH_TO_START);
      pv1::AddDependencyResponse unused;
      if (!d.Send(d.projects(), &pv1::ProjectsService::Stub::AddDependency, dep,
                  &unused)) {
        return d.exit_code();
      }
      ++totals.dependencies;
      ++totals.cross_project_dependencies;
    }
  }

  // The shared pool. Every active project books a lead (3 h a day) and a
  // second person (2 h) from a month ago to the next quarter; two people
  // land on enough projects at once to be over-allocated, four are full.
  std::vector<std::string> people_ids;
  for (const PersonSample& person : kPeople) {
    rv1::RegisterResourceRequest req;
    req.set_name(person.name);
    req.set_kind(rv1::RESOURCE_KIND_PERSON);
    req.set_organisation_unit(person.unit);
    rv1::Skill* skill = req.add_skills();
    skill->set_name(person.skill);
    skill->set_level(4);
    rv1::CostRate* rate = req.add_cost_rates();
    *rate->mutable_effective_from() = ToDate(as_of - 730);
    rate->set_rate_minor_per_hour(person.rate_minor_per_hour);
    rate->set_currency("EUR");
    rv1::WorkingCalendar* calendar = req.mutable_calendar();
    for (int day = 0; day < 7; ++day) calendar->add_working_weekdays(day < 5);
    calendar->set_hours_per_day(8);
    *calendar->mutable_employed_from() = ToDate(as_of - 730);
    rv1::RegisterResourceResponse resp;
    if (!d.Send(d.resources(), &rv1::ResourcesService::Stub::RegisterResource,
                req, &resp)) {
      return d.exit_code();
    }
    people_ids.push_back(resp.resource().resource_id());
    ++totals.people;
  }
  std::vector<bool> over_allocated(kPeopleCount, false);
  for (int i = 0; i < kProjectCount; ++i) {
    const ProjectPlan& plan = projects[i].plan;
    if (!plan.active) continue;
    const std::pair<int, double> kBookings[] = {
        {i % kPeopleCount, 3}, {(i * 7 + 3) % kPeopleCount, 2}};
    for (auto [person, hours] : kBookings) {
      rv1::AllocateResourceRequest req;
      req.set_resource_id(people_ids[person]);
      req.set_project_id(projects[i].id);
      *req.mutable_from() = ToDate(std::max(plan.start, as_of - 30));
      *req.mutable_to() = ToDate(std::min(plan.end, as_of + 90));
      req.set_unit(rv1::ALLOCATION_UNIT_HOURS_PER_DAY);
      req.set_amount(hours);
      rv1::AllocateResourceResponse resp;
      if (!d.Send(d.resources(), &rv1::ResourcesService::Stub::AllocateResource,
                  req, &resp)) {
        return d.exit_code();
      }
      if (resp.newly_over_allocated_size() > 0) over_allocated[person] = true;
      ++totals.bookings;
    }
  }
  for (bool over : over_allocated) totals.over_allocated_people += over ? 1 : 0;

  // Risks on every other project; the cloud and supplier risks recur and are
  // combined where the PMO looks across projects.
  struct RiskSample {
    const char* title;
    const char* category;
    int probability, cost_impact;
    int64_t money_minor;
  };
  constexpr RiskSample kRisks[] = {
      {"Key architect leaves", "People/Retention", 2, 4, 8'000'000},
      {"Cloud provider raises prices", "External/Suppliers", 3, 3, 5'000'000},
      {"Data migration quality poor", "Technical/Data", 3, 4, 6'000'000},
      {"Regulator changes reporting rules", "External/Regulation", 2, 3,
       3'000'000},
  };
  std::vector<std::string> cloud_risks, architect_risks;
  for (int i = 0; i < kProjectCount; i += 2) {
    const RiskSample& r = kRisks[(i / 2) % 4];
    kv1::IdentifyRiskRequest identify;
    identify.set_level(kv1::RISK_LEVEL_PROJECT);
    identify.set_scope_id(projects[i].id);
    identify.set_kind(kv1::RISK_KIND_THREAT);
    identify.set_title(r.title);
    identify.set_category(r.category);
    identify.set_owner(projects[i].plan.manager);
    kv1::IdentifyRiskResponse identified;
    if (!d.Send(d.risks(), &kv1::RisksService::Stub::IdentifyRisk, identify,
                &identified)) {
      return d.exit_code();
    }
    const std::string risk_id = identified.risk().risk_id();
    ++totals.risks;
    kv1::AssessRiskRequest assess;
    assess.set_risk_id(risk_id);
    assess.mutable_assessment()->set_probability(r.probability);
    assess.mutable_assessment()->mutable_impact()->set_cost(r.cost_impact);
    assess.mutable_assessment()->set_cost_impact_minor(r.money_minor);
    kv1::AssessRiskResponse unused;
    if (!d.Send(d.risks(), &kv1::RisksService::Stub::AssessRisk, assess,
                &unused)) {
      return d.exit_code();
    }
    if ((i / 2) % 4 == 1) cloud_risks.push_back(risk_id);
    if ((i / 2) % 4 == 0) architect_risks.push_back(risk_id);
  }
  const std::pair<const char*, const std::vector<std::string>*> kCombined[] = {
      {"Cloud prices across the portfolio", &cloud_risks},
      {"Losing key architects across projects", &architect_risks}};
  for (auto [title, members] : kCombined) {
    kv1::CombineRisksRequest combine;
    combine.set_level(kv1::RISK_LEVEL_PORTFOLIO);
    combine.set_scope_id(portfolio_id);
    combine.set_title(title);
    combine.set_category("Portfolio/Combined");
    combine.set_owner("pmo");
    for (const std::string& id : *members) combine.add_member_risk_ids(id);
    kv1::CombineRisksResponse unused;
    if (!d.Send(d.risks(), &kv1::RisksService::Stub::CombineRisks, combine,
                &unused)) {
      return d.exit_code();
    }
    ++totals.combined_risks;
  }

  // On the ERP project and the web shop, each against the configuration
  // item it changes.
  struct ChangeSample {
    int project;
    const char* item_identifier;
    const char* item_title;
    const char* title;
  };
  const ChangeSample kChanges[] = {
      {0, "ERP-SCOPE", "ERP scope statement",
       "Add the payroll module to the ERP scope"},
      {17, "SHOP-PLAN", "Web shop release plan",
       "Move the web shop go-live before the sales season"}};
  for (const ChangeSample& c : kChanges) {
    const int index = c.project;
    cv1::RegisterConfigurationItemRequest item;
    item.set_project_id(projects[index].id);
    item.set_type(cv1::ITEM_TYPE_DOCUMENT);
    item.set_identifier(c.item_identifier);
    item.set_title(c.item_title);
    item.set_owner(projects[index].plan.manager);
    cv1::RegisterConfigurationItemResponse registered;
    if (!d.Send(d.items(),
                &cv1::ConfigurationService::Stub::RegisterConfigurationItem,
                item, &registered)) {
      return d.exit_code();
    }
    cv1::SubmitChangeRequestRequest req;
    req.add_affected_item_ids(registered.item().item_id());
    req.set_project_id(projects[index].id);
    req.set_title(c.title);
    req.set_reason("requested by the business owner");
    req.set_requester(projects[index].plan.manager);
    cv1::SubmitChangeRequestResponse unused;
    if (!d.Send(d.changes(),
                &cv1::ChangeControlService::Stub::SubmitChangeRequest, req,
                &unused)) {
      return d.exit_code();
    }
    ++totals.change_requests;
  }

  if (s.json()) {
    s.out() << absl::StrFormat(
        "{\n  \"portfolioId\": \"%s\",\n  \"asOf\": \"%s\",\n  \"portfolios\": "
        "%d,\n"
        "  \"programmes\": %d,\n  \"projects\": %d,\n  \"tasks\": %d,\n  "
        "\"dependencies\": %d,\n"
        "  \"crossProjectDependencies\": %d,\n  \"people\": %d,\n  "
        "\"bookings\": %d,\n"
        "  \"overAllocatedPeople\": %d,\n  \"costs\": %d,\n  \"risks\": %d,\n"
        "  \"combinedRisks\": %d,\n  \"changeRequests\": %d\n}\n",
        portfolio_id, FormatDate(ToDate(as_of)), totals.portfolios,
        totals.programmes, totals.projects, totals.tasks, totals.dependencies,
        totals.cross_project_dependencies, totals.people, totals.bookings,
        totals.over_allocated_people, totals.costs, totals.risks,
        totals.combined_risks, totals.change_requests);
    return kExitOk;
  }
  Table t({"LOADED", "COUNT"});
  t.Add({"portfolios", std::to_string(totals.portfolios)});
  t.Add({"programmes", std::to_string(totals.programmes)});
  t.Add({"projects", std::to_string(totals.projects)});
  t.Add({"tasks", std::to_string(totals.tasks)});
  t.Add({"dependencies (cross-project)",
         absl::StrFormat("%d (%d)", totals.dependencies,
                         totals.cross_project_dependencies)});
  t.Add({"people", std::to_string(totals.people)});
  t.Add({"bookings (people over-allocated)",
         absl::StrFormat("%d (%d)", totals.bookings,
                         totals.over_allocated_people)});
  t.Add({"actual costs", std::to_string(totals.costs)});
  t.Add({"risks (combined)",
         absl::StrFormat("%d (%d)", totals.risks, totals.combined_risks)});
  t.Add({"change requests", std::to_string(totals.change_requests)});
  t.Print(s.out());
  s.out() << "\nThe sample portfolio as of " << FormatDate(ToDate(as_of))
          << " is loaded. Try next:\n"
          << "  pmoctl portfolio overview --sort RISK_EXPOSURE\n"
          << "  pmoctl portfolios rank " << portfolio_id << "\n"
          << "  pmoctl resources load " << people_ids[0] << " --by-week\n"
          << "  pmoctl risks list --scope " << projects[0].id << "\n"
          << "  pmoctl reports get portfolio-status --format html --out "
             "portfolio.html\n";
  return kExitOk;
}

}  // namespace

void AddDemoCommands(std::vector<Command>* out) {
  out->push_back(
      {"demo",
       "",
       {},
       "Load a sample portfolio (3 programmes, 24 projects, 15 people, risks, "
       "costs) into an empty deployment.",
       {{"as-of", "YYYY-MM-DD",
         "the sample's today: dates count from it (default today)"}},
       RunDemo});
}

}  // namespace pmoctl
