#include "libs/auth/verification_keys.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/json_object.h"
#include "libs/base/status_macros.h"

namespace pmo::auth {
namespace {

struct BignumFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using Bignum = std::unique_ptr<BIGNUM, BignumFree>;

// A base64url JWK member, decoded; the error names the member only.
absl::StatusOr<std::string> Base64UrlMember(const nlohmann::json& jwk,
                                            absl::string_view name) {
  std::optional<std::string> text = StringMember(jwk, name);
  std::string bytes;
  if (!text || text->empty() || !absl::WebSafeBase64Unescape(*text, &bytes)) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWK member \"", name, "\" is missing or not base64url"));
  }
  return bytes;
}

Bignum ToBignum(const std::string& bytes) {
  return Bignum(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()), nullptr));
}

// Builds a public EVP_PKEY of `type` ("RSA", "EC") from OpenSSL parameters.
absl::StatusOr<std::shared_ptr<EVP_PKEY>> PublicKeyFromParams(
    const char* type, OSSL_PARAM_BLD* build) {
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(build);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  EVP_PKEY* key = nullptr;
  const bool ok =
      params && ctx && EVP_PKEY_fromdata_init(ctx) == 1 &&
      EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) == 1;
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  if (!ok) {
    EVP_PKEY_free(key);
    return absl::InvalidArgumentError(
        absl::StrCat("JWK is not a valid ", type, " public key"));
  }
  return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

absl::StatusOr<std::shared_ptr<EVP_PKEY>> RsaKey(const nlohmann::json& jwk) {
  ASSIGN_OR_RETURN(std::string n, Base64UrlMember(jwk, "n"));
  ASSIGN_OR_RETURN(std::string e, Base64UrlMember(jwk, "e"));
  // RFC 7518 3.3: RS256 keys are 2048 bits or more.
  if (n.size() < 256) {
    return absl::InvalidArgumentError(
        "JWK member \"n\": RSA keys must be 2048 bits or more");
  }
  Bignum bn_n = ToBignum(n), bn_e = ToBignum(e);
  OSSL_PARAM_BLD* build = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_RSA_N, bn_n.get());
  OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_RSA_E, bn_e.get());
  auto key = PublicKeyFromParams("RSA", build);
  OSSL_PARAM_BLD_free(build);
  return key;
}

absl::StatusOr<std::shared_ptr<EVP_PKEY>> P256Key(const nlohmann::json& jwk) {
  if (StringMember(jwk, "crv") != "P-256") {
    return absl::InvalidArgumentError(
        "JWK member \"crv\": only P-256 (ES256) is supported");
  }
  ASSIGN_OR_RETURN(std::string x, Base64UrlMember(jwk, "x"));
  ASSIGN_OR_RETURN(std::string y, Base64UrlMember(jwk, "y"));
  if (x.size() != 32 || y.size() != 32) {
    return absl::InvalidArgumentError(
        "JWK members \"x\" and \"y\" must be 32 bytes each");
  }
  const std::string point =
      absl::StrCat("\x04", x, y);  // uncompressed SEC1 point
  OSSL_PARAM_BLD* build = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_utf8_string(build, OSSL_PKEY_PARAM_GROUP_NAME,
                                  "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(build, OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                   point.size());
  auto key = PublicKeyFromParams("EC", build);
  OSSL_PARAM_BLD_free(build);
  return key;
}

bool VerifyDigestSignature(EVP_PKEY* key, absl::string_view input,
                           const std::string& der) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok =
      ctx &&
      EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(der.data()),
                       der.size(),
                       reinterpret_cast<const unsigned char*>(input.data()),
                       input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

// JWS carries an ES256 signature as r||s (32 bytes each); OpenSSL wants DER.
std::optional<std::string> EcdsaRawToDer(absl::string_view raw) {
  if (raw.size() != 64) return std::nullopt;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32,
                        nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32,
                        32, nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  const int size = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (size <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), size);
  OPENSSL_free(der);
  return out;
}

}  // namespace

absl::StatusOr<SigningAlgorithm> AlgorithmNamed(absl::string_view name) {
  if (name == "RS256") return SigningAlgorithm::kRs256;
  if (name == "ES256") return SigningAlgorithm::kEs256;
  if (name == "HS256") return SigningAlgorithm::kHs256;
  return absl::UnauthenticatedError(
      "bearer token: unsupported \"alg\" (RS256, ES256, HS256)");
}

absl::string_view AlgorithmName(SigningAlgorithm alg) {
  switch (alg) {
    case SigningAlgorithm::kRs256:
      return "RS256";
    case SigningAlgorithm::kEs256:
      return "ES256";
    case SigningAlgorithm::kHs256:
      return "HS256";
  }
  return "?";
}

absl::StatusOr<VerificationKey> VerificationKey::FromJwk(
    absl::string_view jwk_json) {
  nlohmann::json jwk;
  RETURN_IF_ERROR(ParseJsonObject(jwk_json, "JWK", jwk));
  return FromJwkObject(jwk);
}

absl::StatusOr<VerificationKey> VerificationKey::FromJwkObject(
    const nlohmann::json& jwk) {
  VerificationKey key;
  key.kid_ = StringMember(jwk, "kid").value_or("");
  const std::string kty = StringMember(jwk, "kty").value_or("");
  if (kty == "RSA") {
    key.algorithm_ = SigningAlgorithm::kRs256;
    ASSIGN_OR_RETURN(key.public_key_, RsaKey(jwk));
  } else if (kty == "EC") {
    key.algorithm_ = SigningAlgorithm::kEs256;
    ASSIGN_OR_RETURN(key.public_key_, P256Key(jwk));
  } else {
    // Symmetric ("oct") keys do not belong in a published key set: a JWKS
    // is public, and anyone holding an HS256 key can mint tokens.
    return absl::InvalidArgumentError(
        "JWK member \"kty\": RSA or EC expected (HS256 secrets come from "
        "--jwt_hs256_secret_file)");
  }
  if (auto alg = StringMember(jwk, "alg");
      alg && *alg != AlgorithmName(key.algorithm_)) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWK member \"alg\": ", kty, " keys sign ",
                     AlgorithmName(key.algorithm_)));
  }
  return key;
}

absl::StatusOr<VerificationKey> VerificationKey::HmacSecret(
    std::string kid, std::string secret) {
  // RFC 7518 3.2: the key must be at least as long as the hash output.
  if (secret.size() < 32) {
    return absl::InvalidArgumentError(
        "HS256 secret: at least 32 bytes are needed");
  }
  VerificationKey key;
  key.kid_ = std::move(kid);
  key.algorithm_ = SigningAlgorithm::kHs256;
  key.secret_ = std::move(secret);
  return key;
}

bool VerificationKey::Verifies(SigningAlgorithm alg,
                               absl::string_view signing_input,
                               absl::string_view signature) const {
  if (alg != algorithm_) return false;
  switch (alg) {
    case SigningAlgorithm::kRs256:
      return VerifyDigestSignature(public_key_.get(), signing_input,
                                   std::string(signature));
    case SigningAlgorithm::kEs256: {
      std::optional<std::string> der = EcdsaRawToDer(signature);
      return der &&
             VerifyDigestSignature(public_key_.get(), signing_input, *der);
    }
    case SigningAlgorithm::kHs256: {
      unsigned char mac[EVP_MAX_MD_SIZE];
      unsigned int mac_size = 0;
      if (!HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
                reinterpret_cast<const unsigned char*>(signing_input.data()),
                signing_input.size(), mac, &mac_size)) {
        return false;
      }
      // Constant time: the comparison must not tell a forger how many bytes
      // of the MAC were right.
      return signature.size() == mac_size &&
             CRYPTO_memcmp(mac, signature.data(), mac_size) == 0;
    }
  }
  return false;
}

absl::StatusOr<KeySet> KeySet::ParseJwks(absl::string_view json) {
  nlohmann::json jwks;
  RETURN_IF_ERROR(ParseJsonObject(json, "JWKS", jwks));
  auto it = jwks.find("keys");
  if (it == jwks.end() || !it->is_array()) {
    return absl::InvalidArgumentError(
        "JWKS member \"keys\" is missing or not an array");
  }
  KeySet set;
  const nlohmann::json& keys = *it;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!keys[i].is_object()) {
      return absl::InvalidArgumentError(
          absl::StrCat("JWKS keys[", i, "] is not an object"));
    }
    if (auto use = StringMember(keys[i], "use"); use && *use != "sig") continue;
    absl::StatusOr<VerificationKey> key =
        VerificationKey::FromJwkObject(keys[i]);
    if (!key.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("JWKS keys[", i, "]: ", key.status().message()));
    }
    set.Add(*std::move(key));
  }
  return set;
}

absl::StatusOr<KeySet> KeySet::LoadJwksFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return absl::NotFoundError(absl::StrCat("cannot read JWKS file ", path));
  std::ostringstream text;
  text << in.rdbuf();
  absl::StatusOr<KeySet> set = ParseJwks(text.str());
  if (!set.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", set.status().message()));
  }
  return set;
}

std::vector<const VerificationKey*> KeySet::Candidates(
    absl::string_view kid, SigningAlgorithm alg) const {
  std::vector<const VerificationKey*> out;
  for (const VerificationKey& key : keys_) {
    if (key.algorithm() != alg) continue;
    if (!kid.empty() && key.kid() != kid) continue;
    out.push_back(&key);
  }
  return out;
}

}  // namespace pmo::auth
