#pragma once

// One log record per line on stderr, as text for people or as JSON for log
// collectors (the format is chosen once at start, e.g. by --log_format in
// libs/operability):
//
//   text: rpc method=/pmo.risks.v1.RisksService/IdentifyRisk code=OK ms=1.2
//   json: {"time":"2027-03-01T10:00:00.000Z","level":"info","event":"rpc",
//          "method":"/pmo.risks.v1.RisksService/IdentifyRisk","code":"OK","ms":"1.2"}
//
// Fields are strings; an empty value is left out. Never pass a credential.

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace pmo {

enum class LogFormat { kText, kJson };

using LogFields = std::vector<std::pair<std::string, std::string>>;

// Process-wide; kText until set. Call before threads start logging.
void SetLogFormat(LogFormat format);
LogFormat CurrentLogFormat();

// The line LogLine writes (with its '\n'), for tests.
std::string FormatLogLine(LogFormat format, absl::Time time,
                          absl::string_view level, absl::string_view event,
                          const LogFields& fields);

// Writes one record to stderr in the current format; `level` is info,
// warning or error.
void LogLine(absl::string_view level, absl::string_view event,
             const LogFields& fields);

}  // namespace pmo
