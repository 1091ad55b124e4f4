#pragma once

// The behaviour every EventStore adapter promises (event_store.h), as one
// parameterised GoogleTest suite. An adapter's test instantiates it with an
// engine that opens its store:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, EventStoreConformance,
//                            ::testing::Values(StoreEngineParam{"Sqlite",
//                            MakeSqlite}), StoreEngineName);
//
// and adds event_store_conformance.cc to the test's sources (a TEST_P in a
// static library would be dropped by the linker).

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "libs/eventstore/checkpoint_store.h"
#include "libs/eventstore/event_store.h"

namespace pmo::eventstore::testing {

// One store of one engine, fresh for each test; opened again by Reopen tests.
class StoreEngine {
 public:
  virtual ~StoreEngine() = default;
  // The same store each call (the same file, the same schema).
  virtual absl::StatusOr<std::unique_ptr<EventStore>> OpenStore() = 0;
  virtual absl::StatusOr<std::unique_ptr<CheckpointStore>>
  OpenCheckpoints() = 0;
  // Transactions `store` (opened by OpenStore) has committed.
  virtual int64_t CommittedBatches(EventStore& store) = 0;
};

struct StoreEngineParam {
  std::string name;
  std::function<std::unique_ptr<StoreEngine>()> make;
};

// Test output names the engine, not the parameter's bytes.
inline void PrintTo(const StoreEngineParam& param, std::ostream* os) {
  *os << param.name;
}

inline std::string StoreEngineName(
    const ::testing::TestParamInfo<StoreEngineParam>& info) {
  return info.param.name;
}

class EventStoreConformance
    : public ::testing::TestWithParam<StoreEngineParam> {
 protected:
  void SetUp() override;
  void Reopen();

  std::unique_ptr<StoreEngine> engine_;
  std::unique_ptr<EventStore> store_;
};

}  // namespace pmo::eventstore::testing
