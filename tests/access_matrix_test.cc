// Every RPC of every PMO service, called on a secured `pmo` (mutual TLS,
// RS256 tokens) by seven callers: an administrator, an analyst, the manager
// of the project the request is about, the manager of another project, a
// viewer of the project, a stakeholder and a caller without a token. Each
// answer must be what docs/security.md's access table says for that cell:
// "no" is PERMISSION_DENIED (UNAUTHENTICATED without a token), anything
// else is let through (the service may still answer NOT_FOUND or
// INVALID_ARGUMENT for the bare request, never a refusal of the caller).
// No refusal may append an event to any store. The test fails for an RPC
// without a row in the table.
//
// Requests are built by reflection: the project fields name ERP (alice's
// project), an item id names an item of ERP the fixture made, the rest is
// left empty.

#include <grpcpp/impl/codegen/client_unary_call.h>
#include <grpcpp/impl/codegen/sync_stream.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "google/protobuf/dynamic_message.h"
#include "libs/auth/access_policy.h"
#include "pmo/configuration/v1/change_control_service.grpc.pb.h"
#include "pmo/configuration/v1/configuration_service.grpc.pb.h"
#include "pmo/configuration/v1/documents_service.grpc.pb.h"
#include "pmo/configuration/v1/library_service.pb.h"
#include "pmo/configuration/v1/quality_service.grpc.pb.h"
#include "tests/support/managed_portfolio.h"

namespace pmo::testing {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

// One message of each service file: naming it links the file's descriptor.
std::vector<const google::protobuf::FileDescriptor*> ServiceFiles() {
  return {
      pv1::CreateProjectRequest::descriptor()->file(),
      pv1::CreatePortfolioRequest::descriptor()->file(),
      rsv1::RegisterResourceRequest::descriptor()->file(),
      kv1::IdentifyRiskRequest::descriptor()->file(),
      cv1::RegisterConfigurationItemRequest::descriptor()->file(),
      cv1::SubmitChangeRequestRequest::descriptor()->file(),
      cv1::CreateDocumentRequest::descriptor()->file(),
      cv1::PublishMethodologyVersionRequest::descriptor()->file(),
      cv1::DefineQualityStandardRequest::descriptor()->file(),
      cv1::CatalogueToolRequest::descriptor()->file(),
      jv1::ListPortfolioProjectsRequest::descriptor()->file(),
      jv1::GetResourceLoadRequest::descriptor()->file(),
      rv1::GetReportRequest::descriptor()->file(),
  };
}

// The access table's rows by "Service/Method": the cells after the kind,
// in the order of auth::kAccessTableCallers.
std::map<std::string, std::vector<std::string>> AccessTable() {
  std::ifstream in(std::string(PMO_SOURCE_DIR) + "/docs/security.md");
  std::map<std::string, std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (!absl::StartsWith(line, "| `")) continue;
    std::vector<std::string> cells = absl::StrSplit(line, '|');
    // "", " `Service/Method` ", " kind ", seven cells, ""
    if (cells.size() != 11) continue;
    for (std::string& c : cells) c = std::string(absl::StripAsciiWhitespace(c));
    std::string name =
        std::string(absl::StripSuffix(absl::StripPrefix(cells[1], "`"), "`"));
    rows[name] = std::vector<std::string>(cells.begin() + 3, cells.end() - 1);
  }
  return rows;
}

class AccessMatrixTest : public ManagedPortfolioTest {
 protected:
  struct Caller {
    std::string name;
    std::string token;  // empty: no token at all
    std::string own_project;
  };

  // Items of ERP that item-keyed requests name, by id field.
  void MakeItemsOfErp() {
    kv1::RaiseIssueRequest issue;
    issue.set_request_id("issue-ERP");
    issue.set_level(kv1::RISK_LEVEL_PROJECT);
    issue.set_scope_id(erp_);
    issue.set_title("Interface spec late");
    issue.set_priority(kv1::ISSUE_PRIORITY_HIGH);
    issue.set_owner("alice");
    kv1::RaiseIssueResponse raised;
    grpc::Status s = As(
        admin_, [&](auto* c) { return risks_->RaiseIssue(c, issue, &raised); });
    ASSERT_TRUE(s.ok()) << s.error_message();
    items_["issue_id"] = raised.issue().issue_id();

    kv1::ListRisksRequest list;
    list.set_scope_id(erp_);
    kv1::ListRisksResponse risks;
    s = As(admin_, [&](auto* c) { return risks_->ListRisks(c, list, &risks); });
    ASSERT_TRUE(s.ok() && risks.risks_size() > 0) << s.error_message();
    items_["risk_id"] = risks.risks(0).risk_id();

    // A second threat of ERP, combined with the first at programme level:
    // the combined risk is ERP's by its members.
    kv1::IdentifyRiskRequest second;
    second.set_request_id("risk-ERP-2");
    second.set_level(kv1::RISK_LEVEL_PROJECT);
    second.set_scope_id(erp_);
    second.set_kind(kv1::RISK_KIND_THREAT);
    second.set_title("Key user leaves ERP");
    second.set_category("Organisational/People");
    second.set_owner("alice");
    kv1::IdentifyRiskResponse identified;
    s = As(admin_, [&](auto* c) {
      return risks_->IdentifyRisk(c, second, &identified);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
    kv1::AssessRiskRequest assess;
    assess.set_request_id("assess-ERP-2");
    assess.set_risk_id(identified.risk().risk_id());
    assess.mutable_assessment()->set_probability(2);
    assess.mutable_assessment()->mutable_impact()->set_cost(2);
    assess.mutable_assessment()->set_cost_impact_minor(4'000);
    kv1::AssessRiskResponse assessed;
    s = As(admin_,
           [&](auto* c) { return risks_->AssessRisk(c, assess, &assessed); });
    ASSERT_TRUE(s.ok()) << s.error_message();
    kv1::CombineRisksRequest combine;
    combine.set_request_id("combine-ERP");
    combine.set_level(kv1::RISK_LEVEL_PROGRAMME);
    combine.set_scope_id(digital_);
    combine.set_title("ERP delivery");
    combine.set_category("Delivery");
    combine.set_owner("alice");
    combine.add_member_risk_ids(items_["risk_id"]);
    combine.add_member_risk_ids(identified.risk().risk_id());
    kv1::CombineRisksResponse combined;
    s = As(admin_, [&](auto* c) {
      return risks_->CombineRisks(c, combine, &combined);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
    items_["combined_risk_id"] = combined.combined_risk().combined_risk_id();

    // ERP's booking of the shared person, and a capacity request of ERP.
    rsv1::GetResourceRequest get;
    get.set_resource_id(resource_);
    rsv1::GetResourceResponse resource;
    s = As(admin_,
           [&](auto* c) { return pool_->GetResource(c, get, &resource); });
    ASSERT_TRUE(s.ok()) << s.error_message();
    for (const rsv1::Allocation& a : resource.resource().allocations()) {
      if (a.project_id() == erp_) items_["allocation_id"] = a.allocation_id();
    }
    ASSERT_FALSE(items_["allocation_id"].empty());
    items_["resource_id"] = resource_;
    rsv1::RequestCapacityRequest capacity;
    capacity.set_request_id("capacity-ERP");
    capacity.set_project_id(erp_);
    capacity.mutable_skill()->set_name("SAP FI");
    capacity.mutable_skill()->set_level(3);
    capacity.set_unit(rsv1::ALLOCATION_UNIT_PERCENT);
    capacity.set_amount(50);
    *capacity.mutable_from() = Day(2027, 5, 3);
    *capacity.mutable_to() = Day(2027, 5, 28);
    rsv1::RequestCapacityResponse requested;
    s = As(alice_, [&](auto* c) {
      return pool_->RequestCapacity(c, capacity, &requested);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
    items_["capacity_request_id"] = requested.capacity_request().request_id();

    auto configuration = cv1::ConfigurationService::NewStub(channel_);
    cv1::RegisterConfigurationItemRequest ci;
    ci.set_request_id("ci-ERP");
    ci.set_project_id(erp_);
    ci.set_type(cv1::ITEM_TYPE_REQUIREMENT);
    ci.set_identifier("ERP-REQ-1");
    ci.set_title("ERP interface requirements");
    ci.set_owner("alice");
    cv1::RegisterConfigurationItemResponse registered;
    s = As(admin_, [&](auto* c) {
      return configuration->RegisterConfigurationItem(c, ci, &registered);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
    items_["item_id"] = registered.item().item_id();

    auto change = cv1::ChangeControlService::NewStub(channel_);
    cv1::SubmitChangeRequestRequest cr;
    cr.set_request_id("cr-ERP");
    cr.set_project_id(erp_);
    cr.set_title("Add a field");
    cr.set_reason("The spec needs a field");
    cr.set_requester("alice");
    cr.add_affected_item_ids(items_["item_id"]);
    cv1::SubmitChangeRequestResponse submitted;
    s = As(admin_, [&](auto* c) {
      return change->SubmitChangeRequest(c, cr, &submitted);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
    items_["change_request_id"] =
        submitted.change_request().change_request_id();

    cv1::EstablishBaselineRequest baseline;
    baseline.set_request_id("baseline-ERP");
    baseline.set_project_id(erp_);
    baseline.set_name("Requirements baseline");
    baseline.add_item_ids(items_["item_id"]);
    cv1::EstablishBaselineResponse established;
    s = As(admin_, [&](auto* c) {
      return configuration->EstablishBaseline(c, baseline, &established);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
    items_["baseline_id"] = established.baseline().baseline_id();
    items_["from_baseline_id"] = items_["to_baseline_id"] =
        items_["baseline_id"];

    auto quality = cv1::QualityService::NewStub(channel_);
    cv1::DefineQualityStandardRequest standard;
    standard.set_request_id("iso");
    standard.set_code("ISO-21500");
    standard.set_title("Project management guidance");
    standard.set_issuing_body("ISO");
    auto* clause = standard.add_requirements();
    clause->set_clause("4.3");
    clause->set_text("Plans are baselined");
    cv1::DefineQualityStandardResponse defined;
    s = As(admin_, [&](auto* c) {
      return quality->DefineQualityStandard(c, standard, &defined);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
    cv1::PlanAuditRequest audit;
    audit.set_request_id("audit-ERP");
    audit.set_project_id(erp_);
    audit.set_standard_id(defined.standard().standard_id());
    audit.set_body(cv1::AUDITING_BODY_INTERNAL_QA);
    audit.set_lead_auditor("quinn");
    *audit.mutable_planned_on() = Day(2027, 4, 1);
    cv1::PlanAuditResponse planned;
    s = As(admin_,
           [&](auto* c) { return quality->PlanAudit(c, audit, &planned); });
    ASSERT_TRUE(s.ok()) << s.error_message();
    items_["audit_id"] = planned.audit().audit_id();

    // A template that applies to ERP.
    auto documents = cv1::DocumentsService::NewStub(channel_);
    cv1::CreateDocumentRequest document;
    document.set_request_id("template-ERP");
    document.set_kind(cv1::DOCUMENT_KIND_TEMPLATE);
    document.set_title("ERP cut-over checklist");
    document.set_owner("alice");
    document.set_body("1. Freeze\n2. Migrate\n");
    document.set_media_type("text/plain");
    document.set_change_summary("First draft");
    cv1::CreateDocumentResponse created_document;
    s = As(admin_, [&](auto* c) {
      return documents->CreateDocument(c, document, &created_document);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
    items_["document_id"] = created_document.document().document_id();
    // Reviewed, approved by a second administrator (not its author), published.
    const std::string second_admin = Token("pmo-admin-2", {"pmo_admin"});
    cv1::RequestDocumentReviewRequest review_asked;
    review_asked.set_request_id("template-review-asked");
    review_asked.set_document_id(items_["document_id"]);
    review_asked.set_version_number(1);
    cv1::RequestDocumentReviewResponse review_asked_answer;
    s = As(admin_, [&](auto* c) {
      return documents->RequestDocumentReview(c, review_asked,
                                              &review_asked_answer);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
    cv1::ReviewDocumentRequest review;
    review.set_request_id("template-reviewed");
    review.set_document_id(items_["document_id"]);
    review.set_version_number(1);
    review.mutable_review()->set_verdict(cv1::REVIEW_VERDICT_APPROVE);
    cv1::ReviewDocumentResponse reviewed;
    s = As(second_admin, [&](auto* c) {
      return documents->ReviewDocument(c, review, &reviewed);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
    cv1::ApproveDocumentVersionRequest approve;
    approve.set_request_id("template-approved");
    approve.set_document_id(items_["document_id"]);
    approve.set_version_number(1);
    cv1::ApproveDocumentVersionResponse approved;
    s = As(second_admin, [&](auto* c) {
      return documents->ApproveDocumentVersion(c, approve, &approved);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
    cv1::PublishDocumentVersionRequest publish;
    publish.set_request_id("template-published");
    publish.set_document_id(items_["document_id"]);
    publish.set_version_number(1);
    cv1::PublishDocumentVersionResponse published;
    s = As(admin_, [&](auto* c) {
      return documents->PublishDocumentVersion(c, publish, &published);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
    cv1::AddDocumentApplicabilityRequest applies;
    applies.set_request_id("template-applies-ERP");
    applies.set_document_id(items_["document_id"]);
    applies.set_version_number(1);
    applies.set_project_id(erp_);
    cv1::AddDocumentApplicabilityResponse applied;
    s = As(admin_, [&](auto* c) {
      return documents->AddDocumentApplicability(c, applies, &applied);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();

    // A communication plan with one stakeholder of ERP, who is sam.
    auto communication = rv1::CommunicationService::NewStub(channel_);
    rv1::CreateCommunicationPlanRequest plan;
    plan.set_request_id("plan");
    plan.set_name("Steering");
    rv1::CreateCommunicationPlanResponse created;
    s = As(admin_, [&](auto* c) {
      return communication->CreateCommunicationPlan(c, plan, &created);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
    items_["plan_id"] = created.plan().plan_id();
    rv1::AddStakeholderRequest sam;
    sam.set_request_id("sam");
    sam.set_plan_id(items_["plan_id"]);
    sam.set_name("Sam Sponsor");
    sam.set_role("Sponsor");
    sam.add_project_ids(erp_);
    sam.set_principal("sam");
    rv1::AddStakeholderResponse added;
    s = As(admin_, [&](auto* c) {
      return communication->AddStakeholder(c, sam, &added);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
    items_["stakeholder_id"] = added.stakeholder_id();
  }

  // The request `method` is called with: project fields name ERP (left
  // empty where the answer is narrowed to the caller), item ids an item of
  // ERP; a report is of `own_project`, the caller's (a manager may get
  // reports of their own projects only).
  std::unique_ptr<Message> RequestFor(const MethodDescriptor& method,
                                      const std::string& own_project) {
    std::unique_ptr<Message> request(
        google::protobuf::MessageFactory::generated_factory()
            ->GetPrototype(method.input_type())
            ->New());
    const google::protobuf::Reflection* reflection = request->GetReflection();
    const bool narrowed = auth::AnswersForCaller(method);
    for (int i = 0; i < method.input_type()->field_count(); ++i) {
      const FieldDescriptor* field = method.input_type()->field(i);
      if (field->type() != FieldDescriptor::TYPE_STRING) continue;
      std::string value;
      if (auth::IsProjectField(*field)) {
        if (!narrowed) value = erp_;
      } else if (auto it = items_.find(field->name()); it != items_.end()) {
        value = it->second;
      } else if (field->name() == "request_id") {
        value = "matrix-" + std::to_string(++request_counter_);
      }
      if (value.empty()) continue;
      if (field->is_repeated()) {
        reflection->AddString(request.get(), field, value);
      } else {
        reflection->SetString(request.get(), field, value);
      }
    }
    if (auto* report = dynamic_cast<rv1::GetReportRequest*>(request.get())) {
      report->mutable_spec()->set_type(rv1::REPORT_TYPE_PORTFOLIO_STATUS);
      report->mutable_spec()->set_format(rv1::REPORT_FORMAT_CSV);
      report->mutable_spec()->mutable_scope()->set_level(
          rv1::SCOPE_LEVEL_PROJECT);
      report->mutable_spec()->mutable_scope()->set_id(own_project);
    }
    return request;
  }

  grpc::Status CallAs(const MethodDescriptor& method, const Caller& caller) {
    std::unique_ptr<Message> request = RequestFor(method, caller.own_project);
    std::unique_ptr<Message> response(
        google::protobuf::MessageFactory::generated_factory()
            ->GetPrototype(method.output_type())
            ->New());
    grpc::ClientContext context;
    WithToken(context, caller.token, absl::Seconds(3));
    const std::string path =
        absl::StrCat("/", method.service()->full_name(), "/", method.name());
    if (method.server_streaming()) {
      grpc::internal::RpcMethod rpc(
          path.c_str(), grpc::internal::RpcMethod::SERVER_STREAMING);
      std::unique_ptr<grpc::ClientReader<Message>> reader(
          grpc::internal::ClientReaderFactory<Message>::Create(
              channel_.get(), rpc, &context, *request));
      // A watch let through waits for items until the deadline.
      while (reader->Read(response.get())) {
      }
      return reader->Finish();
    }
    grpc::internal::RpcMethod rpc(path.c_str(),
                                  grpc::internal::RpcMethod::NORMAL_RPC);
    return grpc::internal::BlockingUnaryCall<Message, Message>(
        channel_.get(), rpc, &context, *request, response.get());
  }

  // The events in every store of pmo's data folder.
  int64_t StoredEvents() {
    int64_t total = 0;
    for (const auto& entry :
         std::filesystem::directory_iterator(dir_.File("data"))) {
      if (entry.path().extension() != ".db") continue;
      sqlite3* db = nullptr;
      if (sqlite3_open_v2(entry.path().c_str(), &db, SQLITE_OPEN_READONLY,
                          nullptr) == SQLITE_OK) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM events", -1, &stmt,
                               nullptr) == SQLITE_OK &&
            sqlite3_step(stmt) == SQLITE_ROW) {
          total += sqlite3_column_int64(stmt, 0);
        }
        sqlite3_finalize(stmt);
      }
      sqlite3_close(db);
    }
    return total;
  }

  // Waits until no store has grown for a second (follow-ups of the set-up).
  int64_t SettledEvents() {
    int64_t last = StoredEvents();
    for (int i = 0; i < 30; ++i) {
      absl::SleepFor(absl::Seconds(1));
      const int64_t now = StoredEvents();
      if (now == last) return now;
      last = now;
    }
    return last;
  }

  std::map<std::string, std::string> items_;
  int request_counter_ = 0;
};

TEST_F(AccessMatrixTest, EveryRpcAnswersEachCallerAsTheTableSays) {
  ASSERT_NO_FATAL_FAILURE(MakeItemsOfErp());
  const std::map<std::string, std::vector<std::string>> table = AccessTable();
  const std::vector<Caller> callers = {
      {"admin", admin_, erp_},
      {"analyst", analyst_, erp_},
      {"manager of the project", alice_, erp_},
      {"manager of another project", Token("bob", {"project_manager"}, {crm_}),
       crm_},
      {"viewer of the project", Token("vic", {"viewer"}, {erp_}), erp_},
      {"stakeholder", Token("sam", {"stakeholder"}), erp_},
      {"anonymous", "", erp_},
  };
  ASSERT_EQ(callers.size(), std::size(auth::kAccessTableCallers));

  struct Cell {
    const MethodDescriptor* method;
    const Caller* caller;
  };
  std::vector<Cell> refused, allowed;
  std::string missing;
  int methods = 0;
  for (const google::protobuf::FileDescriptor* file : ServiceFiles()) {
    for (int s = 0; s < file->service_count(); ++s) {
      for (int m = 0; m < file->service(s)->method_count(); ++m) {
        const MethodDescriptor* method = file->service(s)->method(m);
        ++methods;
        auto row = table.find(
            absl::StrCat(method->service()->name(), "/", method->name()));
        if (row == table.end()) {
          missing += method->full_name() + "\n";
          continue;
        }
        for (size_t c = 0; c < callers.size(); ++c) {
          (row->second[c] == "no" ? refused : allowed)
              .push_back({method, &callers[c]});
        }
      }
    }
  }
  ASSERT_TRUE(missing.empty()) << "RPCs without a row in docs/security.md:\n"
                               << missing;
  EXPECT_GT(methods, 140);

  // Refusals first, on a settled store: none may append anything.
  const int64_t before = SettledEvents();
  std::string wrong;
  for (const Cell& cell : refused) {
    const grpc::Status s = CallAs(*cell.method, *cell.caller);
    const grpc::StatusCode want = cell.caller->token.empty()
                                      ? grpc::StatusCode::UNAUTHENTICATED
                                      : grpc::StatusCode::PERMISSION_DENIED;
    if (s.error_code() != want) {
      wrong += absl::StrCat(cell.method->full_name(), " as ", cell.caller->name,
                            ": code ", s.error_code(), " (", s.error_message(),
                            "), table says no\n");
    }
  }
  EXPECT_EQ(StoredEvents(), before) << "a refused call appended events";
  for (const Cell& cell : allowed) {
    const grpc::Status s = CallAs(*cell.method, *cell.caller);
    if (s.error_code() == grpc::StatusCode::PERMISSION_DENIED ||
        s.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
      wrong += absl::StrCat(cell.method->full_name(), " as ", cell.caller->name,
                            ": ", s.error_message(), ", table says it may\n");
    }
  }
  EXPECT_TRUE(wrong.empty()) << wrong;
  EXPECT_GT(refused.size(), 500u);
  EXPECT_GT(allowed.size(), 300u);
}

// What the guard answers for every call before any handler: undecodable
// bytes and over-long ids are the caller's mistake, named, never INTERNAL.
TEST_F(AccessMatrixTest,
       UnreadableRequestsAreInvalidArgumentsNamingWhatCouldNotBeRead) {
  auto send = [&](const std::string& token, const std::string& bytes) {
    grpc::ClientContext context;
    WithToken(context, token);
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1), response;
    grpc::internal::RpcMethod rpc("/pmo.risks.v1.RisksService/IdentifyRisk",
                                  grpc::internal::RpcMethod::NORMAL_RPC);
    return grpc::internal::BlockingUnaryCall<grpc::ByteBuffer,
                                             grpc::ByteBuffer>(
        channel_.get(), rpc, &context, request, &response);
  };
  const int64_t before = SettledEvents();

  // Not protobuf at all (a truncated length-delimited field).
  grpc::Status s = send(admin_, std::string("\x22\x7f\x01", 3));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << s.error_message();
  EXPECT_THAT(s.error_message(),
              ::testing::HasSubstr("pmo.risks.v1.IdentifyRiskRequest"));
  // Without a token the caller learns only that.
  EXPECT_EQ(send("", std::string("\x22\x7f\x01", 3)).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  // A title that is not UTF-8: field 5 (tag 0x2a), length 2, bytes C3 28.
  kv1::IdentifyRiskRequest identify;
  identify.set_request_id("bad-title");
  identify.set_scope_id(erp_);
  std::string bytes =
      identify.SerializeAsString() + std::string("\x2a\x02\xc3\x28", 4);
  s = send(admin_, bytes);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << s.error_message();
  EXPECT_THAT(BadRequestFields(s), ::testing::ElementsAre("title"))
      << s.error_message();

  // A megabyte-long scope id is refused by name before any lookup.
  kv1::ListRisksRequest list;
  list.set_scope_id(std::string(1 << 20, 'x'));
  kv1::ListRisksResponse listed;
  s = Call(admin_,
           [&](auto* c) { return risks_->ListRisks(c, list, &listed); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << s.error_message();
  EXPECT_THAT(BadRequestFields(s), ::testing::ElementsAre("scope_id"));

  EXPECT_EQ(StoredEvents(), before);
}

}  // namespace
}  // namespace pmo::testing
