#pragma once

// The scale-out event store: tables in one schema of a PostgreSQL database,
// shared by every replica of a service.
//
// Group commit as in SqliteEventStore: one writer thread per process takes
// everything queued and commits it in one transaction (one WAL flush,
// synchronous_commit=on, so OK means on disk). Each request runs in its own
// savepoint, so one request's conflict does not fail its neighbours (first
// tried without savepoints: refusals are found before any write, so only a
// failing statement makes the batch run again with them).
//
// Replicas: every batch first locks the single `head` row, which holds the
// last position. So batches of all replicas commit one after another, and
// positions grow in commit order: ReadAll (and the outbox relay) never sees
// position n+1 while n is still invisible. The version check runs under that
// lock and the unique key (stream_id, stream_version) stays as the last
// guard: a conflicting append is ABORTED, never stored twice.
//
//   replica A ─► queue ─► writer: BEGIN; SELECT head FOR UPDATE;
//   replica B ─► queue ─► writer:   (SAVEPOINT; checks; INSERT)*;
//                                   UPDATE head; NOTIFY; COMMIT
//
// Other replicas' commits reach HeadPosition()/WaitForEventsAfter through
// LISTEN/NOTIFY on a connection of its own (and a poll of `head` every
// second, in case a notification was lost with a connection).

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
#include "libs/eventstore/checkpoint_store.h"
#include "libs/eventstore/event_store.h"
#include "libs/postgres/postgres.h"

namespace pmo::eventstore {

class PostgresEventStore : public EventStore {
 public:
  struct Options {
    // The schema holding this store's tables, one per service (e.g.
    // "projects"); created if missing.
    std::string schema = "events";
    int max_batch = 512;
    const Clock* clock = &Clock::Real();
  };

  // `url`: a libpq connection URI, e.g. postgresql://pmo@127.0.0.1:5432/pmo.
  static absl::StatusOr<std::unique_ptr<PostgresEventStore>> Open(
      const std::string& url, const Options& options);
  // Finishes queued appends, then closes.
  ~PostgresEventStore() override;

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

  // Commits so far by this process (each one WAL flush).
  int64_t committed_batches() const { return committed_batches_.load(); }

 private:
  PostgresEventStore(std::unique_ptr<postgres::Connection> writer,
                     std::unique_ptr<postgres::Connection> reader,
                     std::unique_ptr<postgres::Connection> listener,
                     std::string channel, Options options);
  void CommitBatch(std::deque<PendingAppend*>& batch);
  // The batch's requests in the open transaction, a result each. False when
  // a statement failed without savepoints (the transaction is lost: run the
  // batch again with them).
  absl::StatusOr<bool> ApplyBatch(
      const std::deque<PendingAppend*>& batch, absl::Time recorded_at,
      bool savepoints, int64_t& head,
      std::vector<absl::StatusOr<AppendResult>>& results);
  absl::StatusOr<AppendResult> ApplyOne(const AppendRequest& request,
                                        absl::Time recorded_at, int64_t& head);
  void ListenLoop();
  void AdvanceHead(int64_t position);

  const Options options_;
  const std::string channel_;  // NOTIFY channel of this schema
  std::unique_ptr<postgres::Connection> writer_db_;  // writer thread only

  std::mutex reader_mu_;
  std::unique_ptr<postgres::Connection> reader_db_ ABSL_GUARDED_BY(reader_mu_);

  std::unique_ptr<postgres::Connection> listener_db_;  // listener thread only

  std::mutex head_mu_;
  std::condition_variable head_cv_;
  std::atomic<int64_t> head_position_{0};
  std::atomic<int64_t> committed_batches_{0};
  std::atomic<bool> closing_{false};

  std::thread listener_;
  std::unique_ptr<AppendQueue> appends_;  // last: stopped first
};

// Checkpoints in the `checkpoints` table of a store's schema, so a relay's
// progress lives beside the events it publishes (and is shared by replicas).
class PostgresCheckpointStore : public CheckpointStore {
 public:
  static absl::StatusOr<std::unique_ptr<PostgresCheckpointStore>> Open(
      const std::string& url, const std::string& schema);
  absl::StatusOr<int64_t> Load(const std::string& name) override;
  absl::Status Save(const std::string& name, int64_t position) override;

 private:
  explicit PostgresCheckpointStore(std::unique_ptr<postgres::Connection> db)
      : db_(std::move(db)) {}
  std::mutex mu_;
  std::unique_ptr<postgres::Connection> db_ ABSL_GUARDED_BY(mu_);
};

}  // namespace pmo::eventstore
