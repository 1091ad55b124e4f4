#include "libs/base/text_checks.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pmo {
namespace {

std::vector<std::string> Problems(const FieldViolations& v) {
  std::vector<std::string> out;
  for (const FieldViolation& f : v.violations())
    out.push_back(f.field + ": " + f.description);
  return out;
}

TEST(TextChecksTest, OneWordingForEveryProblem) {
  FieldViolations v;
  CheckText(v, "name", "   ", 10);
  CheckText(v, "code", "ELEVEN-CHARS", 10);
  CheckText(v, "title", "two\nlines", 100);
  CheckText(v, "reason", "a\x01", 100, TextKind::kMultiline);
  EXPECT_THAT(Problems(v),
              ::testing::ElementsAre(
                  "name: is required", "code: must be at most 10 characters",
                  "title: must be one line without control characters",
                  "reason: must not hold control characters other than tab and "
                  "line breaks"));
}

TEST(TextChecksTest, GoodTextPasses) {
  FieldViolations v;
  CheckText(v, "name", "Zoë Müller", 20);
  CheckText(v, "notes", "first line\r\n\tsecond", 100, TextKind::kMultiline);
  CheckOptionalText(v, "comment", "", 10);
  CheckText(v, "exact", "1234567890", 10);
  EXPECT_TRUE(v.empty()) << v.ToStatus();
}

TEST(TextChecksTest, ControlCharactersOfEveryKind) {
  EXPECT_TRUE(HasControlCharacter(std::string("a\0b", 3)));
  EXPECT_TRUE(HasControlCharacter("del\x7f"));
  EXPECT_TRUE(HasControlCharacter("c1 \xc2\x85"));      // NEL
  EXPECT_TRUE(HasControlCharacter("ls \xe2\x80\xa8"));  // U+2028
  EXPECT_TRUE(HasControlCharacter("ps \xe2\x80\xa9",
                                  true));  // not a line break we allow
  EXPECT_FALSE(HasControlCharacter("dash \xe2\x80\x94"));  // U+2014 is text
  EXPECT_FALSE(HasControlCharacter("é \xc2\xa0"));         // U+00A0 is text
  EXPECT_TRUE(HasControlCharacter("tab\t"));
  EXPECT_FALSE(HasControlCharacter("tab\t", true));
}

}  // namespace
}  // namespace pmo
