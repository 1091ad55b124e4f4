// docs/security.md lists, for every RPC of every PMO service, who may call
// it; the rows are what libs/auth/access_policy.h enforces. This test fails
// when an RPC is added or its rule changes without the table following,
// and prints the table to paste.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "libs/auth/access_policy.h"
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

namespace pmo {
namespace {

// One message of each service file: naming it links the file's descriptor.
std::vector<const google::protobuf::FileDescriptor*> ServiceFiles() {
  return {
      projects::v1::CreateProjectRequest::descriptor()->file(),
      projects::v1::CreatePortfolioRequest::descriptor()->file(),
      resources::v1::RegisterResourceRequest::descriptor()->file(),
      risks::v1::IdentifyRiskRequest::descriptor()->file(),
      configuration::v1::RegisterConfigurationItemRequest::descriptor()->file(),
      configuration::v1::SubmitChangeRequestRequest::descriptor()->file(),
      configuration::v1::CreateDocumentRequest::descriptor()->file(),
      configuration::v1::PublishMethodologyVersionRequest::descriptor()->file(),
      configuration::v1::DefineQualityStandardRequest::descriptor()->file(),
      configuration::v1::CatalogueToolRequest::descriptor()->file(),
      projection::v1::ListPortfolioProjectsRequest::descriptor()->file(),
      projection::v1::GetResourceLoadRequest::descriptor()->file(),
      reporting::v1::GetReportRequest::descriptor()->file(),
  };
}

TEST(AccessTableTest, DocsListEveryRpcWithTheRuleEnforced) {
  std::ifstream in(std::string(PMO_SOURCE_DIR) + "/docs/security.md");
  ASSERT_TRUE(in) << "docs/security.md is missing";
  std::stringstream text;
  text << in.rdbuf();
  const std::string docs = text.str();

  std::string table, missing;
  int methods = 0;
  for (const google::protobuf::FileDescriptor* file : ServiceFiles()) {
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      table += "\n**" + service->full_name() + "**\n\n| RPC | kind |";
      std::string rule = "|---|---|";
      for (const char* caller : auth::kAccessTableCallers) {
        table += std::string(" ") + caller + " |";
        rule += "---|";
      }
      table += "\n" + rule + "\n";
      for (int m = 0; m < service->method_count(); ++m) {
        const std::string row = auth::AccessTableRow(*service->method(m));
        table += row + "\n";
        ++methods;
        if (docs.find(row + "\n") == std::string::npos) missing += row + "\n";
      }
    }
  }
  EXPECT_GT(methods, 100);
  EXPECT_TRUE(missing.empty()) << "docs/security.md lacks or differs on:\n"
                               << missing << "\nThe whole table:\n"
                               << table;
}

}  // namespace
}  // namespace pmo
