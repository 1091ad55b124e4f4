#include "services/reporting/web/dashboard.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "libs/dates/calendar_dates.h"
#include "services/reporting/app/report_builders.h"
#include "services/reporting/app/report_renderers.h"
#include "services/reporting/web/dependency_graph_svg.h"

namespace pmo::reporting {

using operability::HttpRequest;
using operability::HttpResponse;

// `form-action 'self'`: the as-of form is the page's only way out besides
// links; no script, frame or plug-in may load at all.
const char Dashboard::kContentSecurityPolicy[] =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action "
    "'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

struct Dashboard::Query {
  std::optional<absl::CivilDay> as_of;
  std::string sort;       // overview column key, '-' first for descending
  std::string portfolio;  // /earned-value scope
};

struct Dashboard::Sight {
  Sight(ConsolidatedViews& v, int s_curve_periods)
      : views(v), reports(v, s_curve_periods) {}

  ConsolidatedViews& views;
  ReportGenerator reports;
  // What the pages call everything this reader sees: "Enterprise", or
  // "Projects managed by <subject>" when the views are narrowed to them.
  std::string scope = "Enterprise";
  bool narrowed = false;
  // Freshness of the overview this request read, shown by Frame.
  std::optional<absl::Time> last_event_recorded;
  absl::Duration apply_lag;
};

namespace {

// An empty icon: a browser asks the dashboard for no /favicon.ico (a 404
// there would be a console error).
constexpr char kIcon[] = "<link rel=\"icon\" href=\"data:,\">";

constexpr char kExtraStyle[] =
    "nav{margin-bottom:12px}nav a{margin-right:14px}.asof{color:#444}"
    "form.asof{display:inline;margin-left:12px}.error{color:#b71c1c}";

std::string UrlEncode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += absl::StrFormat("%%%02X", c);
    }
  }
  return out;
}

// `path` with the query parameters that are set.
std::string Link(
    const std::string& path,
    const std::vector<std::pair<std::string, std::string>>& params) {
  std::vector<std::string> parts;
  for (const auto& [name, value] : params) {
    if (!value.empty())
      parts.push_back(absl::StrCat(name, "=", UrlEncode(value)));
  }
  return parts.empty() ? path
                       : absl::StrCat(path, "?", absl::StrJoin(parts, "&"));
}

std::string AsOfText(const std::optional<absl::CivilDay>& d) {
  return d ? absl::FormatCivilTime(*d) : "";
}

HttpResponse Html(int status, std::string body) {
  HttpResponse r{status, "text/html; charset=utf-8", std::move(body), {}};
  r.headers = {{"Content-Security-Policy", Dashboard::kContentSecurityPolicy},
               {"X-Content-Type-Options", "nosniff"},
               {"Referrer-Policy", "no-referrer"},
               {"Cache-Control", "no-store"}};
  return r;
}

HttpResponse ErrorPage(int status, const std::string& message) {
  const std::string title = operability::HttpStatusLine(status);
  HttpResponse r = Html(
      status,
      HtmlPage(title,
               absl::StrCat("<nav><a href=\"/\">Overview</a></nav><h1>",
                            HtmlEscape(title), "</h1>\n<p class=\"error\">",
                            HtmlEscape(message), "</p>\n"),
               kExtraStyle, kIcon));
  if (status == 401)
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"pmo\"");
  return r;
}

HttpResponse FromStatus(const absl::Status& s) {
  switch (s.code()) {
    case absl::StatusCode::kInvalidArgument:
      return ErrorPage(400, std::string(s.message()));
    case absl::StatusCode::kNotFound:
      return ErrorPage(404, std::string(s.message()));
    case absl::StatusCode::kPermissionDenied:
      return ErrorPage(403, std::string(s.message()));
    case absl::StatusCode::kUnauthenticated:
      return ErrorPage(401, std::string(s.message()));
    default:
      // The projection is down or slow: the reader may try again.
      return ErrorPage(
          503, absl::StrCat("the consolidated views cannot be read now: ",
                            s.message()));
  }
}

// YYYY-MM-DD naming a real day, nothing else.
std::optional<absl::CivilDay> ParseDay(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-')
    return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  }
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day) || absl::FormatCivilTime(day) != text) {
    return std::nullopt;
  }
  return day;
}

// Health sorts by severity, not by name.
int HealthRank(const std::string& h) {
  if (h == "GREEN") return 0;
  if (h == "AMBER") return 1;
  if (h == "RED") return 2;
  return 3;
}

bool CellLess(const Cell& a, const Cell& b, bool health) {
  // Empty cells last in either direction is what a reader expects; they
  // sort as "largest" here and the caller keeps that for descending too.
  if (a.kind == Cell::Kind::kEmpty || b.kind == Cell::Kind::kEmpty) {
    return a.kind != Cell::Kind::kEmpty && b.kind == Cell::Kind::kEmpty;
  }
  if (a.kind == Cell::Kind::kText || b.kind == Cell::Kind::kText) {
    if (health) return HealthRank(a.text) < HealthRank(b.text);
    return a.text < b.text;
  }
  const bool integers =
      a.kind == Cell::Kind::kInteger || a.kind == Cell::Kind::kMoney;
  return integers ? a.integer < b.integer : a.number < b.number;
}

// Sorts `table` by column `key` (descending with '-'); false when the
// table has no such column.
bool SortTable(Table& table, const std::string& sort) {
  const bool descending = absl::StartsWith(sort, "-");
  const std::string key = descending ? sort.substr(1) : sort;
  size_t column = table.columns.size();
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i].key == key) column = i;
  }
  if (column == table.columns.size()) return false;
  const bool health = absl::EndsWith(key, "health");
  std::stable_sort(
      table.rows.begin(), table.rows.end(),
      [&](const std::vector<Cell>& a, const std::vector<Cell>& b) {
        const Cell& x = a[column];
        const Cell& y = b[column];
        if (x.kind == Cell::Kind::kEmpty || y.kind == Cell::Kind::kEmpty) {
          return CellLess(x, y, health);
        }
        return descending ? CellLess(y, x, health) : CellLess(x, y, health);
      });
  return true;
}

std::string ShareText(const ResourceWeekLoad& w) {
  std::vector<std::string> parts;
  for (const ProjectShare& s : w.shares) {
    // A share with neither id nor code is the hours of every project a
    // project manager may not see, together.
    const std::string& who =
        s.project_code.empty() ? s.project_id : s.project_code;
    parts.push_back(absl::StrFormat(
        "%s %.1f h", who.empty() ? "other projects" : who, s.hours));
  }
  return parts.empty() ? "no bookings" : absl::StrJoin(parts, ", ");
}

// Resource x week: each cell the load in percent of capacity, its tooltip
// the hours and each project's share.
Section ResourceHeatMap(const ResourceLoad& load) {
  Section s{"load_heat_map",
            "Load by resource and week (% of capacity)",
            {},
            {},
            {},
            {}};
  HeatMap map;
  map.row_axis = "Resource";
  map.column_axis = "Week starting";
  map.colouring = HeatMap::Colouring::kLoad;
  map.unit = "%";
  for (absl::CivilDay w : load.week_starts)
    map.column_labels.push_back(absl::FormatCivilTime(w));
  s.table.columns = {{"resource", "Resource"}};
  for (absl::CivilDay w : load.week_starts) {
    s.table.columns.push_back(
        {absl::StrCat("shares_", absl::FormatCivilTime(w)),
         absl::StrCat("Projects, week of ", absl::FormatCivilTime(w))});
  }
  for (const ResourceLoadRow& r : load.resources) {
    map.row_labels.push_back(r.name);
    std::vector<int64_t> counts;
    std::vector<std::string> titles;
    std::vector<Cell> row = {Cell::Text(r.name)};
    for (size_t i = 0; i < r.weeks.size() && i < load.week_starts.size(); ++i) {
      const ResourceWeekLoad& w = r.weeks[i];
      const int64_t percent =
          w.capacity_hours > 0
              ? std::llround(100 * w.booked_hours / w.capacity_hours)
              : -1;
      counts.push_back(percent);
      titles.push_back(absl::StrFormat(
          "%s, week of %s: %.1f h booked of %.1f h (%s). %s", r.name,
          absl::FormatCivilTime(load.week_starts[i]), w.booked_hours,
          w.capacity_hours,
          percent < 0 ? "no capacity" : absl::StrCat(percent, " %"),
          ShareText(w)));
      row.push_back(Cell::Text(ShareText(w)));
    }
    map.counts.push_back(std::move(counts));
    map.titles.push_back(std::move(titles));
    s.table.rows.push_back(std::move(row));
  }
  s.heat_map = std::move(map);
  return s;
}

}  // namespace

Dashboard::Dashboard(ConsolidatedViews& views, ViewsSeenBy seen_by,
                     std::shared_ptr<const auth::TokenVerifier> verifier,
                     int s_curve_periods)
    : views_(views),
      seen_by_(std::move(seen_by)),
      s_curve_periods_(s_curve_periods),
      verifier_(std::move(verifier)) {}

HttpResponse Dashboard::Handle(const HttpRequest& request) {
  if (request.method != "GET") {
    HttpResponse r = ErrorPage(405, "the dashboard only answers GET");
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  if (!verifier_) {
    Sight service(views_, s_curve_periods_);
    return Route(request, std::nullopt, service);
  }
  const std::string authorization = request.Header("authorization");
  if (authorization.empty()) {
    return ErrorPage(
        401,
        "this dashboard needs a bearer token (Authorization: Bearer <jwt>)");
  }
  if (!absl::StartsWithIgnoreCase(authorization, "Bearer ")) {
    return ErrorPage(401, "the Authorization header must be \"Bearer <jwt>\"");
  }
  const std::string token(absl::StripAsciiWhitespace(authorization.substr(7)));
  absl::StatusOr<auth::Principal> who = verifier_->Verify(token);
  if (!who.ok()) return ErrorPage(401, std::string(who.status().message()));
  // Every read of this request is the person's own: the projection narrows
  // it by their roles as it does their gRPC calls.
  const std::unique_ptr<ConsolidatedViews> theirs =
      seen_by_(Reader{token, *who});
  Sight sight(*theirs, s_curve_periods_);
  return Route(request, *who, sight);
}

HttpResponse Dashboard::Route(const HttpRequest& request,
                              const std::optional<auth::Principal>& who,
                              Sight& sight) {
  Query q;
  if (const std::string* as_of = request.Query("as_of");
      as_of && !as_of->empty()) {
    q.as_of = ParseDay(*as_of);
    if (!q.as_of)
      return ErrorPage(400, "as_of: must be a real day written YYYY-MM-DD");
  }
  if (const std::string* sort = request.Query("sort")) q.sort = *sort;
  if (const std::string* portfolio = request.Query("portfolio")) {
    q.portfolio = *portfolio;
    if (q.portfolio.size() > 64)
      return ErrorPage(400, "portfolio: at most 64 characters");
  }
  const std::string& path = request.path;
  // Who may see what: the gRPC rule (libs/auth/access_policy.h) for reads;
  // a project manager's pages are narrowed by the projection itself.
  const bool reads_all = !who || who->ReadsEverything();
  const bool manager = who && (who->Has(auth::Role::kProjectManager) ||
                               who->Has(auth::Role::kViewer));
  if (!reads_all && !manager) {
    return ErrorPage(403,
                     absl::StrCat(path,
                                  ": needs pmo_admin, pmo_analyst, service, "
                                  "project_manager or viewer"));
  }
  if (!reads_all) {
    sight.narrowed = true;
    sight.scope = absl::StrCat(who->Has(auth::Role::kProjectManager)
                                   ? "Projects managed by "
                                   : "Projects viewed by ",
                               who->subject);
  }
  if (path == "/") return Overview(q, sight);
  if (path == "/earned-value") return EarnedValue(q, "", sight);
  if (absl::StartsWith(path, "/projects/") &&
      absl::EndsWith(path, "/earned-value")) {
    const std::string id =
        path.substr(10, path.size() - 10 - std::string("/earned-value").size());
    if (id.empty() || id.size() > 64 || id.find('/') != std::string::npos) {
      return ErrorPage(404, absl::StrCat("no page ", path));
    }
    if (!reads_all && !who->ReadsProject(id)) {
      return ErrorPage(403, absl::StrCat(path, ": ", who->subject,
                                         " does not manage project ", id));
    }
    return EarnedValue(q, id, sight);
  }
  if (path == "/risks") return Risks(q, sight);
  if (path == "/resources") return Resources(q, sight);
  if (path == "/dependencies") return Dependencies(q, sight);
  return ErrorPage(
      404, absl::StrCat("no page ", path,
                        "; the pages are /, /earned-value, /risks, /resources "
                        "and /dependencies"));
}

std::string Dashboard::Frame(const std::string& title, const Query& q,
                             const Sight& sight, absl::CivilDay status_date,
                             const std::string& body) {
  const std::string as_of = AsOfText(q.as_of);
  std::string nav = "<nav>";
  for (const auto& [href, label] :
       {std::pair{"/", "Overview"}, std::pair{"/earned-value", "Earned value"},
        std::pair{"/risks", "Risks"}, std::pair{"/resources", "Resources"},
        std::pair{"/dependencies", "Dependencies"}}) {
    absl::StrAppend(&nav, "<a href=\"",
                    HtmlEscape(Link(href, {{"as_of", as_of}})), "\">", label,
                    "</a>");
  }
  nav += "</nav>\n";
  std::string freshness = "the view has applied no event yet";
  if (sight.last_event_recorded) {
    freshness = absl::StrCat(
        "newest event in the view recorded ",
        absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", *sight.last_event_recorded,
                         absl::UTCTimeZone()),
        ", applied ", absl::FormatDuration(sight.apply_lag), " after");
  }
  const std::string status = absl::StrCat(
      "<p class=\"asof\">As of <strong id=\"as-of\">",
      absl::FormatCivilTime(status_date), "</strong> (",
      q.as_of ? "from history" : "live view", "); ", HtmlEscape(freshness),
      ".<form class=\"asof\" method=\"get\"><label>Show as of <input "
      "type=\"date\" "
      "name=\"as_of\" value=\"",
      HtmlEscape(as_of), "\"></label>",
      q.portfolio.empty()
          ? ""
          : absl::StrCat("<input type=\"hidden\" name=\"portfolio\" value=\"",
                         HtmlEscape(q.portfolio), "\">"),
      " <button type=\"submit\">Show</button></form></p>\n",
      sight.narrowed ? absl::StrCat("<p class=\"asof\" id=\"narrowed\">",
                                    HtmlEscape(sight.scope),
                                    " only: every figure and total on this "
                                    "page is taken over them.</p>\n")
                     : "");
  return HtmlPage(
      title,
      absl::StrCat(nav, "<h1>", HtmlEscape(title), "</h1>\n", status, body),
      kExtraStyle, kIcon);
}

absl::Status Dashboard::ReadFreshness(const Query& q, Sight& sight) {
  absl::StatusOr<PortfolioSnapshot> fresh = sight.views.Overview({}, q.as_of);
  if (!fresh.ok()) return fresh.status();
  sight.last_event_recorded = fresh->last_event_recorded;
  sight.apply_lag = fresh->apply_lag;
  return absl::OkStatus();
}

HttpResponse Dashboard::Overview(const Query& q, Sight& sight) {
  absl::StatusOr<PortfolioSnapshot> snapshot =
      sight.views.Overview({}, q.as_of);
  if (!snapshot.ok()) return FromStatus(snapshot.status());
  sight.last_event_recorded = snapshot->last_event_recorded;
  sight.apply_lag = snapshot->apply_lag;
  ReportDocument doc = BuildPortfolioStatus(*snapshot, sight.scope);
  Section& projects = doc.sections[0];
  if (!q.sort.empty() && !SortTable(projects.table, q.sort)) {
    std::vector<std::string> keys;
    for (const Column& c : projects.table.columns) keys.push_back(c.key);
    return ErrorPage(
        400, absl::StrCat("sort: \"", q.sort, "\" is not a column; one of ",
                          absl::StrJoin(keys, ", "),
                          " (a leading - sorts "
                          "descending)"));
  }
  // Each header sorts by its column; clicking the sorted one reverses it.
  const std::string as_of = AsOfText(q.as_of);
  for (Column& c : projects.table.columns) {
    const std::string sort = q.sort == c.key ? "-" + c.key : c.key;
    c.href = Link("/", {{"sort", sort}, {"as_of", as_of}});
  }
  std::string body =
      absl::StrFormat("<p>%d projects.</p>\n", snapshot->projects.size());
  std::string links = "<p>Earned value by project: ";
  for (const ProjectFigures& p : snapshot->projects) {
    absl::StrAppend(
        &links, "<a href=\"",
        HtmlEscape(Link(absl::StrCat("/projects/", UrlEncode(p.project_id),
                                     "/earned-value"),
                        {{"as_of", as_of}})),
        "\">", HtmlEscape(p.code), "</a> ");
  }
  links += "</p>\n";
  for (const Section& s : doc.sections) body += RenderHtmlSection(s);
  return Html(200, Frame("Portfolio overview", q, sight, snapshot->status_date,
                         body + links));
}

HttpResponse Dashboard::EarnedValue(const Query& q,
                                    const std::string& project_id,
                                    Sight& sight) {
  v1::ReportSpec spec;
  spec.set_type(v1::REPORT_TYPE_EARNED_VALUE);
  spec.set_format(v1::REPORT_FORMAT_HTML);
  if (!project_id.empty()) {
    spec.mutable_scope()->set_level(v1::SCOPE_LEVEL_PROJECT);
    spec.mutable_scope()->set_id(project_id);
  } else if (!q.portfolio.empty()) {
    spec.mutable_scope()->set_level(v1::SCOPE_LEVEL_PORTFOLIO);
    spec.mutable_scope()->set_id(q.portfolio);
  }
  if (q.as_of) *spec.mutable_as_of() = dates::ToDate(*q.as_of);
  if (absl::Status s = ReadFreshness(q, sight); !s.ok()) return FromStatus(s);
  absl::StatusOr<ReportDocument> doc = sight.reports.Build(spec);
  if (!doc.ok()) return FromStatus(doc.status());
  if (spec.scope().level() == v1::SCOPE_LEVEL_UNSPECIFIED)
    doc->scope = sight.scope;
  // The table ends with the scope's total; a scope without a project in it
  // is one nobody knows.
  if (!project_id.empty() && doc->sections[0].table.rows.size() <= 1) {
    return ErrorPage(404, absl::StrCat("no project ", project_id));
  }
  if (!q.portfolio.empty() && doc->sections[0].table.rows.size() <= 1) {
    return ErrorPage(
        404, absl::StrCat("portfolio: no project in portfolio ", q.portfolio));
  }
  std::string body;
  // The curve first: it is what the page is for.
  for (auto it = doc->sections.rbegin(); it != doc->sections.rend(); ++it) {
    body += RenderHtmlSection(*it);
  }
  return Html(200, Frame(absl::StrCat("Earned value - ", doc->scope), q, sight,
                         doc->status_date, body));
}

HttpResponse Dashboard::Risks(const Query& q, Sight& sight) {
  if (absl::Status s = ReadFreshness(q, sight); !s.ok()) return FromStatus(s);
  absl::StatusOr<RiskRegister> risks = sight.views.Risks({}, q.as_of);
  if (!risks.ok()) return FromStatus(risks.status());
  const ReportDocument doc = BuildRiskReport(*risks, sight.scope);
  int64_t exposure = 0;
  for (const RiskLine& r : risks->open_risks) {
    if (!r.opportunity) exposure += r.exposure;
  }
  std::string body = absl::StrFormat(
      "<p>%d open risks and opportunities; threat exposure <strong "
      "id=\"exposure\">%d</strong> "
      "(minor units).</p>\n",
      risks->open_risks.size(), exposure);
  for (const Section& s : doc.sections) body += RenderHtmlSection(s);
  return Html(200, Frame("Risks", q, sight, doc.status_date, body));
}

HttpResponse Dashboard::Resources(const Query& q, Sight& sight) {
  if (absl::Status s = ReadFreshness(q, sight); !s.ok()) return FromStatus(s);
  absl::StatusOr<ResourceLoad> load =
      sight.views.ResourceLoadByWeek({}, q.as_of);
  if (!load.ok()) return FromStatus(load.status());
  std::string body = RenderHtmlSection(ResourceHeatMap(*load));
  const ReportDocument doc = BuildResourceUtilisation(*load, sight.scope);
  for (const Section& s : doc.sections) body += RenderHtmlSection(s);
  return Html(200, Frame("Resource load across projects", q, sight,
                         load->status_date, body));
}

HttpResponse Dashboard::Dependencies(const Query& q, Sight& sight) {
  if (absl::Status s = ReadFreshness(q, sight); !s.ok()) return FromStatus(s);
  absl::StatusOr<DependencyGraph> graph = sight.views.Dependencies({}, q.as_of);
  if (!graph.ok()) return FromStatus(graph.status());
  std::string body =
      absl::StrCat("<section id=\"graph\"><h2>Dependency graph</h2>",
                   DependencyGraphSvg(*graph), "</section>\n");
  const ReportDocument doc = BuildDependencies(*graph, sight.scope);
  for (const Section& s : doc.sections) body += RenderHtmlSection(s);
  return Html(200, Frame("Inter-project dependencies", q, sight,
                         graph->status_date, body));
}

}  // namespace pmo::reporting
