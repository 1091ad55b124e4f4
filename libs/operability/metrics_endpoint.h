#pragma once

// A minimal HTTP/1.1 server for Prometheus scrapes: GET /metrics answers
// the text exposition format (version 0.0.4) from a callback; anything else
// is 404, a method other than GET or HEAD is 405. One connection at a time,
// closed after each answer: a scraper calls every few seconds, nothing here
// needs more (cpp-httplib would, but for one route it is not worth a
// dependency).
//
//   MetricsEndpoint::Start("127.0.0.1:9464", [&] { return registry.Render(); })

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace pmo::operability {

class MetricsEndpoint {
 public:
  // `listen` is host:port (IPv4 or a name; port 0 picks a free one).
  // INVALID_ARGUMENT naming the flag value when it is not host:port,
  // UNAVAILABLE when it cannot be bound.
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(
      const std::string& listen, std::function<std::string()> render);
  ~MetricsEndpoint();  // stops

  int port() const { return port_; }

 private:
  MetricsEndpoint() = default;
  void Serve();
  void Answer(int connection);

  std::function<std::string()> render_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace pmo::operability
