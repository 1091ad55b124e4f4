#include "tests/support/command_load.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace pmo::testing {

CommandLoad::CommandLoad(std::function<CommandSender(int thread)> make_sender,
                         Options options)
    : make_sender_(std::move(make_sender)), options_(std::move(options)) {
  for (int t = 0; t < options_.threads; ++t) {
    threads_.emplace_back([this, t] { Run(t); });
  }
}

CommandLoad::~CommandLoad() { Stop(); }

void CommandLoad::Stop() {
  stopping_ = true;
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

std::vector<LedgerEntry> CommandLoad::TakeSent() {
  std::lock_guard lock(mu_);
  return std::move(sent_);
}

void CommandLoad::Run(int thread_index) {
  const CommandSender send = make_sender_(thread_index);
  for (int n = 0; n < options_.max_per_thread && !stopping_; ++n) {
    LedgerEntry c;
    c.thread = thread_index;
    c.n = n;
    c.request_id =
        absl::StrCat(options_.request_prefix, "-", thread_index, "-", n);
    send(c);
    const bool acked = c.acked();
    (acked ? acked_ : failed_).fetch_add(1);
    {
      std::lock_guard lock(mu_);
      sent_.push_back(std::move(c));
    }
    if (options_.pause > absl::ZeroDuration()) absl::SleepFor(options_.pause);
    // A refused call (the server is down) is not retried here, but the next
    // command waits a little: no hot loop of failures while the test
    // restarts the server.
    if (!acked) absl::SleepFor(absl::Milliseconds(50));
  }
}

void RetryUntilAcked(const CommandSender& send, LedgerEntry& entry,
                     absl::Duration timeout) {
  const absl::Time until = absl::Now() + timeout;
  do {
    send(entry);
    if (entry.acked()) return;
    absl::SleepFor(absl::Milliseconds(100));
  } while (absl::Now() < until);
}

}  // namespace pmo::testing
