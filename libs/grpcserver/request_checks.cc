#include "libs/grpcserver/request_checks.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/base/ids.h"
#include "libs/dates/calendar_dates.h"
#include "libs/eventsourcing/request_ids.h"

namespace pmo::grpcserver {
namespace {

using google::protobuf::FieldDescriptor;

bool IsIdField(const FieldDescriptor& field) {
  if (field.type() != FieldDescriptor::TYPE_STRING) return false;
  const std::string& name = field.name();
  if (field.is_repeated()) return absl::EndsWith(name, "_ids");
  return name == "id" || absl::EndsWith(name, "_id");
}

// Empty when `id` is acceptable, else what is wrong with it.
std::string IdProblem(const std::string& id) {
  if (id.size() > kMaxIdBytes) {
    return absl::StrCat("must be at most ", kMaxIdBytes, " bytes (got ",
                        id.size(), ")");
  }
  for (unsigned char c : id) {
    if (c < 0x20 || c == 0x7f)
      return "must not hold control characters or line breaks";
  }
  return "";
}

}  // namespace

absl::Status CheckIdFields(const google::protobuf::Message& request) {
  FieldViolations v(10);
  const google::protobuf::Descriptor* type = request.GetDescriptor();
  const google::protobuf::Reflection* reflection = request.GetReflection();
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    if (!IsIdField(*field)) continue;
    if (field->is_repeated()) {
      for (int j = 0; j < reflection->FieldSize(request, field); ++j) {
        std::string problem =
            IdProblem(reflection->GetRepeatedString(request, field, j));
        if (!problem.empty())
          v.Add(absl::StrCat(field->name(), "[", j, "]"), problem);
      }
    } else {
      std::string problem = IdProblem(reflection->GetString(request, field));
      if (!problem.empty()) v.Add(field->name(), problem);
    }
  }
  return v.ToStatus();
}

void CheckRequestId(FieldViolations& v, const std::string& request_id) {
  if (request_id.empty() || request_id.size() > 128) {
    v.Add("request_id", "must be 1-128 characters, unique per intended change");
  } else if (eventsourcing::IsReservedRequestId(request_id)) {
    v.Add("request_id",
          "must not start with '~' (reserved for ids the service derives)");
  }
}

void CheckUuid(FieldViolations& v, const std::string& field,
               const std::string& id) {
  if (!IsUuid(id)) v.Add(field, "must be an id (a UUID)");
}

absl::Status CheckUuid(const std::string& field, const std::string& id) {
  FieldViolations v;
  CheckUuid(v, field, id);
  return v.ToStatus();
}

void CheckExpectedVersion(FieldViolations& v, bool present, int64_t version) {
  if (present && version < 1)
    v.Add("expected_version", "must be at least 1 when set");
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

void ReadOptionalDate(FieldViolations& v, const std::string& field,
                      bool present, const google::type::Date& date,
                      std::optional<absl::CivilDay>* out) {
  if (!present) return;
  if (std::optional<absl::CivilDay> day = dates::ToCivilDay(date)) {
    *out = *day;
  } else {
    v.Add(field, "is not a valid calendar date");
  }
}

}  // namespace pmo::grpcserver
