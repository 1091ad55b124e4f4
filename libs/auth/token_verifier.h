#pragma once

// Verifies a bearer JWT (compact JWS) and turns its claims into a Principal.
//
//   TokenPolicy policy{.issuer = "https://id.example", .audience = "pmo"};
//   ASSIGN_OR_RETURN(auto verifier, TokenVerifier::Create(std::move(keys),
//   policy)); absl::StatusOr<Principal> who = verifier->Verify(token);
//
// Checks, in order: shape and size, "alg" (RS256, ES256, HS256; never
// "none"), the signature against the key set, then "iss", "aud", "exp" and
// "nbf" with a bounded clock skew, "sub" and the roles. Every refusal is
// UNAUTHENTICATED with a message that names the check that failed and
// never quotes the token, a claim's signature or a key.

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/auth/principal.h"
#include "libs/auth/verification_keys.h"
#include "libs/base/clock.h"

namespace pmo::auth {

// The largest clock skew a verifier accepts: beyond it an expired token
// would stay usable for too long.
inline constexpr absl::Duration kMaxClockSkew = absl::Minutes(5);
// Tokens longer than this are refused before any parsing.
inline constexpr size_t kMaxTokenBytes = 8192;

struct TokenPolicy {
  std::string issuer;    // required: the "iss" every token must carry
  std::string audience;  // required: must be in "aud" (string or array)
  absl::Duration max_clock_skew = absl::Seconds(60);
};

// The parts of a compact JWS, decoded but not verified.
struct CompactJws {
  std::string header_json;
  std::string payload_json;
  std::string signing_input;  // "<header>.<payload>" as sent
  std::string signature;      // raw bytes
};

// Splits and base64url-decodes a compact JWS; UNAUTHENTICATED if it is
// not three base64url parts.
absl::StatusOr<CompactJws> DecodeCompactJws(absl::string_view token);

class TokenVerifier {
 public:
  // INVALID_ARGUMENT naming the setting when the policy is incomplete, the
  // skew beyond kMaxClockSkew or the key set empty.
  static absl::StatusOr<std::unique_ptr<TokenVerifier>> Create(
      KeySet keys, TokenPolicy policy, const Clock& clock = Clock::Real());

  // Thread-safe. A token whose signature and claims were verified once is
  // remembered (in memory only) and only its times are checked again: a
  // client sends the same token on every call until it expires.
  absl::StatusOr<Principal> Verify(absl::string_view token) const;

  // Rotates the trusted keys (the issuer published a new JWKS): tokens
  // verified before are forgotten, so one signed by a withdrawn key stops
  // working at once. An empty set is refused (INVALID_ARGUMENT).
  absl::Status ReplaceKeys(KeySet keys);

 private:
  struct Verified {
    Principal principal;
    absl::Time expires;
    std::optional<absl::Time> not_before;
  };
  // Beyond this many remembered tokens the memory starts again empty.
  static constexpr size_t kMaxRemembered = 4096;

  TokenVerifier(KeySet keys, TokenPolicy policy, const Clock& clock)
      : policy_(std::move(policy)),
        clock_(clock),
        keys_(std::make_shared<const KeySet>(std::move(keys))) {}
  absl::StatusOr<Verified> VerifyFully(absl::string_view token,
                                       const KeySet& keys) const;
  absl::Status CheckTimes(const Verified& verified) const;

  TokenPolicy policy_;
  const Clock& clock_;
  mutable std::mutex mu_;
  // Replaced whole on rotation; a call in flight keeps the set it started with.
  std::shared_ptr<const KeySet> keys_ ABSL_GUARDED_BY(mu_);
  mutable absl::flat_hash_map<std::string, Verified> remembered_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace pmo::auth
