#pragma once

// The keys bearer tokens are checked against: RS256 and ES256 public keys
// from a JWKS file (RFC 7517), and an HS256 shared secret for development.
//
//   ASSIGN_OR_RETURN(KeySet keys, KeySet::LoadJwksFile("/etc/pmo/jwks.json"));
//   for (const VerificationKey* key : keys.Candidates(kid, alg)) ...
//
// A key is bound to one algorithm by its type (RSA -> RS256, EC P-256 ->
// ES256, oct -> HS256), so a token cannot pick a weaker algorithm for a key
// than the key was published for (the "alg confusion" attack).

#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace pmo::auth {

enum class SigningAlgorithm { kRs256, kEs256, kHs256 };

// "RS256", "ES256", "HS256"; UNAUTHENTICATED for any other (including "none").
absl::StatusOr<SigningAlgorithm> AlgorithmNamed(absl::string_view name);
absl::string_view AlgorithmName(SigningAlgorithm alg);

class VerificationKey {
 public:
  // One JWK object (JSON). Errors name the JWK member at fault, never the
  // key material.
  static absl::StatusOr<VerificationKey> FromJwk(absl::string_view jwk_json);
  // An HS256 development secret (at least 32 bytes).
  static absl::StatusOr<VerificationKey> HmacSecret(std::string kid,
                                                    std::string secret);

  // True when `signature` (JWS encoding: raw r||s for ES256) is this key's
  // signature of `signing_input` under `alg`; false for any other alg.
  bool Verifies(SigningAlgorithm alg, absl::string_view signing_input,
                absl::string_view signature) const;

  const std::string& kid() const { return kid_; }
  SigningAlgorithm algorithm() const { return algorithm_; }

 private:
  friend class KeySet;
  VerificationKey() = default;
  static absl::StatusOr<VerificationKey> FromJwkObject(
      const nlohmann::json& jwk);
  std::string kid_;
  SigningAlgorithm algorithm_ = SigningAlgorithm::kRs256;
  std::shared_ptr<EVP_PKEY> public_key_;  // RS256, ES256
  std::string secret_;                    // HS256
};

class KeySet {
 public:
  // A JWKS document {"keys": [...]}. Keys whose "use" is not "sig" are left
  // out; an unsupported key type is an error naming keys[i].
  static absl::StatusOr<KeySet> ParseJwks(absl::string_view json);
  static absl::StatusOr<KeySet> LoadJwksFile(const std::string& path);

  void Add(VerificationKey key) { keys_.push_back(std::move(key)); }
  size_t size() const { return keys_.size(); }

  // The keys that may have signed a token with this `kid` header and alg:
  // the key with that kid, or every key of alg when the token names none.
  std::vector<const VerificationKey*> Candidates(absl::string_view kid,
                                                 SigningAlgorithm alg) const;

 private:
  std::vector<VerificationKey> keys_;
};

}  // namespace pmo::auth
