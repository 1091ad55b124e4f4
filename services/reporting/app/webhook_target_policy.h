#pragma once

// Where the reporting service may send a webhook (docs/security.md,
// "Outbound webhook targets"): a stakeholder's URL is chosen by whoever
// adds the stakeholder, so without a policy a project manager could make
// the server POST to its own loopback services or to a cloud metadata
// address (server-side request forgery).
//
// A target is allowed when
//   - its scheme is https (http only with allow_http, --webhook_allow_http);
//   - its host is a DNS name or an IP literal (no numeric forms such as
//     "2130706433" or "0x7f.1", no "localhost" names);
//   - every address the host resolves to is a public unicast address: not
//     loopback (127/8, ::1), link-local (169.254/16, fe80::/10), private
//     (10/8, 172.16/12, 192.168/16, fc00::/7, 100.64/10), unspecified
//     (0/8, ::), multicast (224/4, ff00::/8) or reserved (240/4, the
//     IETF and benchmarking blocks);
// unless the operator allows the host by name or its addresses by range
// (--webhook_allow=hooks.internal,10.1.0.0/16,127.0.0.1).
//
// It is checked when a stakeholder is registered (AddStakeholder) and
// again at every delivery: the sender resolves the name once, checks every
// address and connects only to a checked one (webhook_client.h), so a
// name that resolves differently later (DNS rebinding) gains nothing.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace pmo::reporting {

// A webhook URL taken apart, the host in lower case without brackets.
struct WebhookUrl {
  std::string scheme;  // "http" or "https"
  std::string host;    // "hooks.example.com", "203.0.113.7", "2001:db8::1"
  int port = 0;        // the URL's, else 80 or 443
  bool host_is_address = false;
};

// Where a delivery may connect: the URL's host and port and the addresses
// it resolved to, every one checked.
struct WebhookTarget {
  WebhookUrl url;
  std::vector<std::string>
      addresses;  // canonical numeric, e.g. "203.0.113.7", "2001:db8::1"
};

// `address` as inet_ntop writes it ("2001:db8::1", "203.0.113.7"); any
// other text as it is.
std::string CanonicalAddress(const std::string& address);

class WebhookTargetPolicy {
 public:
  // The addresses `host` resolves to (numeric strings); an error when it
  // does not resolve.
  using Resolver = std::function<absl::StatusOr<std::vector<std::string>>(
      const std::string& host)>;

  // https only, nothing private allowed; names resolved with getaddrinfo.
  WebhookTargetPolicy();

  // `allow_list`: comma-separated host names, IP addresses and CIDR ranges
  // ("hooks.internal,10.1.0.0/16,127.0.0.1"); INVALID_ARGUMENT naming
  // `--webhook_allow` for an entry that is none of these.
  static absl::StatusOr<WebhookTargetPolicy> FromAllowList(
      absl::string_view allow_list, bool allow_http);

  // Replaces the resolver (tests).
  void set_resolver(Resolver resolver) { resolver_ = std::move(resolver); }
  bool allow_http() const { return allow_http_; }

  // The URL taken apart, or INVALID_ARGUMENT saying what is wrong with it
  // (not a URL, a scheme not allowed, a host that is not a host).
  absl::StatusOr<WebhookUrl> Parse(const std::string& url) const;

  // The check at registration: Parse, then every address the host
  // resolves to (an IP literal is its own address). A name that does not
  // resolve now is let through: it is checked at each delivery.
  // INVALID_ARGUMENT saying why a target is refused.
  absl::Status CheckRegistration(const std::string& url) const;

  // The check at delivery: the target with every resolved address
  // checked; INVALID_ARGUMENT when refused, UNAVAILABLE when the name
  // does not resolve.
  absl::StatusOr<WebhookTarget> Resolve(const std::string& url) const;

  // Why `address` (numeric) of `host` is refused, or "" when it is allowed.
  std::string RefusalOf(const WebhookUrl& url,
                        const std::string& address) const;

 private:
  struct Range {
    bool v6 = false;
    uint8_t bytes[16] = {};
    int prefix = 0;
  };
  absl::StatusOr<WebhookUrl> ParseAndCheckName(const std::string& url) const;
  bool AllowedByName(const WebhookUrl& url) const;
  absl::Status CheckAddresses(const WebhookUrl& url,
                              const std::vector<std::string>& addresses) const;

  bool allow_http_ = false;
  std::vector<std::string> allowed_hosts_;
  std::vector<Range> allowed_ranges_;
  Resolver resolver_;
};

}  // namespace pmo::reporting
