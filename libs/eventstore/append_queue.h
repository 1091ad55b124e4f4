#pragma once

// Group commit, shared by the event store adapters: Append() callers queue
// their request and wait while one writer thread commits whatever has queued
// up meanwhile, up to max_batch requests in one transaction (one durable
// flush for the lot).

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "libs/eventstore/event_store.h"

namespace pmo::eventstore {

struct PendingAppend {
  AppendRequest request;
  std::promise<absl::StatusOr<AppendResult>> done;
};

class AppendQueue {
 public:
  // Commits one batch, in queue order, and sets every request's `done`.
  using CommitBatch = std::function<void(std::deque<PendingAppend*>& batch)>;

  // Starts the writer thread; `commit` runs only on it.
  AppendQueue(int max_batch, CommitBatch commit);
  ~AppendQueue();  // Stop()

  // Waits until the request's batch is committed (or has failed);
  // UNAVAILABLE once Stop() has begun.
  absl::StatusOr<AppendResult> Append(AppendRequest request);

  // Commits everything already queued, then ends the writer thread.
  void Stop();

 private:
  void WriterLoop();

  const int max_batch_;
  const CommitBatch commit_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<PendingAppend*> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread writer_;
};

}  // namespace pmo::eventstore
