#pragma once

// An HTTP/1.1 GET to 127.0.0.1 with cpp-httplib's client, for tests that
// scrape a service's Prometheus endpoint (libs/operability/metrics_endpoint.h).

#include <string>

namespace pmo::testing {

// The whole answer (status line, headers, body) of GET `path` on
// 127.0.0.1:port; empty when nothing listens there.
std::string HttpGet(int port, const std::string& path);

}  // namespace pmo::testing
