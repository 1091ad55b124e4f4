// pmoctl's resource pool area: register resources, book them to projects,
// and read their load by day or week (pmo.resources.v1.ResourcesService).

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "pmo/resources/v1/resources_service.grpc.pb.h"
#include "tools/pmoctl/command.h"

namespace pmoctl {
namespace {

namespace rv1 = ::pmo::resources::v1;
using Stub = rv1::ResourcesService::Stub;

constexpr const char* kWeekdays[] = {"mon", "tue", "wed", "thu",
                                     "fri", "sat", "sun"};

// "mon,tue,wed,thu,fri" -> Monday-first flags; unknown names are mistakes.
void ReadWeekdays(const Invocation& in, rv1::WorkingCalendar* calendar) {
  std::vector<bool> working(7, false);
  const std::string text =
      in.Has("weekdays") ? in.Str("weekdays") : "mon,tue,wed,thu,fri";
  for (absl::string_view day : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    const std::string lower = absl::AsciiStrToLower(day);
    bool known = false;
    for (int i = 0; i < 7; ++i) {
      if (lower == kWeekdays[i]) working[i] = known = true;
    }
    if (!known)
      in.Mistake("--weekdays: unknown day '" + lower + "' (mon..sun)");
  }
  for (bool w : working) calendar->add_working_weekdays(w);
}

std::string ResourceKindLabel(rv1::ResourceKind k) {
  return EnumLabel(rv1::ResourceKind_Name(k), "RESOURCE_KIND_");
}

Table ResourceTable(const rv1::Resource& r) {
  Table t({"RESOURCE_ID", "NAME", "KIND", "UNIT", "HOURS/DAY", "ALLOCATIONS",
           "VERSION"});
  t.Add({r.resource_id(), r.name(), ResourceKindLabel(r.kind()),
         r.organisation_unit(), FormatDouble(r.calendar().hours_per_day(), 1),
         std::to_string(r.allocations_size()), std::to_string(r.version())});
  return t;
}

// NAME:LEVEL, e.g. sap:4.
void ParseSkill(const Invocation& in, const std::string& text,
                rv1::Skill* skill) {
  std::vector<std::string> parts = absl::StrSplit(text, ':');
  int level = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[1], &level)) {
    in.Mistake("--skill must be NAME:LEVEL, not '" + text + "'");
    return;
  }
  skill->set_name(parts[0]);
  skill->set_level(level);
}

// YYYY-MM-DD=MINOR_PER_HOUR:CURRENCY, e.g. 2027-01-01=9000:EUR.
void ParseRate(const Invocation& in, const std::string& text,
               rv1::CostRate* cost) {
  std::vector<std::string> parts = absl::StrSplit(text, absl::ByAnyChar("=:"));
  int64_t rate = 0;
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[1], &rate)) {
    in.Mistake("--rate must be YYYY-MM-DD=MINOR_PER_HOUR:CURRENCY, not '" +
               text + "'");
    return;
  }
  *cost->mutable_effective_from() = in.ParseDate("--rate", parts[0]);
  cost->set_rate_minor_per_hour(rate);
  cost->set_currency(parts[2]);
}

int RegisterResource(Session& s, const Invocation& in) {
  rv1::RegisterResourceRequest req;
  req.set_request_id(in.RequestId());
  req.set_name(in.Str("name"));
  req.set_kind(in.EnumValue<rv1::ResourceKind>(
      "--kind", in.Has("kind") ? in.Str("kind") : "person", "RESOURCE_KIND_",
      &rv1::ResourceKind_Parse));
  req.set_organisation_unit(in.Str("unit"));
  for (const std::string& text : in.All("skill"))
    ParseSkill(in, text, req.add_skills());
  for (const std::string& text : in.All("rate"))
    ParseRate(in, text, req.add_cost_rates());
  rv1::WorkingCalendar* calendar = req.mutable_calendar();
  ReadWeekdays(in, calendar);
  calendar->set_hours_per_day(in.Double("hours-per-day", 8));
  if (in.Has("employed-from"))
    *calendar->mutable_employed_from() = in.Date("employed-from");
  if (in.Has("employed-to"))
    *calendar->mutable_employed_to() = in.Date("employed-to");
  if (!in.ok()) return in.UsageError();
  auto stub = rv1::ResourcesService::NewStub(s.channel());
  rv1::RegisterResourceResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::RegisterResource, req, &resp))
    return rc;
  s.Print(resp, ResourceTable(resp.resource()));
  return kExitOk;
}

int GetResource(Session& s, const Invocation& in) {
  rv1::GetResourceRequest req;
  req.set_resource_id(in.Arg(0));
  auto stub = rv1::ResourcesService::NewStub(s.channel());
  rv1::GetResourceResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::GetResource, req, &resp)) return rc;
  if (s.json()) {
    s.PrintJson(resp);
    return kExitOk;
  }
  ResourceTable(resp.resource()).Print(s.out());
  s.out() << "\n";
  Table t({"ALLOCATION_ID", "PROJECT_ID", "FROM", "TO", "AMOUNT", "UNIT",
           "STATUS"});
  for (const auto& a : resp.resource().allocations()) {
    t.Add({a.allocation_id(), a.project_id(), FormatDate(a.from()),
           FormatDate(a.to()), FormatDouble(a.amount(), 1),
           EnumLabel(rv1::AllocationUnit_Name(a.unit()), "ALLOCATION_UNIT_"),
           EnumLabel(rv1::AllocationStatus_Name(a.status()),
                     "ALLOCATION_STATUS_")});
  }
  t.Print(s.out());
  return kExitOk;
}

std::string Shares(
    const google::protobuf::RepeatedPtrField<rv1::ProjectShare>& shares) {
  std::string text;
  for (const auto& share : shares) {
    if (!text.empty()) text += " ";
    text +=
        share.project_id().substr(0, 8) + "=" + FormatDouble(share.hours(), 1);
  }
  return text;
}

int Allocate(Session& s, const Invocation& in) {
  rv1::AllocateResourceRequest req;
  req.set_request_id(in.RequestId());
  req.set_resource_id(in.Arg(0));
  req.set_project_id(in.Str("project"));
  req.set_task_id(in.Str("task"));
  if (in.Has("from")) *req.mutable_from() = in.Date("from");
  if (in.Has("to")) *req.mutable_to() = in.Date("to");
  if (in.Has("hours-per-day") == in.Has("percent")) {
    in.Mistake("give exactly one of --hours-per-day and --percent");
  } else if (in.Has("percent")) {
    req.set_unit(rv1::ALLOCATION_UNIT_PERCENT);
    req.set_amount(in.Double("percent"));
  } else {
    req.set_unit(rv1::ALLOCATION_UNIT_HOURS_PER_DAY);
    req.set_amount(in.Double("hours-per-day"));
  }
  if (in.Has("expected-version"))
    req.set_expected_version(in.Int("expected-version"));
  if (!in.ok()) return in.UsageError();
  auto stub = rv1::ResourcesService::NewStub(s.channel());
  rv1::AllocateResourceResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::AllocateResource, req, &resp))
    return rc;
  Table t({"ALLOCATION_ID", "RESOURCE_ID", "PROJECT_ID", "FROM", "TO",
           "OVER_ALLOCATED_DAYS"});
  t.Add({resp.allocation_id(), req.resource_id(), req.project_id(),
         FormatDate(req.from()), FormatDate(req.to()),
         std::to_string(resp.newly_over_allocated_size())});
  s.Print(resp, t);
  return kExitOk;
}

int CancelAllocation(Session& s, const Invocation& in) {
  rv1::CancelAllocationRequest req;
  req.set_request_id(in.RequestId());
  req.set_resource_id(in.Arg(0));
  req.set_allocation_id(in.Arg(1));
  req.set_reason(in.Str("reason"));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::CancelAllocation, req,
                      [](const rv1::CancelAllocationResponse& r) {
                        return ResourceTable(r.resource());
                      });
}

// Mentoring of project managers and lessons learned (MentoringService).
using Mentoring = rv1::MentoringService::Stub;

template <typename Response>
Table MentorshipOf(const Response& r) {
  const rv1::Mentorship& m = r.mentorship();
  Table t({"MENTORSHIP_ID", "MENTOR", "MENTEE", "SESSIONS", "LAST_SESSION",
           "VERSION"});
  t.Add({m.mentorship_id(), m.mentor(), m.mentee(),
         std::to_string(m.sessions_size()),
         m.sessions().empty() ? "" : FormatDate(m.sessions().rbegin()->date()),
         std::to_string(m.version())});
  return t;
}

Table LessonsTable(
    const google::protobuf::RepeatedPtrField<rv1::Lesson>& lessons) {
  Table t({"LESSON_ID", "PROJECT_ID", "CATEGORY", "WHAT_HAPPENED",
           "RECOMMENDATION", "TAGS"});
  for (const auto& l : lessons) {
    t.Add({l.lesson_id(), l.project_id(), l.category(), l.what_happened(),
           l.recommendation(), absl::StrJoin(l.tags(), ",")});
  }
  return t;
}

int StartMentorship(Session& s, const Invocation& in) {
  rv1::StartMentorshipRequest req;
  req.set_request_id(in.RequestId());
  req.set_mentor(in.Str("mentor"));
  req.set_mentee(in.Str("mentee"));
  return CallAndPrint(s, in, &Mentoring::StartMentorship, req,
                      MentorshipOf<rv1::StartMentorshipResponse>);
}

int RecordSession(Session& s, const Invocation& in) {
  rv1::RecordMentoringSessionRequest req;
  req.set_request_id(in.RequestId());
  req.set_mentorship_id(in.Arg(0));
  if (in.Has("on")) *req.mutable_session()->mutable_date() = in.Date("on");
  for (const std::string& t : in.All("topic"))
    req.mutable_session()->add_topics(t);
  req.mutable_session()->set_notes(in.Str("notes"));
  return CallAndPrint(s, in, &Mentoring::RecordMentoringSession, req,
                      MentorshipOf<rv1::RecordMentoringSessionResponse>);
}

int RecordLesson(Session& s, const Invocation& in) {
  rv1::RecordLessonRequest req;
  req.set_request_id(in.RequestId());
  req.set_project_id(in.Arg(0));
  req.set_category(in.Str("category"));
  req.set_what_happened(in.Str("what-happened"));
  req.set_recommendation(in.Str("recommendation"));
  for (const std::string& t : in.All("tag")) req.add_tags(t);
  return CallAndPrint(s, in, &Mentoring::RecordLesson, req,
                      [](const rv1::RecordLessonResponse& r) {
                        google::protobuf::RepeatedPtrField<rv1::Lesson> one;
                        *one.Add() = r.lesson();
                        return LessonsTable(one);
                      });
}

int SearchLessons(Session& s, const Invocation& in) {
  rv1::SearchLessonsRequest req;
  for (const std::string& t : in.All("tag")) req.add_tags(t);
  req.set_category(in.Str("category"));
  req.set_page_size(static_cast<int32_t>(in.Int("limit")));
  return CallAndPrint(s, in, &Mentoring::SearchLessons, req,
                      [](const rv1::SearchLessonsResponse& r) {
                        return LessonsTable(r.lessons());
                      });
}

template <typename Response>
Table ResourceOf(const Response& r) {
  return ResourceTable(r.resource());
}

int RecordAbsence(Session& s, const Invocation& in) {
  rv1::RecordAbsenceRequest req;
  req.set_request_id(in.RequestId());
  req.set_resource_id(in.Arg(0));
  rv1::Absence* a = req.mutable_absence();
  if (in.Has("from")) *a->mutable_from() = in.Date("from");
  if (in.Has("to")) *a->mutable_to() = in.Date("to");
  a->set_hours_per_day(in.Double("hours-per-day"));
  a->set_reason(in.Str("reason"));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::RecordAbsence, req,
                      ResourceOf<rv1::RecordAbsenceResponse>);
}

int AddCostRate(Session& s, const Invocation& in) {
  rv1::AddCostRateRequest req;
  req.set_request_id(in.RequestId());
  req.set_resource_id(in.Arg(0));
  ParseRate(in, in.Str("rate"), req.mutable_cost_rate());
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::AddCostRate, req,
                      ResourceOf<rv1::AddCostRateResponse>);
}

int AddHoliday(Session& s, const Invocation& in) {
  rv1::AddHolidayRequest req;
  req.set_request_id(in.RequestId());
  req.set_resource_id(in.Arg(0));
  if (in.Has("on")) *req.mutable_holiday() = in.Date("on");
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::AddHoliday, req,
                      ResourceOf<rv1::AddHolidayResponse>);
}

template <typename Response>
Table CapacityRequestOf(const Response& r) {
  const rv1::CapacityRequest& c = r.capacity_request();
  Table t({"CAPACITY_REQUEST_ID", "PROJECT_ID", "SKILL", "AMOUNT", "FROM", "TO",
           "STATUS", "RESOURCE_ID", "VERSION"});
  t.Add({c.request_id(), c.project_id(),
         absl::StrCat(c.skill().name(), ":", c.skill().level()),
         absl::StrCat(
             FormatDouble(c.amount(), 1), " ",
             EnumLabel(rv1::AllocationUnit_Name(c.unit()), "ALLOCATION_UNIT_")),
         FormatDate(c.from()), FormatDate(c.to()),
         EnumLabel(rv1::CapacityRequestStatus_Name(c.status()),
                   "CAPACITY_REQUEST_STATUS_"),
         c.resource_id(), std::to_string(c.version())});
  return t;
}

int RequestCapacity(Session& s, const Invocation& in) {
  rv1::RequestCapacityRequest req;
  req.set_request_id(in.RequestId());
  req.set_project_id(in.Str("project"));
  ParseSkill(in, in.Str("skill"), req.mutable_skill());
  req.set_unit(rv1::ALLOCATION_UNIT_HOURS_PER_DAY);
  req.set_amount(in.Double("hours-per-day"));
  if (in.Has("from")) *req.mutable_from() = in.Date("from");
  if (in.Has("to")) *req.mutable_to() = in.Date("to");
  req.set_requested_by(in.Str("requested-by"));
  return CallAndPrint(s, in, &Stub::RequestCapacity, req,
                      CapacityRequestOf<rv1::RequestCapacityResponse>);
}

int DecideCapacity(Session& s, const Invocation& in) {
  rv1::DecideCapacityRequestRequest req;
  req.set_request_id(in.RequestId());
  req.set_capacity_request_id(in.Arg(0));
  req.set_decision(in.EnumValue<rv1::CapacityDecision>(
      "--decision", in.Str("decision"), "CAPACITY_DECISION_",
      &rv1::CapacityDecision_Parse));
  req.set_reason(in.Str("reason"));
  return CallAndPrint(s, in, &Stub::DecideCapacityRequest, req,
                      CapacityRequestOf<rv1::DecideCapacityRequestResponse>);
}

int FulfilCapacity(Session& s, const Invocation& in) {
  rv1::FulfilCapacityRequestRequest req;
  req.set_request_id(in.RequestId());
  req.set_capacity_request_id(in.Arg(0));
  req.set_resource_id(in.Str("resource"));
  return CallAndPrint(s, in, &Stub::FulfilCapacityRequest, req,
                      CapacityRequestOf<rv1::FulfilCapacityRequestResponse>);
}

// --from and --to, set only when given.
template <typename Request>
void ReadPeriod(const Invocation& in, Request* req) {
  if (in.Has("from")) *req->mutable_from() = in.Date("from");
  if (in.Has("to")) *req->mutable_to() = in.Date("to");
}

int FindFree(Session& s, const Invocation& in) {
  rv1::FindFreeResourcesRequest req;
  ParseSkill(in, in.Str("skill"), req.mutable_skill());
  ReadPeriod(in, &req);
  req.set_hours_per_day(in.Double("hours-per-day"));
  return CallAndPrint(
      s, in, &Stub::FindFreeResources, req,
      [](const rv1::FindFreeResourcesResponse& r) {
        Table t({"RESOURCE_ID", "NAME", "SKILL_LEVEL", "MIN_FREE_H/DAY",
                 "FREE_HOURS"});
        for (const auto& f : r.resources()) {
          t.Add({f.resource_id(), f.name(), std::to_string(f.skill_level()),
                 FormatDouble(f.min_free_hours_per_day(), 1),
                 FormatDouble(f.free_hours_total(), 1)});
        }
        return t;
      });
}

int Utilisation(Session& s, const Invocation& in) {
  rv1::GetUtilisationRequest req;
  ReadPeriod(in, &req);
  req.set_group_by(in.EnumValue<rv1::UtilisationGrouping>(
      "--by", in.Has("by") ? in.Str("by") : "resource", "UTILISATION_GROUPING_",
      &rv1::UtilisationGrouping_Parse));
  return CallAndPrint(
      s, in, &Stub::GetUtilisation, req,
      [](const rv1::GetUtilisationResponse& r) {
        Table t({"KEY", "CAPACITY_H", "BOOKED_H", "UTILISATION_%"});
        for (const auto& u : r.rows()) {
          t.Add({u.key(), FormatDouble(u.capacity_hours(), 1),
                 FormatDouble(u.booked_hours(), 1),
                 u.has_utilisation() ? FormatDouble(u.utilisation() * 100, 1)
                                     : ""});
        }
        return t;
      });
}

int CapacityVersusDemand(Session& s, const Invocation& in) {
  rv1::GetCapacityVersusDemandRequest req;
  ReadPeriod(in, &req);
  return CallAndPrint(
      s, in, &Stub::GetCapacityVersusDemand, req,
      [](const rv1::GetCapacityVersusDemandResponse& r) {
        Table t({"SKILL", "CAPACITY_H", "DEMAND_H", "BALANCE_H"});
        for (const auto& b : r.skills()) {
          t.Add({b.skill(), FormatDouble(b.capacity_hours(), 1),
                 FormatDouble(b.demand_hours(), 1),
                 FormatDouble(b.balance_hours(), 1)});
        }
        return t;
      });
}

// A levelling proposal: its effect per project, over-allocated days before
// and after.
template <typename Response>
Table ProposalOf(const Response& r) {
  const rv1::LevellingProposal& p = r.proposal();
  Table t({"PROPOSAL_ID", "STATUS", "OVER_ALLOCATED_DAYS", "CHANGES",
           "PROJECT_ID", "MOVED_H", "REASSIGNED_H", "MAX_DAYS_SHIFTED"});
  const std::string status =
      EnumLabel(rv1::LevellingProposalStatus_Name(p.status()),
                "LEVELLING_PROPOSAL_STATUS_");
  const std::string days = absl::StrCat(p.over_allocated_days_before(), " -> ",
                                        p.over_allocated_days_after());
  t.Add({p.proposal_id(), status, days, std::to_string(p.changes_size()), "",
         "", "", ""});
  for (const auto& e : p.effects()) {
    t.Add({"", "", "", std::to_string(e.allocations_changed()), e.project_id(),
           FormatDouble(e.moved_hours(), 1),
           FormatDouble(e.reassigned_hours(), 1),
           std::to_string(e.max_days_shifted())});
  }
  return t;
}

int ProposeLevelling(Session& s, const Invocation& in) {
  rv1::ProposeLevellingRequest req;
  req.set_request_id(in.RequestId());
  ReadPeriod(in, &req);
  return CallAndPrint(s, in, &Stub::ProposeLevelling, req,
                      ProposalOf<rv1::ProposeLevellingResponse>);
}

int AcceptLevelling(Session& s, const Invocation& in) {
  rv1::AcceptLevellingRequest req;
  req.set_request_id(in.RequestId());
  req.set_proposal_id(in.Arg(0));
  return CallAndPrint(s, in, &Stub::AcceptLevelling, req,
                      ProposalOf<rv1::AcceptLevellingResponse>);
}

int DiscardLevelling(Session& s, const Invocation& in) {
  rv1::DiscardLevellingRequest req;
  req.set_request_id(in.RequestId());
  req.set_proposal_id(in.Arg(0));
  req.set_reason(in.Str("reason"));
  return CallAndPrint(s, in, &Stub::DiscardLevelling, req,
                      ProposalOf<rv1::DiscardLevellingResponse>);
}

int ShowLoad(Session& s, const Invocation& in) {
  rv1::GetResourceLoadRequest req;
  req.set_resource_id(in.Arg(0));
  if (in.Has("from")) *req.mutable_from() = in.Date("from");
  if (in.Has("to")) *req.mutable_to() = in.Date("to");
  req.set_by_week(in.Has("by-week"));
  if (!in.ok()) return in.UsageError();
  auto stub = rv1::ResourcesService::NewStub(s.channel());
  rv1::GetResourceLoadResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::GetResourceLoad, req, &resp))
    return rc;
  Table t({req.by_week() ? "WEEK" : "DAY", "CAPACITY_H", "LOAD_H", "OVER",
           "BY_PROJECT"});
  for (const auto& d : resp.days()) {
    t.Add({FormatDate(d.day()), FormatDouble(d.capacity_hours(), 1),
           FormatDouble(d.load_hours(), 1),
           d.load_hours() > d.capacity_hours() ? "yes" : "",
           Shares(d.shares())});
  }
  s.Print(resp, t);
  return kExitOk;
}

}  // namespace

void AddResourceCommands(std::vector<Command>* out) {
  out->push_back(
      {"resources",
       "register",
       {},
       "Register a person, role or equipment in the pool.",
       {{"name", "NAME", "who or what", true},
        {"kind", "KIND", "PERSON (default), ROLE or EQUIPMENT"},
        {"unit", "ORG_UNIT", "organisation unit"},
        {"skill", "NAME:LEVEL", "a skill, level 1..5", false, true},
        {"rate", "YYYY-MM-DD=MINOR:CUR", "hourly cost from a date on", false,
         true},
        {"hours-per-day", "H", "working hours a day (default 8)"},
        {"weekdays", "mon,tue,...", "working days (default mon..fri)"},
        {"employed-from", "YYYY-MM-DD", "first working day", true},
        {"employed-to", "YYYY-MM-DD", "last working day"}},
       RegisterResource});
  out->push_back({"resources",
                  "get",
                  {"RESOURCE_ID"},
                  "Show a resource and its bookings.",
                  {},
                  GetResource});
  out->push_back(
      {"resources",
       "allocate",
       {"RESOURCE_ID"},
       "Book a resource to a project for a period.",
       {{"project", "PROJECT_ID", "the project", true},
        {"task", "TASK_ID", "the task, when the booking is for one"},
        {"from", "YYYY-MM-DD", "first day", true},
        {"to", "YYYY-MM-DD", "last day", true},
        {"hours-per-day", "H", "hours each working day"},
        {"percent", "P", "percent of the working hours"},
        {"expected-version", "N", "fail with a conflict unless at version N"}},
       Allocate});
  out->push_back({"resources",
                  "absence",
                  {"RESOURCE_ID"},
                  "Record an absence (leave, training).",
                  {{"from", "YYYY-MM-DD", "first day", true},
                   {"to", "YYYY-MM-DD", "last day", true},
                   {"hours-per-day", "H",
                    "hours absent each day (more than 0, at most 24)", true},
                   {"reason", "TEXT", "why", true},
                   ExpectedVersionOption()},
                  RecordAbsence});
  out->push_back(
      {"resources",
       "add-rate",
       {"RESOURCE_ID"},
       "Add an hourly cost rate from a day on.",
       {{"rate", "YYYY-MM-DD=MINOR:CUR", "e.g. 2027-07-01=9500:EUR", true},
        ExpectedVersionOption()},
       AddCostRate});
  out->push_back(
      {"resources",
       "holiday",
       {"RESOURCE_ID"},
       "Add a public holiday to the calendar.",
       {{"on", "YYYY-MM-DD", "the holiday", true}, ExpectedVersionOption()},
       AddHoliday});
  out->push_back(
      {"capacity",
       "request",
       {},
       "Ask the pool for a skill for a period.",
       {{"project", "PROJECT_ID", "the project", true},
        {"skill", "NAME:LEVEL", "the skill and least level, e.g. sap:3", true},
        {"hours-per-day", "H", "hours each working day", true},
        {"from", "YYYY-MM-DD", "first day", true},
        {"to", "YYYY-MM-DD", "last day", true},
        {"requested-by", "NAME",
         "who asks: the caller's own name (or leave it out)", true}},
       RequestCapacity});
  out->push_back({"capacity",
                  "decide",
                  {"CAPACITY_REQUEST_ID"},
                  "Approve or reject a capacity request.",
                  {{"decision", "DECISION", "APPROVE or REJECT", true},
                   {"reason", "TEXT", "why", true}},
                  DecideCapacity});
  out->push_back({"capacity",
                  "fulfil",
                  {"CAPACITY_REQUEST_ID"},
                  "Fulfil an approved request with a resource (books it).",
                  {{"resource", "RESOURCE_ID", "who is booked", true}},
                  FulfilCapacity});
  const Option from = {"from", "YYYY-MM-DD", "first day", true};
  const Option to = {"to", "YYYY-MM-DD", "last day", true};
  out->push_back(
      {"resources",
       "free",
       {},
       "Who has a skill and free hours over a period.",
       {{"skill", "NAME:LEVEL", "the skill and least level, e.g. sap:3", true},
        from,
        to,
        {"hours-per-day", "H", "free hours needed each working day", true}},
       FindFree});
  out->push_back(
      {"resources",
       "utilisation",
       {},
       "Booked against available hours over a period.",
       {from,
        to,
        {"by", "GROUPING", "RESOURCE (default), ORGANISATION_UNIT or SKILL"}},
       Utilisation});
  out->push_back({"capacity",
                  "balance",
                  {},
                  "Capacity against demand per skill over a period.",
                  {from, to},
                  CapacityVersusDemand});
  out->push_back(
      {"levelling",
       "propose",
       {},
       "Propose moves, splits and reassignments that remove over-allocations.",
       {from, to},
       ProposeLevelling});
  out->push_back({"levelling",
                  "accept",
                  {"PROPOSAL_ID"},
                  "Apply a levelling proposal.",
                  {},
                  AcceptLevelling});
  out->push_back({"levelling",
                  "discard",
                  {"PROPOSAL_ID"},
                  "Discard a levelling proposal.",
                  {{"reason", "TEXT", "why", true}},
                  DiscardLevelling});
  out->push_back({"mentoring",
                  "start",
                  {},
                  "Pair a project manager with a mentor.",
                  {{"mentor", "NAME", "the experienced one", true},
                   {"mentee", "NAME", "the project manager", true}},
                  StartMentorship});
  out->push_back({"mentoring",
                  "session",
                  {"MENTORSHIP_ID"},
                  "Record a mentoring session.",
                  {{"on", "YYYY-MM-DD", "the session's day", true},
                   {"topic", "TEXT", "a topic discussed", true, true},
                   {"notes", "TEXT", "what came of it"}},
                  RecordSession});
  out->push_back({"lessons",
                  "record",
                  {"PROJECT_ID"},
                  "Record a lesson learned on a project.",
                  {{"category", "TEXT", "e.g. procurement", true},
                   {"what-happened", "TEXT", "what happened", true},
                   {"recommendation", "TEXT", "what to do next time", true},
                   {"tag", "TAG", "a search tag", false, true}},
                  RecordLesson});
  out->push_back(
      {"lessons",
       "search",
       {},
       "Find lessons learned by tag or category.",
       {{"tag", "TAG", "with this tag (all given must match)", false, true},
        {"category", "TEXT", "in this category"},
        {"limit", "N", "at most N lessons"}},
       SearchLessons});
  out->push_back({"resources",
                  "cancel",
                  {"RESOURCE_ID", "ALLOCATION_ID"},
                  "Cancel a booking (the days it over-allocated are freed).",
                  {{"reason", "TEXT", "why", true}, ExpectedVersionOption()},
                  CancelAllocation});
  out->push_back({"resources",
                  "load",
                  {"RESOURCE_ID"},
                  "Capacity and load by day (or week) across every project.",
                  {{"from", "YYYY-MM-DD", "first day", true},
                   {"to", "YYYY-MM-DD", "last day", true},
                   {"by-week", "", "sum into weeks"}},
                  ShowLoad});
}

}  // namespace pmoctl
