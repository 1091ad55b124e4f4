#include "libs/grpcserver/request_checks.h"

#include "libs/base/ids.h"
#include "libs/eventsourcing/request_ids.h"

namespace pmo::grpcserver {
namespace {

bool ToCivilDay(const google::type::Date& d, absl::CivilDay* out) {
  if (d.year() < 1 || d.year() > 9999 || d.month() < 1 || d.month() > 12 || d.day() < 1) {
    return false;
  }
  const absl::CivilDay day(d.year(), d.month(), d.day());
  // CivilDay normalises 31 April to 1 May: a changed day means not real.
  if (day.month() != d.month() || day.day() != d.day()) return false;
  *out = day;
  return true;
}

}  // namespace

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
  } else if (!ToCivilDay(date, out)) {
    v.Add(field, "is not a valid calendar date");
  }
}

void ReadOptionalDate(FieldViolations& v, const std::string& field, bool present,
                      const google::type::Date& date, std::optional<absl::CivilDay>* out) {
  if (!present) return;
  absl::CivilDay day;
  if (!ToCivilDay(date, &day)) {
    v.Add(field, "is not a valid calendar date");
  } else {
    *out = day;
  }
}

}  // namespace pmo::grpcserver
