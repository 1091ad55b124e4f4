#include "services/configuration/domain/quality_standard.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/errors.h"
#include "libs/base/testing/status_matchers.h"

namespace pmo::configuration {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::UnorderedElementsAre;

v1::QualityStandardDefined Iso9001() {
  v1::QualityStandardDefined s;
  s.set_standard_id("std-1");
  s.set_code("ISO 9001:2015");
  s.set_title("Quality management systems");
  s.set_issuing_body("ISO");
  for (const char* clause : {"7.5", "8.5.1", "9.2"}) {
    v1::StandardRequirement* r = s.add_requirements();
    r->set_clause(clause);
    r->set_text(std::string("Requirement ") + clause);
  }
  return s;
}

TEST(QualityStandard, IsDefinedOnceWithItsRequirementsAndAUniqueCode) {
  QualityStandardAggregate standard;
  ASSERT_OK_AND_ASSIGN(eventsourcing::Decision d, standard.Define(Iso9001()));
  ASSERT_EQ(d.unique_values.size(), 1u);
  EXPECT_EQ(d.unique_values[0].value, "ISO 9001:2015");
  standard.Apply(*d.events[0], absl::Now());
  EXPECT_NE(standard.FindRequirement("8.5.1"), nullptr);
  EXPECT_EQ(standard.FindRequirement("4.4"), nullptr);
  EXPECT_THAT(standard.Define(Iso9001()),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST(QualityStandard, BadDefinitionsNameTheirFields) {
  v1::QualityStandardDefined bad = Iso9001();
  bad.clear_title();
  bad.mutable_requirements(1)->set_clause("7.5");
  bad.mutable_requirements(2)->clear_text();
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(ValidateStandard(bad)))
    fields.push_back(v.field);
  EXPECT_THAT(fields, UnorderedElementsAre("title", "requirements[1].clause",
                                           "requirements[2].text"));
  v1::QualityStandardDefined empty = Iso9001();
  empty.clear_requirements();
  EXPECT_EQ(FieldViolationsOf(ValidateStandard(empty))[0].field,
            "requirements");
}

}  // namespace
}  // namespace pmo::configuration
