#include "services/reporting/app/webhook_target_policy.h"

#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pmo::reporting {
namespace {

using ::testing::HasSubstr;

// Names resolve as the table says; anything else does not resolve.
WebhookTargetPolicy WithNames(
    WebhookTargetPolicy policy,
    const std::map<std::string, std::vector<std::string>>& names) {
  policy.set_resolver([names](const std::string& host)
                          -> absl::StatusOr<std::vector<std::string>> {
    auto it = names.find(host);
    if (it == names.end())
      return absl::UnavailableError(host + " does not resolve");
    return it->second;
  });
  return policy;
}

TEST(WebhookTargetPolicy,
     RefusesLoopbackLinkLocalPrivateUnspecifiedAndMulticast) {
  const WebhookTargetPolicy policy = WithNames(WebhookTargetPolicy(), {});
  for (const std::string url : {"https://127.0.0.1/hook",
                                "https://127.8.9.10/hook",
                                "https://[::1]/hook",
                                "https://169.254.169.254/latest/meta-data",
                                "https://[fe80::1]/hook",
                                "https://10.0.0.1/hook",
                                "https://172.16.0.1/hook",
                                "https://172.31.255.255/hook",
                                "https://192.168.1.1/hook",
                                "https://[fc00::1]/hook",
                                "https://[fd12:3456::1]/hook",
                                "https://0.0.0.0/hook",
                                "https://[::]/hook",
                                "https://224.0.0.1/hook",
                                "https://[ff02::1]/hook",
                                "https://100.64.0.1/hook",
                                "https://255.255.255.255/hook",
                                "https://[::ffff:127.0.0.1]/hook",
                                "https://[::ffff:169.254.169.254]/hook",
                                "https://[64:ff9b::a00:1]/hook",
                                "https://[2002:7f00:1::]/hook",
                                "https://localhost/hook",
                                "https://api.localhost/hook"}) {
    const absl::Status s = policy.CheckRegistration(url);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << url;
    EXPECT_FALSE(policy.Resolve(url).ok()) << url;
  }
  EXPECT_THAT(policy.CheckRegistration("https://169.254.169.254/").message(),
              HasSubstr("link-local"));
  EXPECT_THAT(policy.CheckRegistration("https://127.0.0.1/").message(),
              HasSubstr("loopback"));
  EXPECT_THAT(policy.CheckRegistration("https://10.0.0.1/").message(),
              HasSubstr("private"));
}

TEST(WebhookTargetPolicy, RefusesNumericHostFormsAndHttpByDefault) {
  const WebhookTargetPolicy policy = WithNames(WebhookTargetPolicy(), {});
  for (const std::string url :
       {"https://2130706433/", "https://0x7f.1/", "https://127.1/",
        "https://017700000001/", "https://a@203.0.113.7/", "ftp://203.0.113.7/",
        "https://203.0.113.7:0/", "https://203.0.113.7:99999/", "https:///x",
        "https://[::1/x", "https://exa mple.com/",
        "https://ex\r\nample.com/"}) {
    EXPECT_EQ(policy.CheckRegistration(url).code(),
              absl::StatusCode::kInvalidArgument)
        << url;
  }
  EXPECT_THAT(policy.CheckRegistration("http://203.0.113.7/hook").message(),
              HasSubstr("--webhook_allow_http"));
}

TEST(WebhookTargetPolicy, AcceptsPublicTargets) {
  const WebhookTargetPolicy policy =
      WithNames(WebhookTargetPolicy(),
                {{"hooks.example.com", {"203.0.113.7", "2001:db8::7"}}});
  EXPECT_TRUE(policy.CheckRegistration("https://203.0.113.7/hook").ok());
  EXPECT_TRUE(policy.CheckRegistration("https://[2001:db8::7]:8443/hook").ok());
  EXPECT_TRUE(
      policy.CheckRegistration("https://Hooks.Example.COM./hook?x=1").ok());
  // A name that does not resolve now is checked at each delivery.
  EXPECT_TRUE(policy.CheckRegistration("https://later.example.net/hook").ok());
  EXPECT_EQ(policy.Resolve("https://later.example.net/hook").status().code(),
            absl::StatusCode::kUnavailable);
  auto target = policy.Resolve("https://hooks.example.com:8443/x");
  ASSERT_TRUE(target.ok()) << target.status();
  EXPECT_EQ(target->url.host, "hooks.example.com");
  EXPECT_EQ(target->url.port, 8443);
  EXPECT_EQ(target->addresses,
            (std::vector<std::string>{"203.0.113.7", "2001:db8::7"}));
}

TEST(WebhookTargetPolicy, ANameIsCheckedByEveryAddressItResolvesTo) {
  const WebhookTargetPolicy policy =
      WithNames(WebhookTargetPolicy(),
                {{"mixed.example.com", {"203.0.113.7", "10.1.2.3"}},
                 {"metadata.example.com", {"169.254.169.254"}}});
  EXPECT_THAT(policy.CheckRegistration("https://mixed.example.com/").message(),
              HasSubstr("10.1.2.3"));
  EXPECT_FALSE(policy.Resolve("https://mixed.example.com/").ok());
  EXPECT_THAT(
      policy.CheckRegistration("https://metadata.example.com/").message(),
      HasSubstr("link-local"));
}

TEST(WebhookTargetPolicy, TheOperatorAllowsHostsAndRanges) {
  auto allowed = WebhookTargetPolicy::FromAllowList(
      " hooks.internal , 10.1.0.0/16,127.0.0.1, fd00:1::/32",
      /*allow_http=*/true);
  ASSERT_TRUE(allowed.ok()) << allowed.status();
  const WebhookTargetPolicy policy = WithNames(
      *allowed,
      {{"hooks.internal", {"10.9.9.9"}}, {"other.internal", {"10.9.9.9"}}});
  EXPECT_TRUE(policy.CheckRegistration("http://127.0.0.1:8080/hook").ok());
  EXPECT_TRUE(policy.CheckRegistration("https://10.1.200.3/hook").ok());
  EXPECT_TRUE(policy.CheckRegistration("https://[fd00:1::5]/hook").ok());
  EXPECT_TRUE(policy.Resolve("https://hooks.internal/hook").ok());
  EXPECT_FALSE(policy.CheckRegistration("https://127.0.0.2/hook").ok());
  EXPECT_FALSE(policy.CheckRegistration("https://10.2.0.1/hook").ok());
  EXPECT_FALSE(policy.CheckRegistration("https://other.internal/hook").ok());
  EXPECT_FALSE(policy.CheckRegistration("https://169.254.169.254/").ok());
  for (const std::string bad :
       {"10.0.0.0/33", "not a host", "10.0.0.0/x", "::1/129", "a/b"}) {
    auto refused = WebhookTargetPolicy::FromAllowList(bad, false);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
    EXPECT_THAT(refused.status().message(), HasSubstr("--webhook_allow"))
        << bad;
  }
}

}  // namespace
}  // namespace pmo::reporting
