#pragma once

// Requests to the resource pool that tests make again and again.

#include <string>

#include "absl/time/civil_time.h"
#include "libs/dates/calendar_dates.h"
#include "pmo/resources/v1/resources_service.pb.h"

namespace pmo::testing {

// A person working 8 h Monday to Friday, employed from 2027-01-01
// (request_id "register-<name>").
inline ::pmo::resources::v1::RegisterResourceRequest NewPersonRequest(
    const std::string& name) {
  ::pmo::resources::v1::RegisterResourceRequest r;
  r.set_request_id("register-" + name);
  r.set_name(name);
  r.set_kind(::pmo::resources::v1::RESOURCE_KIND_PERSON);
  for (bool working : {true, true, true, true, true, false, false}) {
    r.mutable_calendar()->add_working_weekdays(working);
  }
  r.mutable_calendar()->set_hours_per_day(8);
  *r.mutable_calendar()->mutable_employed_from() =
      dates::ToDate(absl::CivilDay(2027, 1, 1));
  return r;
}

// `percent` of the person's working hours to `project_id` from `from` to
// `to` (inclusive).
inline ::pmo::resources::v1::AllocateResourceRequest BookingRequest(
    const std::string& request_id, const std::string& resource_id,
    const std::string& project_id, absl::CivilDay from, absl::CivilDay to,
    double percent) {
  ::pmo::resources::v1::AllocateResourceRequest r;
  r.set_request_id(request_id);
  r.set_resource_id(resource_id);
  r.set_project_id(project_id);
  *r.mutable_from() = dates::ToDate(from);
  *r.mutable_to() = dates::ToDate(to);
  r.set_unit(::pmo::resources::v1::ALLOCATION_UNIT_PERCENT);
  r.set_amount(percent);
  return r;
}

}  // namespace pmo::testing
