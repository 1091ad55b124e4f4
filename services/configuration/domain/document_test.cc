#include "services/configuration/domain/document.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/errors.h"
#include "libs/base/testing/status_matchers.h"

namespace pmo::configuration {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::HasSubstr;

DocumentDraft Draft(const std::string& text) {
  DocumentDraft d;
  d.author = "alice";
  d.change_summary = text;
  d.content_sha256 = std::string(64, 'a');
  d.body_size_bytes = 1200;
  d.media_type = "text/markdown";
  return d;
}

v1::DocumentReview Verdict(v1::ReviewVerdict verdict) {
  v1::DocumentReview r;
  r.set_reviewer("quality-office");
  r.set_verdict(verdict);
  return r;
}

void ApplyAll(DocumentAggregate& d,
              const absl::StatusOr<eventsourcing::Decision>& decision) {
  ASSERT_OK(decision.status());
  for (const auto& e : decision->events) d.Apply(*e, absl::Now());
}

// Takes version `n` from DRAFT to PUBLISHED through the commands.
void PublishVersion(DocumentAggregate& d, int n) {
  ApplyAll(d, d.RequestReview(n));
  ApplyAll(d, d.Review(n, Verdict(v1::REVIEW_VERDICT_APPROVE)));
  ApplyAll(d, d.Approve(n, "head-of-pmo"));
  ApplyAll(d, d.Publish(n));
}

// A document whose version 1 is in `status`, reached by the workflow.
DocumentAggregate WithVersionOneIn(v1::DocumentVersionStatus status) {
  DocumentAggregate d;
  ApplyAll(d,
           d.Create("doc-1", v1::DOCUMENT_KIND_PROCEDURE,
                    "Change control procedure", "bob", Draft("first issue")));
  if (status == v1::DOCUMENT_VERSION_STATUS_DRAFT) return d;
  ApplyAll(d, d.RequestReview(1));
  ApplyAll(d, d.Review(1, Verdict(v1::REVIEW_VERDICT_APPROVE)));
  if (status == v1::DOCUMENT_VERSION_STATUS_IN_REVIEW) return d;
  ApplyAll(d, d.Approve(1, "head-of-pmo"));
  if (status == v1::DOCUMENT_VERSION_STATUS_APPROVED) return d;
  ApplyAll(d, d.Publish(1));
  if (status == v1::DOCUMENT_VERSION_STATUS_PUBLISHED) return d;
  if (status == v1::DOCUMENT_VERSION_STATUS_SUPERSEDED) {
    ApplyAll(d, d.DraftVersion(Draft("second issue")));
    PublishVersion(d, 2);
    return d;
  }
  ApplyAll(d, d.Retire("replaced by the PMO handbook"));
  return d;
}

absl::StatusOr<eventsourcing::Decision> Take(const DocumentAggregate& d,
                                             DocumentStep step) {
  switch (step) {
    case DocumentStep::kRequestReview:
      return d.RequestReview(1);
    case DocumentStep::kReview:
      return d.Review(1, Verdict(v1::REVIEW_VERDICT_REQUEST_CHANGES));
    case DocumentStep::kApprove:
      return d.Approve(1, "head-of-pmo");
    case DocumentStep::kPublish:
      return d.Publish(1);
    case DocumentStep::kSetApplicability:
      return d.SetApplicability(1, {"erp", "crm"});
  }
  return absl::InternalError("unknown step");
}

TEST(DocumentWorkflow,
     EveryLegalStepIsTakenAndEveryIllegalOneRefusedWithTheRule) {
  const std::vector<
      std::pair<v1::DocumentVersionStatus, std::vector<DocumentStep>>>
      table = {
          {v1::DOCUMENT_VERSION_STATUS_DRAFT, {DocumentStep::kRequestReview}},
          {v1::DOCUMENT_VERSION_STATUS_IN_REVIEW,
           {DocumentStep::kReview, DocumentStep::kApprove}},
          {v1::DOCUMENT_VERSION_STATUS_APPROVED, {DocumentStep::kPublish}},
          {v1::DOCUMENT_VERSION_STATUS_PUBLISHED,
           {DocumentStep::kSetApplicability}},
          {v1::DOCUMENT_VERSION_STATUS_SUPERSEDED, {}},
          {v1::DOCUMENT_VERSION_STATUS_RETIRED, {}},
      };
  const std::vector<DocumentStep> all = {
      DocumentStep::kRequestReview, DocumentStep::kReview,
      DocumentStep::kApprove, DocumentStep::kPublish,
      DocumentStep::kSetApplicability};
  int legal = 0;
  int illegal = 0;
  for (const auto& [status, allowed] : table) {
    const DocumentAggregate d = WithVersionOneIn(status);
    ASSERT_EQ(d.FindVersion(1)->status(), status)
        << v1::DocumentVersionStatus_Name(status);
    for (DocumentStep step : all) {
      SCOPED_TRACE(absl::StrCat(v1::DocumentVersionStatus_Name(status),
                                " step ", static_cast<int>(step)));
      const bool expected =
          std::find(allowed.begin(), allowed.end(), step) != allowed.end();
      EXPECT_EQ(DocumentStepAllowed(status, step), expected);
      auto result = Take(d, step);
      if (expected) {
        ++legal;
        EXPECT_OK(result.status());
      } else {
        ++illegal;
        ASSERT_THAT(result, StatusIs(absl::StatusCode::kFailedPrecondition));
        RuleViolation rule;
        ASSERT_TRUE(RuleViolationOf(result.status(), &rule));
        EXPECT_EQ(rule.rule, "DOCUMENT_WORKFLOW");
      }
    }
  }
  EXPECT_EQ(legal, 5);
  EXPECT_EQ(illegal, 25);
}

TEST(DocumentWorkflow,
     PublishingSupersedesAndRetiringRetiresThePublishedVersion) {
  DocumentAggregate d = WithVersionOneIn(v1::DOCUMENT_VERSION_STATUS_PUBLISHED);
  ApplyAll(d, d.SetApplicability(1, {"erp"}));
  // One open version at a time.
  ApplyAll(d, d.DraftVersion(Draft("second issue")));
  auto third = d.DraftVersion(Draft("third issue"));
  ASSERT_THAT(third, StatusIs(absl::StatusCode::kFailedPrecondition,
                              HasSubstr("version 2")));
  // Changes requested: back to DRAFT; a new round forgets the old verdicts.
  ApplyAll(d, d.RequestReview(2));
  ApplyAll(d, d.Review(2, Verdict(v1::REVIEW_VERDICT_REQUEST_CHANGES)));
  EXPECT_EQ(d.FindVersion(2)->status(), v1::DOCUMENT_VERSION_STATUS_DRAFT);
  ApplyAll(d, d.RequestReview(2));
  EXPECT_TRUE(d.FindVersion(2)->reviews().empty());
  auto unreviewed = d.Approve(2, "head-of-pmo");
  ASSERT_THAT(unreviewed, StatusIs(absl::StatusCode::kFailedPrecondition,
                                   HasSubstr("needs an approving review")));
  ApplyAll(d, d.Review(2, Verdict(v1::REVIEW_VERDICT_APPROVE)));
  ApplyAll(d, d.Approve(2, "head-of-pmo"));
  ApplyAll(d, d.Publish(2));
  EXPECT_EQ(d.FindVersion(1)->status(), v1::DOCUMENT_VERSION_STATUS_SUPERSEDED);
  EXPECT_EQ(d.Published()->version_number(), 2);
  ApplyAll(d, d.Retire("merged into the PMO handbook"));
  EXPECT_TRUE(d.state().retired());
  EXPECT_EQ(d.FindVersion(2)->status(), v1::DOCUMENT_VERSION_STATUS_RETIRED);
  EXPECT_EQ(d.Published(), nullptr);
  EXPECT_THAT(
      d.DraftVersion(Draft("after retirement")),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("retired")));
}

TEST(DocumentInput, BodiesOverOneMebibyteAreRefusedNamingTheField) {
  DocumentDraft big = Draft("big");
  big.body_size_bytes = kMaxDocumentBodyBytes;
  EXPECT_OK(ValidateDraft(big));
  big.body_size_bytes = kMaxDocumentBodyBytes + 1;
  auto refused = ValidateDraft(big);
  ASSERT_THAT(refused,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("1 MiB")));
  ASSERT_EQ(FieldViolationsOf(refused).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(refused)[0].field, "body");
  DocumentAggregate d;
  auto bad =
      d.Create("doc", v1::DOCUMENT_KIND_UNSPECIFIED, "", "bob", Draft("x"));
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(bad.status()))
    fields.push_back(v.field);
  EXPECT_THAT(fields, ::testing::ElementsAre("kind", "title"));
}

TEST(DocumentInput, MediaTypesAreTypeSlashSubtypeTokensWithoutHeaderInjection) {
  for (const char* good :
       {"text/markdown", "application/vnd.pmo+json",
        "text/plain; charset=utf-8", "text/plain;format=\"flowed\""}) {
    DocumentDraft d = Draft("ok");
    d.media_type = good;
    EXPECT_OK(ValidateDraft(d)) << good;
  }
  for (const std::string& bad :
       {std::string("text/markdown\r\nX-Injected: 1"), std::string("text"),
        std::string("text/"), std::string("/plain"),
        std::string("text/plain; charset"), std::string("text/pl ain"),
        std::string("text/plain\n"), "text/" + std::string(130, 'a')}) {
    DocumentDraft d = Draft("bad");
    d.media_type = bad;
    auto refused = ValidateDraft(d);
    ASSERT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
    ASSERT_EQ(FieldViolationsOf(refused).size(), 1u);
    EXPECT_EQ(FieldViolationsOf(refused)[0].field, "media_type");
  }
}

}  // namespace
}  // namespace pmo::configuration
