// Every RPC of every PMO service has a pmoctl command, or is listed in
// rpc_coverage.cc as not covered yet with the reason; every command names
// the RPC it calls. The services come from the proto files under
// protos/pmo (their descriptors linked in), so a new RPC, a new service
// file or a new command fails here until the table follows.

#include "tools/pmoctl/rpc_coverage.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "pmo/configuration/v1/change_control_service.pb.h"
#include "pmo/configuration/v1/configuration_service.pb.h"
#include "pmo/configuration/v1/documents_service.pb.h"
#include "pmo/configuration/v1/library_service.pb.h"
#include "pmo/configuration/v1/quality_service.pb.h"
#include "pmo/configuration/v1/tools_service.pb.h"
#include "pmo/projection/v1/portfolio_service.pb.h"
#include "pmo/projection/v1/views_service.pb.h"
#include "pmo/projects/v1/portfolios_service.pb.h"
#include "pmo/projects/v1/projects_service.pb.h"
#include "pmo/reporting/v1/reporting_service.pb.h"
#include "pmo/resources/v1/resources_service.pb.h"
#include "pmo/risks/v1/risks_service.pb.h"
#include "tools/pmoctl/cli.h"

namespace pmoctl {
namespace {

using google::protobuf::DescriptorPool;
using google::protobuf::FileDescriptor;

// Names one message of each service file, so its descriptor is linked into
// the generated pool even where no other code of this test touches it.
void LinkServiceFiles() {
  (void)pmo::projects::v1::CreateProjectRequest::descriptor();
  (void)pmo::projects::v1::CreatePortfolioRequest::descriptor();
  (void)pmo::resources::v1::RegisterResourceRequest::descriptor();
  (void)pmo::risks::v1::IdentifyRiskRequest::descriptor();
  (void)pmo::configuration::v1::RegisterConfigurationItemRequest::descriptor();
  (void)pmo::configuration::v1::SubmitChangeRequestRequest::descriptor();
  (void)pmo::configuration::v1::CreateDocumentRequest::descriptor();
  (void)pmo::configuration::v1::PublishMethodologyVersionRequest::descriptor();
  (void)pmo::configuration::v1::DefineQualityStandardRequest::descriptor();
  (void)pmo::configuration::v1::CatalogueToolRequest::descriptor();
  (void)pmo::projection::v1::ListPortfolioProjectsRequest::descriptor();
  (void)pmo::projection::v1::GetResourceLoadRequest::descriptor();
  (void)pmo::reporting::v1::GetReportRequest::descriptor();
}

// Every RPC of every service declared under protos/pmo (services live in
// the *_service.proto files; the others hold messages and events).
std::set<std::string> AllRpcs() {
  LinkServiceFiles();
  std::set<std::string> rpcs;
  const std::filesystem::path root =
      std::filesystem::path(PMO_SOURCE_DIR) / "protos";
  int files = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(root / "pmo")) {
    if (!entry.path().string().ends_with("_service.proto")) continue;
    const std::string name =
        std::filesystem::relative(entry.path(), root).string();
    const FileDescriptor* file =
        DescriptorPool::generated_pool()->FindFileByName(name);
    if (!file) {
      ADD_FAILURE()
          << name
          << " is not linked into this test: name one of its messages in "
          << "LinkServiceFiles()";
      continue;
    }
    ++files;
    for (int s = 0; s < file->service_count(); ++s) {
      for (int m = 0; m < file->service(s)->method_count(); ++m) {
        rpcs.insert(file->service(s)->method(m)->full_name());
      }
    }
  }
  EXPECT_GE(files, 12);
  return rpcs;
}

TEST(RpcCoverageTest, EveryRpcHasACommandOrAReasonWhyNot) {
  const std::set<std::string> rpcs = AllRpcs();
  ASSERT_GT(rpcs.size(), 100u);
  std::map<std::string, int> seen;
  for (const CommandRpc& c : CommandRpcs()) ++seen[c.rpc];
  for (const UncoveredRpc& u : UncoveredRpcs()) {
    EXPECT_FALSE(u.reason.empty()) << u.rpc;
    EXPECT_EQ(seen.count(u.rpc), 0u)
        << u.rpc << " has a command: drop it from UncoveredRpcs()";
    ++seen[u.rpc];
  }
  for (const std::string& rpc : rpcs) {
    EXPECT_TRUE(seen.count(rpc))
        << rpc << " has no pmoctl command: add one (and a CommandRpcs() "
        << "row in tools/pmoctl/rpc_coverage.cc) or an UncoveredRpcs() "
        << "row saying why not";
  }
  for (const auto& [rpc, count] : seen) {
    EXPECT_TRUE(rpcs.count(rpc))
        << rpc << " is in rpc_coverage.cc but no service declares it";
  }
}

TEST(RpcCoverageTest,
     EveryCommandNamesTheRpcItCallsAndEveryNamedCommandExists) {
  std::set<std::string> commands;
  for (const Command& c : AllCommands()) {
    commands.insert(c.name.empty() ? c.group : c.group + " " + c.name);
  }
  std::set<std::string> mapped;
  for (const CommandRpc& c : CommandRpcs()) {
    mapped.insert(c.command);
    EXPECT_TRUE(commands.count(c.command))
        << "rpc_coverage.cc names '" << c.command
        << "', which pmoctl does not have";
  }
  for (const std::string& c : commands) {
    if (c == "demo") continue;  // loads sample data through many RPCs
    EXPECT_TRUE(mapped.count(c))
        << "pmoctl " << c << " is not in CommandRpcs()";
  }
}

// The command reference in tools/pmoctl/README.md names every command, so
// it cannot fall behind the registry.
TEST(RpcCoverageTest, TheReadmeReferenceNamesEveryCommand) {
  std::ifstream in(std::string(PMO_SOURCE_DIR) + "/tools/pmoctl/README.md");
  ASSERT_TRUE(in) << "tools/pmoctl/README.md is missing";
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  for (const Command& c : AllCommands()) {
    std::string row = "| `" + c.group + (c.name.empty() ? "" : " " + c.name);
    for (const std::string& a : c.args) row += " " + a;
    row += "` | ";
    EXPECT_NE(readme.find(row), std::string::npos)
        << "tools/pmoctl/README.md lacks the row starting " << row << c.summary;
  }
}

}  // namespace
}  // namespace pmoctl
