#include "services/resources/api/resources_grpc_service.h"

#include <map>

#include "absl/time/civil_time.h"
#include "libs/base/errors.h"
#include "libs/base/ids.h"
#include "libs/dates/calendar_dates.h"
#include "libs/eventsourcing/request_ids.h"
#include "libs/grpcserver/call_context.h"
#include "libs/grpcserver/request_checks.h"
#include "libs/grpcserver/status_mapping.h"

namespace pmo::resources {
namespace {

using grpcserver::ToGrpcStatus;

using grpcserver::CheckRequestId;
using grpcserver::ExpectedVersionOf;

using grpcserver::CheckUuid;

// A required date field.
void ReadDay(FieldViolations& v, const char* field, const google::type::Date& d,
             absl::CivilDay* out) {
  grpcserver::ReadDate(v, field, true, d, out);
}

eventsourcing::CommandContext Context(const grpc::ServerContext& context,
                                      const std::string& request_id) {
  return grpcserver::CommandContextOf(context, request_id, std::nullopt);
}

v1::CapacityRequest ToProto(const VersionedCapacityRequest& r) {
  v1::CapacityRequest out = r.state.state();
  out.set_version(r.version);
  return out;
}

v1::Resource ToProto(const VersionedResource& r) {
  v1::Resource out = r.state.state();
  out.set_version(r.version);
  return out;
}

}  // namespace

grpc::Status ResourcesGrpcService::RegisterResource(
    grpc::ServerContext* context, const v1::RegisterResourceRequest* request,
    v1::RegisterResourceResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  v1::ResourceRegistered registration;
  registration.set_name(request->name());
  registration.set_kind(request->kind());
  registration.set_organisation_unit(request->organisation_unit());
  *registration.mutable_skills() = request->skills();
  *registration.mutable_cost_rates() = request->cost_rates();
  *registration.mutable_calendar() = request->calendar();
  v.AddAll(ValidateRegistration(registration));
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto resource = handlers_.RegisterResource(
      std::move(registration),
      grpcserver::CommandContextOf(*context, request->request_id(),
                                   std::nullopt));
  if (!resource.ok()) return ToGrpcStatus(resource.status());
  *response->mutable_resource() = ToProto(*resource);
  return grpc::Status::OK;
}

grpc::Status ResourcesGrpcService::GetResource(
    grpc::ServerContext* context, const v1::GetResourceRequest* request,
    v1::GetResourceResponse* response) {
  FieldViolations v;
  CheckUuid(v, "resource_id", request->resource_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto resource = handlers_.GetResource(request->resource_id());
  if (!resource.ok()) return ToGrpcStatus(resource.status());
  *response->mutable_resource() = ToProto(*resource);
  return grpc::Status::OK;
}

grpc::Status ResourcesGrpcService::RecordAbsence(
    grpc::ServerContext* context, const v1::RecordAbsenceRequest* request,
    v1::RecordAbsenceResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckUuid(v, "resource_id", request->resource_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto outcome = handlers_.RecordAbsence(
      request->resource_id(), request->absence(),
      grpcserver::CommandContextOf(*context, request->request_id(),
                                   ExpectedVersionOf(*request)));
  if (!outcome.ok()) return ToGrpcStatus(outcome.status());
  *response->mutable_resource() = ToProto(outcome->resource);
  for (const auto& d : outcome->newly_over_allocated)
    *response->add_newly_over_allocated() = d;
  return grpc::Status::OK;
}

grpc::Status ResourcesGrpcService::AddCostRate(
    grpc::ServerContext* context, const v1::AddCostRateRequest* request,
    v1::AddCostRateResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckUuid(v, "resource_id", request->resource_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto resource = handlers_.AddCostRate(
      request->resource_id(), request->cost_rate(),
      grpcserver::CommandContextOf(*context, request->request_id(),
                                   ExpectedVersionOf(*request)));
  if (!resource.ok()) return ToGrpcStatus(resource.status());
  *response->mutable_resource() = ToProto(*resource);
  return grpc::Status::OK;
}

grpc::Status ResourcesGrpcService::AddHoliday(
    grpc::ServerContext* context, const v1::AddHolidayRequest* request,
    v1::AddHolidayResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckUuid(v, "resource_id", request->resource_id());
  absl::CivilDay day;
  ReadDay(v, "holiday", request->holiday(), &day);
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto outcome = handlers_.AddHoliday(
      request->resource_id(), request->holiday(),
      grpcserver::CommandContextOf(*context, request->request_id(),
                                   ExpectedVersionOf(*request)));
  if (!outcome.ok()) return ToGrpcStatus(outcome.status());
  *response->mutable_resource() = ToProto(outcome->resource);
  for (absl::CivilDay day : outcome->resolved_days)
    *response->add_resolved_days() = dates::ToDate(day);
  return grpc::Status::OK;
}

grpc::Status ResourcesGrpcService::AllocateResource(
    grpc::ServerContext* context, const v1::AllocateResourceRequest* request,
    v1::AllocateResourceResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckUuid(v, "resource_id", request->resource_id());
  CheckUuid(v, "project_id", request->project_id());
  v1::Allocation allocation;
  allocation.set_project_id(request->project_id());
  allocation.set_task_id(request->task_id());
  *allocation.mutable_from() = request->from();
  *allocation.mutable_to() = request->to();
  allocation.set_unit(request->unit());
  allocation.set_amount(request->amount());
  *allocation.mutable_movable_from() = request->movable_from();
  *allocation.mutable_movable_to() = request->movable_to();
  for (const FieldViolation& f :
       FieldViolationsOf(ValidateAllocationShape(allocation))) {
    if (f.field != "project_id") v.Add(f.field, f.description);
  }
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto outcome = handlers_.Allocate(
      request->resource_id(), std::move(allocation),
      grpcserver::CommandContextOf(*context, request->request_id(),
                                   ExpectedVersionOf(*request)));
  if (!outcome.ok()) return ToGrpcStatus(outcome.status());
  *response->mutable_resource() = ToProto(outcome->resource);
  response->set_allocation_id(outcome->allocation_id);
  for (const auto& d : outcome->newly_over_allocated)
    *response->add_newly_over_allocated() = d;
  return grpc::Status::OK;
}

grpc::Status ResourcesGrpcService::CancelAllocation(
    grpc::ServerContext* context, const v1::CancelAllocationRequest* request,
    v1::CancelAllocationResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckUuid(v, "resource_id", request->resource_id());
  if (request->allocation_id().empty()) v.Add("allocation_id", "is required");
  if (request->reason().size() > 1000)
    v.Add("reason", "at most 1000 characters");
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto outcome = handlers_.CancelAllocation(
      request->resource_id(), request->allocation_id(), request->reason(),
      grpcserver::CommandContextOf(*context, request->request_id(),
                                   ExpectedVersionOf(*request)));
  if (!outcome.ok()) return ToGrpcStatus(outcome.status());
  *response->mutable_resource() = ToProto(outcome->resource);
  for (absl::CivilDay day : outcome->resolved_days)
    *response->add_resolved_days() = dates::ToDate(day);
  return grpc::Status::OK;
}

grpc::Status ResourcesGrpcService::GetResourceLoad(
    grpc::ServerContext* context, const v1::GetResourceLoadRequest* request,
    v1::GetResourceLoadResponse* response) {
  FieldViolations v;
  CheckUuid(v, "resource_id", request->resource_id());
  absl::CivilDay from, to;
  ReadDay(v, "from", request->from(), &from);
  ReadDay(v, "to", request->to(), &to);
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto load = handlers_.GetLoad(request->resource_id(), from, to);
  if (!load.ok()) return ToGrpcStatus(load.status());
  if (!request->by_week()) {
    for (auto& d : load->days) *response->add_days() = std::move(d);
  } else {
    // Weeks run Monday to Sunday; a first partial week is dated by `from`.
    std::map<absl::CivilDay, v1::DayLoad> weeks;
    std::map<absl::CivilDay, std::map<std::string, double>> shares;
    for (const v1::DayLoad& d : load->days) {
      const absl::CivilDay day = dates::Day(d.day());
      const int since_monday = (static_cast<int>(absl::GetWeekday(day)) + 7 -
                                static_cast<int>(absl::Weekday::monday)) %
                               7;
      const absl::CivilDay week = std::max(from, day - since_monday);
      v1::DayLoad& w = weeks[week];
      *w.mutable_day() = dates::ToDate(week);
      w.set_capacity_hours(w.capacity_hours() + d.capacity_hours());
      w.set_load_hours(w.load_hours() + d.load_hours());
      for (const v1::ProjectShare& s : d.shares())
        shares[week][s.project_id()] += s.hours();
    }
    for (auto& [week, w] : weeks) {
      for (const auto& [project, hours] : shares[week]) {
        v1::ProjectShare* s = w.add_shares();
        s->set_project_id(project);
        s->set_hours(hours);
      }
      *response->add_days() = std::move(w);
    }
  }
  for (auto& d : load->over_allocated)
    *response->add_over_allocated() = std::move(d);
  return grpc::Status::OK;
}

grpc::Status ResourcesGrpcService::RequestCapacity(
    grpc::ServerContext* context, const v1::RequestCapacityRequest* request,
    v1::RequestCapacityResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckUuid(v, "project_id", request->project_id());
  // Who asked is the caller: a name that is not theirs would let them
  // decide their own request (separation of duties).
  const std::string caller = grpcserver::CallerOf(*context).name;
  if (!request->requested_by().empty() && request->requested_by() != caller) {
    v.Add("requested_by", "must be empty or the caller's own name");
  }
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  v1::CapacityRequested asked;
  asked.set_project_id(request->project_id());
  *asked.mutable_skill() = request->skill();
  asked.set_unit(request->unit());
  asked.set_amount(request->amount());
  *asked.mutable_from() = request->from();
  *asked.mutable_to() = request->to();
  asked.set_requested_by(caller);
  auto created = handlers_.RequestCapacity(
      std::move(asked), Context(*context, request->request_id()));
  if (!created.ok()) return ToGrpcStatus(created.status());
  *response->mutable_capacity_request() = ToProto(*created);
  return grpc::Status::OK;
}

grpc::Status ResourcesGrpcService::DecideCapacityRequest(
    grpc::ServerContext* context,
    const v1::DecideCapacityRequestRequest* request,
    v1::DecideCapacityRequestResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckUuid(v, "capacity_request_id", request->capacity_request_id());
  if (request->reason().size() > 1000)
    v.Add("reason", "at most 1000 characters");
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto decided = handlers_.DecideCapacityRequest(
      request->capacity_request_id(), request->decision(), request->reason(),
      Context(*context, request->request_id()));
  if (!decided.ok()) return ToGrpcStatus(decided.status());
  *response->mutable_capacity_request() = ToProto(*decided);
  return grpc::Status::OK;
}

grpc::Status ResourcesGrpcService::FulfilCapacityRequest(
    grpc::ServerContext* context,
    const v1::FulfilCapacityRequestRequest* request,
    v1::FulfilCapacityRequestResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckUuid(v, "capacity_request_id", request->capacity_request_id());
  CheckUuid(v, "resource_id", request->resource_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto outcome = handlers_.FulfilCapacityRequest(
      request->capacity_request_id(), request->resource_id(),
      Context(*context, request->request_id()));
  if (!outcome.ok()) return ToGrpcStatus(outcome.status());
  *response->mutable_capacity_request() = ToProto(outcome->request);
  for (const auto& d : outcome->newly_over_allocated)
    *response->add_newly_over_allocated() = d;
  return grpc::Status::OK;
}

grpc::Status ResourcesGrpcService::FindFreeResources(
    grpc::ServerContext* context, const v1::FindFreeResourcesRequest* request,
    v1::FindFreeResourcesResponse* response) {
  FieldViolations v;
  if (request->skill().name().empty()) v.Add("skill.name", "is required");
  if (request->skill().level() < 0 || request->skill().level() > 5) {
    v.Add("skill.level", "must be 0-5 (0: any level)");
  }
  if (!(request->hours_per_day() >= 0 && request->hours_per_day() <= 24)) {
    v.Add("hours_per_day", "must be between 0 and 24");
  }
  absl::CivilDay from, to;
  ReadDay(v, "from", request->from(), &from);
  ReadDay(v, "to", request->to(), &to);
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto free = handlers_.FindFreeResources(request->skill(), from, to,
                                          request->hours_per_day());
  if (!free.ok()) return ToGrpcStatus(free.status());
  for (auto& r : *free) *response->add_resources() = std::move(r);
  return grpc::Status::OK;
}

grpc::Status ResourcesGrpcService::GetUtilisation(
    grpc::ServerContext* context, const v1::GetUtilisationRequest* request,
    v1::GetUtilisationResponse* response) {
  FieldViolations v;
  absl::CivilDay from, to;
  ReadDay(v, "from", request->from(), &from);
  ReadDay(v, "to", request->to(), &to);
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto rows = handlers_.GetUtilisation(from, to, request->group_by());
  if (!rows.ok()) return ToGrpcStatus(rows.status());
  for (auto& r : *rows) *response->add_rows() = std::move(r);
  return grpc::Status::OK;
}

grpc::Status ResourcesGrpcService::GetCapacityVersusDemand(
    grpc::ServerContext* context,
    const v1::GetCapacityVersusDemandRequest* request,
    v1::GetCapacityVersusDemandResponse* response) {
  FieldViolations v;
  absl::CivilDay from, to;
  ReadDay(v, "from", request->from(), &from);
  ReadDay(v, "to", request->to(), &to);
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto skills = handlers_.GetCapacityVersusDemand(from, to);
  if (!skills.ok()) return ToGrpcStatus(skills.status());
  for (auto& s : *skills) *response->add_skills() = std::move(s);
  return grpc::Status::OK;
}

namespace {
v1::LevellingProposal ToProto(const VersionedProposal& p) {
  v1::LevellingProposal out = p.state.state();
  out.set_version(p.version);
  return out;
}
}  // namespace

grpc::Status ResourcesGrpcService::ProposeLevelling(
    grpc::ServerContext* context, const v1::ProposeLevellingRequest* request,
    v1::ProposeLevellingResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  absl::CivilDay from, to;
  ReadDay(v, "from", request->from(), &from);
  ReadDay(v, "to", request->to(), &to);
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto proposal = levelling_.ProposeLevelling(
      from, to, Context(*context, request->request_id()));
  if (!proposal.ok()) return ToGrpcStatus(proposal.status());
  *response->mutable_proposal() = ToProto(*proposal);
  return grpc::Status::OK;
}

grpc::Status ResourcesGrpcService::AcceptLevelling(
    grpc::ServerContext* context, const v1::AcceptLevellingRequest* request,
    v1::AcceptLevellingResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckUuid(v, "proposal_id", request->proposal_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto proposal = levelling_.AcceptLevelling(
      request->proposal_id(), Context(*context, request->request_id()));
  if (!proposal.ok()) return ToGrpcStatus(proposal.status());
  *response->mutable_proposal() = ToProto(*proposal);
  return grpc::Status::OK;
}

grpc::Status ResourcesGrpcService::DiscardLevelling(
    grpc::ServerContext* context, const v1::DiscardLevellingRequest* request,
    v1::DiscardLevellingResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckUuid(v, "proposal_id", request->proposal_id());
  if (request->reason().size() > 1000)
    v.Add("reason", "at most 1000 characters");
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto proposal =
      levelling_.DiscardLevelling(request->proposal_id(), request->reason(),
                                  Context(*context, request->request_id()));
  if (!proposal.ok()) return ToGrpcStatus(proposal.status());
  *response->mutable_proposal() = ToProto(*proposal);
  return grpc::Status::OK;
}

grpc::Status MentoringGrpcService::StartMentorship(
    grpc::ServerContext* context, const v1::StartMentorshipRequest* request,
    v1::StartMentorshipResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto m = handlers_.StartMentorship(request->mentor(), request->mentee(),
                                     Context(*context, request->request_id()));
  if (!m.ok()) return ToGrpcStatus(m.status());
  *response->mutable_mentorship() = m->state.state();
  response->mutable_mentorship()->set_version(m->version);
  return grpc::Status::OK;
}

grpc::Status MentoringGrpcService::RecordMentoringSession(
    grpc::ServerContext* context,
    const v1::RecordMentoringSessionRequest* request,
    v1::RecordMentoringSessionResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckUuid(v, "mentorship_id", request->mentorship_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto m = handlers_.RecordSession(request->mentorship_id(), request->session(),
                                   Context(*context, request->request_id()));
  if (!m.ok()) return ToGrpcStatus(m.status());
  *response->mutable_mentorship() = m->state.state();
  response->mutable_mentorship()->set_version(m->version);
  return grpc::Status::OK;
}

grpc::Status MentoringGrpcService::RecordLesson(
    grpc::ServerContext* context, const v1::RecordLessonRequest* request,
    v1::RecordLessonResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckUuid(v, "project_id", request->project_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  v1::Lesson lesson;
  lesson.set_project_id(request->project_id());
  lesson.set_category(request->category());
  lesson.set_what_happened(request->what_happened());
  lesson.set_recommendation(request->recommendation());
  *lesson.mutable_tags() = request->tags();
  auto recorded = handlers_.RecordLesson(
      std::move(lesson), Context(*context, request->request_id()));
  if (!recorded.ok()) return ToGrpcStatus(recorded.status());
  *response->mutable_lesson() = *recorded;
  return grpc::Status::OK;
}

grpc::Status MentoringGrpcService::SearchLessons(
    grpc::ServerContext* context, const v1::SearchLessonsRequest* request,
    v1::SearchLessonsResponse* response) {
  auto lessons =
      handlers_.SearchLessons({request->tags().begin(), request->tags().end()},
                              request->category(), request->page_size());
  if (!lessons.ok()) return ToGrpcStatus(lessons.status());
  for (auto& l : *lessons) *response->add_lessons() = std::move(l);
  return grpc::Status::OK;
}

}  // namespace pmo::resources
