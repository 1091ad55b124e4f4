#include "libs/eventstore/append_queue.h"

#include <utility>

namespace pmo::eventstore {

AppendQueue::AppendQueue(int max_batch, CommitBatch commit)
    : max_batch_(max_batch), commit_(std::move(commit)) {
  writer_ = std::thread([this] { WriterLoop(); });
}

AppendQueue::~AppendQueue() { Stop(); }

void AppendQueue::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (writer_.joinable()) writer_.join();
}

absl::StatusOr<AppendResult> AppendQueue::Append(AppendRequest request) {
  PendingAppend pending{std::move(request), {}};
  std::future<absl::StatusOr<AppendResult>> result = pending.done.get_future();
  {
    std::lock_guard lock(mu_);
    if (stopping_) return absl::UnavailableError("event store is closing");
    queue_.push_back(&pending);
  }
  cv_.notify_one();
  return result.get();
}

void AppendQueue::WriterLoop() {
  while (true) {
    std::deque<PendingAppend*> batch;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued is done
      while (!queue_.empty() &&
             batch.size() < static_cast<size_t>(max_batch_)) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    commit_(batch);
  }
}

}  // namespace pmo::eventstore
