#include "libs/kafka/topic_settings.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/base/status_macros.h"

namespace pmo::kafka {
namespace {

constexpr char kKeptForever[] = "-1";

struct ClientDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
struct QueueDeleter {
  void operator()(rd_kafka_queue_t* q) const { rd_kafka_queue_destroy(q); }
};
struct EventDeleter {
  void operator()(rd_kafka_event_t* e) const { rd_kafka_event_destroy(e); }
};
struct OptionsDeleter {
  void operator()(rd_kafka_AdminOptions_t* o) const {
    rd_kafka_AdminOptions_destroy(o);
  }
};
using Client = std::unique_ptr<rd_kafka_t, ClientDeleter>;
using Queue = std::unique_ptr<rd_kafka_queue_t, QueueDeleter>;
using Event = std::unique_ptr<rd_kafka_event_t, EventDeleter>;
using AdminOptions = std::unique_ptr<rd_kafka_AdminOptions_t, OptionsDeleter>;

int Millis(absl::Duration d) {
  return static_cast<int>(absl::ToInt64Milliseconds(d));
}

absl::StatusOr<Client> NewClient(const Properties& client) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char error[512] = {};
  for (const auto& [key, value] : client) {
    if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), error,
                          sizeof error) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return absl::InvalidArgumentError(
          absl::StrCat("kafka property ", key, ": ", error));
    }
  }
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return absl::InvalidArgumentError(
        absl::StrCat("kafka admin client: ", error));
  }
  return Client(rk);
}

absl::StatusOr<AdminOptions> NewOptions(rd_kafka_t* rk, rd_kafka_admin_op_t op,
                                        absl::Duration timeout) {
  AdminOptions options(rd_kafka_AdminOptions_new(rk, op));
  char error[512] = {};
  if (rd_kafka_AdminOptions_set_request_timeout(options.get(), Millis(timeout),
                                                error, sizeof error) !=
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::InternalError(error);
  }
  if (op == RD_KAFKA_ADMIN_OP_CREATETOPICS &&
      rd_kafka_AdminOptions_set_operation_timeout(
          options.get(), Millis(timeout), error, sizeof error) !=
          RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::InternalError(error);
  }
  return options;
}

// Waits for the admin result on `queue`; UNAVAILABLE when the request as a
// whole failed (no broker answered, timed out).
absl::StatusOr<Event> AwaitResult(rd_kafka_queue_t* queue,
                                  absl::Duration timeout,
                                  absl::string_view what) {
  Event event(rd_kafka_queue_poll(queue, Millis(timeout + absl::Seconds(1))));
  if (!event)
    return absl::UnavailableError(absl::StrCat("kafka: ", what, ": no answer"));
  if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::UnavailableError(absl::StrCat(
        "kafka: ", what, ": ", rd_kafka_event_error_string(event.get())));
  }
  return event;
}

struct TopicShape {
  int partitions = 0;
  int replication_factor = 0;
};

// Partition count and replication of every topic the cluster has. All
// topics are asked for, so that naming one cannot auto-create it.
absl::StatusOr<std::map<std::string, TopicShape>> DescribeShapes(
    rd_kafka_t* rk, absl::Duration timeout) {
  const rd_kafka_metadata_t* metadata = nullptr;
  const rd_kafka_resp_err_t err =
      rd_kafka_metadata(rk, 1, nullptr, &metadata, Millis(timeout));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::UnavailableError(
        absl::StrCat("kafka: metadata: ", rd_kafka_err2str(err)));
  }
  std::map<std::string, TopicShape> shapes;
  for (int i = 0; i < metadata->topic_cnt; ++i) {
    const rd_kafka_metadata_topic_t& t = metadata->topics[i];
    if (t.err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    shapes[t.topic] = {t.partition_cnt,
                       t.partition_cnt > 0 ? t.partitions[0].replica_cnt : 0};
  }
  rd_kafka_metadata_destroy(metadata);
  return shapes;
}

// The current value of every config of each topic.
absl::StatusOr<std::map<std::string, std::map<std::string, std::string>>>
DescribeConfigs(rd_kafka_t* rk, rd_kafka_queue_t* queue,
                const std::vector<std::string>& topics,
                absl::Duration timeout) {
  std::vector<rd_kafka_ConfigResource_t*> resources;
  resources.reserve(topics.size());
  for (const std::string& t : topics) {
    resources.push_back(
        rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, t.c_str()));
  }
  auto options = NewOptions(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, timeout);
  if (options.ok()) {
    rd_kafka_DescribeConfigs(rk, resources.data(), resources.size(),
                             options->get(), queue);
  }
  rd_kafka_ConfigResource_destroy_array(resources.data(), resources.size());
  if (!options.ok()) return options.status();
  ASSIGN_OR_RETURN(Event event,
                   AwaitResult(queue, timeout, "describing topic configs"));

  const rd_kafka_DescribeConfigs_result_t* result =
      rd_kafka_event_DescribeConfigs_result(event.get());
  size_t count = 0;
  const rd_kafka_ConfigResource_t** described =
      rd_kafka_DescribeConfigs_result_resources(result, &count);
  std::map<std::string, std::map<std::string, std::string>> configs;
  for (size_t i = 0; i < count; ++i) {
    const std::string name = rd_kafka_ConfigResource_name(described[i]);
    const rd_kafka_resp_err_t err = rd_kafka_ConfigResource_error(described[i]);
    if (err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
      // Created a moment ago (by us or another replica): not known to
      // every broker yet.
      return absl::NotFoundError(
          absl::StrCat("kafka: topic ", name, " not known yet"));
    }
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return absl::UnavailableError(
          absl::StrCat("kafka: describing topic ", name, ": ",
                       rd_kafka_ConfigResource_error_string(described[i])));
    }
    size_t entry_count = 0;
    const rd_kafka_ConfigEntry_t** entries =
        rd_kafka_ConfigResource_configs(described[i], &entry_count);
    auto& values = configs[name];
    for (size_t e = 0; e < entry_count; ++e) {
      const char* value = rd_kafka_ConfigEntry_value(entries[e]);
      values[rd_kafka_ConfigEntry_name(entries[e])] =
          value != nullptr ? value : "";
    }
  }
  return configs;
}

// Compares an existing topic with its spec.
absl::Status CheckExisting(const TopicSpec& spec, const TopicShape& shape,
                           const std::map<std::string, std::string>& configs,
                           TopicOutcome& outcome) {
  std::vector<std::string> refused;
  for (const auto& [key, wanted] : spec.configs) {
    auto found = configs.find(key);
    const std::string actual =
        found == configs.end() ? "(unset)" : found->second;
    if (actual == wanted) continue;
    const std::string difference =
        absl::StrCat(key, "=", actual, " (expected ", wanted, ")");
    if (spec.guarded.contains(key)) {
      refused.push_back(difference);
    } else {
      outcome.warnings.push_back(
          absl::StrCat("topic ", spec.name, " has ", difference));
    }
  }
  if (!refused.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("topic ", spec.name, " has ", absl::StrJoin(refused, ", "),
                     ": events would be deleted, and consumers rebuilding from "
                     "offset 0 would miss them; "
                     "alter the topic (kafka-configs.sh --alter --entity-type "
                     "topics) or see docs/kafka.md"));
  }
  if (spec.partitions > 0 && shape.partitions != spec.partitions) {
    outcome.warnings.push_back(
        absl::StrCat("topic ", spec.name, " has ", shape.partitions,
                     " partitions (expected ", spec.partitions, ")"));
  }
  if (spec.replication_factor > 0 &&
      shape.replication_factor != spec.replication_factor) {
    outcome.warnings.push_back(absl::StrCat(
        "topic ", spec.name, " has replication factor ",
        shape.replication_factor, " (expected ", spec.replication_factor, ")"));
  }
  return absl::OkStatus();
}

TopicSpec BaseSpec(std::string name, int partitions,
                   const TopicLayout& layout) {
  TopicSpec spec;
  spec.name = std::move(name);
  spec.partitions = partitions;
  spec.replication_factor = layout.replication_factor;
  spec.configs = {{"retention.ms", kKeptForever},
                  {"retention.bytes", kKeptForever},
                  {"cleanup.policy", "delete"}};
  if (layout.replication_factor >= 3) {
    // acks=all then waits for two copies and still accepts writes with one
    // broker down.
    spec.configs["min.insync.replicas"] = "2";
  }
  return spec;
}

}  // namespace

TopicSpec EventsTopicSpec(absl::string_view context,
                          const TopicLayout& layout) {
  TopicSpec spec = BaseSpec(absl::StrCat("pmo.", context, ".events.v1"),
                            layout.events_partitions, layout);
  spec.guarded = {"retention.ms", "retention.bytes", "cleanup.policy"};
  return spec;
}

TopicSpec DeadLetterTopicSpec(absl::string_view service,
                              const TopicLayout& layout) {
  TopicSpec spec = BaseSpec(absl::StrCat("pmo.", service, ".deadletter.v1"),
                            layout.dead_letter_partitions, layout);
  spec.guarded = {"cleanup.policy"};
  return spec;
}

absl::StatusOr<std::vector<TopicOutcome>> EnsureTopics(
    const Properties& client, const std::vector<TopicSpec>& topics,
    absl::Duration timeout) {
  if (topics.empty()) return std::vector<TopicOutcome>{};
  ASSIGN_OR_RETURN(Client rk, NewClient(client));
  Queue queue(rd_kafka_queue_new(rk.get()));

  // 1. Create every topic; the broker says which exist already.
  std::vector<rd_kafka_NewTopic_t*> requests;
  absl::Status invalid;
  for (const TopicSpec& spec : topics) {
    char error[512] = {};
    rd_kafka_NewTopic_t* request =
        rd_kafka_NewTopic_new(spec.name.c_str(), spec.partitions,
                              spec.replication_factor, error, sizeof error);
    if (request == nullptr) {
      invalid = absl::InvalidArgumentError(
          absl::StrCat("topic ", spec.name, ": ", error));
      break;
    }
    requests.push_back(request);
    for (const auto& [key, value] : spec.configs) {
      rd_kafka_NewTopic_set_config(request, key.c_str(), value.c_str());
    }
  }
  auto options = NewOptions(rk.get(), RD_KAFKA_ADMIN_OP_CREATETOPICS, timeout);
  if (invalid.ok() && options.ok()) {
    rd_kafka_CreateTopics(rk.get(), requests.data(), requests.size(),
                          options->get(), queue.get());
  }
  rd_kafka_NewTopic_destroy_array(requests.data(), requests.size());
  RETURN_IF_ERROR(invalid);
  RETURN_IF_ERROR(options.status());
  ASSIGN_OR_RETURN(Event created,
                   AwaitResult(queue.get(), timeout, "creating topics"));

  std::map<std::string, rd_kafka_resp_err_t> errors;
  std::map<std::string, std::string> messages;
  size_t count = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(
      rd_kafka_event_CreateTopics_result(created.get()), &count);
  for (size_t i = 0; i < count; ++i) {
    const std::string name = rd_kafka_topic_result_name(results[i]);
    errors[name] = rd_kafka_topic_result_error(results[i]);
    const char* message = rd_kafka_topic_result_error_string(results[i]);
    messages[name] =
        message != nullptr ? message : rd_kafka_err2str(errors[name]);
  }

  // 2. Sort the answers: created, existing (to check), or a refusal.
  std::vector<TopicOutcome> outcomes;
  std::vector<const TopicSpec*> existing;
  std::vector<const TopicSpec*> not_ours_to_create;
  for (const TopicSpec& spec : topics) {
    const rd_kafka_resp_err_t err = errors.contains(spec.name)
                                        ? errors[spec.name]
                                        : RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC;
    switch (err) {
      case RD_KAFKA_RESP_ERR_NO_ERROR:
        outcomes.push_back({spec.name, true, {}});
        break;
      case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS:
        existing.push_back(&spec);
        break;
      case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
      case RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED:
        not_ours_to_create.push_back(&spec);
        break;
      default:
        return absl::FailedPreconditionError(
            absl::StrCat("topic ", spec.name, ": cannot create it with ",
                         spec.partitions, " partitions and replication factor ",
                         spec.replication_factor, ": ", messages[spec.name]));
    }
  }
  if (existing.empty() && not_ours_to_create.empty()) return outcomes;

  // 3. Check what was there already. A topic that exists may be so new
  // that metadata or configs do not show it yet: ask again until they do.
  const absl::Time deadline = absl::Now() + timeout;
  std::map<std::string, TopicShape> shapes;
  std::map<std::string, std::map<std::string, std::string>> configs;
  while (true) {
    ASSIGN_OR_RETURN(shapes, DescribeShapes(rk.get(), timeout));
    for (const TopicSpec* spec : not_ours_to_create) {
      if (!shapes.contains(spec->name)) {
        return absl::FailedPreconditionError(
            absl::StrCat("topic ", spec->name,
                         " does not exist and this client may not create it: ",
                         messages[spec->name]));
      }
      existing.push_back(spec);
    }
    not_ours_to_create.clear();
    std::vector<std::string> names;
    bool all_known = true;
    for (const TopicSpec* spec : existing) {
      names.push_back(spec->name);
      all_known = all_known && shapes.contains(spec->name);
    }
    absl::StatusOr<std::map<std::string, std::map<std::string, std::string>>>
        described =
            all_known ? DescribeConfigs(rk.get(), queue.get(), names, timeout)
                      : absl::NotFoundError(
                            "kafka: a topic is not in the metadata yet");
    if (described.ok()) {
      configs = *std::move(described);
      break;
    }
    if (!absl::IsNotFound(described.status())) return described.status();
    if (absl::Now() >= deadline) {
      return absl::UnavailableError(described.status().message());
    }
    absl::SleepFor(absl::Milliseconds(200));
  }
  for (const TopicSpec* spec : existing) {
    TopicOutcome outcome{spec->name, false, {}};
    RETURN_IF_ERROR(
        CheckExisting(*spec, shapes[spec->name], configs[spec->name], outcome));
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

}  // namespace pmo::kafka
