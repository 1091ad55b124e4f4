// The generator on testdata/pmo/sample/v1: a small context with an event,
// a part of an event, an enum and a service whose RPCs fall under each of
// libs/auth's three rules.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tools/protodoc/api_reference.h"
#include "tools/protodoc/event_catalogue.h"
#include "tools/protodoc/proto_text.h"

namespace pmo::protodoc {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const DescriptorSet& Sample() {
  static const DescriptorSet* set = [] {
    auto loaded =
        LoadDescriptorSet(PMO_BINARY_DIR "/protodoc/sample_descriptors.binpb");
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    return new DescriptorSet(std::move(*loaded));
  }();
  return *set;
}

const google::protobuf::FileDescriptor& SampleEvents() {
  return *Sample().pool->FindFileByName("pmo/sample/v1/events.proto");
}

TEST(LoadDescriptorSetTest, NamesTheFlagAndFileThatCannotBeRead) {
  auto set = LoadDescriptorSet("/nonexistent/set.binpb");
  EXPECT_EQ(set.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(set.status().message(), HasSubstr("--descriptor_set"));
  EXPECT_THAT(set.status().message(), HasSubstr("/nonexistent/set.binpb"));
}

TEST(EventsOfTest, MessagesHeldByOtherMessagesAreNotEvents) {
  std::vector<std::string> names;
  for (const auto* e : EventsOf(SampleEvents())) names.push_back(e->name());
  EXPECT_THAT(names,
              ElementsAre("ThingRegistered", "ThingRetired", "ThingLost"));
}

TEST(EventCatalogueTest, ShowsTopicTypeFieldsAndComments) {
  Coverage coverage;
  const std::string doc = RenderEventCatalogue(Sample().files, coverage);
  EXPECT_THAT(doc, HasSubstr("## sample: `pmo.sample.events.v1`"));
  EXPECT_THAT(doc, HasSubstr("`ce_type: pmo.sample.v1.ThingRegistered`"));
  EXPECT_THAT(doc, HasSubstr("Domain events of the sample context"));
  EXPECT_THAT(doc, HasSubstr("A thing was registered."));
  // A pipe in a comment must not split the table's cell.
  EXPECT_THAT(
      doc,
      HasSubstr(
          "| `name` | 2 | string | What people call it \\| with a pipe. |"));
  EXPECT_THAT(
      doc,
      HasSubstr(
          "| `parts` | 3 | repeated [ThingPart](#pmo-sample-v1-thingpart) |"));
  EXPECT_THAT(doc, HasSubstr("| `legacy_size` (deprecated) | 5 | int32 | — |"));
  EXPECT_THAT(doc, HasSubstr("### pmo.sample.v1.ThingPart"));
  EXPECT_THAT(doc, HasSubstr("| `THING_COLOUR_BLUE` | 1 | Like the sky. |"));
  EXPECT_THAT(doc, HasSubstr("*No comment in the proto.*"));  // ThingRetired
  EXPECT_THAT(doc, HasSubstr("`ce_source` | `/pmo/<context>`"));
  EXPECT_THAT(doc, Not(HasSubstr("### ThingPart")));
  // A group heading, then a diagram that keeps its lines.
  EXPECT_THAT(
      doc, HasSubstr(
               "**Retired things**\n\n<a id=\"pmo-sample-v1-thinglost\"></a>"));
  EXPECT_THAT(
      doc,
      HasSubstr("Lifecycle of a thing:\n\n```text\n  REGISTERED -> RETIRED\n"
                "       |\n       +-----> LOST\n```"));
  // thing_id x3, name, parts, colour, legacy_size, part_id: one commented.
  EXPECT_EQ(coverage.fields, 8);
  EXPECT_EQ(coverage.undocumented, 7);
  EXPECT_THAT(coverage.missing,
              ::testing::Contains("pmo.sample.v1.ThingRetired"));
  EXPECT_THAT(coverage.missing,
              ::testing::Contains("pmo.sample.v1.ThingPart.part_id"));
  EXPECT_EQ(coverage.missing.size(), 8u);  // the 7 fields and ThingRetired
}

TEST(ApiReferenceTest, ShowsEachRpcWithItsRoleRuleAndErrors) {
  Coverage coverage;
  const std::string doc = RenderApiReference(Sample().files, coverage);
  EXPECT_THAT(doc, HasSubstr("## pmo.sample.v1.ThingsService"));
  EXPECT_THAT(
      doc,
      HasSubstr(
          "### ThingsService/RegisterThing\n\n"
          "`rpc RegisterThing(RegisterThingRequest) returns "
          "(RegisterThingResponse)`\n\nRegisters a thing for the whole PMO."));
  EXPECT_THAT(doc,
              HasSubstr("- Kind: write (PMO-wide); who may call it: admin\n"));
  EXPECT_THAT(
      doc,
      HasSubstr("- Kind: read (project); who may call it: admin, analyst or "
                "service, manager of the project, viewer of the project\n"));
  EXPECT_THAT(
      doc,
      HasSubstr(
          "- Kind: write (project); who may call it: admin, manager of the "
          "project\n"));
  EXPECT_THAT(
      doc,
      HasSubstr("Errors its comment names: FAILED_PRECONDITION, ABORTED (rule "
                "THING_LOCKED)"));
  EXPECT_THAT(
      doc,
      HasSubstr(
          "Errors the service's comment names for all its RPCs: NOT_FOUND."));
  EXPECT_THAT(doc,
              HasSubstr("| `expected_version` | 2 | optional int64 | — |"));
  EXPECT_THAT(
      doc, HasSubstr(
               "| `colour` | 1 | [ThingColour](#pmo-sample-v1-thingcolour) |"));
  EXPECT_THAT(doc, HasSubstr("### pmo.sample.v1.ThingColour (enum)"));
  EXPECT_THAT(doc, HasSubstr("Response `LockThingResponse`:\n\nNo fields.\n"));
}

TEST(ErrorsNamedInTest, CodesOnceInOrderThenRules) {
  EXPECT_EQ(ErrorsNamedIn("NOT_FOUND, then ABORTED; NOT_FOUND again"),
            "NOT_FOUND, ABORTED");
  EXPECT_EQ(
      ErrorsNamedIn("FAILED_PRECONDITION (rules STAGE_GATE and BUDGET_LOCKED)"),
      "FAILED_PRECONDITION (rules STAGE_GATE, BUDGET_LOCKED)");
  EXPECT_EQ(ErrorsNamedIn("The critical path, in CPM terms."), "");
}

TEST(ProtoTextTest, CommentsBecomeParagraphsOrOneCell) {
  EXPECT_EQ(AsParagraphs(" First line\n second line.\n\n Next.\n"),
            "First line\nsecond line.\n\nNext.");
  EXPECT_EQ(AsCell(" First line\n second line.\n\n Next.\n"),
            "First line second line.<br>Next.");
  EXPECT_EQ(AsCell(""), "—");
  EXPECT_EQ(ContextOf("pmo.risks.v1"), "risks");
  EXPECT_EQ(ContextOf("google.type"), "");
  EXPECT_EQ(NameFrom("pmo.risks.v1.Risk", "pmo.risks.v1"), "Risk");
  EXPECT_EQ(NameFrom("pmo.risks.v1.Risk", "pmo.projection.v1"),
            "pmo.risks.v1.Risk");
}

}  // namespace
}  // namespace pmo::protodoc
