// docs/events.md and docs/api.md are generated: this fails, showing the
// difference, when a proto changed and scripts/docs.sh was not run (or a
// document was edited by hand). The fresh text is left beside the build
// so the diff can be read again.

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "tools/protodoc/api_reference.h"
#include "tools/protodoc/event_catalogue.h"
#include "tools/protodoc/proto_text.h"

namespace pmo::protodoc {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// `diff -u committed fresh`, at most 150 lines of it.
std::string Diff(const std::string& committed, const std::string& fresh) {
  std::string out;
  FILE* pipe = popen(
      ("diff -u '" + committed + "' '" + fresh + "' | head -n 150").c_str(),
      "r");
  if (pipe == nullptr) return "(diff could not run)";
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe))
    out.append(buffer, n);
  pclose(pipe);
  return out;
}

void ExpectFresh(const std::string& name, const std::string& fresh_text) {
  const std::string committed = std::string(PMO_SOURCE_DIR) + "/docs/" + name;
  const std::string fresh = std::string(PMO_BINARY_DIR) + "/protodoc/" + name;
  {
    std::ofstream out(fresh, std::ios::binary | std::ios::trunc);
    out << fresh_text;
    ASSERT_TRUE(out.good()) << "cannot write " << fresh;
  }
  EXPECT_TRUE(ReadFile(committed) == fresh_text)
      << "docs/" << name
      << " is stale: the protos say otherwise. Run scripts/docs.sh and "
      << "commit the result.\n"
      << Diff(committed, fresh);
}

TEST(DocsFreshTest, EventCatalogueAndApiReferenceMatchTheProtos) {
  auto set =
      LoadDescriptorSet(PMO_BINARY_DIR "/protodoc/pmo_descriptors.binpb");
  ASSERT_TRUE(set.ok()) << set.status();
  Coverage events, api;
  ExpectFresh("events.md", RenderEventCatalogue(set->files, events));
  ExpectFresh("api.md", RenderApiReference(set->files, api));
  // Every context publishes events and serves RPCs: an empty document
  // would mean the descriptor set lost its files.
  EXPECT_GT(events.fields, 300);
  EXPECT_GT(api.fields, 1000);
}

// Every event, and every field of an event, a request or a response, says
// what it means: a consumer reads the catalogue, not the code. One added
// without a comment fails here, named.
TEST(DocsFreshTest, EveryEventAndEveryFieldSaysWhatItMeans) {
  auto set =
      LoadDescriptorSet(PMO_BINARY_DIR "/protodoc/pmo_descriptors.binpb");
  ASSERT_TRUE(set.ok()) << set.status();
  Coverage events, api;
  RenderEventCatalogue(set->files, events);
  RenderApiReference(set->files, api);
  const auto names = [](const std::vector<std::string>& missing) {
    std::string out;
    for (const std::string& name : missing) out += "\n  " + name;
    return out;
  };
  EXPECT_TRUE(events.missing.empty())
      << "docs/events.md: no comment in the proto for" << names(events.missing);
  EXPECT_TRUE(api.missing.empty())
      << "docs/api.md: no comment in the proto for" << names(api.missing);
}

}  // namespace
}  // namespace pmo::protodoc
