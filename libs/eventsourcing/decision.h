#pragma once

// What an aggregate's command method returns, and an aggregate with the
// version it was loaded at: all the domain layer needs of event sourcing.
// Depends on protobuf's Message and Abseil only, never on a store; the
// application layer (command_handling.h) turns a Decision into an append.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"

namespace pmo::eventsourcing {

// A value that at most one aggregate may hold within its scope, e.g. a
// project's code ("project.code", "ERP-2027"). The store claims it with the
// append; another aggregate's claim of it refuses the command with
// ALREADY_EXISTS.
struct UniqueValue {
  std::string scope;
  std::string value;
};

// What one command decides: events in order, and the unique values the
// aggregate takes with them.
struct Decision {
  std::vector<std::unique_ptr<google::protobuf::Message>> events;
  std::vector<UniqueValue> unique_values;
};

// An aggregate's state folded from its stream, and the stream's version.
template <typename A>
struct Versioned {
  A state;
  int64_t version = 0;  // 0: the stream does not exist
};

}  // namespace pmo::eventsourcing
