#include "libs/auth/token_verifier.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/auth/json_object.h"
#include "libs/base/status_macros.h"

namespace pmo::auth {
namespace {

using Json = nlohmann::json;

absl::Status Refused(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("bearer token: ", why));
}

const Json* Member(const Json& object, absl::string_view name) {
  auto it = object.find(std::string(name));
  return it == object.end() ? nullptr : &*it;
}

// A NumericDate claim (seconds since the epoch), if present.
absl::StatusOr<std::optional<absl::Time>> TimeClaim(const Json& claims,
                                                    absl::string_view name) {
  const Json* v = Member(claims, name);
  if (v == nullptr) return std::nullopt;
  // Integers beyond 2^53 lose precision as a double, but they are refused
  // below anyway.
  const double seconds = v->is_number() ? v->get<double>() : NAN;
  if (!std::isfinite(seconds) || std::fabs(seconds) > 1e12) {
    return Refused(absl::StrCat("claim \"", name, "\" is not a NumericDate"));
  }
  return absl::FromUnixSeconds(static_cast<int64_t>(seconds));
}

// The strings of a claim that may be one string or an array of strings.
absl::StatusOr<std::vector<std::string>> StringsClaim(const Json& claims,
                                                      absl::string_view name) {
  std::vector<std::string> out;
  const Json* v = Member(claims, name);
  if (v == nullptr) return out;
  if (v->is_string()) {
    out.push_back(v->get_ref<const std::string&>());
    return out;
  }
  if (v->is_array()) {
    for (const Json& item : *v) {
      if (!item.is_string()) break;
      out.push_back(item.get_ref<const std::string&>());
    }
    if (out.size() == v->size()) return out;
  }
  return Refused(absl::StrCat("claim \"", name,
                              "\" is not a string or an array of strings"));
}

}  // namespace

absl::StatusOr<CompactJws> DecodeCompactJws(absl::string_view token) {
  if (token.empty()) return Refused("empty");
  if (token.size() > kMaxTokenBytes) {
    return Refused(absl::StrCat("longer than ", kMaxTokenBytes, " bytes"));
  }
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty() ||
      parts[2].empty()) {
    return Refused("not a compact JWS (header.payload.signature)");
  }
  CompactJws jws;
  if (!absl::WebSafeBase64Unescape(parts[0], &jws.header_json) ||
      !absl::WebSafeBase64Unescape(parts[1], &jws.payload_json) ||
      !absl::WebSafeBase64Unescape(parts[2], &jws.signature)) {
    return Refused("a part is not base64url");
  }
  jws.signing_input = absl::StrCat(parts[0], ".", parts[1]);
  return jws;
}

absl::StatusOr<std::unique_ptr<TokenVerifier>> TokenVerifier::Create(
    KeySet keys, TokenPolicy policy, const Clock& clock) {
  if (policy.issuer.empty())
    return absl::InvalidArgumentError("jwt_issuer: required");
  if (policy.audience.empty())
    return absl::InvalidArgumentError("jwt_audience: required");
  if (policy.max_clock_skew < absl::ZeroDuration() ||
      policy.max_clock_skew > kMaxClockSkew) {
    return absl::InvalidArgumentError(
        absl::StrCat("jwt_max_clock_skew: between 0 and ",
                     absl::FormatDuration(kMaxClockSkew)));
  }
  if (keys.size() == 0) {
    return absl::InvalidArgumentError(
        "jwks_file: no signing key (and no HS256 secret)");
  }
  return std::unique_ptr<TokenVerifier>(
      new TokenVerifier(std::move(keys), std::move(policy), clock));
}

absl::StatusOr<Principal> TokenVerifier::Verify(absl::string_view token) const {
  std::shared_ptr<const KeySet> keys;
  {
    std::lock_guard lock(mu_);
    auto it = remembered_.find(token);
    if (it != remembered_.end()) {
      RETURN_IF_ERROR(CheckTimes(it->second));
      return it->second.principal;
    }
    keys = keys_;
  }
  ASSIGN_OR_RETURN(Verified verified, VerifyFully(token, *keys));
  RETURN_IF_ERROR(CheckTimes(verified));
  std::lock_guard lock(mu_);
  // Not if the keys rotated meanwhile: the key that signed it may be gone.
  if (keys_ == keys) {
    if (remembered_.size() >= kMaxRemembered) remembered_.clear();
    remembered_.emplace(std::string(token), verified);
  }
  return verified.principal;
}

absl::Status TokenVerifier::ReplaceKeys(KeySet keys) {
  if (keys.size() == 0)
    return absl::InvalidArgumentError("jwks_file: no signing key");
  std::lock_guard lock(mu_);
  keys_ = std::make_shared<const KeySet>(std::move(keys));
  remembered_.clear();
  return absl::OkStatus();
}

absl::Status TokenVerifier::CheckTimes(const Verified& verified) const {
  const absl::Time now = clock_.Now();
  if (now >= verified.expires + policy_.max_clock_skew)
    return Refused("expired (\"exp\")");
  if (verified.not_before &&
      now + policy_.max_clock_skew < *verified.not_before) {
    return Refused("not valid yet (\"nbf\")");
  }
  return absl::OkStatus();
}

absl::StatusOr<TokenVerifier::Verified> TokenVerifier::VerifyFully(
    absl::string_view token, const KeySet& keys) const {
  ASSIGN_OR_RETURN(CompactJws jws, DecodeCompactJws(token));
  Json header;
  if (absl::Status parsed = ParseJsonObject(jws.header_json, "header", header);
      !parsed.ok()) {
    return Refused(parsed.message());
  }
  ASSIGN_OR_RETURN(SigningAlgorithm alg,
                   AlgorithmNamed(StringMember(header, "alg").value_or("")));
  if (Member(header, "crit") != nullptr)
    return Refused("\"crit\" header is not supported");

  // The signature first: nothing in an unverified payload is believed.
  const std::string kid = StringMember(header, "kid").value_or("");
  bool signed_by_trusted_key = false;
  for (const VerificationKey* key : keys.Candidates(kid, alg)) {
    if (key->Verifies(alg, jws.signing_input, jws.signature)) {
      signed_by_trusted_key = true;
      break;
    }
  }
  if (!signed_by_trusted_key)
    return Refused("signature does not verify with any trusted key");

  Json claims;
  if (absl::Status parsed =
          ParseJsonObject(jws.payload_json, "payload", claims);
      !parsed.ok()) {
    return Refused(parsed.message());
  }
  if (StringMember(claims, "iss") != policy_.issuer)
    return Refused("wrong issuer (\"iss\")");
  ASSIGN_OR_RETURN(std::vector<std::string> audiences,
                   StringsClaim(claims, "aud"));
  if (std::find(audiences.begin(), audiences.end(), policy_.audience) ==
      audiences.end()) {
    return Refused("not issued for this audience (\"aud\")");
  }
  Verified verified;
  ASSIGN_OR_RETURN(std::optional<absl::Time> expires, TimeClaim(claims, "exp"));
  if (!expires) return Refused("claim \"exp\" is required");
  verified.expires = *expires;
  ASSIGN_OR_RETURN(verified.not_before, TimeClaim(claims, "nbf"));

  Principal& principal = verified.principal;
  principal.subject = StringMember(claims, "sub").value_or("");
  if (principal.subject.empty() || principal.subject.size() > 128) {
    return Refused("claim \"sub\" is required (at most 128 characters)");
  }
  ASSIGN_OR_RETURN(std::vector<std::string> roles,
                   StringsClaim(claims, "pmo_roles"));
  for (const std::string& name : roles) {
    absl::StatusOr<Role> role = RoleNamed(name);
    if (!role.ok()) return Refused(role.status().message());
    principal.roles.push_back(*role);
  }
  ASSIGN_OR_RETURN(principal.managed_projects,
                   StringsClaim(claims, "pmo_projects"));
  return verified;
}

}  // namespace pmo::auth
