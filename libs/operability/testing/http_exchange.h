#pragma once

// One raw HTTP/1.1 exchange with a server on 127.0.0.1, for the requests a
// well-behaved client would not send: malformed or oversized heads, plain
// HTTP to an HTTPS port, or an answer checked byte for byte. Everything
// else goes through the libcurl client (testing/https_get.h).

#include <optional>
#include <string>

namespace pmo::testing {

// Sends `request` as given and returns everything the server answered
// before it closed the connection; nullopt when nothing listens on `port`.
std::optional<std::string> HttpExchange(int port, const std::string& request);

}  // namespace pmo::testing
