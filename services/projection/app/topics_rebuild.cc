#include "services/projection/app/topics_rebuild.h"

#include <cstdio>
#include <deque>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/base/status_macros.h"

namespace pmo::projection {
namespace {

using PartitionKey = std::pair<std::string, int32_t>;  // topic, partition
// Per partition, the next offset a view will apply.
using Offsets = std::map<PartitionKey, int64_t>;

absl::StatusOr<Offsets> OffsetsOf(PortfolioView& view) {
  ASSIGN_OR_RETURN(std::vector<SourceOffset> saved, view.Offsets());
  Offsets out;
  for (const SourceOffset& o : saved)
    out[{o.source, o.partition}] = o.next_offset;
  return out;
}

// Feeds the fresh view from the reader up to a target (the live view's
// offsets), never past it: what is read beyond a partition's target waits
// here, in offset order, until the target moves on. So the fresh view can
// be brought to exactly the live offsets, and what waits is at most what the
// reader got ahead of the live subscription.
class FreshFeed {
 public:
  FreshFeed(subscription::EventLogReader& reader, PortfolioView& fresh,
            int max_batch)
      : reader_(reader), fresh_(fresh), max_batch_(max_batch) {}

  // Events the fresh view lacks of `target`.
  int64_t Behind(const Offsets& target) const {
    int64_t behind = 0;
    for (const auto& [key, next] : target) {
      auto it = next_.find(key);
      behind +=
          std::max<int64_t>(next - (it == next_.end() ? 0 : it->second), 0);
    }
    return behind;
  }

  // Hands the fresh view one batch of what it lacks of `target` (reading,
  // waiting at most `wait` for a first message); returns how many events
  // it still lacks.
  absl::StatusOr<int64_t> Step(const Offsets& target, absl::Duration wait) {
    std::vector<subscription::Delivery> batch;
    for (auto& [key, waiting] : waiting_) {
      const int64_t up_to = TargetOf(target, key);
      while (!waiting.empty() && waiting.front().offset < up_to &&
             static_cast<int>(batch.size()) < max_batch_) {
        batch.push_back(std::move(waiting.front()));
        waiting.pop_front();
      }
    }
    if (static_cast<int>(batch.size()) < max_batch_) {
      ASSIGN_OR_RETURN(
          std::vector<subscription::Delivery> read,
          reader_.Read(batch.empty() ? wait : absl::ZeroDuration(),
                       max_batch_ - static_cast<int>(batch.size())));
      for (subscription::Delivery& d : read) {
        PartitionKey key{d.source, d.partition};
        std::deque<subscription::Delivery>& waiting = waiting_[key];
        // Behind an earlier one that waits, or beyond the target: wait too.
        if (!waiting.empty() || d.offset >= TargetOf(target, key)) {
          waiting.push_back(std::move(d));
        } else {
          batch.push_back(std::move(d));
        }
      }
    }
    if (!batch.empty()) {
      // The batch is out of the reader and the waiting lists: the rebuild
      // cannot retry it, so whatever the cause it ends the rebuild (and is
      // never taken for the reader's passing trouble).
      if (absl::Status s = fresh_.Handle(batch); !s.ok()) {
        return absl::AbortedError(
            absl::StrCat("applying to the fresh view: ", s.ToString()));
      }
      for (const subscription::Delivery& d : batch)
        next_[{d.source, d.partition}] = d.offset + 1;
      handed_ += static_cast<int64_t>(batch.size());
    }
    return Behind(target);
  }

  int64_t handed() const { return handed_; }

 private:
  static int64_t TargetOf(const Offsets& target, const PartitionKey& key) {
    auto it = target.find(key);
    return it == target.end() ? 0 : it->second;
  }

  subscription::EventLogReader& reader_;
  PortfolioView& fresh_;
  const int max_batch_;
  Offsets next_;
  std::map<PartitionKey, std::deque<subscription::Delivery>> waiting_;
  int64_t handed_ = 0;
};

// Where the fresh view lacks what the live one has, for an error message.
std::string Missing(const Offsets& target, int64_t behind) {
  std::string partitions;
  for (const auto& [key, next] : target)
    absl::StrAppend(&partitions, " ", key.first, "/", key.second, "@", next);
  return absl::StrCat(behind, " events of the live view's offsets (",
                      partitions, " )");
}

}  // namespace

TopicsRebuild::TopicsRebuild(ServedView& served,
                             std::shared_ptr<const ViewGenerations> generations,
                             OpenReader open_reader, Options options)
    : served_(served),
      generations_(std::move(generations)),
      open_reader_(std::move(open_reader)),
      options_(options) {
  std::lock_guard lock(mu_);
  status_.source = ViewRebuildStatus::Source::kTopics;
}

TopicsRebuild::~TopicsRebuild() { Stop(); }

absl::Status TopicsRebuild::Start() {
  std::lock_guard lock(mu_);
  if (status_.phase == ViewRebuildStatus::Phase::kRunning) {
    return absl::FailedPreconditionError("a rebuild is already running");
  }
  if (runner_.joinable()) runner_.join();
  stopping_ = false;
  status_ = ViewRebuildStatus();
  status_.source = ViewRebuildStatus::Source::kTopics;
  status_.phase = ViewRebuildStatus::Phase::kRunning;
  status_.started = absl::Now();
  runner_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

ViewRebuildStatus TopicsRebuild::Status() {
  absl::StatusOr<std::string> live = generations_->LiveName();
  std::lock_guard lock(mu_);
  ViewRebuildStatus out = status_;
  out.live_view = live.ok() ? *live : "";
  return out;
}

void TopicsRebuild::Stop() {
  stopping_ = true;
  Wait();
}

void TopicsRebuild::Wait() {
  std::thread running;
  {
    std::lock_guard lock(mu_);
    running = std::move(runner_);
  }
  if (running.joinable()) running.join();
}

void TopicsRebuild::Progress(int64_t folded, int64_t behind) {
  std::lock_guard lock(mu_);
  status_.events_folded = folded;
  status_.events_behind = behind;
}

void TopicsRebuild::Run() {
  absl::Status result = Build();
  std::lock_guard lock(mu_);
  status_.finished = absl::Now();
  if (result.ok() && status_.error.empty()) {
    status_.phase = ViewRebuildStatus::Phase::kSwitched;
    status_.events_behind = 0;
  } else {
    status_.phase = ViewRebuildStatus::Phase::kFailed;
    if (status_.error.empty()) status_.error = result.ToString();
  }
  std::fprintf(stderr,
               "projection: rebuild from the topics into %s: %s%s (%lld "
               "events, feed held %s)\n",
               status_.rebuilt_view.c_str(),
               status_.phase == ViewRebuildStatus::Phase::kSwitched ? "switched"
                                                                    : "FAILED ",
               status_.error.c_str(),
               static_cast<long long>(status_.events_folded),
               absl::FormatDuration(status_.feed_held).c_str());
}

absl::Status TopicsRebuild::Build() {
  ASSIGN_OR_RETURN(const std::string name, generations_->NextName());
  {
    std::lock_guard lock(mu_);
    status_.rebuilt_view = name;
  }
  // Released at the end unless switched in; its files go with it then.
  ASSIGN_OR_RETURN(std::shared_ptr<PortfolioView> fresh,
                   generations_->Open(name));
  ASSIGN_OR_RETURN(std::unique_ptr<subscription::EventLogReader> reader,
                   open_reader_());
  FreshFeed feed(*reader, *fresh, options_.max_batch);

  // Catch up with the live view while it goes on; each round aims at its
  // offsets of the moment.
  absl::Time last_progress = absl::Now();
  absl::Status last_read_error;
  while (true) {
    if (stopping_) return absl::CancelledError("the service is stopping");
    ASSIGN_OR_RETURN(Offsets target, OffsetsOf(*served_.Current()));
    const int64_t handed = feed.handed();
    absl::StatusOr<int64_t> behind = feed.Step(target, options_.read_wait);
    if (!behind.ok()) {
      // A reader's trouble may pass (the broker restarts); the stall
      // timeout decides. The fresh view's own errors end the rebuild.
      if (!absl::IsUnavailable(behind.status())) return behind.status();
      last_read_error = behind.status();
      behind = feed.Behind(target);
    }
    Progress(feed.handed(), *behind);
    if (*behind == 0) break;
    if (feed.handed() > handed) {
      last_progress = absl::Now();
    } else if (absl::Now() - last_progress > options_.stall_timeout) {
      return absl::DeadlineExceededError(absl::StrCat(
          "no event read for ", absl::FormatDuration(options_.stall_timeout),
          "; the fresh view lacks ", Missing(target, *behind),
          last_read_error.ok() ? "" : "; last read error: ",
          last_read_error.ok() ? "" : last_read_error.ToString()));
    }
  }

  // The switch: the live feed held, the fresh view brought to exactly the
  // live offsets (what the live view applied since the last round), both
  // digests compared.
  std::string live_digest, rebuilt_digest;
  absl::Time held, released;
  absl::Status switched =
      served_.HoldFeed([&](PortfolioView& live)
                           -> absl::StatusOr<std::shared_ptr<PortfolioView>> {
        held = absl::Now();
        ASSIGN_OR_RETURN(const Offsets target, OffsetsOf(live));
        const absl::Time deadline = absl::Now() + options_.hold_timeout;
        // Often nothing: no batch came between the last round and the hold.
        for (int64_t behind = feed.Behind(target); behind > 0;) {
          ASSIGN_OR_RETURN(behind, feed.Step(target, options_.read_wait));
          Progress(feed.handed(), behind);
          if (behind == 0) break;
          if (stopping_) return absl::CancelledError("the service is stopping");
          if (absl::Now() > deadline) {
            return absl::DeadlineExceededError(absl::StrCat(
                "the live feed was held for ",
                absl::FormatDuration(options_.hold_timeout),
                " and the fresh view still lacks ", Missing(target, behind)));
          }
        }
        ASSIGN_OR_RETURN(live_digest, live.Digest());
        ASSIGN_OR_RETURN(rebuilt_digest, fresh->Digest());
        if (live_digest != rebuilt_digest) {
          released = absl::Now();
          return std::shared_ptr<PortfolioView>();  // not swapped
        }
        // Live on disk before it answers: a restart from here on opens it.
        RETURN_IF_ERROR(generations_->MakeLive(name));
        fresh->TakeApplyLagFrom(live);
        released = absl::Now();
        return fresh;
      });
  std::lock_guard lock(mu_);
  status_.feed_held = released > held ? released - held : absl::ZeroDuration();
  status_.live_digest = live_digest;
  status_.rebuilt_digest = rebuilt_digest;
  RETURN_IF_ERROR(switched);
  if (live_digest != rebuilt_digest) {
    status_.error = absl::StrCat("the rebuilt view's digest ", rebuilt_digest,
                                 " differs from the live view's ", live_digest,
                                 "; the live view goes on answering");
  }
  return absl::OkStatus();
}

}  // namespace pmo::projection
