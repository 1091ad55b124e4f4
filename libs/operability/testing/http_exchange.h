#pragma once

// One raw HTTP/1.1 exchange with a server on 127.0.0.1, for tests of the
// HTTP endpoints (/metrics, health, the reporting dashboard).

#include <optional>
#include <string>

namespace pmo::testing {

// Sends `request` as given and returns everything the server answered
// before it closed the connection; nullopt when nothing listens on `port`.
std::optional<std::string> HttpExchange(int port, const std::string& request);

}  // namespace pmo::testing
