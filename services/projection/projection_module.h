#pragma once

// The projection service, assembled: the portfolio view and its gRPC
// adapters. Subscriptions are wired by the binary (Kafka) or by the
// all-in-one pmo (in-process).

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/projection/api/portfolio_grpc_service.h"
#include "services/projection/api/views_grpc_service.h"
#include "services/projection/app/portfolio_view.h"

namespace pmo::projection {

struct ProjectionModule {
  // Opens (creating) <data_dir>/portfolio-view.db, or with --store_url a
  // PostgreSQL URL the schema "projection" of that database.
  static absl::StatusOr<std::unique_ptr<ProjectionModule>> Open(
      const std::string& data_dir);

  std::unique_ptr<PortfolioView> view;
  std::unique_ptr<PortfolioGrpcService> grpc_service;
  // Resource load, risk register, dependencies, configuration lists,
  // rebuild and switch.
  std::unique_ptr<ViewsGrpcService> views_service;
};

}  // namespace pmo::projection
