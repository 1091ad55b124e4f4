// libFuzzer target: bearer token and JWKS parsing (libs/auth), the first
// code an unauthenticated caller's bytes meet on a secured server.
//
// The first byte picks what the rest is: a bearer token, verified against a
// fixed HS256 key and a fixed clock (so valid seeds stay valid between
// runs), or a JWKS document. Besides the sanitizers the oracles are the
// contract callers rely on: a refused token is UNAUTHENTICATED, never
// another code; a refusal never quotes the token; a JWKS is accepted or
// refused with INVALID_ARGUMENT, never anything else.
//
// PMO_FUZZ_WRITE_SEEDS=<dir> writes valid tokens and a JWKS there and exits
// (scripts/fuzz.sh does it for an empty corpus).

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/testing/token_issuer.h"
#include "libs/auth/token_verifier.h"
#include "libs/base/clock.h"

namespace {

using pmo::auth::SigningAlgorithm;
using pmo::auth::testing::TokenIssuer;

const absl::Time kNow = absl::FromUnixSeconds(1800000000);

struct Target {
  pmo::ManualClock clock{kNow};
  std::unique_ptr<pmo::auth::TokenVerifier> verifier;
};

Target& TheTarget() {
  static Target* target = [] {
    auto* t = new Target();
    pmo::auth::KeySet keys;
    keys.Add(*pmo::auth::VerificationKey::HmacSecret(
        "", pmo::auth::testing::kTestHmacSecret));
    t->verifier = *pmo::auth::TokenVerifier::Create(
        std::move(keys),
        {.issuer = pmo::auth::testing::kTestIssuer,
         .audience = pmo::auth::testing::kTestAudience},
        t->clock);
    return t;
  }();
  return *target;
}

void Fail(const std::string& what) {
  std::fprintf(stderr, "bearer_token_fuzzer: %s\n", what.c_str());
  std::abort();
}

void WriteSeeds(const std::string& dir) {
  TokenIssuer issuer;
  int n = 0;
  auto write = [&](char mode, const std::string& body) {
    std::ofstream(absl::StrCat(dir, "/seed-", n++), std::ios::binary)
        << mode << body;
  };
  for (const auto& claims :
       {issuer.Claims("alice", {"project_manager"}, {"p-1", "p-2"},
                      absl::Minutes(10), kNow),
        issuer.Claims("pmo-admin", {"pmo_admin"}, {}, absl::Minutes(10), kNow),
        issuer.Claims("ana", {"pmo_analyst", "service"}, {}, absl::Hours(1),
                      kNow)}) {
    write('\0', issuer.Sign(claims, SigningAlgorithm::kHs256));
  }
  write('\1', issuer.Jwks());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = std::getenv("PMO_FUZZ_WRITE_SEEDS")) {
    WriteSeeds(dir);
    std::exit(0);
  }
  TheTarget();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((data[0] & 1) == 0) {
    absl::StatusOr<pmo::auth::Principal> who =
        TheTarget().verifier->Verify(body);
    if (who.ok()) {
      if (who->subject.empty() || who->subject.size() > 128)
        Fail("accepted a bad subject");
      return 0;
    }
    if (who.status().code() != absl::StatusCode::kUnauthenticated) {
      Fail(absl::StrCat("token refused with ", who.status().ToString()));
    }
    // Longer than any refusal message: finding it there means it was quoted.
    if (body.size() > 200 &&
        who.status().message().find(body.substr(0, 200)) != std::string::npos) {
      Fail("a refusal quotes the token");
    }
  } else {
    absl::StatusOr<pmo::auth::KeySet> keys = pmo::auth::KeySet::ParseJwks(body);
    if (!keys.ok() &&
        keys.status().code() != absl::StatusCode::kInvalidArgument) {
      Fail(absl::StrCat("JWKS refused with ", keys.status().ToString()));
    }
    if (keys.ok()) {
      for (auto alg : {SigningAlgorithm::kRs256, SigningAlgorithm::kEs256}) {
        for (const auto* key : keys->Candidates("", alg)) {
          // Any key must refuse a signature it did not make.
          if (key->Verifies(alg, "header.payload", std::string(64, '\0'))) {
            Fail("a JWKS key verified a zero signature");
          }
        }
      }
    }
  }
  return 0;
}
