#include "libs/eventstore/sqlite_event_store.h"

#include "libs/base/testing/temp_dir.h"
#include "libs/eventstore/checkpoint_store.h"
#include "libs/eventstore/testing/event_store_conformance.h"

namespace pmo::eventstore {
namespace {

using testing::EventStoreConformance;
using testing::StoreEngine;
using testing::StoreEngineParam;

// Every store of a test in one file of its own temporary folder.
class SqliteEngine : public StoreEngine {
 public:
  absl::StatusOr<std::unique_ptr<EventStore>> OpenStore() override {
    return SqliteEventStore::Open(dir_.File("events.db"));
  }
  absl::StatusOr<std::unique_ptr<CheckpointStore>> OpenCheckpoints() override {
    return SqliteCheckpointStore::Open(dir_.File("events.db"));
  }
  int64_t CommittedBatches(EventStore& store) override {
    return dynamic_cast<SqliteEventStore&>(store).committed_batches();
  }

 private:
  pmo::testing::TempDir dir_;
};

INSTANTIATE_TEST_SUITE_P(Sqlite, EventStoreConformance,
                         ::testing::Values(StoreEngineParam{
                             "Sqlite",
                             [] { return std::make_unique<SqliteEngine>(); }}),
                         testing::StoreEngineName);

}  // namespace
}  // namespace pmo::eventstore
