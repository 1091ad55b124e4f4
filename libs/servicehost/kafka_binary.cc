#include "libs/servicehost/kafka_binary.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>

#include "absl/strings/str_cat.h"
#include "libs/cloudevents/cloud_events.h"
#include "libs/grpcserver/security_flags.h"
#include "libs/operability/service_operability.h"
#include "libs/outbox/kafka_event_producer.h"
#include "libs/outbox/outbox_relay.h"
#include "libs/subscription/kafka_subscription.h"

namespace pmo::servicehost {

int RunServiceBinary(
    const BinaryOptions& options,
    const std::function<absl::StatusOr<ServiceModule>()>& open) {
  const char* program = options.program.c_str();
  const std::string& brokers = options.kafka_brokers;
  if (brokers.empty()) {
    std::fprintf(stderr, "%s: --kafka_brokers is required%s\n", program,
                 options.kafka_required_hint.c_str());
    return 2;
  }
  absl::StatusOr<ServiceModule> module = open();
  if (!module.ok()) {
    std::fprintf(stderr, "%s: %s\n", program,
                 module.status().ToString().c_str());
    return 1;
  }
  const std::string& context = module->context;
  std::vector<std::string> consumes;
  subscription::EventHandler* handler = nullptr;
  for (const Feed& feed : module->feeds) {
    if (handler != nullptr && feed.handler != handler) {
      std::fprintf(stderr,
                   "%s: every feed of one binary must go to one handler\n",
                   program);
      return 2;
    }
    handler = feed.handler;
    if (std::find(consumes.begin(), consumes.end(), feed.source) ==
        consumes.end()) {
      consumes.push_back(feed.source);
    }
  }
  // Topics checked or created before anything reads or writes them.
  auto ops = operability::ServiceOperability::Start(
      context, {brokers, module->publishes, consumes, !consumes.empty()});
  if (!ops.ok()) {
    std::fprintf(stderr, "%s: %s\n", program, ops.status().ToString().c_str());
    return 2;
  }
  std::optional<outbox::OutboxRelay> relay;
  if (module->store != nullptr && !module->publishes.empty()) {
    auto producer = outbox::KafkaEventProducer::Create(brokers, context);
    if (!producer.ok()) {
      std::fprintf(stderr, "%s: %s\n", program,
                   producer.status().ToString().c_str());
      return 2;
    }
    relay.emplace(
        *module->store, *module->checkpoints, *std::move(producer),
        outbox::OutboxRelay::Options{.leadership = module->relay_leadership});
    relay->Start();
    (*ops)->WatchRelay(context, *relay, *module->store);
  }
  std::unique_ptr<subscription::KafkaSubscription> consumer;
  if (handler != nullptr) {
    std::vector<std::string> topics;
    topics.reserve(consumes.size());
    for (const std::string& source : consumes)
      topics.push_back(cloudevents::EventsTopic(source));
    const auto sub = subscription::ServiceConsumerOptions(
        context, brokers, options.group_id, topics);
    auto created = subscription::KafkaSubscription::Create(sub, *handler);
    if (!created.ok()) {
      std::fprintf(stderr, "%s: %s\n", program,
                   created.status().ToString().c_str());
      return 2;
    }
    consumer = *std::move(created);
    consumer->Start();
    (*ops)->WatchConsumer(*consumer);
  }

  grpcserver::ServiceHostOptions host;
  host.listen_address = options.listen_address;
  grpcserver::ApplySecurityFlags(host);  // --insecure, TLS, bearer tokens
  host.log_requests = options.log_requests;
  host.metrics = &(*ops)->request_metrics();

  std::vector<const Job*> started;
  auto stop_jobs = [&](Job::StopAt when) {
    for (auto job = started.rbegin(); job != started.rend(); ++job) {
      if ((*job)->stop_at == when && (*job)->stop) (*job)->stop();
    }
  };
  auto stop_all = [&] {
    (*ops)->Stop();  // before what it reads stops
    stop_jobs(Job::StopAt::kBeforeFeeds);
    if (consumer) consumer->Stop();
    stop_jobs(Job::StopAt::kAfterFeeds);
    if (relay) relay->Stop(absl::Seconds(10));
  };
  for (const Job& job : module->jobs) {
    if (job.start) {
      if (absl::Status status = job.start({options.program, &host});
          !status.ok()) {
        std::fprintf(stderr, "%s: %s\n", program, status.ToString().c_str());
        stop_all();
        return 2;
      }
    }
    started.push_back(&job);
  }
  return grpcserver::ServeUntilTerminated(options.program, host,
                                          module->grpc_services, stop_all);
}

}  // namespace pmo::servicehost
