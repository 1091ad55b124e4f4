// HttpServer over a real socket on 127.0.0.1: what the handler is given,
// what is refused before it, and what slow or greedy clients cannot take
// from the others.

#include "libs/operability/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <optional>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/operability/testing/http_exchange.h"

namespace pmo::operability {
namespace {

using ::testing::AllOf;
using ::testing::AnyOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Pair;
using ::testing::StartsWith;

// Raw sockets throughout, not the libcurl client (testing/https_get.h): these
// tests send what a well-behaved client would not (malformed request lines,
// broken %-escapes, oversized heads, bytes trickled slowly, bodies never
// read) and check the answer byte for byte.
std::string Exchange(int port, const std::string& request) {
  return testing::HttpExchange(port, request).value_or("connect failed");
}

// A connected socket to 127.0.0.1:port, or -1.
int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

void Send(int fd, const std::string& bytes) {
  ASSERT_EQ(send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(bytes.size()));
}

// What the server sent on `fd` until it closed the connection (a reset
// counts as closed); nullopt when it was still open after `patience`.
std::optional<std::string> ReadUntilClosed(
    int fd, absl::Duration patience = absl::Seconds(10)) {
  const absl::Time give_up = absl::Now() + patience;
  std::string answer;
  for (;;) {
    const int64_t ms = absl::ToInt64Milliseconds(give_up - absl::Now());
    pollfd p{fd, POLLIN, 0};
    if (ms <= 0 || poll(&p, 1, static_cast<int>(ms)) <= 0) return std::nullopt;
    char buffer[4096];
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return answer;
    answer.append(buffer, static_cast<size_t>(n));
  }
}

HttpServer::Handler Echo() {
  return [](const HttpRequest& r) {
    return HttpResponse{200, "text/plain", r.method + " " + r.path + "\n", {}};
  };
}

TEST(HttpServer, HandsTheHandlerTheDecodedPathQueryAndLowerCasedHeaders) {
  HttpRequest seen;
  auto server = HttpServer::Start(
      "127.0.0.1:0", "--test_listen", [&](const HttpRequest& r) {
        seen = r;
        return HttpResponse{200, "text/plain", "ok\n", {{"X-Extra", "1"}}};
      });
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string answer = Exchange(
      (*server)->port(),
      "GET /projects/a%20b/earned-value?as_of=2027-03-31&q=x+y%26z&flag "
      "HTTP/1.1\r\n"
      "Authorization: Bearer abc\r\nHost: h\r\n\r\n");
  EXPECT_THAT(answer, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(answer, HasSubstr("X-Extra: 1\r\n"));
  EXPECT_EQ(seen.method, "GET");
  EXPECT_EQ(seen.path, "/projects/a b/earned-value");
  EXPECT_THAT(seen.query, ElementsAre(Pair("as_of", "2027-03-31"),
                                      Pair("q", "x y&z"), Pair("flag", "")));
  ASSERT_NE(seen.Query("q"), nullptr);
  EXPECT_EQ(seen.Query("missing"), nullptr);
  EXPECT_EQ(seen.Header("authorization"), "Bearer abc");
  // What the client sent, nothing the server library adds.
  EXPECT_THAT(seen.headers, ElementsAre(Pair("authorization", "Bearer abc"),
                                        Pair("host", "h")));
}

TEST(HttpServer, RefusesBrokenEscapesAndOversizedHeadersBeforeTheHandler) {
  int calls = 0;
  auto server = HttpServer::Start("127.0.0.1:0", "--test_listen",
                                  [&](const HttpRequest&) {
                                    ++calls;
                                    return HttpResponse{};
                                  });
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  EXPECT_THAT(Exchange(port, "GET /a%G1 HTTP/1.1\r\n\r\n"),
              StartsWith("HTTP/1.1 400"));
  EXPECT_THAT(Exchange(port, "GET /?as_of=%4 HTTP/1.1\r\n\r\n"),
              StartsWith("HTTP/1.1 400"));
  EXPECT_THAT(Exchange(port, "GET nopath HTTP/1.1\r\n\r\n"),
              StartsWith("HTTP/1.1 400"));
  EXPECT_THAT(Exchange(port, "GET / HTTP/1.1\r\nX-Big: " +
                                 std::string(20000, 'x') + "\r\n\r\n"),
              StartsWith("HTTP/1.1 400"));
  // Many short header lines, none too long alone, past the total.
  std::string many = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 40; ++i)
    many +=
        "X-Line-" + std::to_string(i) + ": " + std::string(500, 'x') + "\r\n";
  EXPECT_THAT(Exchange(port, many + "\r\n"), StartsWith("HTTP/1.1 400"));
  EXPECT_EQ(calls, 0);
}

TEST(HttpServer, ARequestBodyIsNotReadAndTheAnswerStillArrivesWhole) {
  auto server = HttpServer::Start("127.0.0.1:0", "--test_listen", Echo());
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string body(30000, 'b');
  const std::string answer =
      Exchange((*server)->port(),
               "POST /form HTTP/1.1\r\nContent-Length: 30000\r\n\r\n" + body);
  EXPECT_THAT(answer, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(answer, HasSubstr("\r\n\r\nPOST /form\n"));
}

// A client sending its headers a byte a second (each byte would restart
// a per-read timeout) holds one thread until its request deadline, no
// longer, and never the others' answers.
TEST(HttpServer, SlowClientsNeitherHoldUpOthersNorOutliveTheirRequestDeadline) {
  HttpLimits limits;
  limits.request_deadline = absl::Seconds(4);
  auto server = HttpServer::Start("127.0.0.1:0", "--test_listen", Echo(),
                                  std::nullopt, limits);
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();

  struct Trickler {
    std::atomic<bool> started{false};
    std::atomic<bool> closed{false};  // by the server, before the test gave up
    std::atomic<int> bytes_after_request_line{0};
    std::string received;
  };
  std::array<Trickler, 3> slow;
  const absl::Time give_up = absl::Now() + absl::Seconds(30);
  std::vector<std::thread> threads;
  threads.reserve(slow.size());
  for (Trickler& t : slow) {
    threads.emplace_back([&t, port, give_up] {
      const int fd = Connect(port);
      if (fd < 0) return;
      const std::string line = "GET /metrics HTTP/1.1\r\n";
      if (send(fd, line.data(), line.size(), MSG_NOSIGNAL) !=
          static_cast<ssize_t>(line.size())) {
        close(fd);
        return;
      }
      t.started = true;
      while (absl::Now() < give_up) {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, 1000) > 0) {  // the server answered or closed
          char buffer[1024];
          ssize_t n;
          while ((n = recv(fd, buffer, sizeof buffer, 0)) > 0)
            t.received.append(buffer, n);
          t.closed = true;
          break;
        }
        if (send(fd, "x", 1, MSG_NOSIGNAL) != 1) {
          t.closed = true;
          break;
        }
        ++t.bytes_after_request_line;
      }
      close(fd);
    });
  }
  // Every slow client connected and past its first trickled byte.
  while (absl::Now() < give_up &&
         !std::all_of(slow.begin(), slow.end(), [](const Trickler& t) {
           return t.bytes_after_request_line > 0;
         })) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  const std::string answer =
      Exchange(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_THAT(answer, StartsWith("HTTP/1.1 200 OK\r\n"));
  for (const Trickler& t : slow)
    EXPECT_FALSE(t.closed) << "answered only once a slow client was gone";

  for (std::thread& thread : threads) thread.join();
  for (const Trickler& t : slow) {
    EXPECT_TRUE(t.started);
    EXPECT_TRUE(t.closed) << "still open after 30 s of trickling";
    EXPECT_GE(t.bytes_after_request_line, 2)
        << "it kept sending while the deadline ran";
    EXPECT_THAT(t.received, AnyOf(IsEmpty(), StartsWith("HTTP/1.1 408")));
    EXPECT_THAT(t.received, Not(HasSubstr("200 OK")));
  }
}

TEST(HttpServer,
     ConnectionsBeyondThePerClientLimitAreClosedWhileTheOthersAreServed) {
  HttpLimits limits;
  limits.connections_per_client = 2;
  auto server = HttpServer::Start("127.0.0.1:0", "--test_listen", Echo(),
                                  std::nullopt, limits);
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();

  // Two connections with their requests begun, not finished.
  const int first = Connect(port);
  const int second = Connect(port);
  ASSERT_GE(first, 0);
  ASSERT_GE(second, 0);
  Send(first, "GET /first HTTP/1.1\r\n");
  Send(second, "GET /second HTTP/1.1\r\n");

  // A third from the same address (accepted after them: the accept queue
  // is in order) is closed without a word.
  const int third = Connect(port);
  ASSERT_GE(third, 0);
  const std::optional<std::string> refused = ReadUntilClosed(third);
  close(third);
  ASSERT_TRUE(refused.has_value()) << "the third connection was kept open";
  EXPECT_THAT(*refused, IsEmpty());

  // The first two are served...
  Send(first, "Host: x\r\n\r\n");
  Send(second, "Host: x\r\n\r\n");
  EXPECT_THAT(ReadUntilClosed(first).value_or("open"),
              AllOf(StartsWith("HTTP/1.1 200"), HasSubstr("GET /first\n")));
  EXPECT_THAT(ReadUntilClosed(second).value_or("open"),
              AllOf(StartsWith("HTTP/1.1 200"), HasSubstr("GET /second\n")));
  close(first);
  close(second);
  // ...and once they are done, their places are free again.
  EXPECT_THAT(Exchange(port, "GET /next HTTP/1.1\r\n\r\n"),
              StartsWith("HTTP/1.1 200"));
}

TEST(HttpServer, StoppingClosesConnectionsStillSendingTheirRequestAtOnce) {
  auto server = HttpServer::Start("127.0.0.1:0", "--test_listen", Echo());
  ASSERT_TRUE(server.ok()) << server.status();
  const int fd = Connect((*server)->port());
  ASSERT_GE(fd, 0);
  Send(fd, "GET / HTTP/1.1\r\n");
  std::this_thread::sleep_for(
      std::chrono::milliseconds(300));  // taken by a thread
  const absl::Time before = absl::Now();
  server->reset();
  // Not after the 10 s request deadline.
  EXPECT_LT(absl::Now() - before, absl::Seconds(3));
  EXPECT_TRUE(ReadUntilClosed(fd, absl::Seconds(1)).has_value());
  close(fd);
}

}  // namespace
}  // namespace pmo::operability
