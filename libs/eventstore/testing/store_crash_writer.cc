// Appends to an SQLite event store from many threads until killed, printing
// "ACK <stream> <version> <position>" for every acknowledged append. The
// crash test SIGKILLs it at random moments and checks that every ACK it read
// survived.
//
// usage: store_crash_writer DB_PATH THREADS

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/base/ids.h"
#include "libs/eventstore/sqlite_event_store.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s DB_PATH THREADS\n", argv[0]);
    return 2;
  }
  auto store = pmo::eventstore::SqliteEventStore::Open(argv[1]);
  if (!store.ok()) {
    std::fprintf(stderr, "open: %s\n", store.status().ToString().c_str());
    return 1;
  }
  const int threads = std::atoi(argv[2]);
  std::mutex out_mu;
  std::vector<std::thread> writers;
  if (threads > 0) writers.reserve(threads);
  for (int t = 0; t < threads; ++t) {
    writers.emplace_back([&, t] {
      const std::string stream = absl::StrCat("writer-", t);
      auto existing = (*store)->ReadStream(stream);
      if (!existing.ok()) std::abort();
      int64_t version = static_cast<int64_t>(existing->size());
      while (true) {
        pmo::eventstore::AppendRequest r;
        r.stream_id = stream;
        r.stream_type = "crash-test";
        r.expected_version = version;
        r.request_id = pmo::NewUuid();
        // Two events per append: atomicity shows as pairs, never halves.
        for (int i = 1; i <= 2; ++i) {
          r.events.push_back({pmo::NewUuid(), "pmo.test.v1.Appended",
                              absl::StrCat(stream, ":", version + i),
                              absl::Now()});
        }
        auto result = (*store)->Append(std::move(r));
        if (!result.ok()) {
          std::fprintf(stderr, "append: %s\n",
                       result.status().ToString().c_str());
          std::abort();
        }
        version = result->last_version;
        const std::string line = absl::StrCat("ACK ", stream, " ", version, " ",
                                              result->last_position, "\n");
        std::lock_guard lock(out_mu);
        // write(2), not stdio: nothing acknowledged sits in a user buffer.
        if (write(STDOUT_FILENO, line.data(), line.size()) < 0) std::abort();
      }
    });
  }
  for (auto& w : writers) w.join();
}
