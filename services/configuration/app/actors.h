#pragma once

// The actors of configuration steps, for separation of duties.

#include <string>

namespace pmo::configuration {

// Whether `name` is a person separation of duties can compare: not empty
// and not the "anonymous" of a call that names nobody (a server without
// authentication and no development header), whose steps are not checked.
inline bool IsNamedPerson(const std::string& name) {
  return !name.empty() && name != "anonymous";
}

}  // namespace pmo::configuration
