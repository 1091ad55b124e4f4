#include "libs/operability/service_operability.h"

#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include <algorithm>
#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/base/log_line.h"
#include "libs/base/status_macros.h"
#include "libs/kafka/topic_settings.h"

ABSL_FLAG(std::string, metrics_listen, "127.0.0.1:0",
          "Prometheus /metrics address, host:port (port 0: any free port, "
          "printed at start; "
          "empty: no endpoint). It serves counts and lags, no business data");
ABSL_FLAG(std::string, health_listen, "",
          "Plain-text grpc.health.v1 address, host:port, for probes that "
          "cannot speak TLS "
          "(kubelet's gRPC probe); it answers health checks only. Empty: none");
ABSL_FLAG(std::string, log_format, "text",
          "Log lines on stderr: text (key=value, for people) or json (one "
          "object per line, "
          "for log collectors)");
ABSL_FLAG(int, kafka_topic_partitions, 6,
          "Partitions of an events topic this service creates (docs/kafka.md)");
ABSL_FLAG(int, kafka_topic_replication, -1,
          "Replication factor of the topics this service creates; -1: the "
          "broker's default. "
          "Production: 3");
ABSL_FLAG(absl::Duration, kafka_topics_wait, absl::Minutes(2),
          "How long start-up waits for the Kafka cluster to check or create "
          "the topics");

namespace pmo::operability {
namespace {

absl::Status EnsureServiceTopics(const std::string& service,
                                 const ServiceTopics& topics) {
  // The all-in-one `pmo` delivers events in-process: no topics, no Kafka.
  if (topics.produces.empty() && topics.consumes.empty() &&
      !topics.dead_letters) {
    return absl::OkStatus();
  }
  const kafka::TopicLayout layout{
      .events_partitions = absl::GetFlag(FLAGS_kafka_topic_partitions),
      .replication_factor = absl::GetFlag(FLAGS_kafka_topic_replication)};
  if (layout.events_partitions < 1) {
    return absl::InvalidArgumentError(
        "--kafka_topic_partitions must be at least 1");
  }
  if (layout.replication_factor == 0 || layout.replication_factor < -1) {
    return absl::InvalidArgumentError(
        "--kafka_topic_replication must be -1 or at least 1");
  }
  std::vector<kafka::TopicSpec> specs;
  std::vector<std::string> contexts = topics.produces;
  contexts.insert(contexts.end(), topics.consumes.begin(),
                  topics.consumes.end());
  for (const std::string& context : contexts) {
    // A context both written and read is one topic (CreateTopics refuses
    // a name twice).
    if (std::none_of(
            specs.begin(), specs.end(), [&](const kafka::TopicSpec& s) {
              return s.name == kafka::EventsTopicSpec(context, layout).name;
            })) {
      specs.push_back(kafka::EventsTopicSpec(context, layout));
    }
  }
  if (topics.dead_letters)
    specs.push_back(kafka::DeadLetterTopicSpec(service, layout));

  // A starting service waits for the cluster once: a topic the broker
  // auto-created on first use would have the broker's retention, not ours.
  // Once running, the outbox rides out outages by itself.
  const absl::Time deadline =
      absl::Now() + absl::GetFlag(FLAGS_kafka_topics_wait);
  while (true) {
    const absl::Duration left = deadline - absl::Now();
    absl::StatusOr<std::vector<kafka::TopicOutcome>> outcomes =
        kafka::EnsureTopics(
            {{"bootstrap.servers", topics.brokers},
             {"client.id", absl::StrCat("pmo-", service, "-topics")}},
            specs, std::clamp(left, absl::Seconds(1), absl::Seconds(15)));
    if (outcomes.ok()) {
      for (const kafka::TopicOutcome& outcome : *outcomes) {
        if (outcome.created) {
          LogLine("info", "topic_created",
                  {{"service", service}, {"topic", outcome.topic}});
        }
        for (const std::string& warning : outcome.warnings) {
          LogLine("warning", "topic_differs",
                  {{"service", service},
                   {"topic", outcome.topic},
                   {"message", warning}});
        }
      }
      return absl::OkStatus();
    }
    if (outcomes.status().code() != absl::StatusCode::kUnavailable ||
        absl::Now() >= deadline) {
      return outcomes.status();
    }
    LogLine("warning", "waiting_for_kafka",
            {{"service", service}, {"message", outcomes.status().ToString()}});
    absl::SleepFor(absl::Seconds(2));
  }
}

void AppendGaugeHeader(std::string& out, absl::string_view name,
                       absl::string_view help) {
  absl::StrAppend(&out, "# HELP ", name, " ", help, "\n# TYPE ", name,
                  " gauge\n");
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServiceOperability>> ServiceOperability::Start(
    const std::string& service, const ServiceTopics& topics) {
  const std::string log_format = absl::GetFlag(FLAGS_log_format);
  if (log_format != "text" && log_format != "json") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--log_format: \"", log_format, "\" is neither text nor json"));
  }
  SetLogFormat(log_format == "json" ? LogFormat::kJson : LogFormat::kText);
  RETURN_IF_ERROR(EnsureServiceTopics(service, topics));
  std::unique_ptr<ServiceOperability> ops(new ServiceOperability());
  // The binary's name starts the lines scripts read the ports from: pmo-risks,
  // or the all-in-one pmo itself.
  const std::string binary =
      service == "pmo" ? service : absl::StrCat("pmo-", service);
  const std::string listen = absl::GetFlag(FLAGS_metrics_listen);
  if (!listen.empty()) {
    ASSIGN_OR_RETURN(ops->endpoint_,
                     MetricsEndpoint::Start(listen, [o = ops.get()] {
                       return o->RenderMetrics();
                     }));
    // Scripts and tests read the port from this line, like the gRPC one.
    std::printf("%s metrics on port %d\n", binary.c_str(),
                ops->endpoint_->port());
    std::fflush(stdout);
  }
  const std::string health = absl::GetFlag(FLAGS_health_listen);
  if (!health.empty()) {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    builder.AddListeningPort(health, grpc::InsecureServerCredentials(),
                             &ops->health_port_);
    ops->health_ = builder.BuildAndStart();
    if (!ops->health_ || ops->health_port_ == 0) {
      return absl::UnavailableError(
          absl::StrCat("--health_listen: cannot listen on ", health));
    }
    ops->health_->GetHealthCheckService()->SetServingStatus(true);
    std::printf("%s health on port %d\n", binary.c_str(), ops->health_port_);
    std::fflush(stdout);
  }
  return ops;
}

ServiceOperability::~ServiceOperability() { Stop(); }

void ServiceOperability::Stop() {
  if (health_) {
    health_->GetHealthCheckService()->SetServingStatus(false);
    health_->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
    health_.reset();
  }
  endpoint_.reset();
}

void ServiceOperability::WatchRelay(const std::string& context,
                                    const outbox::OutboxRelay& relay,
                                    eventstore::EventStore& store) {
  std::lock_guard lock(mu_);
  relays_.push_back({context, &relay, &store});
}

void ServiceOperability::WatchConsumer(
    const subscription::KafkaSubscription& consumer) {
  std::lock_guard lock(mu_);
  consumers_.push_back(&consumer);
}

std::string ServiceOperability::RenderMetrics() {
  std::string out = requests_.RenderPrometheus();
  std::lock_guard lock(mu_);
  if (!relays_.empty()) {
    std::string head, published, lag, lag_seconds;
    AppendGaugeHeader(head, "pmo_eventstore_head_position",
                      "Position of the last event committed to the store.");
    AppendGaugeHeader(
        published, "pmo_outbox_published_position",
        "Position of the last event Kafka acknowledged to the relay.");
    AppendGaugeHeader(
        lag, "pmo_outbox_relay_lag_events",
        "Events committed to the store and not yet acknowledged by Kafka.");
    AppendGaugeHeader(
        lag_seconds, "pmo_outbox_relay_lag_seconds",
        "Age of the oldest event not yet acknowledged by Kafka (0: none).");
    const absl::Time now = absl::Now();
    for (const Relay& r : relays_) {
      const std::string label = absl::StrCat("{context=\"", r.context, "\"} ");
      const int64_t head_position = r.store->HeadPosition();
      const int64_t published_position = r.relay->published_position();
      double age = 0;
      if (head_position > published_position) {
        auto oldest = r.store->ReadAll(published_position, 1);
        if (oldest.ok() && !oldest->empty()) {
          age = std::max(
              0.0, absl::ToDoubleSeconds(now - oldest->front().recorded_at));
        }
      }
      absl::StrAppend(&head, "pmo_eventstore_head_position", label,
                      head_position, "\n");
      absl::StrAppend(&published, "pmo_outbox_published_position", label,
                      published_position, "\n");
      absl::StrAppend(&lag, "pmo_outbox_relay_lag_events", label,
                      std::max<int64_t>(head_position - published_position, 0),
                      "\n");
      absl::StrAppend(&lag_seconds, "pmo_outbox_relay_lag_seconds", label, age,
                      "\n");
    }
    absl::StrAppend(&out, head, published, lag, lag_seconds);
  }
  if (!consumers_.empty()) {
    AppendGaugeHeader(
        out, "pmo_kafka_consumer_lag_messages",
        "Messages a partition holds beyond what the service has applied.");
    for (const subscription::KafkaSubscription* consumer : consumers_) {
      for (const auto& lag : consumer->Lags()) {
        absl::StrAppend(&out, "pmo_kafka_consumer_lag_messages{group=\"",
                        consumer->group_id(), "\",topic=\"", lag.topic,
                        "\",partition=\"", lag.partition, "\"} ", lag.messages,
                        "\n");
      }
    }
  }
  return out;
}

}  // namespace pmo::operability
