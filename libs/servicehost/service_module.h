#pragma once

// What a service declares about itself, once, for both ways of running it:
// as its own Kafka-connected binary (kafka_binary.h) or beside the other
// services in one process (in_process.h). A module says what it has; the
// runner decides how events reach it and in which order things start and
// stop.

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "libs/eventstore/checkpoint_store.h"
#include "libs/eventstore/event_store.h"
#include "libs/grpcserver/service_host.h"
#include "libs/outbox/relay_leadership.h"
#include "libs/subscription/event_handler.h"

namespace grpc {
class Service;
}

namespace pmo::servicehost {

// The events of context `source` fed into `handler`: from Kafka topic
// pmo.<source>.events.v1 in a binary of its own, from the store of the
// module whose context is `source` in process.
struct Feed {
  std::string source;
  subscription::EventHandler* handler = nullptr;
};

// What a background job may need when it starts: the program's name (for
// its log lines) and the gRPC host's options (listen address, TLS, tokens),
// as a second listener of the same process (the reporting dashboard) uses.
struct HostContext {
  std::string program;
  const grpcserver::ServiceHostOptions* host_options = nullptr;
};

// A background job: started once the feeds run, stopped at shutdown.
struct Job {
  enum class StopAt {
    // Before the feeds stop: what serves readers (a dashboard) or may hold
    // a feed (a view rebuild).
    kBeforeFeeds,
    // After the feeds have caught up and stopped: what acts on what they
    // delivered (the reporting distribution).
    kAfterFeeds,
  };
  std::string name;
  std::function<absl::Status(const HostContext&)> start;
  std::function<void()> stop;
  StopAt stop_at = StopAt::kAfterFeeds;
};

struct ServiceModule {
  // "projects": its events topic is pmo.projects.events.v1, its log lines
  // and metrics say "projects".
  std::string context;
  // Its event store, with the relay's checkpoints and (PostgreSQL) the
  // relay's leadership; null store: it keeps none (the projection).
  eventstore::EventStore* store = nullptr;
  eventstore::CheckpointStore* checkpoints = nullptr;
  outbox::RelayLeadership* relay_leadership = nullptr;
  // Contexts whose events topic it writes (its store relayed to Kafka).
  std::vector<std::string> publishes;
  std::vector<Feed> feeds;
  std::vector<grpc::Service*> grpc_services;
  std::vector<Job> jobs;
  // Keeps what the pointers above point into alive as long as the module.
  std::shared_ptr<void> owner;
};

// The part every command-side service declares alike: it keeps its own
// event store (the module's `store`, `checkpoints` and `relay_leadership`),
// publishes its own context's topic, and `module` owns what the pointers
// point into. The caller adds its feeds, gRPC services and jobs.
template <typename Module>
ServiceModule CommandSideModule(std::string context,
                                std::shared_ptr<Module> module) {
  ServiceModule service;
  service.store = module->store.get();
  service.checkpoints = module->checkpoints.get();
  service.relay_leadership = module->relay_leadership.get();
  service.publishes = {context};
  service.context = std::move(context);
  service.owner = std::move(module);
  return service;
}

}  // namespace pmo::servicehost
