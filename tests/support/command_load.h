#pragma once

// Load of any commands for fault tests: client threads each sending a
// numbered series of commands with request ids of their own, and a ledger
// of what the service answered. A test describes one command by a sender
// (which RPCs to call for thread t's n-th command); the load keeps the
// ledger, so after a kill the test can retry exactly the unacknowledged
// commands with their own request ids and check each is stored once.
//
//   CommandLoad load([&](int thread) { return MakeSender(port, thread); },
//                    {.request_prefix = "book-r0"});
//   ... kill, restart ...
//   for (LedgerEntry& c : load.TakeSent()) if (!c.acked())
//   RetryUntilAcked(sender, c, 30s);

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "tests/support/flowing_load.h"

namespace pmo::testing {

// One command as sent, with the service's answer.
struct LedgerEntry {
  std::string request_id;  // "<request_prefix>-<thread>-<n>"
  int thread = 0;
  int n = 0;  // index of the command in its thread's series
  grpc::StatusCode code = grpc::StatusCode::UNKNOWN;
  std::string error;
  // The id the service answered with (the booking, the risk...): set when
  // acknowledged.
  std::string result_id;
  bool acked() const { return code == grpc::StatusCode::OK; }
};

// Sends the command `entry` describes (by thread, n and request_id) and
// fills in code, error and result_id. A sender may make more than one call
// for one command (each with a request id derived from entry.request_id);
// the command counts as acknowledged only when all answered OK.
using CommandSender = std::function<void(LedgerEntry& entry)>;

class CommandLoad : public FlowingLoad {
 public:
  struct Options {
    int threads = 4;
    std::string request_prefix = "cmd";
    // Per thread, so the load ends by itself and a test can bound what a
    // thread's series covers (weeks of a calendar, say).
    int max_per_thread = 200;
    // Between two calls of one thread (zero: back to back).
    absl::Duration pause = absl::ZeroDuration();
  };

  // Starts `options.threads` threads at once; each calls make_sender(its
  // index) once, on itself, and sends with what it returns (so each thread
  // has its own stub).
  CommandLoad(std::function<CommandSender(int thread)> make_sender,
              Options options);
  ~CommandLoad() override;  // Stop()
  CommandLoad(const CommandLoad&) = delete;
  CommandLoad& operator=(const CommandLoad&) = delete;

  void Stop() override;
  // Everything sent, in no particular order; call after Stop().
  std::vector<LedgerEntry> TakeSent();
  int64_t acked() const override { return acked_.load(); }
  // Commands sent and not acknowledged so far.
  int64_t failed() const { return failed_.load(); }

 private:
  void Run(int thread_index);

  const std::function<CommandSender(int)> make_sender_;
  const Options options_;
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> acked_{0};
  std::atomic<int64_t> failed_{0};
  std::mutex mu_;
  std::vector<LedgerEntry> sent_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> threads_;
};

// Sends `entry` again with `send` until it is acknowledged or `timeout`
// passes.
void RetryUntilAcked(const CommandSender& send, LedgerEntry& entry,
                     absl::Duration timeout);

}  // namespace pmo::testing
