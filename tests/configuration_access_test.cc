// The configuration service behind real tokens (a secured all-in-one pmo,
// tests/support/managed_portfolio.h): commands naming an unknown project are
// NOT_FOUND, a project manager acts on the items of their own project
// (item-scoped rights) but not on another project's, and a portfolio's
// change control board votes on and decides its projects' change requests
// with the members taken from their tokens.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/time/clock.h"
#include "pmo/configuration/v1/change_control_service.grpc.pb.h"
#include "pmo/configuration/v1/configuration_service.grpc.pb.h"
#include "tests/support/managed_portfolio.h"

namespace pmo {
namespace {

using ::testing::HasSubstr;
namespace cv1 = ::pmo::configuration::v1;

class ConfigurationAccessTest : public testing::ManagedPortfolioTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(ManagedPortfolioTest::SetUp());
    items_ = cv1::ConfigurationService::NewStub(channel_);
    changes_ = cv1::ChangeControlService::NewStub(channel_);
  }

  // Registers an item of `project_id` as the admin; the item id.
  std::string Item(const std::string& project_id,
                   const std::string& identifier) {
    cv1::RegisterConfigurationItemRequest item;
    item.set_request_id("register-" + identifier);
    item.set_project_id(project_id);
    item.set_type(cv1::ITEM_TYPE_DESIGN);
    item.set_identifier(identifier);
    item.set_title(identifier + " design");
    item.set_owner("alice");
    cv1::RegisterConfigurationItemResponse registered;
    const grpc::Status s = As(admin_, [&](auto* c) {
      return items_->RegisterConfigurationItem(c, item, &registered);
    });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return registered.item().item_id();
  }

  grpc::Status NewVersion(const std::string& token, const std::string& item_id,
                          const std::string& request_id) {
    cv1::RecordItemVersionRequest version;
    version.set_request_id(request_id);
    version.set_item_id(item_id);
    version.set_change_summary("clarified");
    version.set_reason("review");
    cv1::RecordItemVersionResponse recorded;
    return As(token, [&](auto* c) {
      return items_->RecordItemVersion(c, version, &recorded);
    });
  }

  int64_t ItemVersion(const std::string& item_id) {
    cv1::GetConfigurationItemRequest get;
    get.set_item_id(item_id);
    cv1::GetConfigurationItemResponse got;
    EXPECT_TRUE(As(admin_, [&](auto* c) {
                  return items_->GetConfigurationItem(c, get, &got);
                }).ok());
    return got.item().version();
  }

  // One vote with `token`; the typed member name is only a label.
  grpc::Status Vote(const std::string& token,
                    const std::string& change_request_id,
                    const std::string& request_id) {
    cv1::CastBoardVoteRequest vote;
    vote.set_request_id(request_id);
    vote.set_change_request_id(change_request_id);
    vote.mutable_vote()->set_member("the whole board");
    vote.mutable_vote()->set_vote(cv1::BOARD_DECISION_APPROVE);
    cv1::CastBoardVoteResponse cast;
    return Call(token, [&](auto* c) {
      return changes_->CastBoardVote(c, vote, &cast);
    });
  }

  grpc::Status Decide(const std::string& token,
                      const std::string& change_request_id,
                      const std::string& request_id) {
    cv1::DecideChangeRequestRequest decide;
    decide.set_request_id(request_id);
    decide.set_change_request_id(change_request_id);
    decide.set_decision(cv1::BOARD_DECISION_APPROVE);
    decide.set_rationale("board meeting");
    cv1::DecideChangeRequestResponse decided;
    return Call(token, [&](auto* c) {
      return changes_->DecideChangeRequest(c, decide, &decided);
    });
  }

  cv1::ChangeRequest Read(const std::string& token,
                          const std::string& change_request_id) {
    cv1::GetChangeRequestRequest get;
    get.set_change_request_id(change_request_id);
    cv1::GetChangeRequestResponse got;
    const grpc::Status s = Call(token, [&](auto* c) {
      return changes_->GetChangeRequest(c, get, &got);
    });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return got.change_request();
  }

  std::unique_ptr<cv1::ConfigurationService::Stub> items_;
  std::unique_ptr<cv1::ChangeControlService::Stub> changes_;
};

TEST_F(ConfigurationAccessTest, AnItemOfAnUnknownProjectIsNotFound) {
  cv1::RegisterConfigurationItemRequest item;
  item.set_request_id("register-ghost");
  item.set_project_id("00000000-0000-4000-8000-00000000dead");
  item.set_type(cv1::ITEM_TYPE_DESIGN);
  item.set_identifier("DES-1");
  item.set_title("t");
  item.set_owner("alice");
  cv1::RegisterConfigurationItemResponse registered;
  const grpc::Status s = As(admin_, [&](auto* c) {
    return items_->RegisterConfigurationItem(c, item, &registered);
  });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr("project_id: no project"));
}

TEST_F(ConfigurationAccessTest, AManagerVersionsTheirProjectsItemsOnly) {
  const std::string erp_item = Item(erp_, "ERP-DES-1");
  const std::string crm_item = Item(crm_, "CRM-DES-1");
  ASSERT_FALSE(erp_item.empty());
  ASSERT_FALSE(crm_item.empty());

  // Alice manages ERP: she versions its item (keyed by item id only).
  const grpc::Status own = NewVersion(alice_, erp_item, "alice-erp");
  EXPECT_TRUE(own.ok()) << own.error_message();

  // CRM's item is not hers: refused before anything is appended.
  const int64_t before = ItemVersion(crm_item);
  const grpc::Status other = NewVersion(alice_, crm_item, "alice-crm");
  EXPECT_EQ(other.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << other.error_message();
  EXPECT_EQ(ItemVersion(crm_item), before);

  // An item that does not exist is NOT_FOUND, naming it.
  const grpc::Status missing = NewVersion(
      alice_, "00000000-0000-4000-8000-00000000beef", "alice-missing");
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
}

// CORP's board: ann (an analyst), ben (a stakeholder) and alice (ERP's
// manager), chaired by ann, two must vote. Alice submits a change to ERP.
TEST_F(ConfigurationAccessTest,
       AChangeRequestNeedsAQuorumOfBoardMembersNamedByTheirTokens) {
  const std::string ann = Token("ann", {"pmo_analyst"});
  const std::string ben = Token("ben", {"stakeholder"});
  const std::string bob = Token("bob", {"project_manager"}, {crm_});

  cv1::ConfigureChangeBoardRequest board;
  board.set_request_id("corp-board");
  board.set_portfolio_id(corp_);
  for (const char* m : {"ann", "ben", "alice"}) board.add_members(m);
  board.set_chair("ann");
  board.set_quorum(2);
  board.set_majority(cv1::BOARD_MAJORITY_SIMPLE);
  cv1::ConfigureChangeBoardResponse configured;
  // A project manager may not set up a portfolio's board.
  EXPECT_EQ(Call(alice_,
                 [&](auto* c) {
                   return changes_->ConfigureChangeBoard(c, board, &configured);
                 })
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status s = As(admin_, [&](auto* c) {
    return changes_->ConfigureChangeBoard(c, board, &configured);
  });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(configured.board().configured_by(), "pmo-admin-1");

  cv1::SubmitChangeRequestRequest submit;
  submit.set_request_id("cr-erp");
  submit.set_project_id(erp_);
  submit.set_title("Raise the invoice limit");
  submit.set_reason("Finance asked for larger batches");
  submit.set_requester("alice");
  submit.add_affected_item_ids(Item(erp_, "ERP-DES-9"));
  cv1::SubmitChangeRequestResponse submitted;
  s = As(alice_, [&](auto* c) {
    return changes_->SubmitChangeRequest(c, submit, &submitted);
  });
  ASSERT_TRUE(s.ok()) << s.error_message();
  const std::string id = submitted.change_request().change_request_id();
  cv1::AssessChangeRequestRequest assess;
  assess.set_request_id("assess-erp");
  assess.set_change_request_id(id);
  assess.set_assessed_by("dave");
  for (auto level :
       {&cv1::ChangeImpact::set_scope, &cv1::ChangeImpact::set_schedule,
        &cv1::ChangeImpact::set_cost, &cv1::ChangeImpact::set_risk}) {
    (assess.mutable_impact()->*level)(cv1::IMPACT_LEVEL_LOW);
  }
  cv1::AssessChangeRequestResponse assessed;
  s = As(admin_, [&](auto* c) {
    return changes_->AssessChangeRequest(c, assess, &assessed);
  });
  ASSERT_TRUE(s.ok()) << s.error_message();
  const int64_t version = Read(admin_, id).version();

  // Refused, appending nothing: a non-member (bob, who manages another
  // project; the administrator, who is no member either), the requester,
  // and a decision before the quorum.
  EXPECT_EQ(Vote(bob, id, "bob-vote").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  s = Vote(admin_, id, "admin-vote");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(), HasSubstr("not a member"));
  s = Vote(alice_, id, "alice-vote");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("a second person must"));
  s = Vote(ann, id, "ann-vote");
  ASSERT_TRUE(s.ok()) << s.error_message();
  s = Decide(ann, id, "early-decision");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("once 2 of its members have voted"));
  EXPECT_EQ(Read(admin_, id).version(), version + 1);  // ann's vote only

  // Ben holds no role that writes, but he sits on the board: he reads the
  // request and votes; only the chair decides.
  EXPECT_EQ(Read(ben, id).status(), cv1::CHANGE_REQUEST_STATUS_ASSESSED);
  s = Vote(ben, id, "ben-vote");
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(Decide(ben, id, "ben-decision").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  s = Decide(ann, id, "decision");
  ASSERT_TRUE(s.ok()) << s.error_message();

  const cv1::ChangeRequest decided = Read(admin_, id);
  EXPECT_EQ(decided.status(), cv1::CHANGE_REQUEST_STATUS_APPROVED);
  EXPECT_EQ(decided.decided_by(), "ann");
  std::vector<std::string> voters;
  for (const cv1::BoardVote& v : decided.votes()) {
    voters.push_back(v.member());
    EXPECT_EQ(v.member_label(), "the whole board");
  }
  EXPECT_THAT(voters, ::testing::ElementsAre("ann", "ben"));
}

}  // namespace
}  // namespace pmo
