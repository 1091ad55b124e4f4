// The configuration service behind real tokens (a secured all-in-one pmo,
// tests/support/managed_portfolio.h): commands naming an unknown project are
// NOT_FOUND, and a project manager acts on the items of their own project
// (item-scoped rights) but not on another project's.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/time/clock.h"
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
  }

  // Registers an item of `project_id` as the admin; the item id.
  std::string Item(const std::string& project_id, const std::string& identifier) {
    cv1::RegisterConfigurationItemRequest item;
    item.set_request_id("register-" + identifier);
    item.set_project_id(project_id);
    item.set_type(cv1::ITEM_TYPE_DESIGN);
    item.set_identifier(identifier);
    item.set_title(identifier + " design");
    item.set_owner("alice");
    cv1::RegisterConfigurationItemResponse registered;
    const grpc::Status s =
        As(admin_, [&](auto* c) { return items_->RegisterConfigurationItem(c, item, &registered); });
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
    return As(token, [&](auto* c) { return items_->RecordItemVersion(c, version, &recorded); });
  }

  int64_t ItemVersion(const std::string& item_id) {
    cv1::GetConfigurationItemRequest get;
    get.set_item_id(item_id);
    cv1::GetConfigurationItemResponse got;
    EXPECT_TRUE(As(admin_, [&](auto* c) { return items_->GetConfigurationItem(c, get, &got); }).ok());
    return got.item().version();
  }

  std::unique_ptr<cv1::ConfigurationService::Stub> items_;
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
  const grpc::Status s =
      As(admin_, [&](auto* c) { return items_->RegisterConfigurationItem(c, item, &registered); });
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
  EXPECT_EQ(other.error_code(), grpc::StatusCode::PERMISSION_DENIED) << other.error_message();
  EXPECT_EQ(ItemVersion(crm_item), before);

  // An item that does not exist is NOT_FOUND, naming it.
  const grpc::Status missing =
      NewVersion(alice_, "00000000-0000-4000-8000-00000000beef", "alice-missing");
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace pmo
