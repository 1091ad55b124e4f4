#include "tests/support/test_pki.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "absl/strings/str_cat.h"

namespace pmo::testing {
namespace {

absl::Status Run(const std::string& command, const std::string& log) {
  const std::string line = absl::StrCat(command, " >", log, " 2>&1");
  if (std::system(line.c_str()) != 0) {
    std::ifstream in(log);
    std::string output((std::istreambuf_iterator<char>(in)),
                       std::istreambuf_iterator<char>());
    return absl::InternalError(
        absl::StrCat("`", command, "` failed: ", output));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<TestPki> MakeTestPki(const std::string& dir,
                                    const std::string& prefix) {
  const std::string p = absl::StrCat(dir, "/", prefix);
  TestPki pki{p + "ca.pem", p + "server.pem", p + "server-key.pem",
              p + "client.pem", p + "client-key.pem"};
  const std::string log = p + "openssl.log";
  const std::string ec =
      "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  if (absl::Status s = Run(
          absl::StrCat("openssl req -x509 ", ec, " -keyout ", p, "ca-key.pem",
                       " -out ", pki.ca_cert, " -days 2 -subj /CN=pmo-test-ca"),
          log);
      !s.ok()) {
    return s;
  }
  for (const auto& [name, cert, key, ext] :
       {std::tuple{"pmo-server", pki.server_cert, pki.server_key,
                   "subjectAltName=IP:127.0.0.1,DNS:localhost"},
        std::tuple{"pmo-client", pki.client_cert, pki.client_key,
                   "extendedKeyUsage=clientAuth"}}) {
    const std::string csr = key + ".csr";
    const std::string ext_file = key + ".ext";
    std::ofstream(ext_file) << ext << "\n";
    if (absl::Status s = Run(absl::StrCat("openssl req ", ec, " -keyout ", key,
                                          " -out ", csr, " -subj /CN=", name),
                             log);
        !s.ok()) {
      return s;
    }
    if (absl::Status s =
            Run(absl::StrCat("openssl x509 -req -in ", csr, " -CA ",
                             pki.ca_cert, " -CAkey ", p,
                             "ca-key.pem -CAcreateserial -days 2 -out ", cert,
                             " -extfile ", ext_file),
                log);
        !s.ok()) {
      return s;
    }
  }
  return pki;
}

void RenewFile(const std::string& path, const std::string& content) {
  std::ofstream(path + ".new", std::ios::binary) << content;
  std::filesystem::rename(path + ".new", path);
}

void RenewFileFrom(const std::string& path, const std::string& from) {
  std::ifstream in(from, std::ios::binary);
  RenewFile(path, std::string(std::istreambuf_iterator<char>(in),
                              std::istreambuf_iterator<char>()));
}

}  // namespace pmo::testing
