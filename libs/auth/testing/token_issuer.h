#pragma once

// A test identity provider: fresh RS256 and ES256 key pairs, their JWKS,
// and signed tokens with whatever claims a test needs (expired, wrong
// audience, forged...). Tests only: private keys live in memory.
//
//   TokenIssuer issuer;
//   std::string jwks = issuer.Jwks();
//   std::string token = issuer.Sign(issuer.Claims("alice", {"project_manager"},
//   {"p-1"}));

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "libs/auth/verification_keys.h"

namespace pmo::auth::testing {

inline constexpr char kTestIssuer[] = "https://id.pmo.test";
inline constexpr char kTestAudience[] = "pmo";
inline constexpr char kTestHmacSecret[] =
    "development-secret-of-32-bytes-at-least!";

class TokenIssuer {
 public:
  TokenIssuer();  // generates the key pairs (kid "rsa-1", "ec-1")
  ~TokenIssuer();

  // The public keys as a JWKS document.
  std::string Jwks() const;

  // A claims JSON object: iss, aud, sub, pmo_roles, pmo_projects, exp =
  // now + lifetime, nbf = now.
  std::string Claims(const std::string& subject,
                     const std::vector<std::string>& roles,
                     const std::vector<std::string>& projects = {},
                     absl::Duration lifetime = absl::Minutes(10),
                     absl::Time now = absl::Now(),
                     const std::string& audience = kTestAudience,
                     const std::string& issuer = kTestIssuer) const;

  // A compact JWS of `claims_json`, signed with `alg`'s key (HS256 with
  // kTestHmacSecret).
  std::string Sign(const std::string& claims_json,
                   SigningAlgorithm alg = SigningAlgorithm::kRs256) const;

 private:
  struct Keys;
  std::unique_ptr<Keys> keys_;
};

}  // namespace pmo::auth::testing
