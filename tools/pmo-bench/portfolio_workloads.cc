#include "tools/pmo-bench/portfolio_workloads.h"

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"

namespace pmo::bench {
namespace {

namespace pv1 = ::pmo::projects::v1;

// How long set-up waits for the resource pool to learn a new project (it
// follows the projects' events: in process in `pmo`, over Kafka otherwise).
constexpr absl::Duration kProjectPropagationTimeout = absl::Seconds(30);

absl::Status SetUpError(const char* what, const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

class MixedSession final : public WorkloadSession {
 public:
  MixedSession(const PortfolioChannels& channels, absl::Duration timeout,
               const std::string& run_tag, int worker)
      : client_(channels, timeout, run_tag, worker),
        deck_(MixedDeck(static_cast<uint64_t>(worker) + 1)),
        random_(static_cast<uint64_t>(worker) * 7919 + 17) {}

  absl::Status SetUp() {
    for (int i = 0; i < 3; ++i) {
      Answer project = client_.CreateProject();
      if (!project.status.ok())
        return SetUpError("CreateProject", project.status);
      Project p{project.id, {}, /*bookable=*/true};
      for (int t = 0; t < 2; ++t) {
        Answer task = client_.AddTask(p.id, 10, std::nullopt);
        if (!task.status.ok()) return SetUpError("AddTask", task.status);
        p.task_ids.push_back(task.id);
      }
      projects_.push_back(std::move(p));
    }
    Answer resource = client_.RegisterResource();
    if (!resource.status.ok())
      return SetUpError("RegisterResource", resource.status);
    resource_id_ = resource.id;
    // The risk register, like the pool, learns new projects from the
    // projects events a moment later: FAILED_PRECONDITION until then.
    Answer risk;
    for (const absl::Time deadline = absl::Now() + kProjectPropagationTimeout;
         ;) {
      risk = client_.IdentifyRisk(projects_[0].id);
      if (risk.status.error_code() != grpc::StatusCode::FAILED_PRECONDITION ||
          absl::Now() >= deadline) {
        break;
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
    if (!risk.status.ok()) return SetUpError("IdentifyRisk", risk.status);
    risk_ids_.push_back(risk.id);
    for (const Project& p : projects_) {
      const absl::Time deadline = absl::Now() + kProjectPropagationTimeout;
      Answer booked;
      while (true) {
        booked =
            client_.AllocateResource(resource_id_, p.id, ProjectWeek(0), 10);
        if (booked.status.error_code() !=
                grpc::StatusCode::FAILED_PRECONDITION ||
            absl::Now() >= deadline) {
          break;
        }
        absl::SleepFor(absl::Milliseconds(50));
      }
      if (!booked.status.ok())
        return SetUpError("AllocateResource", booked.status);
    }
    return absl::OkStatus();
  }

  CallOutcome Next() override {
    const MixedOperation op = deck_[next_++ % deck_.size()];
    switch (op) {
      case MixedOperation::kCreateProject: {
        Answer a = client_.CreateProject();
        // New projects get tasks and costs, but no bookings or new risks:
        // the pool and the risk register may not know them yet, and a
        // refusal would be ours.
        if (a.status.ok()) projects_.push_back({a.id, {}, /*bookable=*/false});
        return {"CreateProject", a.status.error_code()};
      }
      case MixedOperation::kAddTask: {
        Project& p = AnyProject();
        Answer a = client_.AddTask(p.id, Uniform(1, 30), std::nullopt);
        if (a.status.ok()) p.task_ids.push_back(a.id);
        return {"AddTask", a.status.error_code()};
      }
      case MixedOperation::kRecordTaskProgress: {
        const Project& p = AnyProjectWithTasks();
        const std::string& task =
            p.task_ids[Uniform(0, static_cast<int>(p.task_ids.size()) - 1)];
        return {"RecordTaskProgress",
                client_.RecordTaskProgress(p.id, task, Uniform(1, 99))
                    .status.error_code()};
      }
      case MixedOperation::kRecordActualCost:
        return {
            "RecordActualCost",
            client_
                .RecordActualCost(AnyProject().id,
                                  ProjectWeek(Uniform(0, 47)) + Uniform(0, 4),
                                  Uniform(10'000, 90'000), std::nullopt)
                .status.error_code()};
      case MixedOperation::kSubmitStatusReport: {
        static constexpr pv1::Health kHealth[] = {
            pv1::HEALTH_GREEN, pv1::HEALTH_GREEN, pv1::HEALTH_AMBER,
            pv1::HEALTH_RED};
        return {"SubmitStatusReport",
                client_
                    .SubmitStatusReport(AnyProject().id,
                                        ProjectWeek(Uniform(0, 47)) + 4,
                                        kHealth[Uniform(0, 3)])
                    .status.error_code()};
      }
      case MixedOperation::kAllocateResource:
        return {"AllocateResource",
                client_
                    .AllocateResource(resource_id_, projects_[Uniform(0, 2)].id,
                                      ProjectWeek(Uniform(0, 47)), 10)
                    .status.error_code()};
      case MixedOperation::kIdentifyRisk: {
        // The set-up projects, like bookings: the register learns a project
        // created a moment ago only once its events reach it.
        Answer a = client_.IdentifyRisk(projects_[Uniform(0, 2)].id);
        if (a.status.ok()) risk_ids_.push_back(a.id);
        return {"IdentifyRisk", a.status.error_code()};
      }
      case MixedOperation::kAssessRisk:
        return {"AssessRisk",
                client_
                    .AssessRisk(risk_ids_[Uniform(
                                    0, static_cast<int>(risk_ids_.size()) - 1)],
                                Uniform(1, 5), Uniform(1, 5))
                    .status.error_code()};
      case MixedOperation::kGetProject:
        return {"GetProject",
                client_.GetProject(AnyProject().id).status.error_code()};
      case MixedOperation::kGetResourceLoad: {
        const absl::CivilDay from = ProjectWeek(Uniform(0, 44));
        return {"GetResourceLoad",
                client_.GetResourceLoad(resource_id_, from, from + 27)
                    .status.error_code()};
      }
      case MixedOperation::kListRisks:
        return {"ListRisks",
                client_.ListRisks(AnyProject().id).status.error_code()};
    }
    return {"Unknown", grpc::StatusCode::INTERNAL};
  }

 private:
  struct Project {
    std::string id;
    std::vector<std::string> task_ids;
    // Known to the resource pool (booked once during set-up).
    bool bookable = false;
  };

  int Uniform(int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(random_);
  }
  Project& AnyProject() {
    return projects_[Uniform(0, static_cast<int>(projects_.size()) - 1)];
  }
  // The set-up projects always have tasks; later ones may not yet.
  const Project& AnyProjectWithTasks() {
    Project& p = AnyProject();
    return p.task_ids.empty() ? projects_[Uniform(0, 2)] : p;
  }

  PortfolioClient client_;
  std::vector<MixedOperation> deck_;
  size_t next_ = 0;
  std::mt19937_64 random_;
  std::vector<Project> projects_;
  std::string resource_id_;
  std::vector<std::string> risk_ids_;
};

class BulkImportSession final : public WorkloadSession {
 public:
  BulkImportSession(const PortfolioChannels& channels, absl::Duration timeout,
                    const std::string& run_tag, int worker)
      : client_(channels, timeout, run_tag, worker) {}

  // Steps of one imported project; see portfolio_workloads.h.
  static constexpr int kTasks = 8;
  static constexpr int kCosts = 4;
  static constexpr int kRisks = 2;
  static constexpr int kSteps = 2 + kTasks + kCosts + kRisks;

  CallOutcome Next() override {
    const int step = step_;
    CallOutcome outcome;
    Answer a;
    if (step == 0) {
      a = client_.CreateProject();
      project_id_ = a.id;
      outcome.operation = "CreateProject";
    } else if (step == 1) {
      a = client_.SetBudget(project_id_, version_);
      outcome.operation = "SetBudget";
    } else if (step < 2 + kTasks) {
      a = client_.AddTask(project_id_, 5 + step, version_);
      outcome.operation = "AddTask";
    } else if (step < 2 + kTasks + kCosts) {
      const int week = (step - 2 - kTasks) * 4;
      a = client_.RecordActualCost(project_id_, ProjectWeek(week) + 4, 80'000,
                                   version_);
      outcome.operation = "RecordActualCost";
    } else {
      a = client_.IdentifyRisk(project_id_);
      outcome.operation = "IdentifyRisk";
    }
    outcome.code = a.status.error_code();
    if (a.status.ok()) {
      // Risks live in their own service; the project's version stays.
      if (step < 2 + kTasks + kCosts) version_ = a.version;
      step_ = (step + 1) % kSteps;
    } else {
      step_ = 0;
    }
    return outcome;
  }

 private:
  PortfolioClient client_;
  int step_ = 0;
  std::string project_id_;
  int64_t version_ = 0;
};

class PortfolioWorkload final : public Workload {
 public:
  enum class Kind { kMixed, kBulkImport };
  PortfolioWorkload(Kind kind, const PortfolioChannels& channels,
                    absl::Duration timeout, std::string run_tag)
      : kind_(kind),
        channels_(channels),
        timeout_(timeout),
        run_tag_(std::move(run_tag)) {}

  absl::StatusOr<std::unique_ptr<WorkloadSession>> StartSession(
      int worker) override {
    if (kind_ == Kind::kBulkImport) {
      return std::make_unique<BulkImportSession>(channels_, timeout_, run_tag_,
                                                 worker);
    }
    auto session =
        std::make_unique<MixedSession>(channels_, timeout_, run_tag_, worker);
    if (absl::Status s = session->SetUp(); !s.ok()) return s;
    return session;
  }

 private:
  Kind kind_;
  PortfolioChannels channels_;
  absl::Duration timeout_;
  std::string run_tag_;
};

}  // namespace

std::vector<MixedOperation> MixedDeck(uint64_t seed) {
  std::vector<MixedOperation> deck;
  for (const MixedShare& share : kMixedShares) {
    deck.insert(deck.end(), share.per_hundred, share.operation);
  }
  std::mt19937_64 random(seed);
  std::shuffle(deck.begin(), deck.end(), random);
  return deck;
}

std::unique_ptr<Workload> MakeMixedWorkload(const PortfolioChannels& channels,
                                            absl::Duration call_timeout,
                                            const std::string& run_tag) {
  return std::make_unique<PortfolioWorkload>(PortfolioWorkload::Kind::kMixed,
                                             channels, call_timeout, run_tag);
}

std::unique_ptr<Workload> MakeBulkImportWorkload(
    const PortfolioChannels& channels, absl::Duration call_timeout,
    const std::string& run_tag) {
  return std::make_unique<PortfolioWorkload>(
      PortfolioWorkload::Kind::kBulkImport, channels, call_timeout, run_tag);
}

}  // namespace pmo::bench
