// The dashboard over real HTTP on 127.0.0.1 (port 0), reading views with
// hand-picked figures: routes, status codes, sorting, as-of, bad
// parameters and the role rules; and over HTTPS with the gRPC server's
// TLS files.

#include "services/reporting/web/dashboard.h"

#include <thread>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/auth/project_scope.h"
#include "libs/auth/testing/token_issuer.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/operability/testing/http_exchange.h"
#include "libs/operability/testing/https_get.h"
#include "services/reporting/web/dashboard_server.h"
#include "services/reporting/web/dependency_graph_svg.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/test_pki.h"

ABSL_DECLARE_FLAG(std::string, dashboard_listen);

namespace pmo::reporting {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr absl::CivilDay kToday(2027, 3, 31);

ProjectFigures Project(std::string id, const std::string& code,
                       std::string health, int64_t ev, int64_t ac) {
  ProjectFigures p;
  p.project_id = std::move(id);
  p.code = code;
  p.name = code + " project";
  p.health = std::move(health);
  p.portfolio_id = "pf-1";
  p.portfolio_code = "CORP";
  p.earned_value = {1'000'000,
                    400'000,
                    ev,
                    ac,
                    static_cast<double>(ev) / 400'000,
                    static_cast<double>(ev) / static_cast<double>(ac)};
  return p;
}

// Known figures; records the as-of day each read was asked for. Seen by a
// reader, they are narrowed as the projection narrows them (every figure
// over the reader's projects only; others' hours as one anonymous share).
class KnownViews final : public ConsolidatedViews {
 public:
  explicit KnownViews(
      auth::ProjectScope seen = auth::ProjectScope::Everything())
      : seen_(std::move(seen)) {}

  absl::StatusOr<PortfolioSnapshot> Overview(
      const ViewScope& scope, std::optional<absl::CivilDay> as_of) override {
    as_of_seen.push_back(as_of);
    PortfolioSnapshot s;
    s.status_date = as_of.value_or(kToday);
    s.last_event_recorded = absl::FromCivil(
        absl::CivilSecond(2027, 3, 31, 9, 15, 0), absl::UTCTimeZone());
    s.apply_lag = absl::Milliseconds(12);
    // ERP: CPI 500000 / 400000 = 1.25; CRM: 300000 / 375000 = 0.8.
    for (ProjectFigures p :
         {Project("p-1", "ERP", "GREEN", 500'000, 400'000),
          Project("p-2", "CRM", "RED", 300'000, 375'000),
          Project("p-3", "WEB", "AMBER", 380'000, 400'000)}) {
      if (scope.level == ScopeLevel::kProject && p.project_id != scope.id)
        continue;
      if (scope.level == ScopeLevel::kPortfolio && p.portfolio_id != scope.id)
        continue;
      if (!seen_.Includes(p.project_id)) continue;
      s.projects.push_back(std::move(p));
    }
    if (scope.level != ScopeLevel::kProject) {
      s.portfolios.push_back({"pf-1",
                              "CORP",
                              static_cast<int32_t>(s.projects.size()),
                              {},
                              "AMBER",
                              2,
                              0,
                              seen_.IsEverything() ? 42'000 : 30'000,
                              1});
    }
    return s;
  }
  absl::StatusOr<ResourceLoad> ResourceLoadByWeek(
      const ViewScope&, std::optional<absl::CivilDay> as_of) override {
    ResourceLoad load;
    load.status_date = as_of.value_or(kToday);
    load.week_starts = {absl::CivilDay(2027, 3, 29),
                        absl::CivilDay(2027, 4, 5)};
    ResourceLoadRow alice{"r-1", "Alice", {}};
    alice.weeks.push_back(
        {40, 48,
         seen_.IsEverything()
             ? std::vector<ProjectShare>{{"p-1", "ERP", 30}, {"p-2", "CRM", 18}}
             : std::vector<ProjectShare>{{"p-1", "ERP", 30}, {"", "", 18}}});
    alice.weeks.push_back({0, 0, {}});
    load.resources.push_back(std::move(alice));
    return load;
  }
  absl::StatusOr<RiskRegister> Risks(
      const ViewScope&, std::optional<absl::CivilDay> as_of) override {
    RiskRegister r;
    r.status_date = as_of.value_or(kToday);
    r.open_risks = {{"k-1", "Supplier fails", "ERP", 3, 4, 30'000, false}};
    r.trend = {{absl::CivilDay(2027, 3, 24), 20'000, 0}, {kToday, 30'000, 0}};
    if (!seen_.IsEverything()) return r;  // ERP's only
    r.open_risks.push_back(
        {"k-2", "Key person leaves", "CRM", 2, 2, 12'000, false});
    r.open_risks.push_back({"k-3", "Early delivery", "WEB", 2, 3, 5'000, true});
    r.trend = {{absl::CivilDay(2027, 3, 24), 20'000, 5'000},
               {kToday, 42'000, 5'000}};
    return r;
  }
  absl::StatusOr<DependencyGraph> Dependencies(
      const ViewScope&, std::optional<absl::CivilDay> as_of) override {
    DependencyGraph g;
    g.status_date = as_of.value_or(kToday);
    g.dependencies = {{"ERP", "t-1", "CRM", "t-7", "FS", 0, true}};
    if (seen_.IsEverything())
      g.dependencies.push_back({"CRM", "t-8", "WEB", "t-9", "FS", 2, false});
    return g;
  }

  std::vector<std::optional<absl::CivilDay>> as_of_seen;

 private:
  const auth::ProjectScope seen_;
};

using Answer = testing::HttpAnswer;

// One request with libcurl; `extra_headers` as "Name: value\r\n" lines.
Answer Get(int port, const std::string& target,
           const std::string& extra_headers = "",
           const std::string& method = "GET") {
  std::vector<std::string> headers;
  for (absl::string_view line :
       absl::StrSplit(extra_headers, "\r\n", absl::SkipEmpty())) {
    headers.emplace_back(line);
  }
  return testing::HttpGet(port, target, headers, method);
}

// Where `needle` first appears in `body`; npos when it does not.
size_t At(const std::string& body, const std::string& needle) {
  return body.find(needle);
}

class DashboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpcserver::ServiceHostOptions host;
    auto server = DashboardServer::Start("127.0.0.1:0", host, views_, nullptr);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }
  int port() const { return server_->port(); }

  KnownViews views_;
  std::unique_ptr<DashboardServer> server_;
};

TEST_F(DashboardTest,
       OverviewShowsEveryProjectWithHealthInColourAndWordsUnderAStrictPolicy) {
  const Answer a = Get(port(), "/");
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_THAT(a.head,
              AllOf(HasSubstr("Content-Type: text/html; charset=utf-8"),
                    HasSubstr("Content-Security-Policy: default-src 'none'; "
                              "style-src 'unsafe-inline'; img-src data:"),
                    HasSubstr("X-Content-Type-Options: nosniff")));
  EXPECT_THAT(
      a.body,
      AllOf(HasSubstr("ERP"), HasSubstr("CRM"), HasSubstr("1.2500"),
            HasSubstr("0.8000"), HasSubstr("<td class=\"health-RED\">RED</td>"),
            HasSubstr("<td class=\"health-GREEN\">GREEN</td>"),
            HasSubstr("<strong id=\"as-of\">2027-03-31</strong> (live view)"),
            HasSubstr("2027-03-31 09:15:00 UTC"), HasSubstr("href=\"/risks\""),
            HasSubstr("href=\"/projects/p-1/earned-value\""),
            Not(HasSubstr("<script"))));
}

TEST_F(DashboardTest,
       OverviewSortsByTheColumnNamedAndItsHeaderReversesTheOrder) {
  const Answer up = Get(port(), "/?sort=cpi");
  ASSERT_EQ(up.status, 200) << up.body;
  EXPECT_LT(At(up.body, "<td>CRM</td>"), At(up.body, "<td>WEB</td>"));
  EXPECT_LT(At(up.body, "<td>WEB</td>"), At(up.body, "<td>ERP</td>"));
  EXPECT_THAT(up.body, HasSubstr("href=\"/?sort=-cpi\""));
  const Answer down = Get(port(), "/?sort=-cpi");
  EXPECT_LT(At(down.body, "<td>ERP</td>"), At(down.body, "<td>CRM</td>"));
  // By severity, not alphabet: RED after AMBER after GREEN.
  const Answer health = Get(port(), "/?sort=health&as_of=2027-01-31");
  EXPECT_LT(At(health.body, "<td>ERP</td>"), At(health.body, "<td>WEB</td>"));
  EXPECT_LT(At(health.body, "<td>WEB</td>"), At(health.body, "<td>CRM</td>"));
  EXPECT_THAT(health.body,
              HasSubstr("href=\"/?sort=code&amp;as_of=2027-01-31\""));
}

TEST_F(DashboardTest, BadParametersAre400NamingTheParameter) {
  const Answer bad_day = Get(port(), "/risks?as_of=2027-02-30");
  EXPECT_EQ(bad_day.status, 400);
  EXPECT_THAT(bad_day.body,
              HasSubstr("as_of: must be a real day written YYYY-MM-DD"));
  EXPECT_EQ(Get(port(), "/?as_of=31.03.2027").status, 400);
  const Answer bad_sort = Get(port(), "/?sort=weather");
  EXPECT_EQ(bad_sort.status, 400);
  EXPECT_THAT(bad_sort.body,
              AllOf(HasSubstr("sort: &quot;weather&quot; is not a column"),
                    HasSubstr("cpi")));
  EXPECT_EQ(
      Get(port(), "/earned-value?portfolio=" + std::string(65, 'x')).status,
      400);
  EXPECT_EQ(Get(port(), "/?as_of=%ZZ").status, 400);
}

TEST_F(DashboardTest, AsOfReadsTheViewsAtThatDayAndSaysSo) {
  const Answer a = Get(port(), "/resources?as_of=2027-01-31");
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_THAT(
      a.body,
      AllOf(
          HasSubstr("<strong id=\"as-of\">2027-01-31</strong> (from history)"),
          HasSubstr("href=\"/earned-value?as_of=2027-01-31\"")));
  ASSERT_FALSE(views_.as_of_seen.empty());
  for (const auto& seen : views_.as_of_seen)
    EXPECT_EQ(seen, absl::CivilDay(2027, 1, 31));
}

TEST_F(DashboardTest, EarnedValuePagesDrawTheSCurveForAProjectAndThePortfolio) {
  const Answer project = Get(port(), "/projects/p-1/earned-value");
  ASSERT_EQ(project.status, 200) << project.body;
  EXPECT_THAT(project.body, AllOf(HasSubstr("Earned value - Project ERP"),
                                  HasSubstr("<polyline"), HasSubstr("500000"),
                                  HasSubstr("1.2500"), Not(HasSubstr("CRM"))));
  const Answer portfolio = Get(port(), "/earned-value?portfolio=pf-1");
  ASSERT_EQ(portfolio.status, 200) << portfolio.body;
  // Total EV 500000 + 300000 + 380000.
  EXPECT_THAT(portfolio.body,
              AllOf(HasSubstr("Portfolio CORP"), HasSubstr("1180000")));
  EXPECT_EQ(Get(port(), "/projects/p-9/earned-value").status, 404);
  EXPECT_EQ(Get(port(), "/earned-value?portfolio=pf-9").status, 404);
}

TEST_F(DashboardTest, RiskResourceAndDependencyPagesShowTheirFigures) {
  const Answer risks = Get(port(), "/risks");
  ASSERT_EQ(risks.status, 200) << risks.body;
  // Threats only: 30000 + 12000.
  EXPECT_THAT(risks.body,
              AllOf(HasSubstr("<strong id=\"exposure\">42000</strong>"),
                    HasSubstr("Supplier fails"), HasSubstr("<svg")));
  const Answer resources = Get(port(), "/resources");
  ASSERT_EQ(resources.status, 200) << resources.body;
  EXPECT_THAT(
      resources.body,
      AllOf(HasSubstr(">120%</text>"), HasSubstr("fill=\"#ef5350\""),
            HasSubstr(
                "Alice, week of 2027-03-29: 48.0 h booked of 40.0 h (120 %). "
                "ERP 30.0 h, CRM 18.0 h"),
            HasSubstr("no capacity")));
  const Answer graph = Get(port(), "/dependencies");
  ASSERT_EQ(graph.status, 200) << graph.body;
  EXPECT_THAT(graph.body,
              AllOf(HasSubstr("ERP -&gt; CRM: 1 task link(s), 1 at risk"),
                    HasSubstr("class=\"dependency at-risk\""),
                    HasSubstr("CRM -&gt; WEB: 1 task link(s), 0 at risk")));
}

TEST_F(DashboardTest, UnknownPathsAndMethodsAreRefused) {
  EXPECT_EQ(Get(port(), "/weather").status, 404);
  EXPECT_EQ(Get(port(), "/projects//earned-value").status, 404);
  const Answer post = Get(port(), "/", "", "POST");
  EXPECT_EQ(post.status, 405);
  EXPECT_THAT(post.head, HasSubstr("Allow: GET, HEAD"));
  const Answer head = Get(port(), "/risks", "", "HEAD");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
}

TEST(DependencyGraphSvg, PutsASuccessorRightOfItsPredecessorAndSurvivesACycle) {
  DependencyGraph g;
  g.dependencies = {{"A", "1", "B", "2", "FS", 0, false},
                    {"B", "3", "A", "4", "FS", 0, false}};
  const std::string svg = DependencyGraphSvg(g);
  EXPECT_THAT(svg, AllOf(StartsWith("<svg"), HasSubstr("A -&gt; B"),
                         HasSubstr("B -&gt; A")));
  EXPECT_THAT(DependencyGraphSvg({}),
              HasSubstr("No inter-project dependencies"));
}

TEST(DependencyGraphSvg, AnArrowSkippingAColumnRunsBetweenTheRows) {
  DependencyGraph g;
  g.dependencies = {{"A", "1", "B", "2", "FS", 0, false},
                    {"B", "3", "C", "4", "FS", 0, false},
                    {"A", "5", "C", "6", "FS", 0, true}};
  const std::string svg = DependencyGraphSvg(g);
  // A, B, C in columns 0, 1, 2 (boxes 120 wide, 90 apart, from x 20) on
  // the first row (y 20, 34 high): A -> B straight; A -> C down to the gap
  // below the row (y 65) and back up into C.
  EXPECT_THAT(svg, HasSubstr("points=\"140.0,37.0 230.0,37.0\""));
  EXPECT_THAT(
      svg, HasSubstr("points=\"140.0,37.0 170.0,65.0 410.0,65.0 440.0,37.0\""));
}

// The verifier of the tokens `issuer` signs, as the dashboard's process
// would build it from its --jwks_file.
absl::StatusOr<std::unique_ptr<auth::TokenVerifier>> VerifierOf(
    const auth::testing::TokenIssuer& issuer) {
  absl::StatusOr<auth::KeySet> keys = auth::KeySet::ParseJwks(issuer.Jwks());
  if (!keys.ok()) return keys.status();
  return auth::TokenVerifier::Create(
      *std::move(keys), {.issuer = auth::testing::kTestIssuer,
                         .audience = auth::testing::kTestAudience});
}

// With token keys: the gRPC rules.
class SecuredDashboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<auth::TokenVerifier>> verifier =
        VerifierOf(issuer_);
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    grpcserver::ServiceHostOptions host;
    host.security.token_verifier = *std::move(verifier);
    // Without a way to read as each person, token keys are refused.
    EXPECT_THAT(DashboardServer::Start("127.0.0.1:0", host, views_, nullptr),
                StatusIs(absl::StatusCode::kFailedPrecondition));
    auto server = DashboardServer::Start(
        "127.0.0.1:0", host, views_, [this](const Reader& reader) {
          readers_.push_back({reader.principal.subject, reader.bearer_token});
          return std::make_unique<KnownViews>(
              auth::ProjectScope::Of(reader.principal));
        });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }
  int As(const std::string& target, const std::vector<std::string>& roles,
         const std::vector<std::string>& projects = {},
         std::string* body = nullptr) {
    last_token_ = issuer_.Sign(issuer_.Claims("alice", roles, projects));
    const Answer a = Get(server_->port(), target,
                         "Authorization: Bearer " + last_token_ + "\r\n");
    if (body) *body = a.body;
    return a.status;
  }

  auth::testing::TokenIssuer issuer_;
  KnownViews views_;
  std::unique_ptr<DashboardServer> server_;
  // Whose views each request read: subject and the token forwarded.
  std::vector<std::pair<std::string, std::string>> readers_;
  std::string last_token_;
};

TEST_F(SecuredDashboardTest, NoTokenOrABadOneIs401) {
  const Answer none = Get(server_->port(), "/");
  EXPECT_EQ(none.status, 401);
  EXPECT_THAT(none.head, HasSubstr("WWW-Authenticate: Bearer"));
  EXPECT_EQ(
      Get(server_->port(), "/", "Authorization: Bearer not.a.token\r\n").status,
      401);
  EXPECT_EQ(
      Get(server_->port(), "/", "Authorization: Basic YWxpY2U6eA==\r\n").status,
      401);
  const std::string expired =
      issuer_.Sign(issuer_.Claims("alice", {"pmo_admin"}, {}, absl::Minutes(1),
                                  absl::Now() - absl::Hours(1)));
  EXPECT_EQ(
      Get(server_->port(), "/", "Authorization: Bearer " + expired + "\r\n")
          .status,
      401);
  EXPECT_TRUE(views_.as_of_seen.empty());  // nothing was read
  EXPECT_TRUE(readers_.empty());
}

TEST_F(SecuredDashboardTest, AdminAnalystAndServiceSeeEveryPage) {
  for (const char* role : {"pmo_admin", "pmo_analyst", "service"}) {
    for (const char* page : {"/", "/earned-value", "/projects/p-2/earned-value",
                             "/risks", "/resources", "/dependencies"}) {
      EXPECT_EQ(As(page, {role}), 200) << role << " " << page;
      ASSERT_FALSE(readers_.empty());
      EXPECT_EQ(readers_.back().second, last_token_)
          << "read as the person asking";
    }
  }
  std::string body;
  ASSERT_EQ(As("/risks", {"pmo_analyst"}, {}, &body), 200);
  EXPECT_THAT(body, AllOf(HasSubstr("Key person leaves"),
                          Not(HasSubstr("id=\"narrowed\""))));
  EXPECT_TRUE(views_.as_of_seen.empty()) << "never read as the service";
}

TEST_F(SecuredDashboardTest,
       AManagersEveryPageIsReadAsThemAndCoversOnlyTheirProjects) {
  std::string body;
  EXPECT_EQ(As("/", {"project_manager"}, {"p-1"}, &body), 200);
  EXPECT_THAT(body,
              AllOf(HasSubstr("<td>ERP</td>"), Not(HasSubstr("<td>CRM</td>")),
                    HasSubstr("Projects managed by alice only")));
  ASSERT_EQ(readers_.size(), 1u);
  EXPECT_EQ(readers_[0].first, "alice");
  EXPECT_EQ(readers_[0].second, last_token_);

  EXPECT_EQ(As("/projects/p-1/earned-value", {"project_manager"}, {"p-1"}),
            200);
  EXPECT_EQ(
      As("/projects/p-2/earned-value", {"project_manager"}, {"p-1"}, &body),
      403);
  EXPECT_THAT(body, HasSubstr("alice does not manage project p-2"));

  ASSERT_EQ(As("/earned-value", {"project_manager"}, {"p-1"}, &body), 200);
  EXPECT_THAT(body, AllOf(HasSubstr("Earned value - Projects managed by alice"),
                          HasSubstr("500000"), Not(HasSubstr("1180000"))));
  ASSERT_EQ(As("/risks", {"project_manager"}, {"p-1"}, &body), 200);
  EXPECT_THAT(body, AllOf(HasSubstr("Supplier fails"),
                          Not(HasSubstr("Key person leaves")),
                          HasSubstr("<strong id=\"exposure\">30000</strong>")));
  ASSERT_EQ(As("/resources", {"project_manager"}, {"p-1"}, &body), 200);
  EXPECT_THAT(body, AllOf(HasSubstr("ERP 30.0 h, other projects 18.0 h"),
                          Not(HasSubstr("CRM"))));
  ASSERT_EQ(As("/dependencies", {"project_manager"}, {"p-1"}, &body), 200);
  EXPECT_THAT(body, AllOf(HasSubstr("ERP -&gt; CRM"), Not(HasSubstr("WEB"))));
  for (const auto& [subject, token] : readers_) EXPECT_EQ(subject, "alice");
  EXPECT_TRUE(views_.as_of_seen.empty()) << "never read as the service";

  EXPECT_EQ(As("/", {}, {}, &body), 403);  // a token with no role
  EXPECT_THAT(
      body,
      HasSubstr(
          "needs pmo_admin, pmo_analyst, service, project_manager or viewer"));
  EXPECT_EQ(As("/risks", {}, {}), 403);
}

TEST(DashboardServer, RefusesBeyondLoopbackWithoutTokensUnlessInsecure) {
  KnownViews views;
  grpcserver::ServiceHostOptions host;
  EXPECT_THAT(DashboardServer::Start("0.0.0.0:0", host, views, nullptr),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // With --insecure the address passes the rule and is refused only for
  // its port (so this test binds nothing beyond loopback).
  host.insecure = true;
  EXPECT_THAT(DashboardServer::Start("0.0.0.0:70000", host, views, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DashboardServer::Start("127.0.0.1", {}, views, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// Token keys without TLS: the tokens would cross the network in clear, so
// only loopback is served, as gRPC does.
TEST(DashboardServer, RefusesBearerTokensInClearBeyondLoopbackNamingTheFlag) {
  KnownViews views;
  auth::testing::TokenIssuer issuer;
  absl::StatusOr<std::unique_ptr<auth::TokenVerifier>> verifier =
      VerifierOf(issuer);
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  grpcserver::ServiceHostOptions host;
  host.security.token_verifier = *std::move(verifier);
  const ViewsSeenBy seen_by = [](const Reader& reader) {
    return std::make_unique<KnownViews>(
        auth::ProjectScope::Of(reader.principal));
  };
  EXPECT_THAT(
      DashboardServer::Start("0.0.0.0:0", host, views, seen_by),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               AllOf(HasSubstr("--dashboard_listen"), HasSubstr("0.0.0.0:0"),
                     HasSubstr("in clear"), HasSubstr("--tls_cert_file"),
                     HasSubstr("--insecure"))));
  EXPECT_THAT(DashboardServer::Start("192.0.2.10:8080", host, views, seen_by),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("--dashboard_listen")));

  // Loopback stays open without TLS: development, tests, the README's tour.
  auto local = DashboardServer::Start("127.0.0.1:0", host, views, seen_by);
  ASSERT_TRUE(local.ok()) << local.status();
  EXPECT_FALSE((*local)->https());
  EXPECT_EQ(Get((*local)->port(), "/risks").status, 401);

  // The operator's --insecure passes the rule, and so do TLS files: both
  // are then refused only for the port (so this test binds nothing beyond
  // loopback).
  host.insecure = true;
  EXPECT_THAT(
      DashboardServer::Start("0.0.0.0:70000", host, views, seen_by),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not host:port")));
  host.insecure = false;
  host.security.tls_certificate_file = "/nonexistent/tls.crt";
  host.security.tls_private_key_file = "/nonexistent/tls.key";
  EXPECT_THAT(
      DashboardServer::Start("0.0.0.0:70000", host, views, seen_by),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not host:port")));
}

// With the gRPC server's TLS files (--tls_cert_file, --tls_key_file, and a
// --tls_client_ca_file the dashboard must not apply): HTTPS, tokens as
// before, and a renewed certificate served without a restart.
class HttpsDashboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto first = testing::MakeTestPki(dir_.path(), "first-");
    ASSERT_TRUE(first.ok()) << first.status();
    first_ = *first;
    auto second = testing::MakeTestPki(dir_.path(), "second-");
    ASSERT_TRUE(second.ok()) << second.status();
    second_ = *second;
    testing::RenewFileFrom(CertFile(), first_.server_cert);
    testing::RenewFileFrom(KeyFile(), first_.server_key);

    absl::StatusOr<std::unique_ptr<auth::TokenVerifier>> verifier =
        VerifierOf(issuer_);
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    grpcserver::ServiceHostOptions host;
    host.security.token_verifier = *std::move(verifier);
    host.security.tls_certificate_file = CertFile();
    host.security.tls_private_key_file = KeyFile();
    host.security.tls_client_ca_file = first_.ca_cert;
    host.security.tls_refresh = kRefresh;
    auto server = DashboardServer::Start(
        "127.0.0.1:0", host, views_, [](const Reader& reader) {
          return std::make_unique<KnownViews>(
              auth::ProjectScope::Of(reader.principal));
        });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    admin_ = "Authorization: Bearer " +
             issuer_.Sign(issuer_.Claims("ada", {"pmo_admin"}, {}));
  }

  std::string CertFile() const { return dir_.File("tls.crt"); }
  std::string KeyFile() const { return dir_.File("tls.key"); }

  static constexpr absl::Duration kRefresh = absl::Milliseconds(200);
  testing::TempDir dir_;
  testing::TestPki first_;
  testing::TestPki second_;
  auth::testing::TokenIssuer issuer_;
  KnownViews views_;
  std::unique_ptr<DashboardServer> server_;
  std::string admin_;
};

TEST_F(HttpsDashboardTest,
       ServesPagesOverHttpsToABearerTokenWithoutAClientCertificate) {
  EXPECT_TRUE(server_->https());
  const testing::HttpsAnswer risks =
      testing::HttpsGet(server_->port(), "/risks", first_.ca_cert, {admin_});
  ASSERT_EQ(risks.status, 200) << risks.error;
  EXPECT_THAT(risks.body, AllOf(HasSubstr("Supplier fails"),
                                HasSubstr("Key person leaves")));
  EXPECT_EQ(testing::HttpsGet(server_->port(), "/risks", first_.ca_cert).status,
            401);
}

TEST_F(HttpsDashboardTest,
       PlainHttpGetsNoPageAndTheNextHttpsRequestIsAnswered) {
  // Plain HTTP to the HTTPS port: a raw socket, as no HTTP client sends it.
  const std::optional<std::string> plain = testing::HttpExchange(
      server_->port(),
      "GET /risks HTTP/1.1\r\nHost: 127.0.0.1\r\n" + admin_ + "\r\n\r\n");
  ASSERT_TRUE(plain.has_value()) << "nothing listens";
  EXPECT_THAT(*plain, AllOf(Not(StartsWith("HTTP/")),
                            Not(HasSubstr("Supplier fails"))));
  const testing::HttpsAnswer next =
      testing::HttpsGet(server_->port(), "/risks", first_.ca_cert, {admin_});
  EXPECT_EQ(next.status, 200) << next.error;
}

TEST_F(HttpsDashboardTest, ARenewedCertificateIsServedWithoutARestart) {
  ASSERT_EQ(
      testing::HttpsGet(server_->port(), "/", first_.ca_cert, {admin_}).status,
      200);
  // The renewal comes from another CA, so which CA verifies the served
  // certificate tells which one is served.
  testing::RenewFileFrom(CertFile(), second_.server_cert);
  testing::RenewFileFrom(KeyFile(), second_.server_key);
  // Past --tls_refresh since the last look at the files.
  std::this_thread::sleep_for(absl::ToChronoMilliseconds(2 * kRefresh));
  const testing::HttpsAnswer renewed =
      testing::HttpsGet(server_->port(), "/", second_.ca_cert, {admin_});
  EXPECT_EQ(renewed.status, 200) << renewed.error;
  EXPECT_EQ(
      testing::HttpsGet(server_->port(), "/", first_.ca_cert, {admin_}).status,
      0);
}

TEST_F(HttpsDashboardTest,
       TheStartupLineSaysHttpsAndKeepsThePortWhereScriptsReadIt) {
  grpcserver::ServiceHostOptions host;
  host.security.tls_certificate_file = CertFile();
  host.security.tls_private_key_file = KeyFile();
  absl::FlagSaver restore;
  absl::SetFlag(&FLAGS_dashboard_listen, "127.0.0.1:0");
  ::testing::internal::CaptureStdout();
  auto server = DashboardServer::StartFromFlag("pmo", host, views_, nullptr);
  const std::string printed = ::testing::internal::GetCapturedStdout();
  ASSERT_TRUE(server.ok()) << server.status();
  ASSERT_NE(*server, nullptr);
  EXPECT_EQ(printed, absl::StrCat("pmo dashboard on port ", (*server)->port(),
                                  " (https)\n"));
  EXPECT_EQ(testing::PortFromStartupLine(printed), (*server)->port());
}

TEST(DashboardServer, RefusesUnusableTlsFilesNamingThem) {
  KnownViews views;
  grpcserver::ServiceHostOptions host;
  host.security.tls_certificate_file = "/nonexistent/tls.crt";
  host.security.tls_private_key_file = "/nonexistent/tls.key";
  EXPECT_THAT(DashboardServer::Start("127.0.0.1:0", host, views, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("--dashboard_listen"),
                             HasSubstr("/nonexistent/tls.crt"))));
}

}  // namespace
}  // namespace pmo::reporting
