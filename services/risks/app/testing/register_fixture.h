#pragma once

// The whole risk register over a real SQLite store in a temp dir, with a
// portfolio structure fed as the projects service's events would:
//   portfolio "corporate" (a UUID, kCorporate) -> programme "digital"
//   (kDigital) -> projects "erp" and "crm"; project "lab" in no programme.
// Time is a manual clock starting Monday 1 March 2027, 09:00 UTC.

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/clock.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/eventstore/sqlite_event_store.h"
#include "libs/projectdirectory/testing/directory_feed.h"
#include "services/risks/app/escalation_handlers.h"
#include "services/risks/app/issue_handlers.h"
#include "services/risks/app/matrix_handlers.h"
#include "services/risks/app/register_reports.h"
#include "services/risks/app/risk_handlers.h"

namespace pmo::risks::testing {

inline constexpr char kCorporate[] = "0c0ab1e5-0000-4000-8000-000000000001";
inline constexpr char kDigital[] = "0c0ab1e5-0000-4000-8000-000000000002";

inline eventsourcing::CommandContext Ctx(std::string request_id) {
  eventsourcing::CommandContext c;
  c.request_id = std::move(request_id);
  c.metadata.actor = "pm-alice";
  return c;
}

inline google::type::Date D(int y, int m, int d) {
  google::type::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

inline v1::Assessment A(int probability, int cost, int schedule, int quality,
                        int64_t money) {
  v1::Assessment a;
  a.set_probability(probability);
  a.mutable_impact()->set_cost(cost);
  a.mutable_impact()->set_schedule(schedule);
  a.mutable_impact()->set_quality(quality);
  a.set_cost_impact_minor(money);
  return a;
}

// A supplier risk of a project (or, with `level`, of a programme or
// portfolio).
inline v1::RiskIdentified Supplier(
    const std::string& scope, v1::RiskKind kind = v1::RISK_KIND_THREAT,
    v1::RiskLevel level = v1::RISK_LEVEL_PROJECT) {
  v1::RiskIdentified r;
  r.set_level(level);
  r.set_scope_id(scope);
  r.set_kind(kind);
  r.set_title("Key supplier fails to deliver");
  r.set_cause("Single source");
  r.set_event("Late delivery");
  r.set_effect("Go-live slips");
  r.set_category("External/Suppliers");
  r.set_owner("alice");
  r.add_triggers("Supplier misses a milestone");
  return r;
}

class RiskRegisterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(
        store_, eventstore::SqliteEventStore::Open(dir_.File("risks.db")));
    ASSERT_OK_AND_ASSIGN(directory_, projectdirectory::ProjectDirectory::Open(
                                         dir_.File("projects.db")));
    projectdirectory::testing::DirectoryFeed feed(*directory_);
    ASSERT_OK(feed.Portfolio(kCorporate, "CORP"));
    ASSERT_OK(feed.Programme(kDigital, kCorporate));
    ASSERT_OK(feed.Project("erp", "ERP", kDigital));
    ASSERT_OK(feed.Project("crm", "CRM", kDigital));
    ASSERT_OK(feed.Project("lab", "LAB"));
    scopes_ = std::make_unique<RiskScopes>(*store_, *directory_);
    issues_ = std::make_unique<IssueHandlers>(*store_, *scopes_, clock_);
    handlers_ =
        std::make_unique<RiskHandlers>(*store_, *scopes_, *issues_, clock_);
    escalations_ = std::make_unique<EscalationHandlers>(*store_, *scopes_,
                                                        *handlers_, clock_);
    matrices_ =
        std::make_unique<MatrixHandlers>(*store_, *scopes_, *handlers_, clock_);
    reports_ = std::make_unique<RegisterReports>(*store_, *scopes_, clock_);
  }

  // Identifies and assesses (inherent) a risk; returns its id.
  std::string Assessed(const std::string& scope, const v1::Assessment& a,
                       const std::string& key,
                       v1::RiskKind kind = v1::RISK_KIND_THREAT) {
    auto risk =
        handlers_->IdentifyRisk(Supplier(scope, kind), Ctx("identify-" + key));
    EXPECT_TRUE(risk.ok()) << risk.status();
    if (!risk.ok()) return "";
    std::string id = risk->state.state().risk_id();
    auto assessed =
        handlers_->AssessRisk(id, false, a, {}, Ctx("assess-" + key));
    EXPECT_TRUE(assessed.ok()) << assessed.status();
    return id;
  }

  pmo::testing::TempDir dir_;
  ManualClock clock_{absl::FromCivil(absl::CivilSecond(2027, 3, 1, 9, 0, 0),
                                     absl::UTCTimeZone())};
  std::unique_ptr<eventstore::SqliteEventStore> store_;
  std::unique_ptr<projectdirectory::ProjectDirectory> directory_;
  std::unique_ptr<RiskScopes> scopes_;
  std::unique_ptr<IssueHandlers> issues_;
  std::unique_ptr<RiskHandlers> handlers_;
  std::unique_ptr<EscalationHandlers> escalations_;
  std::unique_ptr<MatrixHandlers> matrices_;
  std::unique_ptr<RegisterReports> reports_;
};

}  // namespace pmo::risks::testing
