#include "libs/base/log_line.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pmo {
namespace {

const absl::Time kAt =
    absl::FromUnixMillis(1803024000123);  // 2027-02-19T08:00:00.123Z

TEST(LogLine, TextIsKeyValueWithQuotesOnlyWhereNeeded) {
  EXPECT_EQ(
      FormatLogLine(LogFormat::kText, kAt, "info", "rpc",
                    {{"method", "/pmo.risks.v1.RisksService/IdentifyRisk"},
                     {"code", "INVALID_ARGUMENT"},
                     {"trace_id", ""},
                     {"error", "title: must not be empty"}}),
      "rpc method=/pmo.risks.v1.RisksService/IdentifyRisk "
      "code=INVALID_ARGUMENT "
      "error=\"title: must not be empty\"\n");
  EXPECT_EQ(FormatLogLine(LogFormat::kText, kAt, "warning", "topic",
                          {{"topic", "t"}}),
            "topic level=warning topic=t\n");
}

TEST(LogLine, JsonIsOneObjectPerLineWithEverythingEscaped) {
  EXPECT_EQ(
      FormatLogLine(LogFormat::kJson, kAt, "error", "rpc",
                    {{"code", "INTERNAL"},
                     {"skipped", ""},
                     {"error", "say \"no\"\\\n\x01"}}),
      "{\"time\":\"2027-02-19T08:00:00.123Z\",\"level\":\"error\",\"event\":"
      "\"rpc\","
      "\"code\":\"INTERNAL\",\"error\":\"say \\\"no\\\"\\\\\\n\\u0001\"}\n");
}

TEST(LogLine, TheFormatIsProcessWide) {
  EXPECT_EQ(CurrentLogFormat(), LogFormat::kText);
  SetLogFormat(LogFormat::kJson);
  EXPECT_EQ(CurrentLogFormat(), LogFormat::kJson);
  SetLogFormat(LogFormat::kText);
}

}  // namespace
}  // namespace pmo
