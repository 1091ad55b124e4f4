#include "libs/base/page_token.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pmo {
namespace {

std::vector<std::string> Fields(const FieldViolations& v) {
  std::vector<std::string> out;
  for (const FieldViolation& f : v.violations()) out.push_back(f.field);
  return out;
}

TEST(PageTokenTest, ATokenResumesItsListWhereItSaid) {
  FieldViolations v;
  const PageRequest first = ReadPageRequest(v, 0, "", "tools");
  EXPECT_EQ(first.position, 0);
  EXPECT_EQ(first.page_size, kDefaultPageSize);
  const PageRequest next =
      ReadPageRequest(v, 25, PageToken("tools", 250), "tools");
  EXPECT_EQ(next.position, 250);
  EXPECT_EQ(next.page_size, 25);
  EXPECT_TRUE(v.empty());
}

TEST(PageTokenTest, ForeignAndForgedTokensAndBadSizesAreNamed) {
  for (const std::string& token :
       {PageToken("audits", 10), std::string("forged"), std::string("MTA"),
        PageToken("tools", -1)}) {
    FieldViolations v;
    const PageRequest page = ReadPageRequest(v, 10, token, "tools");
    EXPECT_THAT(Fields(v), ::testing::ElementsAre("page_token")) << token;
    EXPECT_EQ(page.position, 0);
  }
  FieldViolations v;
  ReadPageRequest(v, kMaxPageSize + 1, "", "tools");
  ReadPageRequest(v, -1, "", "tools");
  EXPECT_THAT(Fields(v), ::testing::ElementsAre("page_size", "page_size"));
}

}  // namespace
}  // namespace pmo
