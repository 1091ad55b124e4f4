// The /metrics endpoint over a real socket on 127.0.0.1.

#include "libs/operability/metrics_endpoint.h"

#include <atomic>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/operability/testing/http_exchange.h"
#include "libs/operability/testing/https_get.h"

namespace pmo::operability {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Sends `request` and returns everything the server answered before it
// closed the connection.
std::string Exchange(int port, const std::string& request) {
  return testing::HttpExchange(port, request).value_or("connect failed");
}

TEST(MetricsEndpoint, AnswersAScrapeWithTheRenderedTextEachTime) {
  std::atomic<int> scrapes = 0;
  ASSERT_OK_AND_ASSIGN(
      auto endpoint, MetricsEndpoint::Start("127.0.0.1:0", [&] {
        return "pmo_scrapes_total " + std::to_string(++scrapes) + "\n";
      }));
  ASSERT_GT(endpoint->port(), 0);
  const testing::HttpAnswer first =
      testing::HttpGet(endpoint->port(), "/metrics");
  EXPECT_EQ(first.status, 200) << first.error;
  EXPECT_THAT(first.head, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(first.head, HasSubstr("Content-Type: text/plain; version=0.0.4"));
  EXPECT_THAT(first.head, HasSubstr("Content-Length: 20"));
  EXPECT_EQ(first.body, "pmo_scrapes_total 1\n");
  // An HTTP/1.0 request without a Host header: raw bytes.
  EXPECT_THAT(Exchange(endpoint->port(), "GET /metrics?x=1 HTTP/1.0\r\n\r\n"),
              EndsWith("pmo_scrapes_total 2\n"));
}

TEST(MetricsEndpoint, RefusesOtherPathsMethodsAndGarbage) {
  ASSERT_OK_AND_ASSIGN(auto endpoint, MetricsEndpoint::Start("127.0.0.1:0", [] {
                         return std::string("x 1\n");
                       }));
  EXPECT_THAT(testing::HttpGet(endpoint->port(), "/").head,
              StartsWith("HTTP/1.1 404 Not Found"));
  EXPECT_THAT(testing::HttpGet(endpoint->port(), "/metrics", {}, "POST").head,
              StartsWith("HTTP/1.1 405 Method Not Allowed"));
  // Garbage, and a HEAD answer checked byte for byte: raw sockets.
  EXPECT_THAT(Exchange(endpoint->port(), "hello\r\n\r\n"),
              StartsWith("HTTP/1.1 400 Bad Request"));
  const std::string head =
      Exchange(endpoint->port(), "HEAD /metrics HTTP/1.1\r\n\r\n");
  EXPECT_THAT(head, StartsWith("HTTP/1.1 200 OK"));
  EXPECT_THAT(head, EndsWith("\r\n\r\n"));
}

TEST(MetricsEndpoint, ABadAddressNamesTheFlag) {
  EXPECT_THAT(MetricsEndpoint::Start("127.0.0.1", [] { return std::string(); }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--metrics_listen")));
  EXPECT_THAT(
      MetricsEndpoint::Start("127.0.0.1:70000", [] { return std::string(); }),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("--metrics_listen")));
}

TEST(MetricsEndpoint, APortInUseIsUnavailable) {
  ASSERT_OK_AND_ASSIGN(auto first, MetricsEndpoint::Start("127.0.0.1:0", [] {
                         return std::string();
                       }));
  EXPECT_THAT(
      MetricsEndpoint::Start("127.0.0.1:" + std::to_string(first->port()),
                             [] { return std::string(); }),
      StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace pmo::operability
