// pmoctl's documentation clearing house: creating a policy, procedure,
// template or standard from a file, listing them and fetching a version's
// body (pmo.configuration.v1.DocumentsService). Review, approval and
// publication are not here yet.

#include <cstdio>
#include <fstream>
#include <sstream>

#include "pmo/configuration/v1/documents_service.grpc.pb.h"
#include "tools/pmoctl/command.h"

namespace pmoctl {
namespace {

namespace cv1 = ::pmo::configuration::v1;
using Stub = cv1::DocumentsService::Stub;

Table DocumentsTable(const google::protobuf::RepeatedPtrField<cv1::Document>& documents) {
  Table t({"DOCUMENT_ID", "KIND", "TITLE", "OWNER", "VERSIONS", "LATEST_STATUS", "RETIRED"});
  for (const auto& d : documents) {
    const std::string latest =
        d.versions().empty()
            ? ""
            : EnumLabel(cv1::DocumentVersionStatus_Name(d.versions().rbegin()->status()),
                        "DOCUMENT_VERSION_STATUS_");
    t.Add({d.document_id(), EnumLabel(cv1::DocumentKind_Name(d.kind()), "DOCUMENT_KIND_"),
           d.title(), d.owner(), std::to_string(d.versions_size()), latest,
           d.retired() ? "yes" : "no"});
  }
  return t;
}

int Create(Session& s, const Invocation& in) {
  cv1::CreateDocumentRequest req;
  req.set_request_id(in.RequestId());
  req.set_kind(in.EnumValue<cv1::DocumentKind>("--kind", in.Str("kind"), "DOCUMENT_KIND_",
                                               &cv1::DocumentKind_Parse));
  req.set_title(in.Str("title"));
  req.set_owner(in.Str("owner"));
  req.set_media_type(in.Has("media-type") ? in.Str("media-type") : "text/markdown");
  req.set_change_summary(in.Str("summary"));
  std::ifstream file(in.Str("file"), std::ios::binary);
  if (!file) {
    in.Mistake("--file: cannot read '" + in.Str("file") + "'");
  } else {
    std::stringstream body;
    body << file.rdbuf();
    req.set_body(body.str());
  }
  if (!in.ok()) return in.UsageError();
  auto stub = cv1::DocumentsService::NewStub(s.channel());
  cv1::CreateDocumentResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::CreateDocument, req, &resp)) return rc;
  google::protobuf::RepeatedPtrField<cv1::Document> one;
  *one.Add() = resp.document();
  s.Print(resp, DocumentsTable(one));
  return kExitOk;
}

int List(Session& s, const Invocation& in) {
  cv1::ListDocumentsRequest req;
  req.set_kind(in.EnumValue<cv1::DocumentKind>("--kind", in.Str("kind"), "DOCUMENT_KIND_",
                                               &cv1::DocumentKind_Parse));
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
  if (int rc = s.Call(stub.get(), &Stub::GetDocumentBody, req, &resp)) return rc;
  if (!in.Has("out")) {
    // The body itself is the output, as stored; --output does not wrap it.
    s.out() << resp.body();
    return kExitOk;
  }
  std::ofstream file(in.Str("out"), std::ios::binary | std::ios::trunc);
  file << resp.body();
  file.close();
  if (!file) {
    std::fprintf(stderr, "pmoctl: cannot write the document to %s\n", in.Str("out").c_str());
    return kExitUsage;
  }
  cv1::GetDocumentBodyResponse envelope = resp;
  envelope.clear_body();
  Table t({"MEDIA_TYPE", "SHA256", "BYTES", "FILE"});
  t.Add({resp.media_type(), resp.content_sha256(), std::to_string(resp.body().size()),
         in.Str("out")});
  s.Print(envelope, t);
  return kExitOk;
}

}  // namespace

void AddDocumentCommands(std::vector<Command>* out) {
  out->push_back({"documents", "create", {},
                  "Put a policy, procedure, template or standard into the library as a draft.",
                  {{"kind", "KIND", "POLICY, PROCEDURE, TEMPLATE or STANDARD", true},
                   {"title", "TEXT", "unique per kind, e.g. 'PROC-7 Change control'", true},
                   {"owner", "NAME", "who keeps it current", true},
                   {"file", "FILE", "the first version's body", true},
                   {"media-type", "TYPE", "the body's media type (default text/markdown)"},
                   {"summary", "TEXT", "what the first version says"}},
                  Create});
  out->push_back({"documents", "list", {}, "List the library's documents.",
                  {{"kind", "KIND", "only this kind"},
                   {"project", "ID", "only those that apply to this project"}},
                  List});
  out->push_back({"documents", "body", {"DOCUMENT_ID"},
                  "Print a document version's body, as stored.",
                  {{"version", "N", "the version number (default 1)"},
                   {"out", "FILE", "write the body to FILE instead of stdout"}},
                  Body});
}

}  // namespace pmoctl
