#include "libs/base/log_line.h"

#include <atomic>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "libs/base/json_text.h"

namespace pmo {
namespace {

std::atomic<LogFormat> format_{LogFormat::kText};

// A text value is quoted when a reader could not tell where it ends.
void AppendTextValue(std::string& out, absl::string_view s) {
  if (s.find_first_of(" \"=\n\t") == absl::string_view::npos) {
    out.append(s.data(), s.size());
    return;
  }
  AppendJsonQuoted(out, s);
}

}  // namespace

void SetLogFormat(LogFormat format) { format_ = format; }
LogFormat CurrentLogFormat() { return format_.load(); }

std::string FormatLogLine(LogFormat format, absl::Time time,
                          absl::string_view level, absl::string_view event,
                          const LogFields& fields) {
  std::string out;
  if (format == LogFormat::kText) {
    out.append(event.data(), event.size());
    if (level != "info") absl::StrAppend(&out, " level=", level);
    for (const auto& [key, value] : fields) {
      if (value.empty()) continue;
      absl::StrAppend(&out, " ", key, "=");
      AppendTextValue(out, value);
    }
  } else {
    out = "{\"time\":";
    AppendJsonQuoted(out, absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", time,
                                           absl::UTCTimeZone()));
    out += ",\"level\":";
    AppendJsonQuoted(out, level);
    out += ",\"event\":";
    AppendJsonQuoted(out, event);
    for (const auto& [key, value] : fields) {
      if (value.empty()) continue;
      out.push_back(',');
      AppendJsonQuoted(out, key);
      out.push_back(':');
      AppendJsonQuoted(out, value);
    }
    out.push_back('}');
  }
  out.push_back('\n');
  return out;
}

void LogLine(absl::string_view level, absl::string_view event,
             const LogFields& fields) {
  const std::string line =
      FormatLogLine(CurrentLogFormat(), absl::Now(), level, event, fields);
  // One write per record, so lines from threads do not interleave.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace pmo
