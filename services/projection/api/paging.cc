#include "services/projection/api/paging.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace pmo::projection {

PageRequest ReadPage(FieldViolations& v, int32_t page_size, const std::string& page_token,
                     absl::string_view list) {
  PageRequest page;
  if (page_size < 0 || page_size > 1000) v.Add("page_size", "must be between 0 and 1000");
  if (page_size > 0) page.page_size = page_size;
  if (!page_token.empty()) {
    const std::string prefix = absl::StrCat(list, "-offset:");
    std::string text;
    if (!absl::WebSafeBase64Unescape(page_token, &text) || !absl::StartsWith(text, prefix) ||
        !absl::SimpleAtoi(text.substr(prefix.size()), &page.offset) || page.offset < 0) {
      v.Add("page_token", "is not a token this service issued");
    }
  }
  return page;
}

PageRange PageOf(const PageRequest& page, size_t total, absl::string_view list) {
  PageRange range;
  range.begin = std::min(total, static_cast<size_t>(page.offset));
  range.end = std::min(total, range.begin + static_cast<size_t>(page.page_size));
  if (range.end < total) {
    range.next_page_token = absl::WebSafeBase64Escape(absl::StrCat(list, "-offset:", range.end));
  }
  return range;
}

}  // namespace pmo::projection
