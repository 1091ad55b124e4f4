#include "libs/auth/token_verifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "libs/auth/testing/token_issuer.h"
#include "libs/base/testing/status_matchers.h"

namespace pmo::auth {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::kTestAudience;
using testing::kTestHmacSecret;
using testing::kTestIssuer;
using ::testing::Not;
using testing::TokenIssuer;

const absl::Time kNow = absl::FromUnixSeconds(1800000000);

class TokenVerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<KeySet> keys = KeySet::ParseJwks(issuer_.Jwks());
    ASSERT_OK(keys);
    absl::StatusOr<VerificationKey> hmac =
        VerificationKey::HmacSecret("", kTestHmacSecret);
    ASSERT_OK(hmac);
    keys->Add(*std::move(hmac));
    auto verifier = TokenVerifier::Create(
        *std::move(keys), {.issuer = kTestIssuer, .audience = kTestAudience},
        clock_);
    ASSERT_OK(verifier);
    verifier_ = *std::move(verifier);
  }

  std::string Manager(absl::Duration lifetime = absl::Minutes(10)) const {
    return issuer_.Claims("alice", {"project_manager"}, {"p-1", "p-2"},
                          lifetime, kNow);
  }

  TokenIssuer issuer_;
  ManualClock clock_{kNow};
  std::unique_ptr<TokenVerifier> verifier_;
};

TEST_F(TokenVerifierTest, AcceptsEachAlgorithmAndReadsTheClaims) {
  for (SigningAlgorithm alg :
       {SigningAlgorithm::kRs256, SigningAlgorithm::kEs256,
        SigningAlgorithm::kHs256}) {
    absl::StatusOr<Principal> p =
        verifier_->Verify(issuer_.Sign(Manager(), alg));
    ASSERT_OK(p) << AlgorithmName(alg);
    EXPECT_EQ(p->subject, "alice");
    EXPECT_THAT(p->roles, ElementsAre(Role::kProjectManager));
    EXPECT_THAT(p->managed_projects, ElementsAre("p-1", "p-2"));
    EXPECT_TRUE(p->Manages("p-2"));
    EXPECT_FALSE(p->Manages("p-3"));
  }
}

TEST_F(TokenVerifierTest, RefusesAnEmptyOrMalformedToken) {
  EXPECT_THAT(verifier_->Verify(""),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(
      verifier_->Verify("abc.def"),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("compact JWS")));
  EXPECT_THAT(verifier_->Verify("a!b.c.d"),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(
      verifier_->Verify(std::string(kMaxTokenBytes + 1, 'a')),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("longer than")));
}

TEST_F(TokenVerifierTest, RefusesAnExpiredTokenBeyondTheSkewOnly) {
  // The same token twice: the verifier remembers it after the first
  // success, and must still refuse it once it has expired.
  const std::string token = issuer_.Sign(Manager(absl::Minutes(10)));
  clock_.Set(kNow + absl::Minutes(10) + absl::Seconds(59));  // within 60 s skew
  EXPECT_OK(verifier_->Verify(token));
  clock_.Set(kNow + absl::Minutes(11));
  EXPECT_THAT(
      verifier_->Verify(token),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("expired")));
}

TEST_F(TokenVerifierTest, RefusesATokenNotValidYet) {
  clock_.Set(kNow - absl::Minutes(2));
  EXPECT_THAT(verifier_->Verify(issuer_.Sign(Manager())),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("nbf")));
}

TEST_F(TokenVerifierTest, RefusesAWrongAudienceOrIssuer) {
  EXPECT_THAT(
      verifier_->Verify(issuer_.Sign(issuer_.Claims(
          "alice", {"pmo_admin"}, {}, absl::Minutes(5), kNow, "billing"))),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("audience")));
  EXPECT_THAT(
      verifier_->Verify(issuer_.Sign(
          issuer_.Claims("alice", {"pmo_admin"}, {}, absl::Minutes(5), kNow,
                         kTestAudience, "https://evil.example"))),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("issuer")));
}

TEST_F(TokenVerifierTest, RefusesAForgedSignature) {
  // Same kid and claims, another key pair: what a forger can make.
  TokenIssuer forger;
  const std::string forged = forger.Sign(Manager(), SigningAlgorithm::kRs256);
  EXPECT_THAT(
      verifier_->Verify(forged),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("signature")));
  EXPECT_THAT(
      verifier_->Verify(forger.Sign(Manager(), SigningAlgorithm::kEs256)),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("signature")));
  // A genuine token whose payload was changed after signing.
  std::string tampered = issuer_.Sign(Manager());
  const std::string admin = absl::WebSafeBase64Escape(
      issuer_.Claims("alice", {"pmo_admin"}, {}, absl::Minutes(10), kNow));
  const size_t dot1 = tampered.find('.'), dot2 = tampered.rfind('.');
  tampered = tampered.substr(0, dot1 + 1) + admin + tampered.substr(dot2);
  EXPECT_THAT(
      verifier_->Verify(tampered),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("signature")));
}

TEST_F(TokenVerifierTest, RefusesAlgNone) {
  const std::string token =
      absl::StrCat(absl::WebSafeBase64Escape(R"({"alg":"none"})"), ".",
                   absl::WebSafeBase64Escape(Manager()), ".",
                   absl::WebSafeBase64Escape("sig"));
  EXPECT_THAT(verifier_->Verify(token),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("alg")));
}

TEST_F(TokenVerifierTest, RefusesAnUnknownRoleAndAMissingSubject) {
  EXPECT_THAT(
      verifier_->Verify(issuer_.Sign(
          issuer_.Claims("alice", {"root"}, {}, absl::Minutes(5), kNow))),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("unknown role")));
  EXPECT_THAT(verifier_->Verify(issuer_.Sign(issuer_.Claims(
                  "", {"pmo_admin"}, {}, absl::Minutes(5), kNow))),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("sub")));
}

TEST_F(TokenVerifierTest, RefusesPayloadsThatAreNotOneCleanJsonObject) {
  auto payload = [&](absl::string_view text) {
    return absl::StrReplaceAll(text,
                               {{"ISS", kTestIssuer}, {"AUD", kTestAudience}});
  };
  const std::string claims =
      payload(R"({"iss":"ISS","aud":"AUD","sub":"alice","exp":1800000600)");
  ASSERT_OK(verifier_->Verify(issuer_.Sign(claims + "}")));
  for (const std::string& bad : {
           claims,                             // truncated
           claims + "} trailing",              // text after the object
           claims + R"(,"sub":"bob"})",        // a member named twice
           claims + R"(,"x":{"a":1,"a":2}})",  // twice in a nested object
           claims + R"(,"x":1e400})",          // beyond a double
           claims + R"(,"x":"\ud800"})",       // a lone surrogate
           claims + ",\"x\":\"\xff\"}",        // not UTF-8
           std::string("[") + claims + "}]",   // not an object
           std::string("null"),
       }) {
    EXPECT_THAT(verifier_->Verify(issuer_.Sign(bad)),
                StatusIs(absl::StatusCode::kUnauthenticated,
                         HasSubstr("not a JSON object")))
        << bad;
  }
  // Wrong types are refused by name, huge numbers are not NumericDates.
  const std::string base = payload(R"({"iss":"ISS","aud":"AUD","sub":"alice")");
  EXPECT_THAT(
      verifier_->Verify(issuer_.Sign(base + R"(,"exp":"soon"})")),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("NumericDate")));
  EXPECT_THAT(
      verifier_->Verify(issuer_.Sign(base + R"(,"exp":1e300})")),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("NumericDate")));
  EXPECT_THAT(
      verifier_->Verify(issuer_.Sign(base + R"(,"exp":18446744073709551615})")),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("NumericDate")));
  EXPECT_THAT(
      verifier_->Verify(
          issuer_.Sign(base + R"(,"exp":1800000600,"pmo_roles":[1]})")),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("pmo_roles")));
  EXPECT_THAT(verifier_->Verify(issuer_.Sign(payload(
                  R"({"iss":"ISS","aud":["AUD"],"sub":7,"exp":1800000600})"))),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("sub")));
}

TEST(KeySetTest, RefusesAJwksWithAMemberNamedTwice) {
  TokenIssuer issuer;
  std::string jwks = issuer.Jwks();
  ASSERT_OK(KeySet::ParseJwks(jwks));
  jwks.insert(jwks.find('{') + 1, R"("keys":[],)");
  EXPECT_THAT(KeySet::ParseJwks(jwks),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("JWKS is not a JSON object")));
  EXPECT_THAT(VerificationKey::FromJwk(R"({"kty":"EC","kty":"RSA"})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("JWK is not a JSON object")));
}

TEST_F(TokenVerifierTest, NoRefusalQuotesTheToken) {
  TokenIssuer forger;
  const std::string forged = forger.Sign(Manager());
  absl::StatusOr<Principal> refused = verifier_->Verify(forged);
  ASSERT_FALSE(refused.ok());
  const std::string signature = forged.substr(forged.rfind('.') + 1);
  EXPECT_THAT(std::string(refused.status().message()),
              Not(HasSubstr(signature)));
  EXPECT_THAT(std::string(refused.status().message()),
              Not(HasSubstr(forged.substr(0, 20))));
}

TEST_F(TokenVerifierTest, ForgetsTokensOfWithdrawnKeysWhenTheKeysRotate) {
  const std::string old_token = issuer_.Sign(Manager());
  ASSERT_OK(verifier_->Verify(old_token));  // now remembered
  TokenIssuer next;
  ASSERT_OK(verifier_->ReplaceKeys(*KeySet::ParseJwks(next.Jwks())));
  EXPECT_THAT(
      verifier_->Verify(old_token),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("signature")));
  EXPECT_OK(verifier_->Verify(next.Sign(Manager())));
  EXPECT_THAT(verifier_->ReplaceKeys(KeySet()),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(TokenVerifierCreateTest, BoundsTheClockSkewAndNeedsIssuerAudienceAndKeys) {
  TokenIssuer issuer;
  auto keys = [&] { return *KeySet::ParseJwks(issuer.Jwks()); };
  EXPECT_THAT(
      TokenVerifier::Create(
          keys(),
          {.issuer = "i", .audience = "a", .max_clock_skew = absl::Minutes(6)}),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("jwt_max_clock_skew")));
  EXPECT_THAT(
      TokenVerifier::Create(keys(), {.issuer = "", .audience = "a"}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("jwt_issuer")));
  EXPECT_THAT(
      TokenVerifier::Create(keys(), {.issuer = "i", .audience = ""}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("jwt_audience")));
  EXPECT_THAT(
      TokenVerifier::Create(KeySet(), {.issuer = "i", .audience = "a"}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("jwks_file")));
}

TEST(KeySetTest, NamesTheBadMemberAndRefusesSymmetricKeysInAJwks) {
  EXPECT_THAT(KeySet::ParseJwks("[]"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not a JSON object")));
  EXPECT_THAT(
      KeySet::ParseJwks(R"({"keys":[{"kty":"RSA","n":"AQAB"}]})"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("keys[0]")));
  EXPECT_THAT(KeySet::ParseJwks(R"({"keys":[{"kty":"oct","k":"c2VjcmV0"}]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("kty")));
  EXPECT_THAT(KeySet::ParseJwks(
                  R"({"keys":[{"kty":"EC","crv":"P-384","x":"AA","y":"AA"}]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("P-256")));
  EXPECT_THAT(
      VerificationKey::HmacSecret("", "short"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("32 bytes")));
}

}  // namespace
}  // namespace pmo::auth
