// The configuration service in one process with the others: methodology
// versions starting projects, change control, tools, quality audits and
// documents.

#include "tests/all_in_one/all_in_one.h"

namespace pmo {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

TEST_F(AllInOneApi, AMethodologyPublishedInTheLibraryStartsAProjectInProcess) {
  namespace cv1 = ::pmo::configuration::v1;
  auto library = cv1::LibraryService::NewStub(channel_);
  cv1::PublishMethodologyVersionRequest publish;
  publish.set_request_id("publish-prince2");
  publish.set_name("PRINCE2");
  publish.set_version("7");
  for (const char* name : {"Starting up", "Initiating", "Delivering"}) {
    cv1::MethodologyPhase* phase = publish.add_phases();
    phase->set_name(name);
    phase->mutable_gate()->set_name(std::string(name) + " gate");
    phase->mutable_gate()->add_criteria("Board approves");
  }
  cv1::PublishMethodologyVersionResponse published;
  {
    grpc::ClientContext ctx;
    grpc::Status s =
        library->PublishMethodologyVersion(&ctx, publish, &published);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  pv1::CreateProjectResponse created;
  ASSERT_TRUE(Call(&pv1::ProjectsService::Stub::CreateProject,
                   testing::NewProjectRequest("PRINCE"), &created)
                  .ok());
  pv1::ApplyMethodologyRequest apply;
  apply.set_request_id("apply-prince2");
  apply.set_project_id(created.project().project_id());
  apply.set_methodology_id(published.methodology().methodology_id());
  pv1::ApplyMethodologyResponse applied;
  // Delivered in-process, asynchronously: NOT_FOUND until it arrives.
  grpc::Status s;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  do {
    s = Call(&pv1::ProjectsService::Stub::ApplyMethodology, apply, &applied);
    if (s.error_code() != grpc::StatusCode::NOT_FOUND) break;
    absl::SleepFor(absl::Milliseconds(20));
  } while (absl::Now() < deadline);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(applied.project().methodology().name(), "PRINCE2");
  EXPECT_EQ(applied.project().methodology().phases_size(), 3);
}

TEST_F(AllInOneApi, AWithdrawnMethodologyVersionStartsNoNewProject) {
  namespace cv1 = ::pmo::configuration::v1;
  auto library = cv1::LibraryService::NewStub(channel_);
  auto publish = [&](const std::string& version) {
    cv1::PublishMethodologyVersionRequest request;
    request.set_request_id("publish-scrum-" + version);
    request.set_name("Scrum");
    request.set_version(version);
    cv1::MethodologyPhase* phase = request.add_phases();
    phase->set_name("Sprint");
    phase->mutable_gate()->set_name("Review");
    grpc::ClientContext ctx;
    cv1::PublishMethodologyVersionResponse published;
    grpc::Status s =
        library->PublishMethodologyVersion(&ctx, request, &published);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return published.methodology().methodology_id();
  };
  const std::string old_id = publish("1");
  {
    cv1::WithdrawMethodologyVersionRequest withdraw;
    withdraw.set_request_id("withdraw-scrum-1");
    withdraw.set_methodology_id(old_id);
    withdraw.set_reason("replaced by 2");
    grpc::ClientContext ctx;
    cv1::WithdrawMethodologyVersionResponse withdrawn;
    ASSERT_TRUE(
        library->WithdrawMethodologyVersion(&ctx, withdraw, &withdrawn).ok());
  }
  // Published after the withdrawal: once the projects service knows it, it
  // has taken in the withdrawal too (the feed keeps store order).
  const std::string new_id = publish("2");
  pv1::CreateProjectResponse created;
  ASSERT_TRUE(Call(&pv1::ProjectsService::Stub::CreateProject,
                   testing::NewProjectRequest("SCRUM"), &created)
                  .ok());
  pv1::ApplyMethodologyRequest apply;
  apply.set_request_id("apply-scrum-2");
  apply.set_project_id(created.project().project_id());
  apply.set_methodology_id(new_id);
  pv1::ApplyMethodologyResponse applied;
  grpc::Status s;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  // Wait for version 2, then version 1 is refused with the rule.
  do {
    s = Call(&pv1::ProjectsService::Stub::ApplyMethodology, apply, &applied);
    if (s.error_code() != grpc::StatusCode::NOT_FOUND) break;
    absl::SleepFor(absl::Milliseconds(20));
  } while (absl::Now() < deadline);
  ASSERT_TRUE(s.ok()) << s.error_message();
  pv1::CreateProjectResponse other;
  ASSERT_TRUE(Call(&pv1::ProjectsService::Stub::CreateProject,
                   testing::NewProjectRequest("SCRUM-OLD"), &other)
                  .ok());
  apply.set_request_id("apply-scrum-1");
  apply.set_project_id(other.project().project_id());
  apply.set_methodology_id(old_id);
  s = Call(&pv1::ProjectsService::Stub::ApplyMethodology, apply, &applied);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << s.error_message();
  EXPECT_THAT(testing::PreconditionRules(s),
              ElementsAre("METHODOLOGY_WITHDRAWN"));
}

TEST_F(AllInOneApi, ConfigurationChangeControlOverGrpc) {
  namespace cv1 = ::pmo::configuration::v1;
  auto items = cv1::ConfigurationService::NewStub(channel_);
  auto changes = cv1::ChangeControlService::NewStub(channel_);
  {  // An unknown project is NOT_FOUND, naming the field.
    cv1::RegisterConfigurationItemRequest ghost;
    ghost.set_request_id("ci-ghost");
    ghost.set_project_id("ghost");
    ghost.set_type(cv1::ITEM_TYPE_DESIGN);
    ghost.set_identifier("DES-1");
    ghost.set_title("t");
    ghost.set_owner("bob");
    grpc::ClientContext ctx;
    cv1::RegisterConfigurationItemResponse refused;
    grpc::Status s = items->RegisterConfigurationItem(&ctx, ghost, &refused);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_THAT(s.error_message(), HasSubstr("project_id: no project ghost"));
  }
  const std::string erp = NewProject("CFGERP");
  cv1::RegisterConfigurationItemRequest item;
  item.set_request_id("ci-1");
  item.set_project_id(erp);
  item.set_type(cv1::ITEM_TYPE_DESIGN);
  item.set_identifier("DES-1");
  item.set_title("Invoice batch design");
  item.set_owner("bob");
  cv1::RegisterConfigurationItemResponse registered;
  {
    grpc::Status s = RetryWhileNotFound([&] {
      grpc::ClientContext ctx;
      return items->RegisterConfigurationItem(&ctx, item, &registered);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  {
    grpc::ClientContext ctx;
    cv1::RegisterConfigurationItemResponse again;
    item.set_request_id("ci-1-dup");
    EXPECT_EQ(items->RegisterConfigurationItem(&ctx, item, &again).error_code(),
              grpc::StatusCode::ALREADY_EXISTS);
  }
  cv1::SubmitChangeRequestRequest submit;
  submit.set_request_id("cr-1");
  submit.set_project_id(erp);
  submit.set_title("t");
  submit.set_reason("r");
  submit.set_requester("carol");
  submit.add_affected_item_ids("not-a-uuid");
  cv1::SubmitChangeRequestResponse submitted;
  grpc::ClientContext ctx;
  grpc::Status bad = changes->SubmitChangeRequest(&ctx, submit, &submitted);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(testing::BadRequestFields(bad),
              ElementsAre("affected_item_ids[0]"));
}

TEST_F(AllInOneApi, ToolsCatalogueFlagsOverUseAndExpiringLicencesOverGrpc) {
  namespace cv1 = ::pmo::configuration::v1;
  auto tools = cv1::ToolsService::NewStub(channel_);
  cv1::CatalogueToolRequest catalogue;
  catalogue.set_request_id("tool-jira");
  catalogue.set_name("Jira");
  catalogue.set_vendor("Atlassian");
  catalogue.set_licence_model(cv1::LICENCE_MODEL_PER_USER);
  catalogue.set_licence_count(10);
  catalogue.mutable_licence_expiry()->set_year(2027);
  catalogue.mutable_licence_expiry()->set_month(3);
  catalogue.mutable_licence_expiry()->set_day(31);
  cv1::CatalogueToolResponse catalogued;
  {
    grpc::ClientContext ctx;
    grpc::Status s = tools->CatalogueTool(&ctx, catalogue, &catalogued);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  const std::string tool_id = catalogued.tool().tool_id();
  const std::string erp = NewProject("TOOLERP");
  const std::string crm = NewProject("TOOLCRM");
  for (const auto& [project, seats] : {std::pair{erp, 6}, std::pair{crm, 5}}) {
    cv1::AssignToolToProjectRequest assign;
    assign.set_request_id(std::string("assign-jira-") + project);
    assign.set_tool_id(tool_id);
    assign.set_project_id(project);
    assign.set_seats(seats);
    cv1::AssignToolToProjectResponse assigned;
    grpc::Status s = RetryWhileNotFound([&] {
      grpc::ClientContext ctx;
      return tools->AssignToolToProject(&ctx, assign, &assigned);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  {  // Flags as of 15 March 2027 with a 30-day window: over-used and expiring.
    cv1::ListToolsRequest list;
    list.set_flagged_only(true);
    list.mutable_flags()->mutable_as_of()->set_year(2027);
    list.mutable_flags()->mutable_as_of()->set_month(3);
    list.mutable_flags()->mutable_as_of()->set_day(15);
    grpc::ClientContext ctx;
    cv1::ListToolsResponse listed;
    ASSERT_TRUE(tools->ListTools(&ctx, list, &listed).ok());
    ASSERT_EQ(listed.tools_size(), 1);
    EXPECT_EQ(listed.tools(0).seats_in_use(), 11);
    EXPECT_TRUE(listed.tools(0).over_used());
    EXPECT_TRUE(listed.tools(0).licence_expiring());
    EXPECT_EQ(listed.tools(0).version(), 3);
  }
  {  // A stale version is ABORTED; bad input names the fields.
    cv1::ReleaseToolFromProjectRequest release;
    release.set_request_id("release-stale");
    release.set_tool_id(tool_id);
    release.set_project_id(crm);
    release.set_expected_version(1);
    grpc::ClientContext ctx;
    cv1::ReleaseToolFromProjectResponse released;
    grpc::Status s = tools->ReleaseToolFromProject(&ctx, release, &released);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED);
    EXPECT_EQ(testing::ConflictCurrentVersion(s), 3);
  }
  {
    cv1::ListToolsRequest bad;
    bad.mutable_flags()->set_expiry_warning_days(-1);
    bad.mutable_flags()->mutable_as_of()->set_month(13);
    bad.set_page_size(5000);
    bad.set_page_token("forged");
    grpc::ClientContext ctx;
    cv1::ListToolsResponse listed;
    grpc::Status s = tools->ListTools(&ctx, bad, &listed);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(testing::BadRequestFields(s),
                UnorderedElementsAre("flags.as_of", "flags.expiry_warning_days",
                                     "page_size", "page_token"));
  }
  {  // Pages in catalogue order.
    cv1::CatalogueToolRequest wiki;
    wiki.set_request_id("tool-confluence");
    wiki.set_name("Confluence");
    wiki.set_vendor("Atlassian");
    wiki.set_licence_model(cv1::LICENCE_MODEL_SITE);
    grpc::ClientContext ctx;
    cv1::CatalogueToolResponse catalogued_wiki;
    ASSERT_TRUE(tools->CatalogueTool(&ctx, wiki, &catalogued_wiki).ok());
    cv1::ListToolsRequest list;
    list.set_page_size(1);
    grpc::ClientContext ctx2;
    cv1::ListToolsResponse first;
    ASSERT_TRUE(tools->ListTools(&ctx2, list, &first).ok());
    ASSERT_EQ(first.tools_size(), 1);
    EXPECT_EQ(first.tools(0).name(), "Jira");
    ASSERT_FALSE(first.next_page_token().empty());
    list.set_page_token(first.next_page_token());
    grpc::ClientContext ctx3;
    cv1::ListToolsResponse second;
    ASSERT_TRUE(tools->ListTools(&ctx3, list, &second).ok());
    ASSERT_EQ(second.tools_size(), 1);
    EXPECT_EQ(second.tools(0).name(), "Confluence");
    EXPECT_TRUE(second.next_page_token().empty());
  }
  {  // Retired: no more assignments, naming the rule.
    cv1::RetireToolRequest retire;
    retire.set_request_id("retire-jira");
    retire.set_tool_id(tool_id);
    retire.set_reason("replaced");
    grpc::ClientContext ctx;
    cv1::RetireToolResponse retired;
    ASSERT_TRUE(tools->RetireTool(&ctx, retire, &retired).ok());
    EXPECT_EQ(retired.tool().assignments_size(), 0);
    cv1::AssignToolToProjectRequest assign;
    assign.set_request_id("assign-after-retire");
    assign.set_tool_id(tool_id);
    assign.set_project_id(erp);
    assign.set_seats(1);
    grpc::ClientContext ctx2;
    cv1::AssignToolToProjectResponse assigned;
    grpc::Status s = tools->AssignToolToProject(&ctx2, assign, &assigned);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_THAT(testing::PreconditionRules(s), ElementsAre("TOOL_RETIRED"));
  }
}

TEST_F(AllInOneApi, QualityAuditFindingsActionsAndComplianceOverGrpc) {
  namespace cv1 = ::pmo::configuration::v1;
  auto quality = cv1::QualityService::NewStub(channel_);
  auto day = [](int month, int d) {
    google::type::Date date;
    date.set_year(2027);
    date.set_month(month);
    date.set_day(d);
    return date;
  };
  cv1::DefineQualityStandardRequest define;
  define.set_request_id("iso-9001");
  define.set_code("ISO 9001:2015");
  define.set_title("Quality management systems");
  define.set_issuing_body("ISO");
  for (const char* clause : {"7.5", "8.5.1"}) {
    cv1::StandardRequirement* r = define.add_requirements();
    r->set_clause(clause);
    r->set_text(std::string("Requirement ") + clause);
  }
  cv1::DefineQualityStandardResponse defined;
  {
    grpc::ClientContext ctx;
    grpc::Status s = quality->DefineQualityStandard(&ctx, define, &defined);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  const std::string standard_id = defined.standard().standard_id();
  cv1::PlanAuditRequest plan;
  plan.set_request_id("plan-erp-audit");
  const std::string erp_quality = NewProject("QUALERP");
  plan.set_project_id(erp_quality);
  plan.set_standard_id(standard_id);
  plan.set_body(cv1::AUDITING_BODY_EXTERNAL);
  plan.set_lead_auditor("Certification Ltd");
  *plan.mutable_planned_on() = day(3, 1);
  cv1::PlanAuditResponse planned;
  {
    grpc::Status s = RetryWhileNotFound([&] {
      grpc::ClientContext ctx;
      return quality->PlanAudit(&ctx, plan, &planned);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  const std::string audit_id = planned.audit().audit_id();
  {  // Findings wait for the fieldwork.
    cv1::RecordAuditFindingRequest finding;
    finding.set_request_id("finding-too-early");
    finding.set_audit_id(audit_id);
    finding.set_clause("8.5.1");
    finding.set_severity(cv1::FINDING_SEVERITY_MAJOR);
    finding.set_description("releases not traceable");
    grpc::ClientContext ctx;
    cv1::RecordAuditFindingResponse recorded;
    grpc::Status s = quality->RecordAuditFinding(&ctx, finding, &recorded);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_THAT(testing::PreconditionRules(s), ElementsAre("AUDIT_WORKFLOW"));
  }
  {
    cv1::StartAuditRequest start;
    start.set_request_id("start-erp-audit");
    start.set_audit_id(audit_id);
    *start.mutable_started_on() = day(3, 2);
    start.set_expected_version(1);
    grpc::ClientContext ctx;
    cv1::StartAuditResponse started;
    ASSERT_TRUE(quality->StartAudit(&ctx, start, &started).ok());
    EXPECT_EQ(started.audit().status(), cv1::AUDIT_STATUS_IN_PROGRESS);
  }
  cv1::RecordAuditFindingRequest finding;
  finding.set_request_id("finding-1");
  finding.set_audit_id(audit_id);
  finding.set_clause("8.5.1");
  finding.set_severity(cv1::FINDING_SEVERITY_MAJOR);
  finding.set_description("releases not traceable");
  cv1::RecordAuditFindingResponse recorded;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(quality->RecordAuditFinding(&ctx, finding, &recorded).ok());
    EXPECT_EQ(recorded.finding_id(), "F1");
  }
  {
    cv1::AssignCorrectiveActionRequest assign;
    assign.set_request_id("action-1");
    assign.set_audit_id(audit_id);
    assign.set_finding_id("F1");
    assign.set_description("tag every release");
    assign.set_owner("bob");
    *assign.mutable_due() = day(4, 1);
    grpc::ClientContext ctx;
    cv1::AssignCorrectiveActionResponse assigned;
    ASSERT_TRUE(quality->AssignCorrectiveAction(&ctx, assign, &assigned).ok());
    EXPECT_EQ(assigned.action_id(), "A1");
  }
  {
    cv1::CompleteAuditRequest complete;
    complete.set_request_id("complete-erp-audit");
    complete.set_audit_id(audit_id);
    *complete.mutable_completed_on() = day(3, 4);
    complete.set_summary("one major non-conformity");
    grpc::ClientContext ctx;
    cv1::CompleteAuditResponse completed;
    ASSERT_TRUE(quality->CompleteAudit(&ctx, complete, &completed).ok());
  }
  {  // On 10 April the major finding is open and its action overdue.
    cv1::GetProjectComplianceRequest get;
    get.set_project_id(erp_quality);
    get.set_standard_id(standard_id);
    *get.mutable_as_of() = day(4, 10);
    grpc::ClientContext ctx;
    cv1::GetProjectComplianceResponse compliance;
    ASSERT_TRUE(quality->GetProjectCompliance(&ctx, get, &compliance).ok());
    EXPECT_EQ(compliance.compliance().status(),
              cv1::COMPLIANCE_STATUS_NON_COMPLIANT);
    EXPECT_EQ(compliance.compliance().overdue_corrective_actions(), 1);
    cv1::ListOverdueCorrectiveActionsRequest overdue;
    overdue.set_project_id(erp_quality);
    *overdue.mutable_as_of() = day(4, 10);
    grpc::ClientContext ctx2;
    cv1::ListOverdueCorrectiveActionsResponse listed;
    ASSERT_TRUE(
        quality->ListOverdueCorrectiveActions(&ctx2, overdue, &listed).ok());
    ASSERT_EQ(listed.actions_size(), 1);
    EXPECT_EQ(listed.actions(0).days_overdue(), 9);
    EXPECT_EQ(listed.actions(0).action().owner(), "bob");
  }
  {  // The owner cannot verify their own action.
    cv1::CompleteCorrectiveActionRequest done;
    done.set_request_id("action-1-done");
    done.set_audit_id(audit_id);
    done.set_action_id("A1");
    *done.mutable_completed_on() = day(4, 11);
    grpc::ClientContext ctx;
    cv1::CompleteCorrectiveActionResponse completed;
    ASSERT_TRUE(quality->CompleteCorrectiveAction(&ctx, done, &completed).ok());
    cv1::VerifyCorrectiveActionRequest verify;
    verify.set_request_id("action-1-self-verify");
    verify.set_audit_id(audit_id);
    verify.set_action_id("A1");
    verify.set_verified_by("bob");
    grpc::ClientContext ctx2;
    cv1::VerifyCorrectiveActionResponse verified;
    grpc::Status s = quality->VerifyCorrectiveAction(&ctx2, verify, &verified);
    EXPECT_THAT(testing::PreconditionRules(s),
                ElementsAre("VERIFIER_NOT_OWNER"));
    verify.set_request_id("action-1-verify");
    verify.set_verified_by("qa-lead");
    grpc::ClientContext ctx3;
    ASSERT_TRUE(quality->VerifyCorrectiveAction(&ctx3, verify, &verified).ok());
    cv1::CloseAuditFindingRequest close;
    close.set_request_id("close-f1");
    close.set_audit_id(audit_id);
    close.set_finding_id("F1");
    grpc::ClientContext ctx4;
    cv1::CloseAuditFindingResponse closed;
    ASSERT_TRUE(quality->CloseAuditFinding(&ctx4, close, &closed).ok());
  }
  {
    cv1::ListProjectComplianceRequest list;
    list.set_project_id(erp_quality);
    *list.mutable_as_of() = day(4, 12);
    grpc::ClientContext ctx;
    cv1::ListProjectComplianceResponse listed;
    ASSERT_TRUE(quality->ListProjectCompliance(&ctx, list, &listed).ok());
    ASSERT_EQ(listed.compliance_size(), 1);
    EXPECT_EQ(listed.compliance(0).status(), cv1::COMPLIANCE_STATUS_COMPLIANT);
    EXPECT_EQ(listed.compliance(0).audit_id(), audit_id);
  }
  {  // Bad input names the fields.
    cv1::PlanAuditRequest bad;
    bad.set_request_id("bad-plan");
    bad.set_standard_id("not-a-uuid");
    grpc::ClientContext ctx;
    cv1::PlanAuditResponse resp;
    grpc::Status s = quality->PlanAudit(&ctx, bad, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(testing::BadRequestFields(s),
                UnorderedElementsAre("standard_id", "project_id", "body",
                                     "lead_auditor", "planned_on"));
  }
}

TEST_F(AllInOneApi,
       ADocumentIsDraftedReviewedApprovedPublishedAndReadBackOverGrpc) {
  namespace cv1 = ::pmo::configuration::v1;
  auto documents = cv1::DocumentsService::NewStub(channel_);
  cv1::CreateDocumentRequest create;
  create.set_request_id("doc-change-procedure");
  create.set_kind(cv1::DOCUMENT_KIND_PROCEDURE);
  create.set_title("PROC-7 Change control procedure");
  create.set_owner("bob");
  create.set_body("# Change control\nEvery change goes to the board.\n");
  create.set_media_type("text/markdown");
  create.set_change_summary("first issue");
  cv1::CreateDocumentResponse created;
  {
    grpc::ClientContext ctx;
    grpc::Status s = documents->CreateDocument(&ctx, create, &created);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  const std::string id = created.document().document_id();
  {  // Approval before review is refused with the rule.
    cv1::ApproveDocumentVersionRequest approve;
    approve.set_request_id("approve-too-early");
    approve.set_document_id(id);
    approve.set_version_number(1);
    approve.set_approved_by("head-of-pmo");
    grpc::ClientContext ctx;
    cv1::ApproveDocumentVersionResponse resp;
    grpc::Status s = documents->ApproveDocumentVersion(&ctx, approve, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_THAT(testing::PreconditionRules(s),
                ElementsAre("DOCUMENT_WORKFLOW"));
  }
  {
    cv1::RequestDocumentReviewRequest review;
    review.set_request_id("doc-review");
    review.set_document_id(id);
    review.set_version_number(1);
    review.set_expected_version(created.document().version());
    grpc::ClientContext ctx;
    cv1::RequestDocumentReviewResponse resp;
    ASSERT_TRUE(documents->RequestDocumentReview(&ctx, review, &resp).ok());
  }
  {
    cv1::ReviewDocumentRequest review;
    review.set_request_id("doc-reviewed");
    review.set_document_id(id);
    review.set_version_number(1);
    review.mutable_review()->set_reviewer("quality-office");
    review.mutable_review()->set_verdict(cv1::REVIEW_VERDICT_APPROVE);
    grpc::ClientContext ctx;
    cv1::ReviewDocumentResponse resp;
    ASSERT_TRUE(documents->ReviewDocument(&ctx, review, &resp).ok());
  }
  {
    cv1::ApproveDocumentVersionRequest approve;
    approve.set_request_id("doc-approve");
    approve.set_document_id(id);
    approve.set_version_number(1);
    approve.set_approved_by("head-of-pmo");
    grpc::ClientContext ctx;
    cv1::ApproveDocumentVersionResponse resp;
    ASSERT_TRUE(documents->ApproveDocumentVersion(&ctx, approve, &resp).ok());
  }
  {
    cv1::PublishDocumentVersionRequest publish;
    publish.set_request_id("doc-publish");
    publish.set_document_id(id);
    publish.set_version_number(1);
    grpc::ClientContext ctx;
    cv1::PublishDocumentVersionResponse resp;
    ASSERT_TRUE(documents->PublishDocumentVersion(&ctx, publish, &resp).ok());
    EXPECT_EQ(resp.document().versions(0).status(),
              cv1::DOCUMENT_VERSION_STATUS_PUBLISHED);
  }
  {
    cv1::SetDocumentApplicabilityRequest apply;
    apply.set_request_id("doc-applies");
    apply.set_document_id(id);
    apply.set_version_number(1);
    const std::string erp = NewProject("DOCERP");
    apply.add_project_ids(erp);
    cv1::SetDocumentApplicabilityResponse resp;
    grpc::Status s = RetryWhileNotFound([&] {
      grpc::ClientContext ctx;
      return documents->SetDocumentApplicability(&ctx, apply, &resp);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
    cv1::ListDocumentsRequest list;
    list.set_project_id(erp);
    grpc::ClientContext ctx2;
    cv1::ListDocumentsResponse listed;
    ASSERT_TRUE(documents->ListDocuments(&ctx2, list, &listed).ok());
    ASSERT_EQ(listed.documents_size(), 1);
    EXPECT_EQ(listed.documents(0).document_id(), id);
  }
  {
    cv1::GetDocumentBodyRequest get;
    get.set_document_id(id);
    get.set_version_number(1);
    grpc::ClientContext ctx;
    cv1::GetDocumentBodyResponse body;
    ASSERT_TRUE(documents->GetDocumentBody(&ctx, get, &body).ok());
    EXPECT_EQ(body.body(), create.body());
    EXPECT_EQ(body.content_sha256().size(), 64u);
  }
  {  // A body over 1 MiB is refused naming the field.
    cv1::DraftDocumentVersionRequest draft;
    draft.set_request_id("doc-too-big");
    draft.set_document_id(id);
    draft.set_body(std::string((1 << 20) + 1, 'x'));
    draft.set_media_type("text/plain");
    draft.set_change_summary("too big");
    grpc::ClientContext ctx;
    cv1::DraftDocumentVersionResponse resp;
    grpc::Status s = documents->DraftDocumentVersion(&ctx, draft, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(testing::BadRequestFields(s), ElementsAre("body"));
  }
}

}  // namespace
}  // namespace pmo
