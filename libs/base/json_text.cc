#include "libs/base/json_text.h"

#include <nlohmann/json.hpp>

namespace pmo {

void AppendJsonQuoted(std::string& out, absl::string_view text) {
  const std::string quoted =
      nlohmann::json(std::string(text))
          .dump(/*indent=*/-1, ' ', /*ensure_ascii=*/false,
                nlohmann::json::error_handler_t::replace);
  // '<' cannot be part of an escape sequence the serializer wrote.
  out.reserve(out.size() + quoted.size());
  for (const char c : quoted) {
    if (c == '<') {
      out += "\\u003c";
    } else {
      out.push_back(c);
    }
  }
}

std::string JsonQuoted(absl::string_view text) {
  std::string out;
  AppendJsonQuoted(out, text);
  return out;
}

}  // namespace pmo
