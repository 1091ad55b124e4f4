#pragma once

// Valid requests for tests that drive the projects service over gRPC.

#include <string>

#include "pmo/projects/v1/projects_service.pb.h"

namespace pmo::testing {

// A valid CreateProjectRequest for `code` (request_id "create-<code>",
// manager alice, 2027-01-04 to 2027-12-17).
inline ::pmo::projects::v1::CreateProjectRequest NewProjectRequest(
    const std::string& code) {
  ::pmo::projects::v1::CreateProjectRequest r;
  r.set_request_id("create-" + code);
  r.set_code(code);
  r.set_name("Project " + code);
  r.set_manager("alice");
  r.mutable_planned_start()->set_year(2027);
  r.mutable_planned_start()->set_month(1);
  r.mutable_planned_start()->set_day(4);
  r.mutable_planned_end()->set_year(2027);
  r.mutable_planned_end()->set_month(12);
  r.mutable_planned_end()->set_day(17);
  return r;
}

}  // namespace pmo::testing
