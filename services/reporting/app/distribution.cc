#include "services/reporting/app/distribution.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "libs/base/ids.h"
#include "libs/base/json_text.h"
#include "libs/base/proto_time.h"
#include "libs/base/status_macros.h"
#include "libs/dates/calendar_dates.h"
#include "services/reporting/app/report_renderers.h"
#include "services/reporting/domain/derived_ids.h"

namespace pmo::reporting {
namespace {

constexpr char kActor[] = "pmo-reporting";

std::string DeliveryIdFor(const std::string& stakeholder_id,
                          const std::string& item_id) {
  return DerivedId("webhook", stakeholder_id, item_id);
}

// What a webhook receives for an inbox item: the report as rendered, or
// the announcement as JSON.
WebhookRequest RequestFor(const v1::InboxItem& item) {
  WebhookRequest r;
  if (item.has_report()) {
    r.content_type = item.report().report().media_type();
    r.body = item.report().report().content();
    r.headers.push_back({"X-PMO-Report-Title", item.report().report().title()});
  } else {
    const v1::Announcement& a = item.announcement();
    r.content_type = "application/json";
    r.body = absl::StrCat(
        "{\"announcement_id\":", JsonQuoted(a.announcement_id()),
        ",\"title\":", JsonQuoted(a.title()),
        ",\"body\":", JsonQuoted(a.body()),
        ",\"author\":", JsonQuoted(a.author()), ",\"project_ids\":[");
    for (int i = 0; i < a.project_ids_size(); ++i) {
      absl::StrAppend(&r.body, i ? "," : "", JsonQuoted(a.project_ids(i)));
    }
    r.body += "]}";
  }
  // Header values must not carry line breaks (they would end the header)
  // nor other control characters: the title holds codes other services
  // keep.
  for (auto& [name, value] : r.headers) {
    for (char& c : value) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    }
  }
  return r;
}

}  // namespace

std::string ScheduledItemId(const std::string& plan_id,
                            const std::string& distribution_id,
                            absl::Time slot) {
  return DerivedId("scheduled", plan_id, distribution_id,
                   absl::ToUnixMicros(slot));
}

eventsourcing::CommandContext Distribution::SystemContext(
    const std::string& request_id) const {
  eventsourcing::CommandContext c;
  c.request_id = request_id;
  c.metadata.actor = kActor;
  c.occurred_at = absl::FromUnixMicros(absl::ToUnixMicros(clock_.Now()));
  return c;
}

absl::Status Distribution::QueueWebhook(const v1::Stakeholder& stakeholder,
                                        const std::string& item_id,
                                        const std::string& request_id) {
  if (stakeholder.webhook_url().empty()) return absl::OkStatus();
  v1::WebhookDeliveryQueued queued;
  queued.set_delivery_id(DeliveryIdFor(stakeholder.stakeholder_id(), item_id));
  queued.set_stakeholder_id(stakeholder.stakeholder_id());
  queued.set_inbox_item_id(item_id);
  queued.set_url(stakeholder.webhook_url());
  return eventsourcing::ExecuteCommand<WebhookDeliveryAggregate>(
             store_, queued.delivery_id(), SystemContext(request_id),
             [&](const eventsourcing::Versioned<WebhookDeliveryAggregate>& d) {
               return d.state.Queue(queued);
             })
      .status();
}

absl::Status Distribution::RunDistribution(const VersionedPlan& plan,
                                           const v1::Distribution& d,
                                           const DueRun& run,
                                           TickSummary& summary) {
  const v1::Stakeholder* stakeholder =
      plan.state.FindStakeholder(d.stakeholder_id());
  if (stakeholder == nullptr)
    return absl::InternalError("distribution without its stakeholder");
  const std::string plan_id = plan.state.state().plan_id();
  v1::ReportSpec spec = d.report();
  *spec.mutable_as_of() =
      dates::ToDate(absl::ToCivilDay(run.slot, absl::UTCTimeZone()));
  ASSIGN_OR_RETURN(v1::RenderedReport report, reports_.Generate(spec));

  v1::InboxItem item;
  item.set_item_id(ScheduledItemId(plan_id, d.distribution_id(), run.slot));
  v1::ScheduledReport* scheduled = item.mutable_report();
  scheduled->set_plan_id(plan_id);
  scheduled->set_distribution_id(d.distribution_id());
  *scheduled->mutable_slot() = ToTimestamp(run.slot);
  *scheduled->mutable_report() = std::move(report);
  const std::string item_id = item.item_id();
  RETURN_IF_ERROR(
      inboxes_.Deliver(d.stakeholder_id(), std::move(item), SystemContext(""))
          .status());
  if (d.channel() == v1::CHANNEL_WEBHOOK)
    RETURN_IF_ERROR(QueueWebhook(*stakeholder, item_id, ""));
  RETURN_IF_ERROR(eventsourcing::ExecuteCommand<CommunicationPlanAggregate>(
                      store_, plan_id, SystemContext(""),
                      [&](const VersionedPlan& p) {
                        return p.state.RecordRun(d.distribution_id(), run,
                                                 item_id);
                      })
                      .status());
  ++summary.reports_delivered;
  return absl::OkStatus();
}

void Distribution::AttemptWebhooks(TickSummary& summary) {
  auto deliveries =
      eventsourcing::LoadAllOfType<WebhookDeliveryAggregate>(store_);
  if (!deliveries.ok()) {
    ++summary.failures;
    return;
  }
  for (const auto& d : *deliveries) {
    const absl::Time now = clock_.Now();
    if (!d.state.pending() || d.state.next_attempt_at() > now) continue;
    const v1::WebhookDeliveryQueued& q = d.state.queued();
    AttemptOutcome outcome;
    auto secret = secrets_.Get(q.stakeholder_id());
    auto items = inboxes_.List(q.stakeholder_id(), 0, INT32_MAX);
    const v1::InboxItem* item = nullptr;
    if (items.ok()) {
      for (const v1::InboxItem& i : *items) {
        if (i.item_id() == q.inbox_item_id()) item = &i;
      }
    }
    if (!secret.ok() || !items.ok()) {
      ++summary.failures;
      continue;  // a store fault: try again on the next tick, no attempt
                 // counted
    }
    if (!secret->has_value() || item == nullptr) {
      outcome.error = "no secret or no inbox item for this delivery";
    } else {
      WebhookRequest request = RequestFor(*item);
      request.url = q.url();
      const std::string timestamp = absl::StrCat(absl::ToUnixSeconds(now));
      request.headers.push_back({"X-PMO-Timestamp", timestamp});
      request.headers.push_back({"X-PMO-Delivery", q.delivery_id()});
      request.headers.push_back(
          {"X-PMO-Signature",
           WebhookSignature(**secret, timestamp, request.body)});
      outcome = sender_.Post(request);
    }
    ++summary.webhook_attempts;
    if (outcome.delivered()) ++summary.webhooks_delivered;
    auto recorded = eventsourcing::ExecuteCommand<WebhookDeliveryAggregate>(
        store_, q.delivery_id(), SystemContext(""),
        [&](const eventsourcing::Versioned<WebhookDeliveryAggregate>& v) {
          return v.state.RecordAttempt(outcome, now, retry_);
        });
    if (!recorded.ok()) ++summary.failures;
  }
}

TickSummary Distribution::RunOnce() {
  TickSummary summary;
  auto plans = plans_.All();
  if (!plans.ok()) {
    ++summary.failures;
  } else {
    for (const VersionedPlan& plan : *plans) {
      for (const v1::Distribution& d : plan.state.state().distributions()) {
        const std::optional<DueRun> run = plan.state.DueFor(d, clock_.Now());
        if (!run) continue;
        if (absl::Status s = RunDistribution(plan, d, *run, summary); !s.ok()) {
          ++summary.failures;
          std::fprintf(stderr, "pmo-reporting: distribution %s not run: %s\n",
                       d.distribution_id().c_str(), s.ToString().c_str());
        }
      }
    }
  }
  AttemptWebhooks(summary);
  return summary;
}

absl::StatusOr<v1::AnnouncementPublished> Distribution::Announce(
    v1::Announcement announcement, eventsourcing::CommandContext context) {
  if (context.occurred_at == absl::Time()) {
    context.occurred_at =
        absl::FromUnixMicros(absl::ToUnixMicros(clock_.Now()));
  }
  // A retried request names the same announcement (and so the same items).
  const std::string id = context.request_id.empty()
                             ? NewUuid()
                             : DerivedId("announcement", context.request_id);
  announcement.set_announcement_id(id);
  announcement.set_author(context.metadata.actor);
  ASSIGN_OR_RETURN(std::vector<VersionedPlan> plans, plans_.All());
  std::vector<const v1::Stakeholder*> reached;
  std::vector<std::string> ids;
  for (const VersionedPlan& plan : plans) {
    for (const v1::Stakeholder& s : plan.state.state().stakeholders()) {
      bool concerned = false;
      for (const std::string& p : s.project_ids()) {
        for (const std::string& a : announcement.project_ids())
          concerned = concerned || p == a;
      }
      if (concerned) {
        reached.push_back(&s);
        ids.push_back(s.stakeholder_id());
      }
    }
  }
  ASSIGN_OR_RETURN(
      auto published,
      eventsourcing::ExecuteCommand<AnnouncementAggregate>(
          store_, id, context,
          [&](const eventsourcing::Versioned<AnnouncementAggregate>& a) {
            return a.state.Publish(announcement, ids);
          }));
  // Deliver to the stakeholders the published event names (on a retry:
  // the first attempt's list, so nobody gets it twice or misses it).
  const v1::AnnouncementPublished& event = published.state.published();
  for (const std::string& stakeholder_id : event.stakeholder_ids()) {
    v1::InboxItem item;
    item.set_item_id(DerivedId("announcement-item", id, stakeholder_id));
    *item.mutable_announcement() = event.announcement();
    const std::string item_id = item.item_id();
    RETURN_IF_ERROR(
        inboxes_.Deliver(stakeholder_id, std::move(item), SystemContext(""))
            .status());
    for (const v1::Stakeholder* s : reached) {
      if (s->stakeholder_id() == stakeholder_id)
        RETURN_IF_ERROR(QueueWebhook(*s, item_id, ""));
    }
  }
  return event;
}

void Distribution::Start(absl::Duration interval) {
  stop_ = std::make_unique<absl::Notification>();
  thread_ = std::thread([this, interval] {
    do {
      RunOnce();
    } while (!stop_->WaitForNotificationWithTimeout(interval));
  });
}

void Distribution::Stop() {
  if (!thread_.joinable()) return;
  stop_->Notify();
  thread_.join();
}

}  // namespace pmo::reporting
