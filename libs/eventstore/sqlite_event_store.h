#pragma once

// The embedded event store: one SQLite file in WAL mode.
//
// Group commit: Append() queues the request and waits; one writer thread
// takes everything queued, applies each request inside its own savepoint of
// one transaction (so one request's conflict does not fail its neighbours),
// commits once (one fsync for the batch), then answers every waiter. An OK
// answer therefore always means "on disk".
//
//   callers ──► queue ──► writer: BEGIN; (SAVEPOINT; checks; INSERT)*; COMMIT
//                                   │
//                         answers ◄─┘ after the fsync

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "libs/base/clock.h"
#include "libs/eventstore/append_queue.h"
#include "libs/eventstore/event_store.h"
#include "libs/sqlite/sqlite.h"

namespace pmo::eventstore {

class SqliteEventStore : public EventStore {
 public:
  struct Options {
    // Most requests one transaction takes.
    int max_batch = 512;
    const Clock* clock = &Clock::Real();
  };

  static absl::StatusOr<std::unique_ptr<SqliteEventStore>> Open(
      const std::string& path, Options options);
  static absl::StatusOr<std::unique_ptr<SqliteEventStore>> Open(
      const std::string& path) {
    return Open(path, Options());
  }
  // Finishes queued appends, then closes.
  ~SqliteEventStore() override;

  absl::StatusOr<AppendResult> Append(AppendRequest request) override;
  absl::StatusOr<std::optional<AppendResult>> FindRequest(
      absl::string_view request_id) override;
  absl::StatusOr<std::vector<RecordedEvent>> ReadStream(
      absl::string_view stream_id, int64_t from_version = 1,
      int64_t to_version = INT64_MAX) override;
  absl::StatusOr<std::vector<RecordedEvent>> ReadAll(int64_t after_position,
                                                     int max_count) override;
  absl::StatusOr<std::vector<StreamStart>> ListStreams(
      absl::string_view stream_type, int64_t after_position,
      int limit) override;
  int64_t HeadPosition() const override { return head_position_.load(); }
  bool WaitForEventsAfter(int64_t position, absl::Duration timeout) override;

  // Commits so far (each one fsync); with concurrent writers this is well
  // below the number of appends.
  int64_t committed_batches() const { return committed_batches_.load(); }

 private:
  SqliteEventStore(std::unique_ptr<sqlite::Database> writer,
                   std::unique_ptr<sqlite::Database> reader, Options options);
  void CommitBatch(std::deque<PendingAppend*>& batch);
  absl::StatusOr<AppendResult> ApplyOne(const AppendRequest& request,
                                        absl::Time recorded_at);
  absl::StatusOr<std::optional<AppendResult>> FindRequestOn(
      sqlite::Database& db, absl::string_view request_id);

  const Options options_;
  std::unique_ptr<sqlite::Database> writer_db_;  // writer thread only

  std::mutex reader_mu_;
  std::unique_ptr<sqlite::Database> reader_db_ ABSL_GUARDED_BY(reader_mu_);

  std::mutex head_mu_;
  std::condition_variable head_cv_;
  std::atomic<int64_t> head_position_{0};
  std::atomic<int64_t> committed_batches_{0};

  std::unique_ptr<AppendQueue> appends_;  // last: stopped first
};

}  // namespace pmo::eventstore
