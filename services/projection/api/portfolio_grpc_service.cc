#include "services/projection/api/portfolio_grpc_service.h"

#include <iterator>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "libs/base/errors.h"
#include "libs/base/page_token.h"
#include "libs/base/proto_time.h"
#include "libs/base/status_macros.h"
#include "libs/dates/calendar_dates.h"
#include "libs/grpcserver/call_context.h"
#include "libs/grpcserver/request_checks.h"
#include "libs/grpcserver/status_mapping.h"
#include "services/projection/api/freshness.h"
#include "services/projection/api/overview_query.h"

namespace pmo::projection {
namespace {

using grpcserver::ToGrpcStatus;

google::type::Date ParseIsoDate(const std::string& iso) {
  google::type::Date d;
  std::vector<std::string> parts = absl::StrSplit(iso, '-');
  int y = 0, m = 0, day = 0;
  if (parts.size() == 3 && absl::SimpleAtoi(parts[0], &y) &&
      absl::SimpleAtoi(parts[1], &m) && absl::SimpleAtoi(parts[2], &day)) {
    d.set_year(y);
    d.set_month(m);
    d.set_day(day);
  }
  return d;
}

// A project manager's page of the project list: the view pages over every
// project, so its pages are walked and what is left paged again here.
absl::StatusOr<PortfolioPage> PageOfManagedProjects(
    PortfolioView& view, const auth::ProjectScope& scope,
    const v1::ListPortfolioProjectsRequest& request) {
  FieldViolations v;
  const PageRequest page = ReadPageRequest(
      v, request.page_size(), request.page_token(), "managed-projects");
  RETURN_IF_ERROR(v.ToStatus());
  std::vector<PortfolioProject> theirs;
  std::string token;
  do {
    ASSIGN_OR_RETURN(PortfolioPage all,
                     view.ListProjects(1000, token, request.status()));
    for (PortfolioProject& p : all.projects) {
      if (scope.Includes(p.project_id)) theirs.push_back(std::move(p));
    }
    token = all.next_page_token;
  } while (!token.empty());
  const PageRange range = PageOf(page, theirs.size(), "managed-projects");
  PortfolioPage out;
  out.projects.assign(std::make_move_iterator(theirs.begin() + range.begin),
                      std::make_move_iterator(theirs.begin() + range.end));
  out.next_page_token = range.next_page_token;
  return out;
}

}  // namespace

grpc::Status PortfolioGrpcService::ListPortfolioProjects(
    grpc::ServerContext* context,
    const v1::ListPortfolioProjectsRequest* request,
    v1::ListPortfolioProjectsResponse* response) {
  const std::shared_ptr<PortfolioView> view = served_.Current();
  // Freshness first: the rows are then at least as new as it says.
  if (absl::Status s = FillFreshness(*view, response->mutable_freshness());
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  const auth::ProjectScope scope =
      auth::ProjectScope::Of(grpcserver::CallerOf(*context).grants);
  absl::StatusOr<PortfolioPage> page =
      scope.IsEverything()
          ? view->ListProjects(request->page_size(), request->page_token(),
                               request->status())
          : PageOfManagedProjects(*view, scope, *request);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const PortfolioProject& p : page->projects) {
    v1::PortfolioProject* out = response->add_projects();
    out->set_project_id(p.project_id);
    out->set_code(p.code);
    out->set_name(p.name);
    out->set_manager(p.manager);
    out->set_status(p.status);
    *out->mutable_planned_start() = ParseIsoDate(p.planned_start);
    *out->mutable_planned_end() = ParseIsoDate(p.planned_end);
    out->set_version(p.version);
    *out->mutable_update_time() = ToTimestamp(p.updated_at);
  }
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status PortfolioGrpcService::GetPortfolioDigest(
    grpc::ServerContext* context, const v1::GetPortfolioDigestRequest* request,
    v1::GetPortfolioDigestResponse* response) {
  const std::shared_ptr<PortfolioView> view = served_.Current();
  if (absl::Status s = FillFreshness(*view, response->mutable_freshness());
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  absl::StatusOr<std::string> digest = view->Digest();
  if (!digest.ok()) return ToGrpcStatus(digest.status());
  absl::StatusOr<int64_t> count = view->ProjectCount();
  if (!count.ok()) return ToGrpcStatus(count.status());
  response->set_digest(*digest);
  response->set_project_count(*count);
  return grpc::Status::OK;
}

grpc::Status PortfolioGrpcService::GetPortfolioOverview(
    grpc::ServerContext* context,
    const v1::GetPortfolioOverviewRequest* request,
    v1::GetPortfolioOverviewResponse* response) {
  const std::shared_ptr<PortfolioView> view = served_.Current();
  FieldViolations v;
  std::optional<absl::CivilDay> as_of;
  grpcserver::ReadOptionalDate(v, "as_of", request->has_as_of(),
                               request->as_of(), &as_of);
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  if (absl::Status s = FillFreshness(*view, response->mutable_freshness());
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  const absl::CivilDay status_date =
      as_of.value_or(absl::ToCivilDay(clock_.Now(), absl::UTCTimeZone()));
  absl::StatusOr<Overview> overview =
      view->ComputeOverview(status_date, as_of.has_value());
  if (!overview.ok()) return ToGrpcStatus(overview.status());
  NarrowOverview(auth::ProjectScope::Of(grpcserver::CallerOf(*context).grants),
                 *overview);
  return ToGrpcStatus(
      AnswerOverview(*overview, status_date, *request, response));
}

}  // namespace pmo::projection
