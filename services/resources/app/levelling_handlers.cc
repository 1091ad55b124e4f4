#include "services/resources/app/levelling_handlers.h"

#include <map>
#include <variant>

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/ids.h"
#include "libs/eventsourcing/request_ids.h"
#include "libs/levelling/levelling.h"
#include "services/resources/app/capacity_conversions.h"

namespace pmo::resources {
namespace {

// No resource has this skill: a booking that names no skill is never
// given to another resource (the library would give it to anyone).
constexpr char kNotReassignable[] = "\x1f(booking stays with its resource)";

v1::Allocation ToProto(const capacity::Allocation& a,
                       const v1::Allocation& original) {
  v1::Allocation out = original;
  out.clear_allocation_id();
  *out.mutable_from() = ToDate(a.from);
  *out.mutable_to() = ToDate(a.to);
  out.set_unit(a.unit == capacity::AllocationUnit::kPercent
                   ? v1::ALLOCATION_UNIT_PERCENT
                   : v1::ALLOCATION_UNIT_HOURS_PER_DAY);
  out.set_amount(a.amount);
  return out;
}

}  // namespace

absl::StatusOr<VersionedProposal> LevellingHandlers::ProposeLevelling(
    absl::CivilDay from, absl::CivilDay to,
    eventsourcing::CommandContext context) {
  if (to < from || to - from > int64_t{3} * 366) {
    FieldViolations v;
    v.Add("to",
          to < from ? "must not be before from" : "at most 3 years after from");
    return v.ToStatus();
  }
  ASSIGN_OR_RETURN(std::vector<VersionedResource> pool,
                   eventsourcing::LoadAllOfType<Resource>(store_));
  levelling::LevellingProblem problem;
  problem.from = from;
  problem.to = to;
  std::map<std::string, const v1::Allocation*> originals;
  for (const VersionedResource& r : pool) {
    const v1::Resource& state = r.state.state();
    levelling::LevellingResource resource{
        state.resource_id(), ToCalendar(state.calendar()), {}};
    for (const v1::Skill& s : state.skills())
      resource.skills.push_back({s.name(), s.level()});
    problem.resources.push_back(std::move(resource));
    for (const v1::Allocation& a : state.allocations()) {
      if (a.status() == v1::ALLOCATION_STATUS_CANCELLED) continue;
      ASSIGN_OR_RETURN(std::optional<KnownProject> project,
                       projects_.Find(a.project_id()));
      levelling::LevellingAllocation booking;
      booking.allocation = ToAllocation(a);
      booking.resource_id = state.resource_id();
      booking.project_priority =
          project ? project->priority : levelling::kLowestPriority;
      booking.earliest_start =
          IsSet(a.movable_from()) ? Day(a.movable_from()) : Day(a.from());
      booking.latest_finish =
          IsSet(a.movable_to()) ? Day(a.movable_to()) : Day(a.to());
      booking.required_skill =
          a.has_required_skill() && !a.required_skill().name().empty()
              ? levelling::Skill{a.required_skill().name(),
                                 std::max(1, a.required_skill().level())}
              : levelling::Skill{kNotReassignable, levelling::kMaxSkillLevel};
      problem.allocations.push_back(std::move(booking));
      originals[a.allocation_id()] = &a;
    }
  }
  ASSIGN_OR_RETURN(levelling::LevellingProposal computed,
                   levelling::LevelResources(problem));

  v1::LevellingProposal proposal;
  proposal.set_proposal_id(NewUuid());
  *proposal.mutable_from() = ToDate(from);
  *proposal.mutable_to() = ToDate(to);
  for (const levelling::LevellingChange& c : computed.changes) {
    v1::AllocationChange* change = proposal.add_changes();
    change->set_resource_id(c.resource_id);
    change->set_allocation_id(c.allocation_id);
    change->set_project_id(c.project_id);
    change->set_finish_shift_days(c.finish_shift_days);
    change->set_moved_hours(c.moved_hours);
    auto known = originals.find(c.allocation_id);
    if (known == originals.end()) {
      return absl::InternalError(absl::StrCat(
          "levelling changed an unknown booking ", c.allocation_id));
    }
    const v1::Allocation& original = *known->second;
    *change->mutable_original() = original;
    if (const auto* move = std::get_if<levelling::AllocationMove>(&c.action)) {
      *change->mutable_move_to()->mutable_from() = ToDate(move->from);
      *change->mutable_move_to()->mutable_to() = ToDate(move->to);
    } else if (const auto* split =
                   std::get_if<levelling::AllocationSplit>(&c.action)) {
      for (const capacity::Allocation& part : split->parts) {
        *change->mutable_split_into()->add_parts() = ToProto(part, original);
      }
    } else if (const auto* give =
                   std::get_if<levelling::AllocationReassignment>(&c.action)) {
      change->set_reassign_to_resource_id(give->resource_id);
    }
  }
  for (const levelling::ProjectEffect& e : computed.projects) {
    v1::LevellingProjectEffect* effect = proposal.add_effects();
    effect->set_project_id(e.project_id);
    effect->set_priority(e.priority);
    effect->set_allocations_changed(e.allocations_moved + e.allocations_split +
                                    e.allocations_reassigned);
    effect->set_moved_hours(e.moved_hours);
    effect->set_reassigned_hours(e.reassigned_hours);
    effect->set_max_days_shifted(e.max_days_shifted);
    effect->set_windows_kept(e.windows_kept);
  }
  proposal.set_over_allocated_days_before(computed.over_allocated_days_before);
  proposal.set_over_allocated_days_after(computed.over_allocated_days_after);

  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  const std::string id = proposal.proposal_id();
  return eventsourcing::ExecuteCommand<LevellingProposalAggregate>(
      store_, id, context,
      [&](const VersionedProposal& p) { return p.state.Propose(proposal); },
      eventsourcing::StreamIdentity::kNew);
}

absl::StatusOr<VersionedProposal> LevellingHandlers::AcceptLevelling(
    const std::string& proposal_id, eventsourcing::CommandContext context) {
  if (context.request_id.empty()) {
    FieldViolations v;
    v.Add("request_id", "is required: accepting is several appends");
    return v.ToStatus();
  }
  ASSIGN_OR_RETURN(VersionedProposal proposal,
                   eventsourcing::LoadAggregate<LevellingProposalAggregate>(
                       store_, proposal_id));
  // A retry of an accepted proposal answers as the first time did.
  ASSIGN_OR_RETURN(std::optional<eventstore::AppendResult> done,
                   store_.FindRequest(eventsourcing::DerivedRequestId(
                       context.request_id, "levelling-accepted", proposal_id)));
  if (done) return proposal;
  RETURN_IF_ERROR(proposal.state.CheckOpen());
  const auto& changes = proposal.state.state().changes();
  auto step = [&](absl::string_view what, int change, size_t part) {
    eventsourcing::CommandContext s = context;
    s.request_id = eventsourcing::DerivedRequestId(
        context.request_id, what,
        absl::StrCat(proposal_id, "/", change, "/", part));
    s.expected_version = std::nullopt;
    s.metadata.causation_id = context.request_id;
    return s;
  };
  // What each change books, from the booking as proposed.
  auto new_bookings = [](const v1::AllocationChange& c) {
    std::vector<std::pair<std::string, v1::Allocation>>
        out;  // resource, booking
    v1::Allocation base = c.original();
    base.clear_allocation_id();
    base.clear_status();
    if (c.has_move_to()) {
      *base.mutable_from() = c.move_to().from();
      *base.mutable_to() = c.move_to().to();
      out.push_back({c.resource_id(), base});
    } else if (c.has_split_into()) {
      for (v1::Allocation part : c.split_into().parts()) {
        part.clear_allocation_id();
        part.clear_status();
        out.push_back({c.resource_id(), part});
      }
    } else if (!c.reassign_to_resource_id().empty()) {
      out.push_back({c.reassign_to_resource_id(), base});
    }
    return out;
  };
  // Checked before anything changes, so a refusal leaves every booking as
  // it was: each booking still there (unless this request already
  // cancelled it), each project still open, each new period within the
  // target's employment.
  for (int i = 0; i < changes.size(); ++i) {
    const v1::AllocationChange& c = changes[i];
    ASSIGN_OR_RETURN(
        std::optional<eventstore::AppendResult> cancelled,
        store_.FindRequest(step("levelling-cancel", i, 0).request_id));
    ASSIGN_OR_RETURN(VersionedResource r,
                     bookings_.GetResource(c.resource_id()));
    if (!cancelled && !r.state.FindAllocation(c.allocation_id())) {
      return RuleViolationError(
          "LEVELLING_PROPOSAL_STALE",
          absl::StrCat("levelling-proposals/", proposal_id),
          absl::StrCat("booking ", c.allocation_id(), " of resource ",
                       c.resource_id(), " has changed since the proposal"));
    }
    for (const auto& [target, booking] : new_bookings(c)) {
      RETURN_IF_ERROR(projects_.CheckOpenForAllocation(booking.project_id()));
      ASSIGN_OR_RETURN(VersionedResource t, bookings_.GetResource(target));
      const v1::WorkingCalendar& cal = t.state.state().calendar();
      if ((IsSet(cal.employed_from()) &&
           Day(booking.from()) < Day(cal.employed_from())) ||
          (IsSet(cal.employed_to()) &&
           Day(booking.to()) > Day(cal.employed_to()))) {
        return RuleViolationError(
            "LEVELLING_PROPOSAL_STALE",
            absl::StrCat("levelling-proposals/", proposal_id),
            absl::StrCat("resource ", target, " is not employed then"));
      }
    }
  }
  for (int i = 0; i < changes.size(); ++i) {
    const v1::AllocationChange& c = changes[i];
    ASSIGN_OR_RETURN(
        CancellationOutcome cancelled,
        bookings_.CancelAllocation(c.resource_id(), c.allocation_id(),
                                   absl::StrCat("levelling ", proposal_id),
                                   step("levelling-cancel", i, 0)));
    (void)cancelled;
    const auto bookings = new_bookings(c);
    for (size_t part = 0; part < bookings.size(); ++part) {
      ASSIGN_OR_RETURN(
          AllocationOutcome booked,
          bookings_.Allocate(bookings[part].first, bookings[part].second,
                             step("levelling-book", i, part)));
      (void)booked;
    }
  }
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  eventsourcing::CommandContext mark = context;
  mark.request_id = eventsourcing::DerivedRequestId(
      context.request_id, "levelling-accepted", proposal_id);
  return eventsourcing::ExecuteCommand<LevellingProposalAggregate>(
      store_, proposal_id, mark,
      [&](const VersionedProposal& p) { return p.state.Accept(); });
}

absl::StatusOr<VersionedProposal> LevellingHandlers::DiscardLevelling(
    const std::string& proposal_id, const std::string& reason,
    eventsourcing::CommandContext context) {
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  return eventsourcing::ExecuteCommand<LevellingProposalAggregate>(
      store_, proposal_id, context,
      [&](const VersionedProposal& p) { return p.state.Discard(reason); });
}

}  // namespace pmo::resources
