#include "libs/auth/json_object.h"

#include <nlohmann/json.hpp>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

namespace pmo::auth {

absl::Status ParseJsonObject(absl::string_view json, absl::string_view what,
                             nlohmann::json& object) {
  using Event = nlohmann::json::parse_event_t;
  // The member names of each object being parsed, innermost last.
  std::vector<absl::flat_hash_set<std::string>> names;
  bool duplicate = false;
  auto watch_names = [&](int /*depth*/, Event event, nlohmann::json& parsed) {
    switch (event) {
      case Event::object_start:
        names.emplace_back();
        break;
      case Event::key:
        if (const std::string* name = parsed.get_ptr<const std::string*>();
            name != nullptr && !names.empty() &&
            !names.back().insert(*name).second) {
          duplicate = true;
        }
        break;
      case Event::object_end:
        if (!names.empty()) names.pop_back();
        break;
      default:
        break;
    }
    return true;
  };
  object = nlohmann::json::parse(json.begin(), json.end(), watch_names,
                                 /*allow_exceptions=*/false);
  if (object.is_discarded() || duplicate || !object.is_object()) {
    object = nlohmann::json();
    return absl::InvalidArgumentError(
        absl::StrCat(what, " is not a JSON object"));
  }
  return absl::OkStatus();
}

std::optional<std::string> StringMember(const nlohmann::json& object,
                                        absl::string_view name) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(std::string(name));
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get_ref<const std::string&>();
}

}  // namespace pmo::auth
