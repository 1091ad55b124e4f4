#include "services/configuration/app/document_handlers.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/content_hash.h"
#include "libs/base/errors.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/eventstore/sqlite_event_store.h"
#include "services/configuration/adapters/sqlite_document_bodies.h"
#include "services/configuration/app/test_projects.h"
#include "services/configuration/testing/mock_document_bodies.h"

namespace pmo::configuration {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::_;
using ::testing::HasSubstr;
using ::testing::NiceMock;
using ::testing::Return;

eventsourcing::CommandContext Ctx(std::string request_id) {
  eventsourcing::CommandContext c;
  c.request_id = std::move(request_id);
  c.metadata.actor = "alice";
  return c;
}

DocumentContent Content(std::string body, std::string summary = "first issue") {
  return {std::move(body), "text/markdown", std::move(summary)};
}

class DocumentHandlersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(store_, eventstore::SqliteEventStore::Open(
                                     dir_.File("configuration.db")));
    ASSERT_OK_AND_ASSIGN(bodies_,
                         SqliteDocumentBodies::Open(dir_.File("documents.db")));
    projects_ = KnownTestProjects(dir_.File("projects.db"));
    documents_ =
        std::make_unique<DocumentHandlers>(*store_, *bodies_, *projects_);
  }
  ::pmo::testing::TempDir dir_;
  std::unique_ptr<eventstore::SqliteEventStore> store_;
  std::unique_ptr<projectdirectory::ProjectDirectory> projects_;
  std::unique_ptr<DocumentBodies> bodies_;
  std::unique_ptr<DocumentHandlers> documents_;
};

TEST_F(DocumentHandlersTest,
       BodiesUpToOneMebibyteAreStoredWithTheirHashLargerOnesRefused) {
  const std::string exactly(kMaxDocumentBodyBytes, 'x');
  ASSERT_OK_AND_ASSIGN(
      VersionedDocument doc,
      documents_->Create(v1::DOCUMENT_KIND_TEMPLATE, "Status report template",
                         "bob", Content(exactly), Ctx("create")));
  const v1::DocumentVersion& first = doc.state.state().versions(0);
  EXPECT_EQ(first.body_size_bytes(), kMaxDocumentBodyBytes);
  EXPECT_EQ(first.content_sha256(), Sha256Hex(exactly));
  EXPECT_EQ(first.author(), "alice");
  ASSERT_OK_AND_ASSIGN(DocumentBody body,
                       documents_->GetBody(doc.state.state().document_id(), 1));
  EXPECT_EQ(body.body, exactly);
  EXPECT_EQ(body.media_type, "text/markdown");

  auto too_big = documents_->Create(
      v1::DOCUMENT_KIND_TEMPLATE, "Too big", "bob",
      Content(std::string(kMaxDocumentBodyBytes + 1, 'x')), Ctx("too-big"));
  ASSERT_THAT(
      too_big,
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("body: must be at most 1 MiB (1048576 bytes)")));
  EXPECT_EQ(FieldViolationsOf(too_big.status())[0].field, "body");
  EXPECT_THAT(documents_->GetBody(doc.state.state().document_id(), 2),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(DocumentHandlersTest,
       APublishedVersionAppliesToItsProjectsAndTitlesAreUniquePerKind) {
  ASSERT_OK_AND_ASSIGN(
      VersionedDocument doc,
      documents_->Create(v1::DOCUMENT_KIND_POLICY, "Risk policy", "bob",
                         Content("# Risk policy v1"), Ctx("create")));
  const std::string id = doc.state.state().document_id();
  EXPECT_THAT(
      documents_->Create(v1::DOCUMENT_KIND_POLICY, "Risk policy", "bob",
                         Content("again"), Ctx("create-again")),
      StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("Risk policy")));
  ASSERT_OK(documents_->RequestReview(id, 1, Ctx("review-1")).status());
  v1::DocumentReview review;
  review.set_reviewer("quality-office");
  review.set_verdict(v1::REVIEW_VERDICT_APPROVE);
  ASSERT_OK(documents_->Review(id, 1, review, Ctx("verdict-1")).status());
  ASSERT_OK(
      documents_->Approve(id, 1, "head-of-pmo", Ctx("approve-1")).status());
  ASSERT_OK(documents_->Publish(id, 1, Ctx("publish-1")).status());
  const int64_t head = store_->HeadPosition();
  EXPECT_THAT(
      documents_->SetApplicability(id, 1, {"erp", "ghost"}, Ctx("apply-ghost")),
      StatusIs(absl::StatusCode::kNotFound,
               HasSubstr("project_ids[1]: no project ghost")));
  EXPECT_EQ(store_->HeadPosition(), head);
  ASSERT_OK(documents_->SetApplicability(id, 1, {"erp", "crm"}, Ctx("apply-1"))
                .status());

  ASSERT_OK_AND_ASSIGN(auto for_erp,
                       documents_->List(v1::DOCUMENT_KIND_UNSPECIFIED, "erp"));
  ASSERT_EQ(for_erp.size(), 1u);
  ASSERT_OK_AND_ASSIGN(auto for_hr,
                       documents_->List(v1::DOCUMENT_KIND_POLICY, "hr"));
  EXPECT_TRUE(for_hr.empty());

  // A stale version is a conflict; a retried request appends nothing.
  eventsourcing::CommandContext stale = Ctx("draft-2");
  stale.expected_version = 2;
  EXPECT_THAT(documents_->DraftVersion(id, Content("# v2", "tightened"), stale),
              StatusIs(absl::StatusCode::kAborted));
  ASSERT_OK_AND_ASSIGN(VersionedDocument drafted,
                       documents_->DraftVersion(
                           id, Content("# v2", "tightened"), Ctx("draft-2b")));
  ASSERT_OK_AND_ASSIGN(VersionedDocument again,
                       documents_->DraftVersion(
                           id, Content("# v2", "tightened"), Ctx("draft-2b")));
  EXPECT_EQ(again.version, drafted.version);
  EXPECT_EQ(drafted.state.state().versions_size(), 2);

  ASSERT_OK(documents_->Retire(id, "merged into the handbook", Ctx("retire"))
                .status());
  ASSERT_OK_AND_ASSIGN(auto retired,
                       documents_->List(v1::DOCUMENT_KIND_UNSPECIFIED, "erp"));
  EXPECT_TRUE(retired.empty());
}

// The author of a version may not approve it; a project is added to and
// removed from a published version one at a time.
TEST_F(DocumentHandlersTest,
       TheAuthorMayNotApproveAndProjectsAreAddedAndRemovedOneByOne) {
  ASSERT_OK_AND_ASSIGN(
      VersionedDocument doc,
      documents_->Create(v1::DOCUMENT_KIND_POLICY, "Change policy", "bob",
                         Content("# Change policy v1"), Ctx("create")));
  const std::string id = doc.state.state().document_id();
  ASSERT_OK(documents_->RequestReview(id, 1, Ctx("review-1")).status());
  v1::DocumentReview review;
  review.set_reviewer("quality-office");
  review.set_verdict(v1::REVIEW_VERDICT_APPROVE);
  ASSERT_OK(documents_->Review(id, 1, review, Ctx("verdict-1")).status());
  const int64_t before = store_->HeadPosition();
  // alice drafted version 1 (Ctx's actor).
  EXPECT_THAT(documents_->Approve(id, 1, "alice", Ctx("self-approve")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("a second person must")));
  EXPECT_EQ(store_->HeadPosition(), before);
  ASSERT_OK(
      documents_->Approve(id, 1, "head-of-pmo", Ctx("approve-1")).status());
  ASSERT_OK(documents_->Publish(id, 1, Ctx("publish-1")).status());

  ASSERT_OK(
      documents_->AddApplicability(id, 1, "erp", Ctx("add-erp")).status());
  ASSERT_OK_AND_ASSIGN(
      VersionedDocument both,
      documents_->AddApplicability(id, 1, "crm", Ctx("add-crm")));
  EXPECT_THAT(both.state.FindVersion(1)->project_ids(),
              ::testing::ElementsAre("erp", "crm"));
  const int64_t head = store_->HeadPosition();
  ASSERT_OK(documents_->AddApplicability(id, 1, "crm", Ctx("add-crm-again"))
                .status());
  EXPECT_EQ(store_->HeadPosition(), head);
  EXPECT_THAT(documents_->AddApplicability(id, 1, "ghost", Ctx("add-ghost")),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("project_id: no project ghost")));
  EXPECT_THAT(documents_->AddApplicability(id, 1, "", Ctx("add-none")),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(store_->HeadPosition(), head);
  ASSERT_OK_AND_ASSIGN(
      VersionedDocument left,
      documents_->RemoveApplicability(id, 1, "erp", Ctx("remove-erp")));
  EXPECT_THAT(left.state.FindVersion(1)->project_ids(),
              ::testing::ElementsAre("crm"));
}

// The same handlers over a gmock body store that answers from the real one
// unless a test says otherwise.
class DocumentHandlersWithMockBodiesTest : public DocumentHandlersTest {
 protected:
  void SetUp() override {
    DocumentHandlersTest::SetUp();
    bodies_mock_.DelegateTo(*bodies_);
    documents_ =
        std::make_unique<DocumentHandlers>(*store_, bodies_mock_, *projects_);
  }
  NiceMock<testing::MockDocumentBodies> bodies_mock_;
};

// The body is written before the event that names it: a body store that
// refuses the write refuses the command, and nothing is appended.
TEST_F(DocumentHandlersWithMockBodiesTest,
       ABodyStoreThatRefusesTheWriteRefusesTheDocumentAndAppendsNothing) {
  ASSERT_OK_AND_ASSIGN(
      VersionedDocument doc,
      documents_->Create(v1::DOCUMENT_KIND_STANDARD, "Coding standard", "bob",
                         Content("# v1"), Ctx("create")));
  const std::string id = doc.state.state().document_id();
  const int64_t head = store_->HeadPosition();
  EXPECT_CALL(bodies_mock_, Put(_))
      .WillRepeatedly(Return(absl::ResourceExhaustedError("disk full")));
  EXPECT_THAT(documents_->Create(v1::DOCUMENT_KIND_STANDARD, "Review standard",
                                 "bob", Content("# v1"), Ctx("create-2")),
              StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(documents_->DraftVersion(id, Content("# v2", "tightened"),
                                       Ctx("draft-2")),
              StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(store_->HeadPosition(), head);
  ASSERT_OK_AND_ASSIGN(VersionedDocument unchanged, documents_->Get(id));
  EXPECT_EQ(unchanged.state.state().versions_size(), 1);
}

// An event that names a body the store no longer has is reported as lost
// data, naming the document and version, never as an empty body.
TEST_F(DocumentHandlersWithMockBodiesTest,
       ABodyTheStoreNoLongerHasIsDataLossNamingTheVersion) {
  ASSERT_OK_AND_ASSIGN(
      VersionedDocument doc,
      documents_->Create(v1::DOCUMENT_KIND_TEMPLATE, "Closure template", "bob",
                         Content("# Closure"), Ctx("create")));
  const std::string id = doc.state.state().document_id();
  EXPECT_CALL(bodies_mock_, Get(doc.state.state().versions(0).content_sha256()))
      .WillOnce(Return(std::optional<std::string>()));
  EXPECT_THAT(documents_->GetBody(id, 1),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr(absl::StrCat("document ", id, " version 1"))));
}

}  // namespace
}  // namespace pmo::configuration
