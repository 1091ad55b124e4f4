// The SQLite engine: a view is a file in a temporary folder of the test.

#include "libs/base/testing/temp_dir.h"
#include "services/projection/adapters/open_view_storage.h"
#include "services/projection/app/testing/view_engine.h"

namespace pmo::projection::testing {
namespace {

class SqliteEngine : public ViewEngine {
 public:
  absl::StatusOr<std::unique_ptr<PortfolioView>> Open(
      const std::string& name, PortfolioView::Options options) override {
    return OpenPortfolioViewAt(Where(name), std::move(options));
  }
  ViewLocation Where(const std::string& name) override {
    return {.sqlite_path = dir_.File(name + ".db")};
  }

 private:
  pmo::testing::TempDir dir_;
};

}  // namespace

std::unique_ptr<ViewEngine> MakeSqliteEngine() {
  return std::make_unique<SqliteEngine>();
}

}  // namespace pmo::projection::testing
