// projection_lag_bench: how long after a command's acknowledgement its
// effect shows in the consolidated view, under steady load, beside a bare
// Kafka round trip on the same broker in the same run (the target: the
// projection's p99 at most 2x the bare round trip's, docs/benchmarks.md).
//
//   bare round trip   a librdkafka producer with the outbox relay's settings
//                     (idempotent, acks=all, linger.ms=5) sends a message
//                     stamped with its send time every 1/rate s; a consumer
//                     in the same process takes it; lag = receive - send.
//   projection        pmo-projects (its own process, its outbox relay to the
//                     broker) gets CreateProject every 1/rate s from one
//                     client; a PortfolioView fed by a KafkaSubscription
//                     (as pmo-projection runs it) in this process; a probe
//                     reads the view's project count every 0.2 ms;
//                     lag = first seen in the view - CreateProject's ack.
//
// ninja -C build projection_lag_bench pmo-projects
// ./build/bin/projection_lag_bench [--rate 50] [--count 500]
//
// Needs the Kafka broker jars (scripts/kafka/fetch.sh); starts and stops
// its own broker under a temporary folder.

#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/base/files.h"
#include "libs/base/status_macros.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/cloudevents/cloud_events.h"
#include "libs/kafka/kafka_config.h"
#include "libs/subscription/kafka_subscription.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "services/projection/adapters/open_view_storage.h"
#include "services/projection/app/portfolio_view.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/project_requests.h"
#include "tests/support/service_process.h"

ABSL_FLAG(int, rate, 50, "Commands (and bare messages) per second");
ABSL_FLAG(int, count, 500, "Commands (and bare messages) measured");

namespace pmo::projection {
namespace {

using Clock = std::chrono::steady_clock;

double Micros(Clock::duration d) {
  return std::chrono::duration<double, std::micro>(d).count();
}

struct Summary {
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
  size_t samples = 0;
};

Summary Summarise(std::vector<double> micros) {
  Summary s;
  s.samples = micros.size();
  if (micros.empty()) return s;
  std::sort(micros.begin(), micros.end());
  s.p50_ms = micros[micros.size() / 2] / 1000;
  s.p99_ms =
      micros[std::min(micros.size() - 1, micros.size() * 99 / 100)] / 1000;
  s.max_ms = micros.back() / 1000;
  return s;
}

// Sends `count` stamped messages at `rate` per second and measures each one's
// trip to a consumer of the same topic.
absl::StatusOr<std::vector<double>> BareRoundTrip(const std::string& bootstrap,
                                                  const std::string& topic,
                                                  int rate, int count) {
  std::string error;
  ASSIGN_OR_RETURN(auto producer_conf,
                   kafka::MakeConf({{"bootstrap.servers", bootstrap},
                                    {"enable.idempotence", "true"},
                                    {"acks", "all"},
                                    {"compression.type", "none"},
                                    {"linger.ms", "5"}}));
  std::unique_ptr<RdKafka::Producer> producer(
      RdKafka::Producer::create(producer_conf.get(), error));
  if (!producer) return absl::InternalError(error);
  // The consumer settings of KafkaSubscription.
  ASSIGN_OR_RETURN(auto consumer_conf,
                   kafka::MakeConf({{"bootstrap.servers", bootstrap},
                                    {"group.id", "pmo-bench-" + topic},
                                    {"enable.auto.commit", "false"},
                                    {"auto.offset.reset", "earliest"},
                                    {"enable.partition.eof", "false"}}));
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(
      RdKafka::KafkaConsumer::create(consumer_conf.get(), error));
  if (!consumer) return absl::InternalError(error);

  auto send = [&](int64_t index) {
    const int64_t stamp[2] = {index, Clock::now().time_since_epoch().count()};
    while (producer->produce(topic, RdKafka::Topic::PARTITION_UA,
                             RdKafka::Producer::RK_MSG_COPY,
                             const_cast<int64_t*>(stamp), sizeof(stamp),
                             nullptr, 0, 0,
                             nullptr) == RdKafka::ERR__QUEUE_FULL) {
      producer->poll(10);
    }
    producer->poll(0);
  };
  send(-1);  // creates the topic
  producer->flush(30'000);
  if (consumer->subscribe({topic}) != RdKafka::ERR_NO_ERROR)
    return absl::InternalError("subscribe");
  // Until the group has its partitions and the warm-up message arrived.
  for (const auto deadline = Clock::now() + std::chrono::seconds(60);
       Clock::now() < deadline;) {
    std::unique_ptr<RdKafka::Message> m(consumer->consume(100));
    if (m->err() == RdKafka::ERR_NO_ERROR) break;
  }

  std::vector<double> micros;
  std::atomic<bool> done = false;
  std::thread receiver([&] {
    while (!done || static_cast<int>(micros.size()) < count) {
      std::unique_ptr<RdKafka::Message> m(consumer->consume(100));
      if (m->err() != RdKafka::ERR_NO_ERROR ||
          m->len() != 2 * sizeof(int64_t)) {
        if (done && m->err() == RdKafka::ERR__TIMED_OUT) break;
        continue;
      }
      int64_t stamp[2];
      std::memcpy(stamp, m->payload(), sizeof(stamp));
      if (stamp[0] < 0) continue;
      micros.push_back(
          Micros(Clock::now() - Clock::time_point(Clock::duration(stamp[1]))));
    }
  });
  const auto start = Clock::now();
  for (int i = 0; i < count; ++i) {
    std::this_thread::sleep_until(
        start + std::chrono::microseconds(1'000'000LL * i / rate));
    send(i);
  }
  producer->flush(30'000);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  done = true;
  receiver.join();
  consumer->close();
  return micros;
}

// CreateProject at `rate` per second against pmo-projects; each project's
// first appearance in a PortfolioView fed from Kafka.
absl::StatusOr<std::vector<double>> CommandToView(const std::string& bootstrap,
                                                  const std::string& dir,
                                                  int rate, int count) {
  if (absl::Status s = EnsureDirectory(dir); !s.ok()) return s;
  testing::ServiceProcess projects(
      "pmo-projects",
      {"--listen", "127.0.0.1:0", "--data_dir", dir + "/projects",
       "--kafka_brokers", bootstrap, "--log_requests=false"});
  if (projects.port == 0)
    return absl::UnavailableError("pmo-projects did not start");
  ASSIGN_OR_RETURN(std::unique_ptr<PortfolioView> view,
                   OpenPortfolioView(dir + "/view.db"));
  ASSIGN_OR_RETURN(auto subscription,
                   subscription::KafkaSubscription::Create(
                       subscription::ServiceConsumerOptions(
                           "projection-bench", bootstrap, "",
                           {cloudevents::EventsTopic("projects")}),
                       *view));
  subscription->Start();
  auto stub = ::pmo::projects::v1::ProjectsService::NewStub(
      testing::LoopbackChannel(projects.port));
  auto create = [&](const std::string& code) {
    grpc::ClientContext ctx;
    ::pmo::projects::v1::CreateProjectResponse response;
    return stub->CreateProject(&ctx, testing::NewProjectRequest(code),
                               &response);
  };
  // Warm-up: the first project reaches the view (topic made, group joined).
  if (grpc::Status s = create("WARMUP"); !s.ok())
    return absl::UnavailableError(s.error_message());
  for (const auto deadline = Clock::now() + std::chrono::seconds(90);;) {
    ASSIGN_OR_RETURN(int64_t n, view->ProjectCount());
    if (n >= 1) break;
    if (Clock::now() > deadline)
      return absl::DeadlineExceededError(
          "the view never saw the warm-up project");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  std::vector<Clock::time_point> acked(count), seen(count);
  std::atomic<bool> done = false;
  std::thread probe([&] {
    int64_t known = 1;  // the warm-up project
    while (!done && known < count + 1) {
      absl::StatusOr<int64_t> n = view->ProjectCount();
      const auto now = Clock::now();
      for (; n.ok() && known < *n && known < count + 1; ++known)
        seen[known - 1] = now;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  });
  const auto start = Clock::now();
  for (int i = 0; i < count; ++i) {
    std::this_thread::sleep_until(
        start + std::chrono::microseconds(1'000'000LL * i / rate));
    if (grpc::Status s = create(absl::StrFormat("L%06d", i)); !s.ok()) {
      done = true;
      probe.join();
      return absl::UnavailableError(s.error_message());
    }
    acked[i] = Clock::now();
  }
  for (const auto deadline = Clock::now() + std::chrono::seconds(60);
       Clock::now() < deadline;) {
    ASSIGN_OR_RETURN(int64_t n, view->ProjectCount());
    if (n >= count + 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  done = true;
  probe.join();
  subscription->Stop();
  std::vector<double> micros;
  for (int i = 0; i < count; ++i) {
    if (seen[i] != Clock::time_point())
      micros.push_back(Micros(seen[i] - acked[i]));
  }
  return micros;
}

int Run() {
  const int rate = absl::GetFlag(FLAGS_rate),
            count = absl::GetFlag(FLAGS_count);
  testing::TempDir dir;
  auto broker = testing::KafkaBroker::Start(dir.File("kafka"));
  if (!broker.ok()) {
    std::fprintf(stderr, "projection_lag_bench: %s\n",
                 broker.status().ToString().c_str());
    return 1;
  }
  // Baseline first and last, so both sample the same stretch of a noisy
  // machine as the projection run between them.
  auto bare_before = BareRoundTrip((*broker)->bootstrap(),
                                   "pmo.bench.roundtrip-1.v1", rate, count);
  auto projection =
      CommandToView((*broker)->bootstrap(), dir.File("run"), rate, count);
  auto bare_after = BareRoundTrip((*broker)->bootstrap(),
                                  "pmo.bench.roundtrip-2.v1", rate, count);
  for (const auto* s : {&bare_before, &projection, &bare_after}) {
    if (!s->ok()) {
      std::fprintf(stderr, "projection_lag_bench: %s\n",
                   s->status().ToString().c_str());
      return 1;
    }
  }
  std::vector<double> bare = *bare_before;
  bare.insert(bare.end(), bare_after->begin(), bare_after->end());
  const Summary b = Summarise(bare), p = Summarise(*projection);
  std::printf("%d per second, %d each\n", rate, count);
  std::printf("%-44s %9s %9s %9s %8s\n", "", "p50 ms", "p99 ms", "max ms",
              "samples");
  std::printf("%-44s %9.2f %9.2f %9.2f %8zu\n",
              "bare Kafka round trip (producer->consumer)", b.p50_ms, b.p99_ms,
              b.max_ms, b.samples);
  std::printf("%-44s %9.2f %9.2f %9.2f %8zu\n",
              "command ack -> visible in the view", p.p50_ms, p.p99_ms,
              p.max_ms, p.samples);
  std::printf("p99 ratio (view / bare): %.2f (target: at most 2)\n",
              b.p99_ms > 0 ? p.p99_ms / b.p99_ms : 0);
  return 0;
}

}  // namespace
}  // namespace pmo::projection

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return pmo::projection::Run();
}
