#include "libs/levelling/levelling.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "libs/base/check.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"
#include "libs/capacity/calendar.h"
#include "libs/capacity/over_allocation.h"

namespace pmo::levelling {
namespace {

using capacity::Allocation;
using capacity::AllocationUnit;
using capacity::WorkingCalendar;

// A huge bad input lists the first violations and counts the rest (see
// FieldViolations).
constexpr int kMaxListedViolations = 20;

bool InRange(int value, int low, int high) {
  return value >= low && value <= high;
}

// The last day `allocation` books hours on, if any.
std::optional<absl::CivilDay> LastBookedDay(const WorkingCalendar& calendar,
                                            const Allocation& allocation) {
  if (capacity::HoursPerWorkingDay(calendar, allocation) <= 0) {
    return std::nullopt;
  }
  for (absl::CivilDay d = allocation.to; d >= allocation.from; --d) {
    if (capacity::IsWorkingDay(calendar, d)) return d;
  }
  return std::nullopt;
}

// Resources by id, for the functions that take them from the caller.
absl::flat_hash_map<std::string, int> IndexById(
    std::span<const LevellingResource> resources) {
  absl::flat_hash_map<std::string, int> index;
  for (size_t i = 0; i < resources.size(); ++i) {
    index.emplace(resources[i].resource_id, static_cast<int>(i));
  }
  return index;
}

// ---------------------------------------------------------------------------
// The search. Day tables per resource over the horizon; an allocation's days
// are handled as positions (indices into the resource's list of working
// days), so "N working days from here" is index arithmetic.

// Positions [begin, end) of a resource's working days list.
struct PositionRange {
  int32_t begin = 0;
  int32_t end = 0;
  int32_t size() const { return end - begin; }
};

class Leveller {
 public:
  explicit Leveller(const LevellingProblem& problem);

  // Runs the pass described in levelling.h and returns the changes made.
  std::vector<LevellingChange> Run();

 private:
  struct ResourceState {
    const LevellingResource* input = nullptr;
    std::vector<double> capacity;  // per horizon day
    std::vector<double> load;      // per horizon day
    // Horizon indices of the working days, ascending: position -> day.
    std::vector<int32_t> working_days;
    // positions_before[i]: how many working days precede horizon day i
    // (size days + 1): day -> position.
    std::vector<int32_t> positions_before;
    // The allocations booked here that have not been changed: the only
    // possible candidates (see levelling.h).
    std::vector<int> unchanged;
    // (skill number, level): skill names are numbered once, so that the
    // reassignment search, which looks at every resource, compares ints.
    std::vector<std::pair<int, int>> skills;
    // The change count after the last change that booked or unbooked hours
    // here (0: none yet).
    int64_t touched_at = 0;
  };

  struct AllocationState {
    const LevellingAllocation* input = nullptr;
    int resource = 0;
    double hours = 0;   // per working day on its resource
    int32_t first = 0;  // horizon indices of its period
    int32_t last = 0;
    int32_t window_first = 0;  // horizon indices of its window
    int32_t window_last = 0;
    // The required skill's number (kAnySkill: none required; kNoSkill: no
    // resource has it) and level.
    int required_skill = kAnySkill;
    int required_level = 0;
    // The change count when an attempt to change it last failed (-1:
    // never). A search that failed then cannot succeed on a resource whose
    // load has not changed since, so it is skipped there: this keeps long
    // runs of unsolvable days cheap without changing any result.
    int64_t failed_at = -1;
  };
  static constexpr int kAnySkill = -1;
  static constexpr int kNoSkill = -2;

  static bool ChangedSinceFailure(const ResourceState& r,
                                  const AllocationState& a) {
    return r.touched_at > a.failed_at;
  }
  static bool Qualified(const ResourceState& r, const AllocationState& a) {
    if (a.required_skill == kAnySkill) return true;
    return std::any_of(r.skills.begin(), r.skills.end(), [&](auto skill) {
      return skill.first == a.required_skill &&
             skill.second >= a.required_level;
    });
  }

  int32_t DayIndex(absl::CivilDay day) const {
    return static_cast<int32_t>(day - start_);
  }
  absl::CivilDay Day(int32_t index) const { return start_ + index; }
  static PositionRange Positions(const ResourceState& r, int32_t first,
                                 int32_t last) {
    return {r.positions_before[first], r.positions_before[last + 1]};
  }
  absl::CivilDay DayAt(const ResourceState& r, int32_t position) const {
    return Day(r.working_days[position]);
  }
  static void Book(ResourceState& r, PositionRange range, double hours) {
    for (int32_t p = range.begin; p < range.end; ++p) {
      r.load[r.working_days[p]] += hours;
    }
  }
  static bool Fits(const ResourceState& r, int32_t position, double hours) {
    const int32_t i = r.working_days[position];
    return !capacity::IsOverAllocated(r.load[i] + hours, r.capacity[i]);
  }

  void LevelDay(int resource, int32_t day);
  // Candidates on `day` in the order of levelling.h, step 1.
  std::vector<int> Candidates(const ResourceState& r, int32_t day) const;
  // Makes the first change (a), (b) or (c) that succeeds for allocation k.
  bool TryChange(int k, int32_t day);
  std::optional<PositionRange> FindMove(const AllocationState& a,
                                        const ResourceState& r,
                                        PositionRange own,
                                        PositionRange window) const;
  std::vector<PositionRange> FindSplit(const AllocationState& a,
                                       const ResourceState& r,
                                       PositionRange own,
                                       PositionRange window) const;
  std::optional<int> FindReassignment(const AllocationState& a,
                                      int32_t positions) const;
  std::string NewPartId(absl::string_view allocation_id);

  absl::CivilDay start_;
  std::vector<ResourceState> resources_;      // by resource_id
  std::vector<AllocationState> allocations_;  // input order
  absl::CivilDay from_;
  absl::CivilDay to_;
  absl::flat_hash_set<std::string> ids_in_use_;
  int64_t changes_made_ = 0;
  std::vector<LevellingChange> changes_;
};

Leveller::Leveller(const LevellingProblem& problem)
    : from_(problem.from), to_(problem.to) {
  start_ = problem.from;
  absl::CivilDay end = problem.to;
  for (const LevellingAllocation& a : problem.allocations) {
    start_ = std::min(start_, a.earliest_start);
    end = std::max(end, a.latest_finish);
  }
  const int32_t days = DayIndex(end) + 1;

  std::vector<const LevellingResource*> sorted;
  for (const LevellingResource& r : problem.resources) sorted.push_back(&r);
  std::sort(sorted.begin(), sorted.end(),
            [](auto* a, auto* b) { return a->resource_id < b->resource_id; });
  absl::flat_hash_map<std::string, int> index;
  absl::flat_hash_map<std::string, int> skill_numbers;
  resources_.resize(sorted.size());
  for (size_t i = 0; i < sorted.size(); ++i) {
    ResourceState& r = resources_[i];
    r.input = sorted[i];
    index.emplace(sorted[i]->resource_id, static_cast<int>(i));
    std::vector<uint8_t> working(days);
    capacity::FillWorkingDays(r.input->calendar, start_, working);
    r.capacity.resize(days);
    capacity::FillCapacityHours(r.input->calendar, start_, r.capacity);
    r.load.assign(days, 0.0);
    r.positions_before.resize(days + 1);
    for (int32_t d = 0; d < days; ++d) {
      r.positions_before[d] = static_cast<int32_t>(r.working_days.size());
      if (working[d]) r.working_days.push_back(d);
    }
    r.positions_before[days] = static_cast<int32_t>(r.working_days.size());
    for (const Skill& skill : r.input->skills) {
      const int number =
          skill_numbers
              .emplace(skill.name, static_cast<int>(skill_numbers.size()))
              .first->second;
      r.skills.emplace_back(number, skill.level);
    }
  }

  allocations_.resize(problem.allocations.size());
  for (size_t k = 0; k < problem.allocations.size(); ++k) {
    const LevellingAllocation& in = problem.allocations[k];
    AllocationState& a = allocations_[k];
    a.input = &in;
    a.resource = index.at(in.resource_id);
    ResourceState& r = resources_[a.resource];
    a.hours = capacity::HoursPerWorkingDay(r.input->calendar, in.allocation);
    a.first = DayIndex(in.allocation.from);
    a.last = DayIndex(in.allocation.to);
    a.window_first = DayIndex(in.earliest_start);
    a.window_last = DayIndex(in.latest_finish);
    if (in.required_skill.has_value()) {
      const auto it = skill_numbers.find(in.required_skill->name);
      a.required_skill = it == skill_numbers.end() ? kNoSkill : it->second;
      a.required_level = in.required_skill->level;
    }
    Book(r, Positions(r, a.first, a.last), a.hours);
    r.unchanged.push_back(static_cast<int>(k));
    ids_in_use_.insert(in.allocation.allocation_id);
  }
}

std::vector<LevellingChange> Leveller::Run() {
  for (absl::CivilDay d = from_; d <= to_; ++d) {
    for (size_t r = 0; r < resources_.size(); ++r) {
      LevelDay(static_cast<int>(r), DayIndex(d));
    }
  }
  return std::move(changes_);
}

void Leveller::LevelDay(int resource, int32_t day) {
  const ResourceState& r = resources_[resource];
  while (capacity::IsOverAllocated(r.load[day], r.capacity[day])) {
    bool changed = false;
    for (int k : Candidates(r, day)) {
      AllocationState& a = allocations_[k];
      // Nothing changed since it last failed: it would fail again.
      if (a.failed_at == changes_made_) continue;
      if (TryChange(k, day)) {
        changed = true;
        break;
      }
      a.failed_at = changes_made_;
    }
    if (!changed) return;
  }
}

std::vector<int> Leveller::Candidates(const ResourceState& r,
                                      int32_t day) const {
  std::vector<int> out;
  for (int k : r.unchanged) {
    const AllocationState& a = allocations_[k];
    // The day is over-allocated, so it is a working day: the allocation
    // books it if the period covers it.
    if (a.hours > 0 && a.first <= day && day <= a.last) out.push_back(k);
  }
  std::sort(out.begin(), out.end(), [&](int x, int y) {
    const LevellingAllocation& a = *allocations_[x].input;
    const LevellingAllocation& b = *allocations_[y].input;
    if (a.project_priority != b.project_priority) {
      return a.project_priority > b.project_priority;  // 5 first
    }
    if (a.allocation.from != b.allocation.from) {
      return a.allocation.from > b.allocation.from;  // latest first
    }
    return a.allocation.allocation_id < b.allocation.allocation_id;
  });
  return out;
}

std::optional<PositionRange> Leveller::FindMove(const AllocationState& a,
                                                const ResourceState& r,
                                                PositionRange own,
                                                PositionRange window) const {
  const int32_t n = own.size();
  // blocked_before[p - window.begin]: positions in [window.begin, p) where
  // the allocation does not fit.
  std::vector<int32_t> blocked_before(window.size() + 1, 0);
  for (int32_t p = window.begin; p < window.end; ++p) {
    blocked_before[p - window.begin + 1] =
        blocked_before[p - window.begin] + (Fits(r, p, a.hours) ? 0 : 1);
  }
  auto fits_at = [&](int32_t start) {
    return blocked_before[start + n - window.begin] ==
           blocked_before[start - window.begin];
  };
  for (int32_t start = own.begin + 1; start + n <= window.end; ++start) {
    if (fits_at(start)) return PositionRange{start, start + n};
  }
  for (int32_t start = own.begin - 1; start >= window.begin; --start) {
    if (fits_at(start)) return PositionRange{start, start + n};
  }
  return std::nullopt;
}

std::vector<PositionRange> Leveller::FindSplit(const AllocationState& a,
                                               const ResourceState& r,
                                               PositionRange own,
                                               PositionRange window) const {
  std::vector<PositionRange> runs;
  int32_t booked = 0;
  for (int32_t p = own.begin; p < window.end && booked < own.size(); ++p) {
    if (!Fits(r, p, a.hours)) continue;
    if (!runs.empty() && runs.back().end == p) {
      ++runs.back().end;
    } else {
      runs.push_back({p, p + 1});
    }
    ++booked;
  }
  if (booked < own.size()) return {};
  return runs;
}

std::optional<int> Leveller::FindReassignment(const AllocationState& a,
                                              int32_t positions) const {
  std::optional<int> best;
  double best_free = 0;
  for (size_t i = 0; i < resources_.size(); ++i) {
    if (static_cast<int>(i) == a.resource) continue;
    const ResourceState& r = resources_[i];
    if (!ChangedSinceFailure(r, a) || !Qualified(r, a)) continue;
    const PositionRange range = Positions(r, a.first, a.last);
    if (range.size() != positions) continue;
    double free = 0;
    bool fits = true;
    for (int32_t p = range.begin; p < range.end && fits; ++p) {
      fits = Fits(r, p, a.hours);
      free += r.capacity[r.working_days[p]] - r.load[r.working_days[p]];
    }
    // Non-working days have capacity and load 0, so `free` is the period's.
    if (fits && (!best.has_value() || free > best_free + 1e-9)) {
      best = static_cast<int>(i);
      best_free = free;
    }
  }
  return best;
}

std::string Leveller::NewPartId(absl::string_view allocation_id) {
  for (int n = 1;; ++n) {
    std::string id = absl::StrCat(allocation_id, "/", n);
    if (ids_in_use_.insert(id).second) return id;
  }
}

bool Leveller::TryChange(int k, int32_t day) {
  AllocationState& a = allocations_[k];
  ResourceState& r = resources_[a.resource];
  const PositionRange own = Positions(r, a.first, a.last);
  const PositionRange window = Positions(r, a.window_first, a.window_last);

  // The allocation is judged against everything else's load. (a) and (b)
  // depend on its own resource's load only: unchanged since they last
  // failed, they would fail again.
  Book(r, own, -a.hours);
  std::optional<PositionRange> move;
  std::vector<PositionRange> runs;
  std::optional<int> other;
  if (ChangedSinceFailure(r, a)) {
    move = FindMove(a, r, own, window);
    if (!move.has_value()) runs = FindSplit(a, r, own, window);
  }
  if (!move.has_value() && runs.empty()) {
    other = FindReassignment(a, own.size());
    if (!other.has_value()) {
      Book(r, own, a.hours);
      return false;
    }
  }

  const Allocation& in = a.input->allocation;
  const absl::CivilDay last_before = DayAt(r, own.end - 1);
  LevellingChange change;
  change.allocation_id = in.allocation_id;
  change.project_id = in.project_id;
  change.resource_id = r.input->resource_id;
  change.over_allocated_day = Day(day);
  // Hours booked at positions outside the original ones.
  auto hours_moved = [&](std::span<const PositionRange> ranges) {
    int32_t outside = 0;
    for (const PositionRange& range : ranges) {
      const int32_t overlap = std::max(
          0, std::min(range.end, own.end) - std::max(range.begin, own.begin));
      outside += range.size() - overlap;
    }
    return a.hours * outside;
  };
  ++changes_made_;
  r.touched_at = changes_made_;

  if (move.has_value()) {
    Book(r, *move, a.hours);
    change.action =
        AllocationMove{DayAt(r, move->begin), DayAt(r, move->end - 1)};
    change.finish_shift_days =
        static_cast<int>(DayAt(r, move->end - 1) - last_before);
    change.moved_hours = hours_moved(std::span(&*move, 1));
  } else if (!runs.empty()) {
    // One run would be a move, which (a) would have found.
    PMO_CHECK(runs.size() >= 2, "a split found where a move was not");
    AllocationSplit split;
    for (const PositionRange& run : runs) {
      Book(r, run, a.hours);
      Allocation part = in;
      part.allocation_id = NewPartId(in.allocation_id);
      part.from = DayAt(r, run.begin);
      part.to = DayAt(r, run.end - 1);
      split.parts.push_back(std::move(part));
    }
    change.finish_shift_days =
        static_cast<int>(split.parts.back().to - last_before);
    change.moved_hours = hours_moved(runs);
    change.action = std::move(split);
  } else {
    ResourceState& to = resources_[*other];
    const PositionRange range = Positions(to, a.first, a.last);
    Book(to, range, a.hours);
    to.touched_at = changes_made_;
    AllocationReassignment reassignment{to.input->resource_id, in};
    if (in.unit == AllocationUnit::kPercent &&
        to.input->calendar.hours_per_day != r.input->calendar.hours_per_day) {
      reassignment.allocation.unit = AllocationUnit::kHoursPerDay;
      reassignment.allocation.amount = a.hours;
    }
    change.finish_shift_days =
        static_cast<int>(DayAt(to, range.end - 1) - last_before);
    change.moved_hours = a.hours * own.size();
    change.action = std::move(reassignment);
  }
  std::erase(r.unchanged, k);
  changes_.push_back(std::move(change));
  return true;
}

// ---------------------------------------------------------------------------
// Applying changes and describing their effect.

absl::Status ValidateChanges(const LevellingProblem& problem,
                             std::span<const LevellingChange> changes) {
  FieldViolations violations(kMaxListedViolations);
  absl::flat_hash_set<std::string> allocation_ids;
  for (const LevellingAllocation& a : problem.allocations) {
    allocation_ids.insert(a.allocation.allocation_id);
  }
  const absl::flat_hash_map<std::string, int> resources =
      IndexById(problem.resources);
  absl::flat_hash_set<std::string> changed;
  for (size_t i = 0; i < changes.size(); ++i) {
    const LevellingChange& c = changes[i];
    const std::string field = absl::StrCat("changes[", i, "]");
    if (!allocation_ids.contains(c.allocation_id)) {
      violations.Add(field + ".allocation_id", "unknown allocation");
    } else if (!changed.insert(c.allocation_id).second) {
      violations.Add(field + ".allocation_id", "changed twice");
    }
    if (const auto* move = std::get_if<AllocationMove>(&c.action)) {
      if (move->to < move->from) {
        violations.Add(field + ".action.to", "must not be before from");
      }
    } else if (const auto* split = std::get_if<AllocationSplit>(&c.action)) {
      if (split->parts.empty()) {
        violations.Add(field + ".action.parts", "must not be empty");
      }
      for (size_t j = 0; j < split->parts.size(); ++j) {
        violations.AddAll(capacity::ValidateAllocation(split->parts[j]),
                          absl::StrCat(field, ".action.parts[", j, "]"));
      }
    } else if (const auto* reassignment =
                   std::get_if<AllocationReassignment>(&c.action)) {
      if (!resources.contains(reassignment->resource_id)) {
        violations.Add(field + ".action.resource_id", "unknown resource");
      }
      violations.AddAll(capacity::ValidateAllocation(reassignment->allocation),
                        field + ".action.allocation");
    }
  }
  return violations.ToStatus();
}

// ApplyProposal for valid input.
std::vector<LevellingAllocation> ApplyValidChanges(
    const LevellingProblem& problem, std::span<const LevellingChange> changes) {
  absl::flat_hash_map<std::string, const LevellingChange*> change_of;
  for (const LevellingChange& c : changes) {
    change_of.emplace(c.allocation_id, &c);
  }
  std::vector<LevellingAllocation> out;
  out.reserve(problem.allocations.size() + changes.size());
  for (const LevellingAllocation& a : problem.allocations) {
    const auto it = change_of.find(a.allocation.allocation_id);
    if (it == change_of.end()) {
      out.push_back(a);
      continue;
    }
    const auto& action = it->second->action;
    if (const auto* move = std::get_if<AllocationMove>(&action)) {
      LevellingAllocation& moved = out.emplace_back(a);
      moved.allocation.from = move->from;
      moved.allocation.to = move->to;
    } else if (const auto* split = std::get_if<AllocationSplit>(&action)) {
      for (const Allocation& part : split->parts) {
        out.emplace_back(a).allocation = part;
      }
    } else {
      const auto& reassignment = std::get<AllocationReassignment>(action);
      LevellingAllocation& taken_over = out.emplace_back(a);
      taken_over.resource_id = reassignment.resource_id;
      taken_over.allocation = reassignment.allocation;
    }
  }
  return out;
}

// The last day a project's allocations book, by project_id.
std::map<std::string, absl::CivilDay> ProjectFinishes(
    std::span<const LevellingResource> resources,
    const absl::flat_hash_map<std::string, int>& resource_index,
    std::span<const LevellingAllocation> allocations) {
  std::map<std::string, absl::CivilDay> finish;
  for (const LevellingAllocation& a : allocations) {
    const WorkingCalendar& calendar =
        resources[resource_index.at(a.resource_id)].calendar;
    const std::optional<absl::CivilDay> last =
        LastBookedDay(calendar, a.allocation);
    if (!last.has_value()) continue;
    auto [it, inserted] = finish.emplace(a.allocation.project_id, *last);
    if (!inserted) it->second = std::max(it->second, *last);
  }
  return finish;
}

std::vector<ProjectEffect> ProjectEffects(
    const LevellingProblem& problem,
    std::span<const LevellingAllocation> levelled,
    std::span<const LevellingChange> changes) {
  std::map<std::string, ProjectEffect> effects;
  for (const LevellingChange& c : changes) {
    ProjectEffect& e = effects[c.project_id];
    e.project_id = c.project_id;
    if (std::holds_alternative<AllocationReassignment>(c.action)) {
      ++e.allocations_reassigned;
      e.reassigned_hours += c.moved_hours;
    } else if (std::holds_alternative<AllocationMove>(c.action)) {
      ++e.allocations_moved;
      e.moved_hours += c.moved_hours;
    } else {
      ++e.allocations_split;
      e.moved_hours += c.moved_hours;
    }
    e.max_days_shifted =
        std::max(e.max_days_shifted, std::abs(c.finish_shift_days));
  }
  const absl::flat_hash_map<std::string, int> resource_index =
      IndexById(problem.resources);
  const std::map<std::string, absl::CivilDay> before =
      ProjectFinishes(problem.resources, resource_index, problem.allocations);
  const std::map<std::string, absl::CivilDay> after =
      ProjectFinishes(problem.resources, resource_index, levelled);
  for (const LevellingAllocation& a : problem.allocations) {
    const auto it = effects.find(a.allocation.project_id);
    if (it != effects.end()) it->second.priority = a.project_priority;
  }
  for (const LevellingAllocation& a : levelled) {
    const auto it = effects.find(a.allocation.project_id);
    if (it == effects.end()) continue;
    if (a.allocation.from < a.earliest_start ||
        a.allocation.to > a.latest_finish) {
      it->second.windows_kept = false;
    }
  }

  std::vector<ProjectEffect> out;
  for (auto& [project_id, e] : effects) {
    // A changed allocation books hours before and after, so both exist.
    e.finish_before = before.at(project_id);
    e.finish_after = after.at(project_id);
    e.finish_shift_days = static_cast<int>(e.finish_after - e.finish_before);
    out.push_back(std::move(e));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const ProjectEffect& a, const ProjectEffect& b) {
                     return a.priority < b.priority;
                   });
  return out;
}

double ExcessHours(std::span<const ResourceOverAllocation> days) {
  double sum = 0;
  for (const ResourceOverAllocation& d : days) sum += d.day.excess_hours;
  return sum;
}

}  // namespace

absl::Status ValidateProblem(const LevellingProblem& problem) {
  FieldViolations violations(kMaxListedViolations);
  const bool period_ok = problem.from <= problem.to;
  if (!period_ok) {
    violations.Add("to", "must not be before from");
  } else if (problem.to - problem.from + 1 > kMaxPeriodDays) {
    violations.Add("to", absl::StrCat("the period must not exceed ",
                                      kMaxPeriodDays, " days"));
  }

  absl::flat_hash_set<std::string> resource_ids;
  for (size_t i = 0; i < problem.resources.size(); ++i) {
    const LevellingResource& r = problem.resources[i];
    const std::string field = absl::StrCat("resources[", i, "]");
    if (r.resource_id.empty()) {
      violations.Add(field + ".resource_id", "must not be empty");
    } else if (!resource_ids.insert(r.resource_id).second) {
      violations.Add(field + ".resource_id", "duplicate resource id");
    }
    violations.AddAll(capacity::ValidateCalendar(r.calendar),
                      field + ".calendar");
    absl::flat_hash_set<std::string> skill_names;
    for (size_t j = 0; j < r.skills.size(); ++j) {
      const std::string skill = absl::StrCat(field, ".skills[", j, "]");
      if (r.skills[j].name.empty()) {
        violations.Add(skill + ".name", "must not be empty");
      } else if (!skill_names.insert(r.skills[j].name).second) {
        violations.Add(skill + ".name", "listed twice");
      }
      if (!InRange(r.skills[j].level, kMinSkillLevel, kMaxSkillLevel)) {
        violations.Add(skill + ".level", "must be between 1 and 5");
      }
    }
  }

  absl::flat_hash_set<std::string> allocation_ids;
  // project_id -> (priority, index of the first allocation naming it)
  absl::flat_hash_map<std::string, std::pair<int, size_t>> priorities;
  for (size_t i = 0; i < problem.allocations.size(); ++i) {
    const LevellingAllocation& a = problem.allocations[i];
    const std::string field = absl::StrCat("allocations[", i, "]");
    violations.AddAll(capacity::ValidateAllocation(a.allocation),
                      field + ".allocation");
    if (!a.allocation.allocation_id.empty() &&
        !allocation_ids.insert(a.allocation.allocation_id).second) {
      violations.Add(field + ".allocation.allocation_id",
                     "duplicate allocation id");
    }
    if (!resource_ids.contains(a.resource_id)) {
      violations.Add(field + ".resource_id", "unknown resource");
    }
    if (!InRange(a.project_priority, kHighestPriority, kLowestPriority)) {
      violations.Add(field + ".project_priority", "must be between 1 and 5");
    } else if (!a.allocation.project_id.empty()) {
      const auto [it, inserted] = priorities.emplace(
          a.allocation.project_id, std::make_pair(a.project_priority, i));
      if (!inserted && it->second.first != a.project_priority) {
        violations.Add(
            field + ".project_priority",
            absl::StrCat("differs from allocations[", it->second.second,
                         "] of the same project"));
      }
    }
    if (a.latest_finish < a.earliest_start) {
      violations.Add(field + ".latest_finish",
                     "must not be before earliest_start");
    } else {
      if (a.earliest_start > a.allocation.from) {
        violations.Add(field + ".earliest_start",
                       "must not be after allocation.from: the window must "
                       "contain the period");
      }
      if (a.latest_finish < a.allocation.to) {
        violations.Add(field + ".latest_finish",
                       "must not be before allocation.to: the window must "
                       "contain the period");
      }
    }
    if (period_ok) {
      if (a.earliest_start < problem.from - kMaxWindowReachDays) {
        violations.Add(field + ".earliest_start",
                       absl::StrCat("must not be more than ",
                                    kMaxWindowReachDays, " days before from"));
      }
      if (a.latest_finish > problem.to + kMaxWindowReachDays) {
        violations.Add(field + ".latest_finish",
                       absl::StrCat("must not be more than ",
                                    kMaxWindowReachDays, " days after to"));
      }
    }
    if (a.required_skill.has_value()) {
      if (a.required_skill->name.empty()) {
        violations.Add(field + ".required_skill.name", "must not be empty");
      }
      if (!InRange(a.required_skill->level, kMinSkillLevel, kMaxSkillLevel)) {
        violations.Add(field + ".required_skill.level",
                       "must be between 1 and 5");
      }
    }
  }
  return violations.ToStatus();
}

absl::StatusOr<LevellingProposal> LevelResources(
    const LevellingProblem& problem) {
  RETURN_IF_ERROR(ValidateProblem(problem));
  LevellingProposal proposal;
  proposal.changes = Leveller(problem).Run();
  const std::vector<LevellingAllocation> levelled =
      ApplyValidChanges(problem, proposal.changes);

  const std::vector<ResourceOverAllocation> before = FindPoolOverAllocations(
      problem.resources, problem.allocations, problem.from, problem.to);
  proposal.over_allocated_days_before = static_cast<int>(before.size());
  proposal.excess_hours_before = ExcessHours(before);
  proposal.remaining = FindPoolOverAllocations(problem.resources, levelled,
                                               problem.from, problem.to);
  proposal.over_allocated_days_after =
      static_cast<int>(proposal.remaining.size());
  proposal.excess_hours_after = ExcessHours(proposal.remaining);
  proposal.projects = ProjectEffects(problem, levelled, proposal.changes);
  return proposal;
}

absl::StatusOr<std::vector<LevellingAllocation>> ApplyProposal(
    const LevellingProblem& problem, std::span<const LevellingChange> changes) {
  RETURN_IF_ERROR(ValidateProblem(problem));
  RETURN_IF_ERROR(ValidateChanges(problem, changes));
  return ApplyValidChanges(problem, changes);
}

std::vector<ResourceOverAllocation> FindPoolOverAllocations(
    std::span<const LevellingResource> resources,
    std::span<const LevellingAllocation> allocations, absl::CivilDay from,
    absl::CivilDay to) {
  const absl::flat_hash_map<std::string, int> index = IndexById(resources);
  std::vector<std::vector<Allocation>> booked(resources.size());
  for (const LevellingAllocation& a : allocations) {
    const auto it = index.find(a.resource_id);
    PMO_CHECK(it != index.end(), "allocation of an unknown resource");
    booked[it->second].push_back(a.allocation);
  }
  std::vector<ResourceOverAllocation> out;
  for (size_t r = 0; r < resources.size(); ++r) {
    for (capacity::OverAllocatedDay& day : capacity::FindOverAllocations(
             resources[r].calendar, booked[r], from, to)) {
      out.push_back({resources[r].resource_id, std::move(day)});
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    if (a.day.day != b.day.day) return a.day.day < b.day.day;
    return a.resource_id < b.resource_id;
  });
  return out;
}

}  // namespace pmo::levelling
