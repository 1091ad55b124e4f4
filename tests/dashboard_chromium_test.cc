// The web dashboard in a real browser: the all-in-one pmo with
// --dashboard_listen on loopback, the demo portfolio loaded by pmoctl,
// then every page opened in headless Chromium (Debian's `chromium`). Each
// page must load, show the figures the gRPC views give for the same
// portfolio, and log nothing on the browser console; a screenshot of each
// is kept under <build>/artefacts/dashboard/ (the path is printed).
//
// The pages carry no script, so any console line is the browser
// complaining (a CSP violation, a failed load): every one counts as an
// error. Chromium 156 prints console messages on stderr as
// "...:INFO:CONSOLE:<line>] "<text>", source: <url> (<line>)" without the
// level; ConsoleMessages() picks them out and a page with known faults
// proves the check sees them.

#include <signal.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "pmo/projection/v1/portfolio_service.grpc.pb.h"
#include "pmo/projection/v1/views_service.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/grpc_testing.h"

namespace pmo {
namespace {

namespace jv1 = ::pmo::projection::v1;
namespace pv1 = ::pmo::projects::v1;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The console lines in Chromium's stderr log (both the older
// "CONSOLE(12)" and the newer "CONSOLE:12" form).
std::vector<std::string> ConsoleMessages(const std::string& log) {
  std::vector<std::string> found;
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    if (absl::StrContains(line, ":CONSOLE(") ||
        absl::StrContains(line, ":CONSOLE:")) {
      found.emplace_back(line);
    }
  }
  return found;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs argv with stderr to a file, bounded by `timeout` (coreutils
// timeout kills it, then SIGKILLs after 5 s more): a stuck browser must
// fail the test, not hang it.
Outcome RunBounded(const std::vector<std::string>& argv,
                   const std::string& err_file, int timeout_seconds) {
  std::vector<std::string> command = {
      "/bin/sh", "-c", "exec timeout -k 5 \"$0\" \"$@\" 2>'" + err_file + "'",
      std::to_string(timeout_seconds)};
  command.insert(command.end(), argv.begin(), argv.end());
  testing::ChildProcess child(command);
  Outcome r;
  while (auto line = child.ReadLine(absl::Seconds(timeout_seconds + 10)))
    r.out += *line + "\n";
  auto status = child.Wait(absl::Seconds(15));
  if (status && WIFEXITED(*status)) r.exit_code = WEXITSTATUS(*status);
  r.err = ReadFile(err_file);
  return r;
}

class Chromium {
 public:
  explicit Chromium(const std::string& dir) : dir_(dir) {
    std::filesystem::create_directories(dir_ + "/home");
  }
  // Loads `url`; with `screenshot` set, saves a PNG there, else returns the
  // DOM after load in `out`. The console lines are in `err`.
  Outcome Open(const std::string& url, const std::string& screenshot = "") {
    std::vector<std::string> argv = {"env",
                                     "HOME=" + dir_ + "/home",
                                     "chromium",
                                     "--headless=new",
                                     "--no-sandbox",
                                     "--disable-gpu",
                                     "--user-data-dir=" + dir_ + "/profile",
                                     "--window-size=1400,1000",
                                     "--enable-logging=stderr",
                                     "--v=0",
                                     "--no-first-run",
                                     "--disable-extensions"};
    argv.push_back(screenshot.empty() ? "--dump-dom"
                                      : "--screenshot=" + screenshot);
    argv.push_back(url);
    return RunBounded(argv, dir_ + "/chromium.err", 90);
  }

 private:
  std::string dir_;
};

TEST(ConsoleMessages, PicksOutConsoleLinesOfEitherFormatAndNothingElse) {
  const std::string log =
      "[1:1:1126/070336.07:INFO:CONSOLE:1] \"Executing inline script violates "
      "...\", source: x\n"
      "[1:1:1126/070336.07:ERROR:dbus/bus.cc:405] Failed to connect to the "
      "bus\n"
      "[1:1:1126/070336.07:INFO:CONSOLE(3)] \"Uncaught ReferenceError: f\", "
      "source: y (3)\n"
      "[1:1:1126/070336.07:WARNING:sandbox_linux.cc:405] InitializeSandbox()\n";
  EXPECT_EQ(ConsoleMessages(log).size(), 2u);
  EXPECT_THAT(ConsoleMessages("[1:1:ERROR:dbus/bus.cc:405] no bus\n"),
              IsEmpty());
}

// The check must see a fault, or a clean run proves nothing: a page that
// runs an inline script and loads an image against its policy.
TEST(ConsoleMessages, AFaultyPageInTheRealBrowserIsCaught) {
  testing::TempDir dir;
  const std::string page = dir.File("faulty.html");
  std::ofstream(page) << "<!DOCTYPE html><html><head><meta "
                         "http-equiv=\"Content-Security-Policy\" "
                         "content=\"default-src 'none'\"><link rel=\"icon\" "
                         "href=\"data:,\"></head><body>"
                         "<script>console.error('boom')</script><img "
                         "src=\"http://127.0.0.1:9/x.png\">"
                         "</body></html>";
  Chromium chromium(dir.path());
  const Outcome r = chromium.Open("file://" + page);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GE(ConsoleMessages(r.err).size(), 1u) << r.err;
}

class DashboardInChromiumTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pmo_ = std::make_unique<testing::ChildProcess>(std::vector<std::string>{
        testing::PmoBinary("pmo"), "--listen", "127.0.0.1:0", "--data_dir",
        dir_.File("data"), "--dashboard_listen", "127.0.0.1:0",
        "--log_requests=false"});
    auto dashboard = pmo_->WaitForLineStartingWith("pmo dashboard on port",
                                                   absl::Seconds(60));
    ASSERT_TRUE(dashboard.has_value());
    dashboard_port_ = testing::PortFromStartupLine(*dashboard);
    auto grpc =
        pmo_->WaitForLineStartingWith("pmo listening", absl::Seconds(60));
    ASSERT_TRUE(grpc.has_value());
    grpc_port_ = testing::PortFromStartupLine(*grpc);
    ASSERT_GT(dashboard_port_, 0);
    ASSERT_GT(grpc_port_, 0);
    artefacts_ = PMO_BINARY_DIR "/artefacts/dashboard";
    std::filesystem::create_directories(artefacts_);
  }
  void TearDown() override {
    if (!pmo_) return;
    pmo_->Signal(SIGTERM);
    pmo_->Wait(absl::Seconds(60));
  }
  std::string Url(const std::string& path) const {
    return absl::StrCat("http://127.0.0.1:", dashboard_port_, path);
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::ChildProcess> pmo_;
  int dashboard_port_ = 0;
  int grpc_port_ = 0;
  std::string artefacts_;
};

TEST_F(DashboardInChromiumTest,
       EveryPageOfTheDemoPortfolioLoadsWithItsFiguresAndNoConsoleError) {
  // The demo on a fixed day, so its costs and progress are history.
  setenv("HOME", dir_.path().c_str(), 1);
  const Outcome demo = RunBounded(
      {testing::PmoBinary("pmoctl"), "--addr",
       absl::StrCat("127.0.0.1:", grpc_port_), "demo", "--as-of", "2026-10-01"},
      dir_.File("pmoctl.err"), 300);
  ASSERT_EQ(demo.exit_code, 0) << demo.err;

  // The figures to look for, from the gRPC views once they took the demo
  // in (24 projects, 12 with an open risk).
  auto channel = testing::LoopbackChannel(grpc_port_);
  auto portfolio = jv1::PortfolioService::NewStub(channel);
  auto views = jv1::ConsolidatedViewsService::NewStub(channel);
  jv1::GetPortfolioOverviewResponse overview;
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  int with_risks = 0;
  do {
    grpc::ClientContext context;
    jv1::GetPortfolioOverviewRequest request;
    request.set_page_size(1000);
    ASSERT_TRUE(
        portfolio->GetPortfolioOverview(&context, request, &overview).ok());
    with_risks = 0;
    for (const auto& p : overview.projects()) with_risks += p.open_risks() > 0;
    if (overview.total_projects() == 24 && with_risks == 12) break;
    absl::SleepFor(absl::Milliseconds(300));
  } while (absl::Now() < deadline);
  ASSERT_EQ(overview.total_projects(), 24);
  ASSERT_EQ(with_risks, 12);
  const jv1::ProjectOverview* known = nullptr;
  for (const auto& p : overview.projects()) {
    if (p.earned_value().has_cost_performance_index() &&
        p.earned_value().earned_value_minor() > 0) {
      known = &p;
      break;
    }
  }
  ASSERT_NE(known, nullptr);
  const std::string cpi =
      absl::StrFormat("%.4f", known->earned_value().cost_performance_index());
  const std::string ev =
      absl::StrCat(known->earned_value().earned_value_minor());
  // Health in colour and in words, e.g. <td class="health-AMBER">AMBER</td>.
  std::string health = pv1::Health_Name(known->health());
  if (absl::StartsWith(health, "HEALTH_")) health = health.substr(7);
  const std::string health_cell =
      absl::StrCat("class=\"health-", health, "\">", health, "<");

  grpc::ClientContext register_context;
  jv1::ListRiskRegisterRequest register_request;
  register_request.set_page_size(1000);
  jv1::ListRiskRegisterResponse risks;
  ASSERT_TRUE(
      views->ListRiskRegister(&register_context, register_request, &risks)
          .ok());
  const jv1::RegisterEntry* top = nullptr;
  for (const auto& e : risks.entries()) {
    if (e.kind() == jv1::REGISTER_ENTRY_KIND_THREAT &&
        (top == nullptr ||
         e.expected_value_minor() > top->expected_value_minor())) {
      top = &e;
    }
  }
  ASSERT_NE(top, nullptr);

  grpc::ClientContext graph_context;
  jv1::GetDependencyGraphResponse graph;
  ASSERT_TRUE(views
                  ->GetDependencyGraph(&graph_context,
                                       jv1::GetDependencyGraphRequest(), &graph)
                  .ok());
  ASSERT_GT(graph.dependencies_size(), 0);
  const auto& link = graph.dependencies(0);
  grpc::ClientContext load_context;
  jv1::GetResourceLoadResponse load;
  ASSERT_TRUE(
      views
          ->GetResourceLoad(&load_context, jv1::GetResourceLoadRequest(), &load)
          .ok());
  ASSERT_GT(load.resources_size(), 0);

  struct Page {
    std::string name;
    std::string path;
    std::vector<std::string> expected;
  };
  const std::vector<Page> pages = {
      {"overview",
       "/",
       {"Portfolio overview", known->code(), cpi, health_cell}},
      {"overview-sorted", "/?sort=-cpi", {known->code(), cpi}},
      {"earned-value", "/earned-value", {"S-curve", "<polyline", "TOTAL"}},
      {"project-earned-value",
       "/projects/" + known->project_id() + "/earned-value",
       {absl::StrCat("Project ", known->code()), ev, cpi, "<polyline"}},
      {"risks",
       "/risks",
       {"Open threats", top->title(),
        absl::StrCat(top->expected_value_minor())}},
      {"resources",
       "/resources",
       {"Load by resource and week", load.resources(0).name()}},
      {"dependencies",
       "/dependencies",
       {"Dependency graph",
        absl::StrCat(link.predecessor_project_code(), " -&gt; ",
                     link.successor_project_code())}},
      {"overview-as-of", "/?as_of=2026-09-30", {"2026-09-30", "from history"}},
  };
  Chromium chromium(dir_.File("chromium"));
  std::printf("dashboard screenshots in %s\n", artefacts_.c_str());
  for (const Page& page : pages) {
    SCOPED_TRACE(page.path);
    const std::string png = absl::StrCat(artefacts_, "/", page.name, ".png");
    std::filesystem::remove(png);
    const Outcome shot = chromium.Open(Url(page.path), png);
    EXPECT_EQ(shot.exit_code, 0) << shot.err;
    EXPECT_GT(
        std::filesystem::exists(png) ? std::filesystem::file_size(png) : 0,
        10'000u);
    EXPECT_THAT(ConsoleMessages(shot.err), IsEmpty());
    const Outcome dom = chromium.Open(Url(page.path));
    EXPECT_EQ(dom.exit_code, 0) << dom.err;
    EXPECT_THAT(ConsoleMessages(dom.err), IsEmpty());
    for (const std::string& text : page.expected)
      EXPECT_THAT(dom.out, HasSubstr(text));
    std::ofstream(absl::StrCat(artefacts_, "/", page.name, ".html")) << dom.out;
  }
}

}  // namespace
}  // namespace pmo
