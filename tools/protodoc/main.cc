// protodoc: writes docs/events.md and docs/api.md from the contracts'
// descriptors with their comments (scripts/docs.sh runs it; the
// protodoc_test fails when the committed documents differ from its output).
//
//   protodoc --descriptor_set build/protodoc/pmo_descriptors.binpb
//            --events_out docs/events.md --api_out docs/api.md

#include <cstdio>
#include <fstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "tools/protodoc/api_reference.h"
#include "tools/protodoc/event_catalogue.h"
#include "tools/protodoc/proto_text.h"

ABSL_FLAG(std::string, descriptor_set, "",
          "FileDescriptorSet of the protos, written by protoc with "
          "--include_imports and "
          "--include_source_info; required");
ABSL_FLAG(std::string, events_out, "",
          "Where to write the event catalogue (docs/events.md)");
ABSL_FLAG(std::string, api_out, "",
          "Where to write the gRPC API reference (docs/api.md)");

namespace {

bool WriteFile(const std::string& flag, const std::string& path,
               const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::fprintf(stderr, "protodoc: --%s: cannot write %s\n", flag.c_str(),
                 path.c_str());
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Writes the event catalogue and the gRPC API reference from the protos' "
      "descriptors.");
  absl::ParseCommandLine(argc, argv);
  const std::string set_path = absl::GetFlag(FLAGS_descriptor_set);
  if (set_path.empty()) {
    std::fprintf(stderr, "protodoc: --descriptor_set is required\n");
    return 2;
  }
  if (absl::GetFlag(FLAGS_events_out).empty() &&
      absl::GetFlag(FLAGS_api_out).empty()) {
    std::fprintf(stderr, "protodoc: give --events_out, --api_out or both\n");
    return 2;
  }
  auto set = pmo::protodoc::LoadDescriptorSet(set_path);
  if (!set.ok()) {
    std::fprintf(stderr, "protodoc: %s\n",
                 std::string(set.status().message()).c_str());
    return 1;
  }
  if (const std::string path = absl::GetFlag(FLAGS_events_out); !path.empty()) {
    pmo::protodoc::Coverage coverage;
    if (!WriteFile("events_out", path,
                   pmo::protodoc::RenderEventCatalogue(set->files, coverage))) {
      return 1;
    }
    std::fprintf(stderr, "protodoc: %s: %d fields, %d without a comment\n",
                 path.c_str(), coverage.fields, coverage.undocumented);
  }
  if (const std::string path = absl::GetFlag(FLAGS_api_out); !path.empty()) {
    pmo::protodoc::Coverage coverage;
    if (!WriteFile("api_out", path,
                   pmo::protodoc::RenderApiReference(set->files, coverage))) {
      return 1;
    }
    std::fprintf(stderr, "protodoc: %s: %d fields, %d without a comment\n",
                 path.c_str(), coverage.fields, coverage.undocumented);
  }
  return 0;
}
