#include "libs/base/page_token.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace pmo {

PageRequest ReadPageRequest(FieldViolations& v, int64_t page_size,
                            const std::string& page_token,
                            absl::string_view list) {
  PageRequest page;
  if (page_size < 0 || page_size > kMaxPageSize) {
    v.Add("page_size", absl::StrCat("must be between 0 and ", kMaxPageSize));
  } else if (page_size > 0) {
    page.page_size = static_cast<int>(page_size);
  }
  if (page_token.empty()) return page;
  const std::string prefix = absl::StrCat(list, ":");
  std::string text;
  if (!absl::WebSafeBase64Unescape(page_token, &text) ||
      !absl::StartsWith(text, prefix) ||
      !absl::SimpleAtoi(absl::string_view(text).substr(prefix.size()),
                        &page.position) ||
      page.position < 0) {
    page.position = 0;
    v.Add("page_token", "is not a token this service issued");
  }
  return page;
}

std::string PageToken(absl::string_view list, int64_t position) {
  return absl::WebSafeBase64Escape(absl::StrCat(list, ":", position));
}

PageRange PageOf(const PageRequest& page, size_t total,
                 absl::string_view list) {
  PageRange range;
  range.begin = std::min(total, static_cast<size_t>(page.position));
  range.end =
      std::min(total, range.begin + static_cast<size_t>(page.page_size));
  if (range.end < total)
    range.next_page_token = PageToken(list, static_cast<int64_t>(range.end));
  return range;
}

}  // namespace pmo
