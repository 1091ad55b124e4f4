#include "libs/operability/testing/https_get.h"

#include <curl/curl.h>

namespace pmo::testing {
namespace {

size_t Append(char* data, size_t size, size_t count, void* into) {
  static_cast<std::string*>(into)->append(data, size * count);
  return size * count;
}

// One request; `ca_file` empty for plain HTTP.
HttpAnswer Perform(const std::string& url, const std::string& method,
                   const std::vector<std::string>& headers,
                   const std::string& ca_file) {
  HttpAnswer answer;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    answer.error = "curl_easy_init failed";
    return answer;
  }
  curl_slist* header_list = nullptr;
  for (const std::string& header : headers) {
    header_list = curl_slist_append(header_list, header.c_str());
  }
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
  if (!ca_file.empty()) {
    curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file.c_str());
    // Only the given CA: never the system's trust store.
    curl_easy_setopt(curl, CURLOPT_CAPATH, nullptr);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  }
  if (method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, Append);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &answer.head);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer.body);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_FORBID_REUSE, 1L);
  const CURLcode result = curl_easy_perform(curl);
  if (result == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    answer.status = static_cast<int>(status);
    // The header callback saw every line with its "\r\n", the blank one last.
    while (!answer.head.empty() &&
           (answer.head.back() == '\n' || answer.head.back() == '\r')) {
      answer.head.pop_back();
    }
  } else {
    answer.error = error[0] != '\0' ? error : curl_easy_strerror(result);
    answer.head.clear();
    answer.body.clear();
  }
  curl_slist_free_all(header_list);
  curl_easy_cleanup(curl);
  return answer;
}

}  // namespace

HttpAnswer HttpGet(int port, const std::string& target,
                   const std::vector<std::string>& headers,
                   const std::string& method) {
  return Perform("http://127.0.0.1:" + std::to_string(port) + target, method,
                 headers, "");
}

HttpsAnswer HttpsGet(int port, const std::string& path,
                     const std::string& ca_file,
                     const std::vector<std::string>& headers) {
  return Perform("https://127.0.0.1:" + std::to_string(port) + path, "GET",
                 headers, ca_file);
}

}  // namespace pmo::testing
