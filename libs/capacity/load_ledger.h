#pragma once

// The load of a whole resource pool, day by day over a fixed horizon, kept
// up to date one allocation at a time: what a resource-management service
// keeps in memory to answer "who is over-allocated when" and to emit an
// event when a day becomes over-allocated or is resolved.
//
//   LoadLedger ledger(absl::CivilDay(2025, 1, 1), 730);
//   ASSIGN_OR_RETURN(int alice, ledger.AddResource(alice_calendar));
//   ASSIGN_OR_RETURN(std::vector<OverAllocationChange> changes,
//                    ledger.Upsert(alice, allocation));
//   for (const OverAllocationChange& c : changes) {
//     // c.over_allocated ? emit ResourceOverAllocated(alice, c.day)
//     //                  : emit ResourceOverAllocationResolved(alice, c.day)
//   }
//   ledger.OverAllocations(alice, from, to);  // with each project's share
//
// Resources are dense indices 0, 1, 2, ... in the order added; the caller
// maps its resource ids to them. Each resource has a calendar and a list of
// allocations (allocation ids unique per resource; moving an allocation to
// another resource is Remove on one and Upsert on the other).
//
// State. For each resource and each horizon day the ledger stores the
// capacity and the load in hours (double) and whether the day is a working
// day (one byte): 17 bytes a resource-day, 62 MB for 5,000 resources over
// 730 days; and per allocation a copy of it and its booked day range
// (about 140 bytes). Doubles, not floats: loads are updated by adding and
// subtracting, and float's rounding (~5e-7 h at 8 h) would soon exceed the
// 1e-9 h tolerance and disagree with FindOverAllocations; in double the
// drift stays around 1e-15 h per update. RecomputeAll rebuilds everything
// from the calendars and allocations, which also clears any drift.
//
// Cost. Upsert and Remove touch only the days of the old and the new period
// of the allocation (no days in between), plus a scan of the resource's
// allocations comparing id hashes; SetCalendar recomputes one resource over
// the horizon; OverAllocations reads the stored days and, for shares, the
// resource's allocations.
// Days outside the horizon are neither stored nor reported: an allocation
// reaching beyond it is kept whole but books only its days inside.
//
// Not thread-safe: a service serialises calls (e.g. one mutex, or one
// ledger per partition of resources).

#include <cstdint>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "libs/capacity/calendar.h"
#include "libs/capacity/over_allocation.h"

namespace pmo::capacity {

// A day whose over-allocated state flipped in one ledger update.
struct OverAllocationChange {
  absl::CivilDay day;
  bool over_allocated = false;  // the new state: true became, false resolved

  friend bool operator==(const OverAllocationChange&,
                         const OverAllocationChange&) = default;
};

class LoadLedger {
 public:
  // The horizon is [horizon_start, horizon_start + days); days >= 0.
  LoadLedger(absl::CivilDay horizon_start, int days);

  absl::CivilDay horizon_start() const { return start_; }
  int horizon_days() const { return days_; }
  bool InHorizon(absl::CivilDay day) const {
    return day >= start_ && day - start_ < days_;
  }
  int resource_count() const { return static_cast<int>(resources_.size()); }

  // Makes room for this many resources in all, so that adding them does not
  // grow (and at worst double) the day tables step by step.
  void ReserveResources(int resources);

  // Adds a resource without allocations; returns its index (the previous
  // resource_count()). INVALID_ARGUMENT if ValidateCalendar rejects it.
  absl::StatusOr<int> AddResource(const WorkingCalendar& calendar);

  // Replaces a resource's calendar and recomputes its capacity and load
  // (holidays and hours_per_day change what allocations book). Returns the
  // horizon days whose over-allocated state changed, in day order.
  absl::StatusOr<std::vector<OverAllocationChange>> SetCalendar(
      int resource, const WorkingCalendar& calendar);

  // Adds `allocation` to the resource, or replaces the one with the same
  // allocation_id. Returns the days whose over-allocated state changed (only
  // days of the old or new period can), in day order. INVALID_ARGUMENT if
  // ValidateAllocation rejects it; the ledger is then unchanged.
  absl::StatusOr<std::vector<OverAllocationChange>> Upsert(
      int resource, const Allocation& allocation);

  // Removes the resource's allocation `allocation_id` and returns the days
  // whose over-allocated state changed (all resolved), in day order. An
  // unknown id changes nothing and returns no days, so replaying a removal
  // is harmless.
  std::vector<OverAllocationChange> Remove(int resource,
                                           absl::string_view allocation_id);

  // The resource's over-allocated days in [from, to] ∩ horizon, in day
  // order, with each project's share, as FindOverAllocations reports them.
  std::vector<OverAllocatedDay> OverAllocations(int resource,
                                                absl::CivilDay from,
                                                absl::CivilDay to) const;

  // Hours on one day; `day` must be InHorizon.
  double Load(int resource, absl::CivilDay day) const;
  double Capacity(int resource, absl::CivilDay day) const;
  bool IsOverAllocated(int resource, absl::CivilDay day) const;

  const WorkingCalendar& calendar(int resource) const;
  // In the order first upserted (a replacement keeps its place).
  std::span<const Allocation> allocations(int resource) const;

  // Recomputes every resource's capacity and load from its calendar and
  // allocations, e.g. after loading a snapshot. Reports nothing.
  void RecomputeAll();

 private:
  // An allocation's days in the horizon and the hours it books on each
  // working one among them, so that recomputing needs no date arithmetic.
  // Also the allocation id's hash, so that finding an allocation compares
  // strings only on a hash match.
  struct Booking {
    int32_t begin = 0;  // day indices [begin, end); begin == end: none
    int32_t end = 0;
    double hours = 0;
    size_t id_hash = 0;
  };

  struct Resource {
    WorkingCalendar calendar;
    std::vector<Allocation> allocations;
    std::vector<Booking> bookings;  // bookings[k] is allocations[k]'s
  };

  void CheckResource(int resource) const;
  int64_t DayIndex(absl::CivilDay day) const;  // checks InHorizon
  size_t Offset(int resource) const {
    return static_cast<size_t>(resource) * static_cast<size_t>(days_);
  }
  // Index of the allocation in resource.allocations; its size if none.
  static size_t FindAllocation(const Resource& resource,
                               absl::string_view allocation_id);
  Booking BookingOf(int resource, const Allocation& allocation) const;
  // Working days, capacity, booked hours and load of one resource.
  void RecomputeResource(int resource);
  // Applies `removed` and `added` to the resource's load and reports the
  // days whose state flipped.
  std::vector<OverAllocationChange> Rebook(int resource, const Booking& removed,
                                           const Booking& added);

  absl::CivilDay start_;
  int days_;
  std::vector<absl::CivilDay> day_;  // day_[i] == start_ + i, precomputed
  std::vector<Resource> resources_;
  // Resource-major day tables: entry Offset(r) + i answers day start_ + i.
  std::vector<double> capacity_;
  std::vector<double> load_;
  std::vector<uint8_t> working_;
};

}  // namespace pmo::capacity
