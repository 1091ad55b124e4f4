#pragma once

// Distribution: scheduled reports, announcements and webhook deliveries.
//
// Every tick (RunOnce) does, in this order:
//  1. for each plan's distribution with a due slot (distribution_slots.h:
//     the latest passed slot, once, however many passed during downtime):
//     build the report as of the slot's day, deliver it to the
//     stakeholder's inbox (item id derived from plan, distribution and
//     slot), queue a webhook delivery for the WEBHOOK channel, then record
//     the run on the plan. A crash between those steps repeats them on the
//     next tick, and each is a no-op the second time.
//  2. attempt every pending webhook delivery whose time has come, and
//     record the attempt (delivered, or the next attempt's time).
// A report that cannot be built (projection unreachable) is tried again on
// the next tick; the slot is not recorded.

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "libs/base/clock.h"
#include "libs/eventstore/event_store.h"
#include "services/reporting/app/inbox_handlers.h"
#include "services/reporting/app/plan_handlers.h"
#include "services/reporting/app/report_generator.h"
#include "services/reporting/app/webhook_secrets.h"
#include "services/reporting/app/webhook_sender.h"
#include "services/reporting/domain/announcement.h"
#include "services/reporting/domain/webhook_delivery.h"

namespace pmo::reporting {

struct TickSummary {
  int reports_delivered = 0;
  int webhook_attempts = 0;
  int webhooks_delivered = 0;
  int failures = 0;  // reports not built, stores refusing
};

class Distribution {
 public:
  Distribution(eventstore::EventStore& store, PlanHandlers& plans,
               InboxHandlers& inboxes, ReportGenerator& reports,
               WebhookSecrets& secrets, WebhookSender& sender,
               const Clock& clock = Clock::Real(), RetryPolicy retry = {})
      : store_(store),
        plans_(plans),
        inboxes_(inboxes),
        reports_(reports),
        secrets_(secrets),
        sender_(sender),
        clock_(clock),
        retry_(retry) {}
  ~Distribution() { Stop(); }

  TickSummary RunOnce();

  // To every stakeholder (in every plan) of any of the announcement's
  // projects: their inbox, and their webhook when they have one.
  absl::StatusOr<v1::AnnouncementPublished> Announce(
      v1::Announcement announcement, eventsourcing::CommandContext context);

  // RunOnce every `interval` on a thread of its own until Stop.
  void Start(absl::Duration interval);
  void Stop();

 private:
  absl::Status RunDistribution(const VersionedPlan& plan,
                               const v1::Distribution& d, const DueRun& run,
                               TickSummary& summary);
  absl::Status QueueWebhook(const v1::Stakeholder& stakeholder,
                            const std::string& item_id,
                            const std::string& request_id);
  void AttemptWebhooks(TickSummary& summary);
  eventsourcing::CommandContext SystemContext(
      const std::string& request_id) const;

  eventstore::EventStore& store_;
  PlanHandlers& plans_;
  InboxHandlers& inboxes_;
  ReportGenerator& reports_;
  WebhookSecrets& secrets_;
  WebhookSender& sender_;
  const Clock& clock_;
  RetryPolicy retry_;
  std::unique_ptr<absl::Notification> stop_;
  std::thread thread_;
};

// The stable id of the inbox item a scheduled slot produces.
std::string ScheduledItemId(const std::string& plan_id,
                            const std::string& distribution_id,
                            absl::Time slot);

}  // namespace pmo::reporting
