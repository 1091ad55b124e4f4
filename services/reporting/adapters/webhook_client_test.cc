#include "services/reporting/adapters/webhook_client.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "services/reporting/testing/webhook_receiver.h"

namespace pmo::reporting {
namespace {

// The receivers listen on 127.0.0.1: allowed explicitly, as an operator
// would with --webhook_allow=127.0.0.1 --webhook_allow_http.
WebhookTargetPolicy LoopbackAllowed() {
  auto policy =
      WebhookTargetPolicy::FromAllowList("127.0.0.1", /*allow_http=*/true);
  EXPECT_TRUE(policy.ok()) << policy.status();
  return *policy;
}

TEST(WebhookSignature, IsHmacSha256OfTimestampDotBody) {
  // From the command line:
  //   printf '1800000000.hello, receiver' | openssl dgst -sha256 -hmac Jefe
  EXPECT_EQ(WebhookSignature("Jefe", "1800000000", "hello, receiver"),
            "sha256="
            "edfc308722835bf489a81b678810a7619787d0d2c6d66f85d6415235c96378d8");
}

TEST(HttpWebhookSender, PostsTheBodyAndHeadersAndReadsTheStatus) {
  testing::WebhookReceiver receiver({202});
  HttpWebhookSender sender(absl::Seconds(5), "", LoopbackAllowed());
  const std::string body(100000, 'x');  // more than one send
  AttemptOutcome outcome = sender.Post(
      {receiver.Url("/in?x=1"), "text/csv", body, {{"X-PMO-Delivery", "d-1"}}});
  EXPECT_EQ(outcome.http_status, 202);
  EXPECT_TRUE(outcome.delivered());
  ASSERT_EQ(receiver.requests().size(), 1u);
  const testing::ReceivedRequest r = receiver.requests()[0];
  EXPECT_EQ(r.path, "/in?x=1");
  EXPECT_EQ(r.body, body);
  EXPECT_EQ(r.headers.at("x-pmo-delivery"), "d-1");
  EXPECT_EQ(r.headers.at("content-type"), "text/csv");
}

TEST(HttpWebhookSender, ReportsFailuresWithoutAnAnswer) {
  int port = 0;
  {
    testing::WebhookReceiver gone;
    port = gone.port();
  }
  HttpWebhookSender sender(absl::Seconds(5), "", LoopbackAllowed());
  AttemptOutcome refused =
      sender.Post({"http://127.0.0.1:" + std::to_string(port) + "/",
                   "text/plain",
                   "x",
                   {}});
  EXPECT_EQ(refused.http_status, 0);
  EXPECT_FALSE(refused.delivered());
  EXPECT_FALSE(refused.error.empty());
  EXPECT_EQ(sender.Post({"ftp://127.0.0.1/", "text/plain", "x", {}}).error,
            "not an http:// or https:// URL");
  // https speaks TLS first: a plain HTTP receiver makes the handshake fail
  // (and is never sent the body in clear).
  testing::WebhookReceiver plain({204});
  HttpWebhookSender quick(absl::Seconds(1), "", LoopbackAllowed());
  AttemptOutcome tls =
      quick.Post({"https://127.0.0.1:" + std::to_string(plain.port()) + "/",
                  "text/plain",
                  "x",
                  {}});
  EXPECT_EQ(tls.http_status, 0);
  EXPECT_FALSE(tls.error.empty());
  for (const testing::ReceivedRequest& r : plain.requests())
    EXPECT_NE(r.body, "x");
  testing::WebhookReceiver failing({500});
  AttemptOutcome server_error =
      sender.Post({failing.Url(), "text/plain", "x", {}});
  EXPECT_EQ(server_error.http_status, 500);
  EXPECT_EQ(server_error.error, "HTTP 500");
}

TEST(HttpWebhookSender, PostsOverHttpsToAReceiverItTrusts) {
  ::pmo::testing::TempDir dir;
  const testing::TlsFiles tls = testing::MakeSelfSignedCertificate(dir.path());
  testing::WebhookReceiver receiver({204}, tls);
  ASSERT_EQ(receiver.Url("/x").substr(0, 8), "https://");
  const std::string timestamp = "1800000000";
  const std::string body = "{\"report\":\"status\"}";
  WebhookRequest request{
      receiver.Url("/x"),
      "application/json",
      body,
      {{"X-PMO-Signature",
        WebhookSignature("k3y-0123456789abcdef", timestamp, body)},
       {"X-PMO-Timestamp", timestamp}}};
  // Trusting the receiver's certificate: delivered, intact and verifiable.
  AttemptOutcome trusted =
      HttpWebhookSender(absl::Seconds(5), tls.certificate, LoopbackAllowed())
          .Post(request);
  EXPECT_EQ(trusted.http_status, 204) << trusted.error;
  ASSERT_EQ(receiver.requests().size(), 1u);
  const testing::ReceivedRequest got = receiver.requests()[0];
  EXPECT_EQ(got.body, body);
  EXPECT_EQ(got.headers.at("x-pmo-signature"),
            "sha256=" + testing::HmacSha256Hex("k3y-0123456789abcdef",
                                               timestamp + "." + body));
  // Not trusting it (the system's CAs): refused before anything is sent.
  AttemptOutcome untrusted =
      HttpWebhookSender(absl::Seconds(5), "", LoopbackAllowed()).Post(request);
  EXPECT_EQ(untrusted.http_status, 0);
  EXPECT_FALSE(untrusted.error.empty());
  EXPECT_EQ(receiver.requests().size(), 1u);
}

TEST(HttpWebhookSender, RefusesPrivateTargetsWithoutSendingAnything) {
  testing::WebhookReceiver receiver({204});
  // The default policy: https only, public addresses only.
  HttpWebhookSender strict(absl::Seconds(5));
  AttemptOutcome loopback =
      strict.Post({receiver.Url("/x"), "text/plain", "x", {}});
  EXPECT_EQ(loopback.http_status, 0);
  EXPECT_THAT(loopback.error, ::testing::HasSubstr("webhook target policy"));
  // http allowed, the address not: still refused.
  auto http_only = WebhookTargetPolicy::FromAllowList("", /*allow_http=*/true);
  ASSERT_TRUE(http_only.ok());
  AttemptOutcome still = HttpWebhookSender(absl::Seconds(5), "", *http_only)
                             .Post({receiver.Url("/x"), "text/plain", "x", {}});
  EXPECT_THAT(still.error, ::testing::HasSubstr("loopback"));
  EXPECT_TRUE(receiver.requests().empty());
}

TEST(HttpWebhookSender, ConnectsOnlyToTheAddressItChecked) {
  testing::WebhookReceiver receiver({204});
  const std::string port = std::to_string(receiver.port());
  // A name that resolved to an allowed address: the POST goes there, to
  // the checked address, not wherever libcurl's own lookup would go.
  WebhookTargetPolicy pinned = LoopbackAllowed();
  int lookups = 0;
  pinned.set_resolver([&lookups](const std::string& host)
                          -> absl::StatusOr<std::vector<std::string>> {
    ++lookups;
    if (host != "hooks.rebinding.test")
      return absl::UnavailableError("unknown");
    return std::vector<std::string>{"127.0.0.1"};
  });
  AttemptOutcome sent = HttpWebhookSender(absl::Seconds(5), "", pinned)
                            .Post({"http://hooks.rebinding.test:" + port + "/x",
                                   "text/plain",
                                   "x",
                                   {}});
  EXPECT_EQ(sent.http_status, 204) << sent.error;
  EXPECT_EQ(lookups, 1);  // resolved once per delivery
  ASSERT_EQ(receiver.requests().size(), 1u);
  EXPECT_EQ(receiver.requests()[0].headers.at("host"),
            "hooks.rebinding.test:" + port);
  // The same name resolving to a forbidden address (a rebinding answer):
  // refused, nothing sent.
  WebhookTargetPolicy rebound =
      WebhookTargetPolicy::FromAllowList("", true).value();
  rebound.set_resolver(
      [](const std::string&) -> absl::StatusOr<std::vector<std::string>> {
        return std::vector<std::string>{"203.0.113.9", "127.0.0.1"};
      });
  AttemptOutcome refused =
      HttpWebhookSender(absl::Seconds(5), "", rebound)
          .Post({"http://hooks.rebinding.test:" + port + "/x",
                 "text/plain",
                 "x",
                 {}});
  EXPECT_EQ(refused.http_status, 0);
  EXPECT_THAT(refused.error, ::testing::HasSubstr("127.0.0.1"));
  EXPECT_EQ(receiver.requests().size(), 1u);
}

}  // namespace
}  // namespace pmo::reporting
