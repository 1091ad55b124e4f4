// projection_view_postgres_test runs the view suites on PostgreSQL: every
// view of a test in a schema of its own on the local test cluster.

#include "libs/postgres/testing/test_cluster.h"
#include "services/projection/adapters/open_view_storage.h"
#include "services/projection/app/testing/view_engine.h"

namespace pmo::projection::testing {
namespace {

class PostgresEngine : public ViewEngine {
 public:
  absl::StatusOr<std::unique_ptr<PortfolioView>> Open(
      const std::string& name, PortfolioView::Options options) override {
    return OpenPortfolioViewAt(Where(name), std::move(options));
  }
  ViewLocation Where(const std::string& name) override {
    return {.store_url = url_, .schema = prefix_ + "_" + name};
  }

 private:
  const std::string url_ = postgres::testing::TestClusterUrl();
  const std::string prefix_ = postgres::testing::FreshSchema("view");
};

}  // namespace

std::unique_ptr<ViewEngine> MakePostgresEngine() {
  return std::make_unique<PostgresEngine>();
}

std::vector<ViewEngineParam> ViewEngines() {
  return {{"Postgres", MakePostgresEngine}};
}

}  // namespace pmo::projection::testing
