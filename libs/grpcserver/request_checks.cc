#include "libs/grpcserver/request_checks.h"

#include "libs/base/ids.h"
#include "libs/dates/calendar_dates.h"
#include "libs/eventsourcing/request_ids.h"

namespace pmo::grpcserver {

void CheckRequestId(FieldViolations& v, const std::string& request_id) {
  if (request_id.empty() || request_id.size() > 128) {
    v.Add("request_id", "must be 1-128 characters, unique per intended change");
  } else if (eventsourcing::IsReservedRequestId(request_id)) {
    v.Add("request_id", "must not start with '~' (reserved for ids the service derives)");
  }
}

void CheckUuid(FieldViolations& v, const std::string& field, const std::string& id) {
  if (!IsUuid(id)) v.Add(field, "must be an id (a UUID)");
}

void CheckExpectedVersion(FieldViolations& v, bool present, int64_t version) {
  if (present && version < 1) v.Add("expected_version", "must be at least 1 when set");
}

void ReadDate(FieldViolations& v, const std::string& field, bool present,
              const google::type::Date& date, absl::CivilDay* out) {
  if (!present) {
    v.Add(field, "is required");
  } else if (std::optional<absl::CivilDay> day = dates::ToCivilDay(date)) {
    *out = *day;
  } else {
    v.Add(field, "is not a valid calendar date");
  }
}

void ReadOptionalDate(FieldViolations& v, const std::string& field, bool present,
                      const google::type::Date& date, std::optional<absl::CivilDay>* out) {
  if (!present) return;
  if (std::optional<absl::CivilDay> day = dates::ToCivilDay(date)) {
    *out = *day;
  } else {
    v.Add(field, "is not a valid calendar date");
  }
}

}  // namespace pmo::grpcserver
