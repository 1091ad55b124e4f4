#include "services/risks/app/matrix_handlers.h"

#include <atomic>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/eventsourcing/request_ids.h"

namespace pmo::risks {
namespace {

// Runs `work(i)` for i in [0, count) on `workers` threads; the first error
// wins and stops the rest from starting more.
absl::Status ForEachInParallel(
    size_t count, int workers,
    const std::function<absl::Status(size_t)>& work) {
  std::atomic<size_t> next{0};
  std::mutex mu;
  absl::Status first_error;
  std::atomic<bool> failed{false};
  auto run = [&] {
    for (size_t i = next++; i < count && !failed; i = next++) {
      absl::Status s = work(i);
      if (!s.ok()) {
        std::lock_guard lock(mu);
        if (first_error.ok()) first_error = s;
        failed = true;
      }
    }
  };
  std::vector<std::thread> threads;
  const size_t n = std::min<size_t>(std::max(workers, 1), count);
  for (size_t t = 1; t < n; ++t) threads.emplace_back(run);
  run();
  for (std::thread& t : threads) t.join();
  return first_error;
}

}  // namespace

absl::StatusOr<ConfiguredMatrix> MatrixHandlers::ConfigureRiskMatrix(
    const std::string& portfolio_id, v1::RiskMatrix matrix,
    eventsourcing::CommandContext context) {
  FieldViolations v;
  if (portfolio_id.empty()) v.Add("portfolio_id", "is required");
  if (context.request_id.empty())
    v.Add("request_id", "is required: re-rating is many appends");
  RETURN_IF_ERROR(v.ToStatus());
  // Field checks before the portfolio look-up, so a bad matrix is named.
  RETURN_IF_ERROR(
      RiskMatrixAggregate().Configure(portfolio_id, matrix).status());
  RETURN_IF_ERROR(scopes_.CheckKnown(v1::RISK_LEVEL_PORTFOLIO, portfolio_id));
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  ASSIGN_OR_RETURN(
      VersionedRiskMatrix configured,
      eventsourcing::ExecuteCommand<RiskMatrixAggregate>(
          store_, portfolio_id, context, [&](const VersionedRiskMatrix& m) {
            return m.state.Configure(portfolio_id, matrix);
          }));
  ConfiguredMatrix out;
  out.matrix = configured.state.Current();
  eventsourcing::CommandContext follow = context;
  follow.expected_version = std::nullopt;
  follow.metadata.causation_id = context.request_id;
  ASSIGN_OR_RETURN(out.ratings_changed, RerateStale(portfolio_id, follow));
  return out;
}

absl::StatusOr<v1::RiskMatrix> MatrixHandlers::GetRiskMatrix(
    const std::string& portfolio_id, const std::string& version) {
  if (portfolio_id.empty() &&
      (version.empty() || version == DefaultRiskMatrix().version())) {
    return DefaultRiskMatrix();
  }
  ASSIGN_OR_RETURN(
      VersionedRiskMatrix m,
      eventsourcing::LoadAggregate<RiskMatrixAggregate>(store_, portfolio_id));
  if (version.empty()) return m.state.Current();
  if (const v1::RiskMatrix* found = m.state.Find(version)) return *found;
  if (version == DefaultRiskMatrix().version()) return DefaultRiskMatrix();
  return absl::NotFoundError(
      absl::StrCat("matrix version ", version, " not found"));
}

absl::StatusOr<int> MatrixHandlers::RerateStale(
    const std::string& portfolio_id,
    const eventsourcing::CommandContext& context) {
  ASSIGN_OR_RETURN(v1::RiskMatrix matrix, scopes_.MatrixOf(portfolio_id));
  const riskscoring::RiskMatrix scoring = ToScoring(matrix);
  const EscalationThreshold threshold{portfolio_id,
                                      matrix.escalation_min_score()};
  ASSIGN_OR_RETURN(std::vector<VersionedRisk> all,
                   eventsourcing::LoadAllOfType<RiskAggregate>(store_));
  std::vector<const v1::Risk*> stale;
  for (const VersionedRisk& r : all) {
    const v1::Risk& risk = r.state.state();
    if (!risk.has_inherent_rating()) continue;
    const bool current =
        risk.inherent_rating().matrix_version() == matrix.version() &&
        (!risk.has_residual_rating() ||
         risk.residual_rating().matrix_version() == matrix.version());
    if (current) continue;
    ASSIGN_OR_RETURN(std::string portfolio,
                     scopes_.PortfolioOf(risk.level(), risk.scope_id()));
    if (portfolio == portfolio_id) stale.push_back(&risk);
  }
  std::atomic<int> changed{0};
  std::mutex mu;
  std::set<std::string> combined_ids;
  RETURN_IF_ERROR(ForEachInParallel(
      stale.size(), rerate_workers_, [&](size_t i) -> absl::Status {
        const v1::Risk& risk = *stale[i];
        // An assessment that does not fit a matrix with fewer levels keeps its
        // old rating until it is re-assessed.
        std::optional<v1::Rating> inherent, residual;
        if (auto r = riskscoring::Rate(
                scoring, ToAssessment(risk.inherent_assessment()));
            r.ok()) {
          inherent = ToProto(*r);
        }
        if (risk.has_residual_assessment()) {
          if (auto r = riskscoring::Rate(
                  scoring, ToAssessment(risk.residual_assessment()));
              r.ok()) {
            residual = ToProto(*r);
          }
        }
        eventsourcing::CommandContext rerate = context;
        rerate.request_id = eventsourcing::DerivedRequestId(
            matrix.version(), "rerate", risk.risk_id());
        ASSIGN_OR_RETURN(
            VersionedRisk rerated,
            eventsourcing::ExecuteCommand<RiskAggregate>(
                store_, risk.risk_id(), rerate, [&](const VersionedRisk& r) {
                  return r.state.Rerate(inherent, residual, threshold);
                }));
        (void)rerated;
        changed += (inherent && risk.inherent_rating().matrix_version() !=
                                    matrix.version()
                        ? 1
                        : 0) +
                   (residual && risk.residual_rating().matrix_version() !=
                                    matrix.version()
                        ? 1
                        : 0);
        std::lock_guard lock(mu);
        combined_ids.insert(risk.combined_risk_ids().begin(),
                            risk.combined_risk_ids().end());
        return absl::OkStatus();
      }));
  for (const std::string& combined_id : combined_ids) {
    eventsourcing::CommandContext follow = context;
    follow.request_id = eventsourcing::DerivedRequestId(
        matrix.version(), "combined-exposure", combined_id);
    RETURN_IF_ERROR(
        risks_.RefreshCombinedExposure(combined_id, "", follow).status());
  }
  return changed.load();
}

}  // namespace pmo::risks
