// HttpServer over a real socket on 127.0.0.1: what the handler is given
// and what is refused before it.

#include "libs/operability/http_server.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/operability/testing/http_exchange.h"

namespace pmo::operability {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::StartsWith;

std::string Exchange(int port, const std::string& request) {
  return testing::HttpExchange(port, request).value_or("connect failed");
}

TEST(HttpServer, HandsTheHandlerTheDecodedPathQueryAndLowerCasedHeaders) {
  HttpRequest seen;
  auto server = HttpServer::Start("127.0.0.1:0", "--test_listen", [&](const HttpRequest& r) {
    seen = r;
    return HttpResponse{200, "text/plain", "ok\n", {{"X-Extra", "1"}}};
  });
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string answer =
      Exchange((*server)->port(),
               "GET /projects/a%20b/earned-value?as_of=2027-03-31&q=x+y%26z&flag HTTP/1.1\r\n"
               "Authorization: Bearer abc\r\nHost: h\r\n\r\n");
  EXPECT_THAT(answer, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(answer, HasSubstr("X-Extra: 1\r\n"));
  EXPECT_EQ(seen.method, "GET");
  EXPECT_EQ(seen.path, "/projects/a b/earned-value");
  EXPECT_THAT(seen.query, ElementsAre(Pair("as_of", "2027-03-31"), Pair("q", "x y&z"),
                                      Pair("flag", "")));
  ASSERT_NE(seen.Query("q"), nullptr);
  EXPECT_EQ(seen.Query("missing"), nullptr);
  EXPECT_EQ(seen.Header("authorization"), "Bearer abc");
}

TEST(HttpServer, RefusesBrokenEscapesAndOversizedHeadersBeforeTheHandler) {
  int calls = 0;
  auto server = HttpServer::Start("127.0.0.1:0", "--test_listen", [&](const HttpRequest&) {
    ++calls;
    return HttpResponse{};
  });
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  EXPECT_THAT(Exchange(port, "GET /a%G1 HTTP/1.1\r\n\r\n"), StartsWith("HTTP/1.1 400"));
  EXPECT_THAT(Exchange(port, "GET /?as_of=%4 HTTP/1.1\r\n\r\n"), StartsWith("HTTP/1.1 400"));
  EXPECT_THAT(Exchange(port, "GET nopath HTTP/1.1\r\n\r\n"), StartsWith("HTTP/1.1 400"));
  EXPECT_THAT(Exchange(port, "GET / HTTP/1.1\r\nX-Big: " + std::string(20000, 'x') + "\r\n\r\n"),
              StartsWith("HTTP/1.1 400"));
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace pmo::operability
