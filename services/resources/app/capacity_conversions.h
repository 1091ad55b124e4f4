#pragma once

// Between the resources context's messages and the capacity library's
// plain structs.

#include <vector>

#include "absl/time/civil_time.h"
#include "libs/capacity/calendar.h"
#include "libs/capacity/over_allocation.h"
#include "libs/dates/calendar_dates.h"
#include "pmo/resources/v1/resource.pb.h"

namespace pmo::resources {

using dates::Day;
using dates::IsSet;
using dates::ToDate;

capacity::WorkingCalendar ToCalendar(
    const ::pmo::resources::v1::WorkingCalendar& c);
capacity::Allocation ToAllocation(const ::pmo::resources::v1::Allocation& a);
// The bookings that count (cancelled ones left out).
std::vector<capacity::Allocation> ToAllocations(
    const ::pmo::resources::v1::Resource& r);
::pmo::resources::v1::OverAllocatedDay ToProto(
    const capacity::OverAllocatedDay& d);

}  // namespace pmo::resources
