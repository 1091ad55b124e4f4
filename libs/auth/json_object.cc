#include "libs/auth/json_object.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"

namespace pmo::auth {

absl::StatusOr<google::protobuf::Struct> ParseJsonObject(absl::string_view json,
                                                          absl::string_view what) {
  google::protobuf::Struct object;
  const std::string text(json);
  // Protobuf's parser accepts a bare "null" as an empty Struct; a JOSE
  // object always starts with '{'.
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || text[first] != '{' ||
      !google::protobuf::util::JsonStringToMessage(text, &object).ok()) {
    return absl::InvalidArgumentError(absl::StrCat(what, " is not a JSON object"));
  }
  return object;
}

std::optional<std::string> StringMember(const google::protobuf::Struct& object,
                                        absl::string_view name) {
  auto it = object.fields().find(std::string(name));
  if (it == object.fields().end() || !it->second.has_string_value()) return std::nullopt;
  return it->second.string_value();
}

}  // namespace pmo::auth
