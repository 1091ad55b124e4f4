// pmoctl's documentation clearing house (pmo.configuration.v1.
// DocumentsService): policies, procedures, templates and standards, each a
// series of versions moving
//
//   draft -> request-review -> review... -> approve -> publish
//
// (REQUEST_CHANGES sends a version back to DRAFT; publishing supersedes the
// version published before), the projects a published version applies to,
// retirement, and a version's body as stored.

#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/strings/str_join.h"
#include "pmo/configuration/v1/documents_service.grpc.pb.h"
#include "tools/pmoctl/command.h"

namespace pmoctl {
namespace {

namespace cv1 = ::pmo::configuration::v1;
using Stub = cv1::DocumentsService::Stub;

Table DocumentsTable(
    const google::protobuf::RepeatedPtrField<cv1::Document>& documents) {
  Table t({"DOCUMENT_ID", "KIND", "TITLE", "OWNER", "VERSIONS", "LATEST_STATUS",
           "RETIRED"});
  for (const auto& d : documents) {
    const std::string latest =
        d.versions().empty() ? ""
                             : EnumLabel(cv1::DocumentVersionStatus_Name(
                                             d.versions().rbegin()->status()),
                                         "DOCUMENT_VERSION_STATUS_");
    t.Add({d.document_id(),
           EnumLabel(cv1::DocumentKind_Name(d.kind()), "DOCUMENT_KIND_"),
           d.title(), d.owner(), std::to_string(d.versions_size()), latest,
           d.retired() ? "yes" : "no"});
  }
  return t;
}

// Every change answers with the document as it now stands.
template <typename Response>
Table DocumentOf(const Response& r) {
  google::protobuf::RepeatedPtrField<cv1::Document> one;
  *one.Add() = r.document();
  return DocumentsTable(one);
}

// A version's body from --file, its media type and summary, shared by
// create and draft.
template <typename Request>
void ReadVersion(const Invocation& in, Request* req) {
  req->set_media_type(in.Has("media-type") ? in.Str("media-type")
                                           : "text/markdown");
  req->set_change_summary(in.Str("summary"));
  std::ifstream file(in.Str("file"), std::ios::binary);
  if (!file) {
    in.Mistake("--file: cannot read '" + in.Str("file") + "'");
  } else {
    std::stringstream body;
    body << file.rdbuf();
    req->set_body(body.str());
  }
}

int Create(Session& s, const Invocation& in) {
  cv1::CreateDocumentRequest req;
  req.set_request_id(in.RequestId());
  req.set_kind(in.EnumValue<cv1::DocumentKind>(
      "--kind", in.Str("kind"), "DOCUMENT_KIND_", &cv1::DocumentKind_Parse));
  req.set_title(in.Str("title"));
  req.set_owner(in.Str("owner"));
  ReadVersion(in, &req);
  return CallAndPrint(s, in, &Stub::CreateDocument, req,
                      DocumentOf<cv1::CreateDocumentResponse>);
}

int Get(Session& s, const Invocation& in) {
  cv1::GetDocumentRequest req;
  req.set_document_id(in.Arg(0));
  return CallAndPrint(
      s, in, &Stub::GetDocument, req, [](const cv1::GetDocumentResponse& r) {
        Table t({"VERSION", "STATUS", "AUTHOR", "SUMMARY", "REVIEWS",
                 "APPROVED_BY", "PUBLISHED_AT", "PROJECTS", "BYTES"});
        for (const auto& v : r.document().versions()) {
          std::vector<std::string> reviews;
          for (const auto& review : v.reviews()) {
            reviews.push_back(
                review.reviewer() + ":" +
                EnumLabel(cv1::ReviewVerdict_Name(review.verdict()),
                          "REVIEW_VERDICT_"));
          }
          t.Add({std::to_string(v.version_number()),
                 EnumLabel(cv1::DocumentVersionStatus_Name(v.status()),
                           "DOCUMENT_VERSION_STATUS_"),
                 v.author(), v.change_summary(), absl::StrJoin(reviews, ", "),
                 v.approved_by(), FormatTime(v.published_at()),
                 absl::StrJoin(v.project_ids(), ","),
                 std::to_string(v.body_size_bytes())});
        }
        return t;
      });
}

int Draft(Session& s, const Invocation& in) {
  cv1::DraftDocumentVersionRequest req;
  req.set_request_id(in.RequestId());
  req.set_document_id(in.Arg(0));
  ReadVersion(in, &req);
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::DraftDocumentVersion, req,
                      DocumentOf<cv1::DraftDocumentVersionResponse>);
}

int RequestReview(Session& s, const Invocation& in) {
  cv1::RequestDocumentReviewRequest req;
  req.set_request_id(in.RequestId());
  req.set_document_id(in.Arg(0));
  req.set_version_number(static_cast<int32_t>(in.Int("version")));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::RequestDocumentReview, req,
                      DocumentOf<cv1::RequestDocumentReviewResponse>);
}

int Review(Session& s, const Invocation& in) {
  cv1::ReviewDocumentRequest req;
  req.set_request_id(in.RequestId());
  req.set_document_id(in.Arg(0));
  req.set_version_number(static_cast<int32_t>(in.Int("version")));
  req.mutable_review()->set_reviewer(in.Str("reviewer"));
  req.mutable_review()->set_verdict(in.EnumValue<cv1::ReviewVerdict>(
      "--verdict", in.Str("verdict"), "REVIEW_VERDICT_",
      &cv1::ReviewVerdict_Parse));
  req.mutable_review()->set_comments(in.Str("comments"));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::ReviewDocument, req,
                      DocumentOf<cv1::ReviewDocumentResponse>);
}

int Approve(Session& s, const Invocation& in) {
  cv1::ApproveDocumentVersionRequest req;
  req.set_request_id(in.RequestId());
  req.set_document_id(in.Arg(0));
  req.set_version_number(static_cast<int32_t>(in.Int("version")));
  req.set_approved_by(in.Str("by"));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::ApproveDocumentVersion, req,
                      DocumentOf<cv1::ApproveDocumentVersionResponse>);
}

int Publish(Session& s, const Invocation& in) {
  cv1::PublishDocumentVersionRequest req;
  req.set_request_id(in.RequestId());
  req.set_document_id(in.Arg(0));
  req.set_version_number(static_cast<int32_t>(in.Int("version")));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::PublishDocumentVersion, req,
                      DocumentOf<cv1::PublishDocumentVersionResponse>);
}

int Apply(Session& s, const Invocation& in) {
  cv1::SetDocumentApplicabilityRequest req;
  req.set_request_id(in.RequestId());
  req.set_document_id(in.Arg(0));
  req.set_version_number(static_cast<int32_t>(in.Int("version")));
  for (const std::string& id : in.All("project")) req.add_project_ids(id);
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::SetDocumentApplicability, req,
                      DocumentOf<cv1::SetDocumentApplicabilityResponse>);
}

int AddProject(Session& s, const Invocation& in) {
  cv1::AddDocumentApplicabilityRequest req;
  req.set_request_id(in.RequestId());
  req.set_document_id(in.Arg(0));
  req.set_version_number(static_cast<int32_t>(in.Int("version")));
  req.set_project_id(in.Str("project"));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::AddDocumentApplicability, req,
                      DocumentOf<cv1::AddDocumentApplicabilityResponse>);
}

int RemoveProject(Session& s, const Invocation& in) {
  cv1::RemoveDocumentApplicabilityRequest req;
  req.set_request_id(in.RequestId());
  req.set_document_id(in.Arg(0));
  req.set_version_number(static_cast<int32_t>(in.Int("version")));
  req.set_project_id(in.Str("project"));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::RemoveDocumentApplicability, req,
                      DocumentOf<cv1::RemoveDocumentApplicabilityResponse>);
}

int Retire(Session& s, const Invocation& in) {
  cv1::RetireDocumentRequest req;
  req.set_request_id(in.RequestId());
  req.set_document_id(in.Arg(0));
  req.set_reason(in.Str("reason"));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::RetireDocument, req,
                      DocumentOf<cv1::RetireDocumentResponse>);
}

int List(Session& s, const Invocation& in) {
  cv1::ListDocumentsRequest req;
  req.set_kind(in.EnumValue<cv1::DocumentKind>(
      "--kind", in.Str("kind"), "DOCUMENT_KIND_", &cv1::DocumentKind_Parse));
  req.set_project_id(in.Str("project"));
  if (!in.ok()) return in.UsageError();
  auto stub = cv1::DocumentsService::NewStub(s.channel());
  cv1::ListDocumentsResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::ListDocuments, req, &resp)) return rc;
  s.Print(resp, DocumentsTable(resp.documents()));
  return kExitOk;
}

int Body(Session& s, const Invocation& in) {
  cv1::GetDocumentBodyRequest req;
  req.set_document_id(in.Arg(0));
  req.set_version_number(static_cast<int32_t>(in.Int("version", 1)));
  if (!in.ok()) return in.UsageError();
  auto stub = cv1::DocumentsService::NewStub(s.channel());
  cv1::GetDocumentBodyResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::GetDocumentBody, req, &resp))
    return rc;
  if (!in.Has("out")) {
    // The body itself is the output, as stored; --output does not wrap it.
    s.out() << resp.body();
    return kExitOk;
  }
  std::ofstream file(in.Str("out"), std::ios::binary | std::ios::trunc);
  file << resp.body();
  file.close();
  if (!file) {
    std::fprintf(stderr, "pmoctl: cannot write the document to %s\n",
                 in.Str("out").c_str());
    return kExitUsage;
  }
  cv1::GetDocumentBodyResponse envelope = resp;
  envelope.clear_body();
  Table t({"MEDIA_TYPE", "SHA256", "BYTES", "FILE"});
  t.Add({resp.media_type(), resp.content_sha256(),
         std::to_string(resp.body().size()), in.Str("out")});
  s.Print(envelope, t);
  return kExitOk;
}

}  // namespace

void AddDocumentCommands(std::vector<Command>* out) {
  out->push_back(
      {"documents",
       "create",
       {},
       "Put a policy, procedure, template or standard into the library as a "
       "draft.",
       {{"kind", "KIND", "POLICY, PROCEDURE, TEMPLATE or STANDARD", true},
        {"title", "TEXT", "unique per kind, e.g. 'PROC-7 Change control'",
         true},
        {"owner", "NAME", "who keeps it current", true},
        {"file", "FILE", "the first version's body", true},
        {"media-type", "TYPE", "the body's media type (default text/markdown)"},
        {"summary", "TEXT", "what the first version says"}},
       Create});
  out->push_back({"documents",
                  "list",
                  {},
                  "List the library's documents.",
                  {{"kind", "KIND", "only this kind"},
                   {"project", "ID", "only those that apply to this project"}},
                  List});
  out->push_back({"documents",
                  "body",
                  {"DOCUMENT_ID"},
                  "Print a document version's body, as stored.",
                  {{"version", "N", "the version number (default 1)"},
                   {"out", "FILE", "write the body to FILE instead of stdout"}},
                  Body});
  const Option version = {"version", "N", "the version number", true};
  out->push_back(
      {"documents",
       "get",
       {"DOCUMENT_ID"},
       "Show a document's versions: status, reviews, approval, projects.",
       {},
       Get});
  out->push_back(
      {"documents",
       "draft",
       {"DOCUMENT_ID"},
       "Draft a new version from a file (one open version at a time).",
       {{"file", "FILE", "the new version's body", true},
        {"media-type", "TYPE", "the body's media type (default text/markdown)"},
        {"summary", "TEXT", "what changed"},
        ExpectedVersionOption()},
       Draft});
  out->push_back({"documents",
                  "request-review",
                  {"DOCUMENT_ID"},
                  "Send a DRAFT version for review.",
                  {version, ExpectedVersionOption()},
                  RequestReview});
  out->push_back(
      {"documents",
       "review",
       {"DOCUMENT_ID"},
       "Record a reviewer's verdict (REQUEST_CHANGES sends it back to DRAFT).",
       {version,
        {"reviewer", "NAME", "who reviewed it", true},
        {"verdict", "VERDICT", "APPROVE or REQUEST_CHANGES", true},
        {"comments", "TEXT", "what the reviewer says"},
        ExpectedVersionOption()},
       Review});
  out->push_back({"documents",
                  "approve",
                  {"DOCUMENT_ID"},
                  "Approve a reviewed version (at least one approving review).",
                  {version,
                   {"by", "NAME", "who approves it", true},
                   ExpectedVersionOption()},
                  Approve});
  out->push_back(
      {"documents",
       "publish",
       {"DOCUMENT_ID"},
       "Publish an APPROVED version; the one published before is superseded.",
       {version, ExpectedVersionOption()},
       Publish});
  out->push_back(
      {"documents",
       "apply",
       {"DOCUMENT_ID"},
       "Set the projects the published version applies to (replaces the list; "
       "pmo_admin only, deprecated: see add-project and remove-project).",
       {version,
        {"project", "ID", "a project it applies to", false, true},
        ExpectedVersionOption()},
       Apply});
  out->push_back({"documents",
                  "add-project",
                  {"DOCUMENT_ID"},
                  "The published version applies to one more project.",
                  {version,
                   {"project", "ID", "the project", true},
                   ExpectedVersionOption()},
                  AddProject});
  out->push_back({"documents",
                  "remove-project",
                  {"DOCUMENT_ID"},
                  "The published version no longer applies to one project.",
                  {version,
                   {"project", "ID", "the project", true},
                   ExpectedVersionOption()},
                  RemoveProject});
  out->push_back({"documents",
                  "retire",
                  {"DOCUMENT_ID"},
                  "Take a document out of the library.",
                  {{"reason", "TEXT", "why", true}, ExpectedVersionOption()},
                  Retire});
}

}  // namespace pmoctl
