#include "libs/capacity/load_ledger.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "libs/base/check.h"
#include "libs/base/status_macros.h"
#include "libs/capacity/calendar.h"
#include "libs/capacity/internal.h"
#include "libs/capacity/over_allocation.h"

namespace pmo::capacity {
namespace {

// This Abseil's string_view is its own type, without a std::hash.
size_t IdHash(absl::string_view id) {
  return std::hash<std::string_view>{}(std::string_view(id.data(), id.size()));
}

}  // namespace

LoadLedger::LoadLedger(absl::CivilDay horizon_start, int days)
    : start_(horizon_start), days_(days) {
  PMO_CHECK(days >= 0, "a ledger's horizon cannot have negative days");
  day_.reserve(days);
  for (int i = 0; i < days; ++i) day_.push_back(start_ + i);
}

void LoadLedger::ReserveResources(int resources) {
  PMO_CHECK(resources >= 0, "cannot reserve a negative number of resources");
  resources_.reserve(resources);
  const size_t size = Offset(resources);
  capacity_.reserve(size);
  load_.reserve(size);
  working_.reserve(size);
}

absl::StatusOr<int> LoadLedger::AddResource(const WorkingCalendar& calendar) {
  RETURN_IF_ERROR(ValidateCalendar(calendar));
  const int resource = resource_count();
  resources_.push_back({calendar, {}});
  const size_t size = Offset(resource + 1);
  capacity_.resize(size);
  load_.resize(size);
  working_.resize(size);
  RecomputeResource(resource);
  return resource;
}

absl::StatusOr<std::vector<OverAllocationChange>> LoadLedger::SetCalendar(
    int resource, const WorkingCalendar& calendar) {
  CheckResource(resource);
  RETURN_IF_ERROR(ValidateCalendar(calendar));
  std::vector<uint8_t> before(days_);
  const size_t offset = Offset(resource);
  for (int i = 0; i < days_; ++i) {
    before[i] =
        capacity::IsOverAllocated(load_[offset + i], capacity_[offset + i]);
  }
  resources_[resource].calendar = calendar;
  RecomputeResource(resource);
  std::vector<OverAllocationChange> changes;
  for (int i = 0; i < days_; ++i) {
    const bool after =
        capacity::IsOverAllocated(load_[offset + i], capacity_[offset + i]);
    if (after != static_cast<bool>(before[i])) {
      changes.push_back({day_[i], after});
    }
  }
  return changes;
}

absl::StatusOr<std::vector<OverAllocationChange>> LoadLedger::Upsert(
    int resource, const Allocation& allocation) {
  CheckResource(resource);
  RETURN_IF_ERROR(ValidateAllocation(allocation));
  Resource& res = resources_[resource];
  const Booking added = BookingOf(resource, allocation);
  Booking removed;
  const size_t k = FindAllocation(res, allocation.allocation_id);
  if (k < res.allocations.size()) {
    removed = res.bookings[k];
    res.allocations[k] = allocation;
    res.bookings[k] = added;
  } else {
    res.allocations.push_back(allocation);
    res.bookings.push_back(added);
  }
  return Rebook(resource, removed, added);
}

std::vector<OverAllocationChange> LoadLedger::Remove(
    int resource, absl::string_view allocation_id) {
  CheckResource(resource);
  Resource& res = resources_[resource];
  const size_t k = FindAllocation(res, allocation_id);
  if (k == res.allocations.size()) return {};
  const Booking removed = res.bookings[k];
  res.allocations.erase(res.allocations.begin() + k);
  res.bookings.erase(res.bookings.begin() + k);
  return Rebook(resource, removed, Booking{});
}

std::vector<OverAllocatedDay> LoadLedger::OverAllocations(
    int resource, absl::CivilDay from, absl::CivilDay to) const {
  CheckResource(resource);
  std::vector<OverAllocatedDay> out;
  const internal::IndexRange r = internal::Overlap(start_, days_, from, to);
  if (r.begin == r.end) return out;
  const size_t offset = Offset(resource) + r.begin;
  const size_t count = r.end - r.begin;
  internal::AppendOverAllocatedDays(
      resources_[resource].calendar, resources_[resource].allocations,
      start_ + r.begin, std::span(capacity_).subspan(offset, count),
      std::span(load_).subspan(offset, count),
      std::span(working_).subspan(offset, count), &out);
  return out;
}

double LoadLedger::Load(int resource, absl::CivilDay day) const {
  CheckResource(resource);
  return load_[Offset(resource) + DayIndex(day)];
}

double LoadLedger::Capacity(int resource, absl::CivilDay day) const {
  CheckResource(resource);
  return capacity_[Offset(resource) + DayIndex(day)];
}

bool LoadLedger::IsOverAllocated(int resource, absl::CivilDay day) const {
  CheckResource(resource);
  const size_t i = Offset(resource) + DayIndex(day);
  return capacity::IsOverAllocated(load_[i], capacity_[i]);
}

const WorkingCalendar& LoadLedger::calendar(int resource) const {
  CheckResource(resource);
  return resources_[resource].calendar;
}

std::span<const Allocation> LoadLedger::allocations(int resource) const {
  CheckResource(resource);
  return resources_[resource].allocations;
}

void LoadLedger::RecomputeAll() {
  for (int r = 0; r < resource_count(); ++r) RecomputeResource(r);
}

void LoadLedger::CheckResource(int resource) const {
  PMO_CHECK(resource >= 0 && resource < resource_count(),
            "unknown resource index");
}

int64_t LoadLedger::DayIndex(absl::CivilDay day) const {
  PMO_CHECK(InHorizon(day), "day outside the ledger's horizon");
  return day - start_;
}

size_t LoadLedger::FindAllocation(const Resource& resource,
                                  absl::string_view allocation_id) {
  const size_t hash = IdHash(allocation_id);
  const size_t count = resource.bookings.size();
  for (size_t k = 0; k < count; ++k) {
    if (resource.bookings[k].id_hash == hash &&
        resource.allocations[k].allocation_id == allocation_id) {
      return k;
    }
  }
  return count;
}

LoadLedger::Booking LoadLedger::BookingOf(int resource,
                                          const Allocation& allocation) const {
  const internal::IndexRange r =
      internal::Overlap(start_, days_, allocation.from, allocation.to);
  return {static_cast<int32_t>(r.begin), static_cast<int32_t>(r.end),
          HoursPerWorkingDay(resources_[resource].calendar, allocation),
          IdHash(allocation.allocation_id)};
}

void LoadLedger::RecomputeResource(int resource) {
  Resource& res = resources_[resource];
  const size_t offset = Offset(resource);
  double* capacity = capacity_.data() + offset;
  double* load = load_.data() + offset;
  uint8_t* working = working_.data() + offset;
  FillWorkingDays(res.calendar, start_, std::span(working, days_));
  // FillCapacityHours, without finding the working days a second time.
  const double hours_per_day = res.calendar.hours_per_day;
  for (int i = 0; i < days_; ++i) {
    capacity[i] = working[i] ? hours_per_day : 0.0;
  }
  internal::ApplyEmploymentAndAbsences(res.calendar, start_,
                                       std::span(capacity, days_));
  std::fill(load, load + days_, 0.0);
  for (size_t k = 0; k < res.allocations.size(); ++k) {
    Booking& b = res.bookings[k];
    b.hours = HoursPerWorkingDay(res.calendar, res.allocations[k]);
    // Adding 0.0 leaves a load unchanged, so no branch is needed.
    for (int32_t i = b.begin; i < b.end; ++i) {
      load[i] += working[i] ? b.hours : 0.0;
    }
  }
}

std::vector<OverAllocationChange> LoadLedger::Rebook(int resource,
                                                     const Booking& removed,
                                                     const Booking& added) {
  const size_t offset = Offset(resource);
  double* load = load_.data() + offset;
  const double* capacity = capacity_.data() + offset;
  const uint8_t* working = working_.data() + offset;
  std::vector<OverAllocationChange> changes;
  auto visit = [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      if (!working[i]) continue;  // nothing is booked there
      double delta = 0;
      if (i >= removed.begin && i < removed.end) delta -= removed.hours;
      if (i >= added.begin && i < added.end) delta += added.hours;
      if (delta == 0) continue;
      const bool before = capacity::IsOverAllocated(load[i], capacity[i]);
      load[i] += delta;
      const bool after = capacity::IsOverAllocated(load[i], capacity[i]);
      if (after == before) continue;
      if (changes.empty()) changes.reserve(16);
      changes.push_back({day_[i], after});
    }
  };
  // Visit the union of the two periods once, in day order, skipping any gap
  // between them.
  Booking first = removed;
  Booking second = added;
  if (first.begin == first.end) std::swap(first, second);
  if (second.begin == second.end) {
    visit(first.begin, first.end);
  } else {
    if (second.begin < first.begin) std::swap(first, second);
    if (second.begin <= first.end) {
      visit(first.begin, std::max(first.end, second.end));
    } else {
      visit(first.begin, first.end);
      visit(second.begin, second.end);
    }
  }
  return changes;
}

}  // namespace pmo::capacity
