#include "services/reporting/app/webhook_target_policy.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "libs/base/status_macros.h"

namespace pmo::reporting {
namespace {

// An address as 16 bytes; IPv4 as the IPv4-mapped IPv6 address
// ::ffff:a.b.c.d, so one table of ranges covers both.
using Address = std::array<uint8_t, 16>;

std::optional<Address> ParseAddress(const std::string& text) {
  Address out{};
  in_addr v4;
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    out[10] = 0xff;
    out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return out;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

bool InPrefix(const Address& a, const uint8_t* net, int prefix) {
  for (int bit = 0; bit < prefix; ++bit) {
    const int byte = bit / 8;
    const uint8_t mask = static_cast<uint8_t>(0x80 >> (bit % 8));
    if ((a[byte] & mask) != (net[byte] & mask)) return false;
  }
  return true;
}

struct Forbidden {
  const char* network;  // an address in text
  int prefix;           // for an IPv4 network: its IPv4 prefix
  const char* what;
};

// The IPv4 ranges (prefix counted in IPv4 bits) and the IPv6 ones.
constexpr Forbidden kForbiddenV4[] = {
    {"0.0.0.0", 8, "an unspecified (\"this network\") address"},
    {"10.0.0.0", 8, "a private address"},
    {"100.64.0.0", 10, "a shared (carrier-grade NAT) address"},
    {"127.0.0.0", 8, "a loopback address"},
    {"169.254.0.0", 16, "a link-local address"},
    {"172.16.0.0", 12, "a private address"},
    {"192.0.0.0", 24, "a reserved address"},
    {"192.168.0.0", 16, "a private address"},
    {"198.18.0.0", 15, "a reserved (benchmarking) address"},
    {"224.0.0.0", 4, "a multicast address"},
    {"240.0.0.0", 4, "a reserved address"},
};
constexpr Forbidden kForbiddenV6[] = {
    {"::", 128, "an unspecified address"},
    {"::1", 128, "a loopback address"},
    {"::", 96, "a reserved (IPv4-compatible) address"},
    {"100::", 64, "a reserved (discard) address"},
    {"fe80::", 10, "a link-local address"},
    {"fec0::", 10, "a private (site-local) address"},
    {"fc00::", 7, "a private (unique local) address"},
    {"ff00::", 8, "a multicast address"},
};

bool IsMappedV4(const Address& a) {
  for (int i = 0; i < 10; ++i) {
    if (a[i] != 0) return false;
  }
  return a[10] == 0xff && a[11] == 0xff;
}

Address MappedV4(const uint8_t* v4) {
  Address out{};
  out[10] = 0xff;
  out[11] = 0xff;
  std::memcpy(out.data() + 12, v4, 4);
  return out;
}

// What kind of address `a` is when it may not be a webhook's, else "".
std::string ForbiddenKind(const Address& a) {
  if (IsMappedV4(a)) {
    for (const Forbidden& f : kForbiddenV4) {
      const Address net = *ParseAddress(f.network);
      if (InPrefix(a, net.data(), 96 + f.prefix)) return f.what;
    }
    return "";
  }
  for (const Forbidden& f : kForbiddenV6) {
    const Address net = *ParseAddress(f.network);
    if (InPrefix(a, net.data(), f.prefix)) return f.what;
  }
  // IPv6 forms that carry an IPv4 address a router turns into it: NAT64
  // (64:ff9b::/96) and 6to4 (2002::/16). Checked as that IPv4 address.
  const Address nat64 = *ParseAddress("64:ff9b::");
  if (InPrefix(a, nat64.data(), 96))
    return ForbiddenKind(MappedV4(a.data() + 12));
  if (a[0] == 0x20 && a[1] == 0x02)
    return ForbiddenKind(MappedV4(a.data() + 2));
  return "";
}

bool IsHostLabelChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '_';
}

absl::StatusOr<std::vector<std::string>> ResolveWithGetaddrinfo(
    const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (rc != 0) {
    return absl::UnavailableError(
        absl::StrCat(host, " does not resolve: ", gai_strerror(rc)));
  }
  std::vector<std::string> out;
  for (addrinfo* i = found; i != nullptr; i = i->ai_next) {
    char text[INET6_ADDRSTRLEN] = {};
    if (i->ai_family == AF_INET) {
      inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(i->ai_addr)->sin_addr,
                text, sizeof text);
    } else if (i->ai_family == AF_INET6) {
      inet_ntop(AF_INET6,
                &reinterpret_cast<sockaddr_in6*>(i->ai_addr)->sin6_addr, text,
                sizeof text);
    } else {
      continue;
    }
    if (std::find(out.begin(), out.end(), text) == out.end())
      out.push_back(text);
  }
  freeaddrinfo(found);
  if (out.empty())
    return absl::UnavailableError(absl::StrCat(host, " has no address"));
  return out;
}

}  // namespace

std::string CanonicalAddress(const std::string& address) {
  in_addr v4;
  in6_addr v6;
  char text[INET6_ADDRSTRLEN] = {};
  if (inet_pton(AF_INET, address.c_str(), &v4) == 1) {
    inet_ntop(AF_INET, &v4, text, sizeof text);
    return text;
  }
  if (inet_pton(AF_INET6, address.c_str(), &v6) == 1) {
    inet_ntop(AF_INET6, &v6, text, sizeof text);
    return text;
  }
  return address;
}

WebhookTargetPolicy::WebhookTargetPolicy()
    : resolver_(&ResolveWithGetaddrinfo) {}

absl::StatusOr<WebhookTargetPolicy> WebhookTargetPolicy::FromAllowList(
    absl::string_view allow_list, bool allow_http) {
  WebhookTargetPolicy policy;
  policy.allow_http_ = allow_http;
  for (absl::string_view raw :
       absl::StrSplit(allow_list, ',', absl::SkipWhitespace())) {
    const std::string entry =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(raw));
    const std::vector<std::string> parts =
        absl::StrSplit(entry, absl::MaxSplits('/', 1));
    if (std::optional<Address> address = ParseAddress(parts[0])) {
      const bool v4 =
          IsMappedV4(*address) && parts[0].find(':') == std::string::npos;
      int prefix = v4 ? 32 : 128;
      if (parts.size() == 2 && (!absl::SimpleAtoi(parts[1], &prefix) ||
                                prefix < 0 || prefix > (v4 ? 32 : 128))) {
        return absl::InvalidArgumentError(absl::StrCat(
            "--webhook_allow: '", entry, "' has a bad prefix length"));
      }
      Range range;
      range.v6 = !v4;
      std::memcpy(range.bytes, address->data(), 16);
      range.prefix = v4 ? 96 + prefix : prefix;
      policy.allowed_ranges_.push_back(range);
      continue;
    }
    // A host name: letters, digits, '-', '_' and dots.
    const std::string name(absl::StripSuffix(entry, "."));
    const bool is_name =
        parts.size() == 1 && !name.empty() && name.size() <= 253 &&
        std::all_of(name.begin(), name.end(),
                    [](char c) { return IsHostLabelChar(c) || c == '.'; });
    if (!is_name) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--webhook_allow: '", entry,
          "' is neither a host name, an IP address nor a CIDR range"));
    }
    policy.allowed_hosts_.push_back(name);
  }
  return policy;
}

absl::StatusOr<WebhookUrl> WebhookTargetPolicy::Parse(
    const std::string& url) const {
  WebhookUrl out;
  size_t rest = 0;
  if (absl::StartsWith(url, "https://")) {
    out.scheme = "https";
    out.port = 443;
    rest = 8;
  } else if (absl::StartsWith(url, "http://")) {
    out.scheme = "http";
    out.port = 80;
    rest = 7;
  } else {
    return absl::InvalidArgumentError("must be an https:// URL");
  }
  if (url.size() > 2000)
    return absl::InvalidArgumentError("must be at most 2000 characters");
  for (char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || u == 0x7f) {
      return absl::InvalidArgumentError(
          "must not contain spaces or control characters");
    }
  }
  if (out.scheme == "http" && !allow_http_) {
    return absl::InvalidArgumentError(
        "must be an https:// URL (http:// only where the operator allows it "
        "with "
        "--webhook_allow_http)");
  }
  const size_t end = std::min(url.find_first_of("/?#", rest), url.size());
  const std::string authority = url.substr(rest, end - rest);
  if (authority.find('@') != std::string::npos) {
    return absl::InvalidArgumentError("must not carry user credentials");
  }
  std::string host, port;
  bool port_given = false;
  if (absl::StartsWith(authority, "[")) {
    const size_t close = authority.find(']');
    if (close == std::string::npos)
      return absl::InvalidArgumentError("has an unclosed '['");
    host = authority.substr(1, close - 1);
    const std::string after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return absl::InvalidArgumentError("has a bad port");
      port = after.substr(1);
      port_given = true;
    }
    in6_addr v6;
    if (inet_pton(AF_INET6, host.c_str(), &v6) != 1) {
      return absl::InvalidArgumentError("has a bad IPv6 address");
    }
    out.host_is_address = true;
  } else {
    const size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string::npos) {
      port = authority.substr(colon + 1);
      port_given = true;
    }
  }
  if (port_given) {
    int n = 0;
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(),
                     [](char c) { return c >= '0' && c <= '9'; }) ||
        !absl::SimpleAtoi(port, &n) || n < 1 || n > 65535) {
      return absl::InvalidArgumentError("has a bad port (1-65535)");
    }
    out.port = n;
  }
  host = absl::AsciiStrToLower(host);
  if (!out.host_is_address) {
    host = std::string(absl::StripSuffix(host, "."));
    if (host.empty() || host.size() > 253)
      return absl::InvalidArgumentError("has no host");
    in_addr v4;
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
      out.host_is_address = true;
    } else {
      for (absl::string_view label : absl::StrSplit(host, '.')) {
        if (label.empty() || label.size() > 63 ||
            !std::all_of(label.begin(), label.end(), IsHostLabelChar)) {
          return absl::InvalidArgumentError(
              "has a host that is not a DNS name or IP address");
        }
      }
      // "2130706433", "0x7f.1", "127.1": numbers a resolver would take as
      // an IPv4 address. Only the dotted-quad form is accepted.
      const std::string last = host.substr(
          host.rfind('.') == std::string::npos ? 0 : host.rfind('.') + 1);
      if (std::all_of(last.begin(), last.end(),
                      [](char c) { return absl::ascii_isdigit(c); }) ||
          absl::StartsWith(last, "0x")) {
        return absl::InvalidArgumentError(
            "has a numeric host that is not a dotted-quad IPv4 address");
      }
    }
  }
  out.host = host;
  return out;
}

std::string WebhookTargetPolicy::RefusalOf(const WebhookUrl& url,
                                           const std::string& address) const {
  if (AllowedByName(url)) return "";
  const std::optional<Address> a = ParseAddress(address);
  if (!a) return absl::StrCat("resolves to '", address, "', not an IP address");
  for (const Range& r : allowed_ranges_) {
    if (InPrefix(*a, r.bytes, r.prefix)) return "";
  }
  const std::string kind = ForbiddenKind(*a);
  if (kind.empty()) return "";
  return absl::StrCat(
      url.host_is_address ? "names " : "resolves to ", address, ", ", kind,
      "; webhooks go to public addresses unless the operator allows the host "
      "or range with --webhook_allow");
}

absl::Status WebhookTargetPolicy::CheckAddresses(
    const WebhookUrl& url, const std::vector<std::string>& addresses) const {
  for (const std::string& address : addresses) {
    const std::string refusal = RefusalOf(url, address);
    if (!refusal.empty()) return absl::InvalidArgumentError(refusal);
  }
  return absl::OkStatus();
}

absl::StatusOr<WebhookUrl> WebhookTargetPolicy::ParseAndCheckName(
    const std::string& url) const {
  ASSIGN_OR_RETURN(WebhookUrl parsed, Parse(url));
  if (!AllowedByName(parsed) && !parsed.host_is_address &&
      (parsed.host == "localhost" ||
       absl::EndsWith(parsed.host, ".localhost"))) {
    return absl::InvalidArgumentError(
        "names a loopback host; webhooks go to public addresses unless the "
        "operator allows the "
        "host with --webhook_allow");
  }
  return parsed;
}

bool WebhookTargetPolicy::AllowedByName(const WebhookUrl& url) const {
  return std::find(allowed_hosts_.begin(), allowed_hosts_.end(), url.host) !=
         allowed_hosts_.end();
}

absl::Status WebhookTargetPolicy::CheckRegistration(
    const std::string& url) const {
  ASSIGN_OR_RETURN(WebhookUrl parsed, ParseAndCheckName(url));
  if (parsed.host_is_address) return CheckAddresses(parsed, {parsed.host});
  if (AllowedByName(parsed)) return absl::OkStatus();
  absl::StatusOr<std::vector<std::string>> addresses = resolver_(parsed.host);
  if (!addresses.ok())
    return absl::OkStatus();  // checked again at each delivery
  return CheckAddresses(parsed, *addresses);
}

absl::StatusOr<WebhookTarget> WebhookTargetPolicy::Resolve(
    const std::string& url) const {
  WebhookTarget target;
  ASSIGN_OR_RETURN(target.url, ParseAndCheckName(url));
  if (target.url.host_is_address) {
    target.addresses = {target.url.host};
  } else {
    ASSIGN_OR_RETURN(target.addresses, resolver_(target.url.host));
    if (target.addresses.empty()) {
      return absl::UnavailableError(
          absl::StrCat(target.url.host, " has no address"));
    }
  }
  for (std::string& address : target.addresses)
    address = CanonicalAddress(address);
  RETURN_IF_ERROR(CheckAddresses(target.url, target.addresses));
  return target;
}

}  // namespace pmo::reporting
