#pragma once

// Request ids the service derives for the follow-up commands one client
// command causes (e.g. telling another project its dates are at risk). A
// retry of the client command derives the same ids, so the follow-ups are
// recorded once. Derived ids start with '~', which client request ids may
// not, so the two can never collide.

#include <string>

#include "absl/strings/string_view.h"

namespace pmo::eventsourcing {

// "~" + hex SHA-256 of (request_id, purpose, target): 65 characters.
std::string DerivedRequestId(absl::string_view request_id,
                             absl::string_view purpose,
                             absl::string_view target);

// The key a client's request_id is kept under: scoped to the caller and the
// command (the RPC's full name), so two callers, or two commands, that pick
// the same id never meet. "@" + hex SHA-256 of the three: 65 characters.
std::string CallerScopedRequestId(absl::string_view caller,
                                  absl::string_view command,
                                  absl::string_view request_id);

// True for ids only the service may use.
inline bool IsReservedRequestId(absl::string_view request_id) {
  return !request_id.empty() && request_id[0] == '~';
}

}  // namespace pmo::eventsourcing
