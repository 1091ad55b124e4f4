#include "libs/auth/testing/token_issuer.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace pmo::auth::testing {
namespace {

std::string B64(absl::string_view bytes) {
  return absl::WebSafeBase64Escape(bytes);
}

std::string BignumParam(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) std::abort();
  std::string out(BN_num_bytes(bn), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  BN_free(bn);
  return out;
}

std::string DigestSign(EVP_PKEY* key, absl::string_view input) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t size = 0;
  if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx, nullptr, &size,
                     reinterpret_cast<const unsigned char*>(input.data()),
                     input.size()) != 1) {
    std::abort();
  }
  std::string sig(size, '\0');
  if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &size,
                     reinterpret_cast<const unsigned char*>(input.data()),
                     input.size()) != 1) {
    std::abort();
  }
  EVP_MD_CTX_free(ctx);
  sig.resize(size);
  return sig;
}

}  // namespace

struct TokenIssuer::Keys {
  EVP_PKEY* rsa = nullptr;
  EVP_PKEY* ec = nullptr;
};

TokenIssuer::TokenIssuer() : keys_(std::make_unique<Keys>()) {
  keys_->rsa =
      EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
  keys_->ec = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  if (!keys_->rsa || !keys_->ec) std::abort();
}

TokenIssuer::~TokenIssuer() {
  EVP_PKEY_free(keys_->rsa);
  EVP_PKEY_free(keys_->ec);
}

std::string TokenIssuer::Jwks() const {
  unsigned char point[65];
  size_t size = 0;
  if (EVP_PKEY_get_octet_string_param(keys_->ec, OSSL_PKEY_PARAM_PUB_KEY, point,
                                      sizeof(point), &size) != 1 ||
      size != 65) {
    std::abort();
  }
  const std::string x(reinterpret_cast<char*>(point) + 1, 32);
  const std::string y(reinterpret_cast<char*>(point) + 33, 32);
  const nlohmann::json rsa = {
      {"kty", "RSA"},
      {"kid", "rsa-1"},
      {"use", "sig"},
      {"alg", "RS256"},
      {"n", B64(BignumParam(keys_->rsa, OSSL_PKEY_PARAM_RSA_N))},
      {"e", B64(BignumParam(keys_->rsa, OSSL_PKEY_PARAM_RSA_E))}};
  const nlohmann::json ec = {{"kty", "EC"},    {"kid", "ec-1"}, {"use", "sig"},
                             {"crv", "P-256"}, {"x", B64(x)},   {"y", B64(y)}};
  return nlohmann::json{{"keys", {rsa, ec}}}.dump();
}

std::string TokenIssuer::Claims(const std::string& subject,
                                const std::vector<std::string>& roles,
                                const std::vector<std::string>& projects,
                                absl::Duration lifetime, absl::Time now,
                                const std::string& audience,
                                const std::string& issuer) const {
  return nlohmann::json{{"iss", issuer},
                        {"aud", audience},
                        {"sub", subject},
                        {"pmo_roles", roles},
                        {"pmo_projects", projects},
                        {"nbf", absl::ToUnixSeconds(now)},
                        {"exp", absl::ToUnixSeconds(now + lifetime)}}
      .dump();
}

std::string TokenIssuer::Sign(const std::string& claims_json,
                              SigningAlgorithm alg) const {
  std::string header;
  switch (alg) {
    case SigningAlgorithm::kRs256:
      header = R"({"alg":"RS256","kid":"rsa-1","typ":"JWT"})";
      break;
    case SigningAlgorithm::kEs256:
      header = R"({"alg":"ES256","kid":"ec-1","typ":"JWT"})";
      break;
    case SigningAlgorithm::kHs256:
      header = R"({"alg":"HS256","typ":"JWT"})";
      break;
  }
  const std::string input = absl::StrCat(B64(header), ".", B64(claims_json));
  std::string signature;
  switch (alg) {
    case SigningAlgorithm::kRs256:
      signature = DigestSign(keys_->rsa, input);
      break;
    case SigningAlgorithm::kEs256: {
      // DER from OpenSSL, r||s in a JWS.
      const std::string der = DigestSign(keys_->ec, input);
      const unsigned char* p =
          reinterpret_cast<const unsigned char*>(der.data());
      ECDSA_SIG* sig =
          d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
      unsigned char raw[64];
      BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw, 32);
      BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw + 32, 32);
      ECDSA_SIG_free(sig);
      signature.assign(reinterpret_cast<char*>(raw), 64);
      break;
    }
    case SigningAlgorithm::kHs256: {
      unsigned char mac[EVP_MAX_MD_SIZE];
      unsigned int size = 0;
      const std::string secret = kTestHmacSecret;
      HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(input.data()), input.size(),
           mac, &size);
      signature.assign(reinterpret_cast<char*>(mac), size);
      break;
    }
  }
  return absl::StrCat(input, ".", B64(signature));
}

}  // namespace pmo::auth::testing
