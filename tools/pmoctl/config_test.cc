#include "tools/pmoctl/config.h"

#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"

namespace pmoctl {
namespace {

using Env = std::map<std::string, std::string>;

auto Getenv(const Env& env) {
  return [env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    return it == env.end() ? std::nullopt
                           : std::optional<std::string>(it->second);
  };
}

TEST(ConfigFile, ReadsKeysIgnoresCommentsAndNamesTheBadLine) {
  auto parsed = ParseConfigFile(
      "# pmoctl\naddr = 10.0.0.1:50051  # prod\n\nprincipal=alice\n", "cfg");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->at("addr"), "10.0.0.1:50051");
  EXPECT_EQ(parsed->at("principal"), "alice");
  EXPECT_THAT(
      std::string(ParseConfigFile("a\nbogus\n", "cfg").status().message()),
      ::testing::HasSubstr("cfg:1: expected key = value"));
  EXPECT_THAT(
      std::string(ParseConfigFile("adress = x\n", "cfg").status().message()),
      ::testing::HasSubstr("cfg:1: unknown key 'adress'"));
}

TEST(ResolveSettings, FlagsBeatEnvironmentBeatsTheFileBeatsDefaults) {
  pmo::testing::TempDir dir;
  std::ofstream(dir.File("config"))
      << "addr = file:1\nprincipal = file-user\noutput = json\n"
         "timeout = 7\n";
  Env env = {{"PMOCTL_CONFIG", dir.File("config")},
             {"PMO_PRINCIPAL", "env-user"}};
  auto s = ResolveSettings({{"addr", "flag:2"}}, Getenv(env));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->addr, "flag:2");
  EXPECT_EQ(s->principal, "env-user");
  EXPECT_EQ(s->output, "json");
  EXPECT_EQ(s->timeout_seconds, 7);
  EXPECT_TRUE(s->timeout_given);
  EXPECT_EQ(s->config_file, dir.File("config"));

  auto defaults = ResolveSettings({}, Getenv({{"HOME", dir.File("nohome")}}));
  ASSERT_TRUE(defaults.ok()) << defaults.status();
  EXPECT_EQ(defaults->addr, "127.0.0.1:50051");
  EXPECT_EQ(defaults->principal, "");
  EXPECT_EQ(defaults->config_file, "");
  // The default deadline of a call, not a set one: a stream runs unbounded.
  EXPECT_EQ(defaults->timeout_seconds, 30);
  EXPECT_FALSE(defaults->timeout_given);
}

TEST(ResolveSettings, TheDefaultFileIsUnderXdgConfigHome) {
  pmo::testing::TempDir dir;
  std::filesystem::create_directories(dir.File("xdg/pmoctl"));
  std::ofstream(dir.File("xdg/pmoctl/config")) << "principal = xdg-user\n";
  auto s = ResolveSettings({}, Getenv({{"XDG_CONFIG_HOME", dir.File("xdg")}}));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->principal, "xdg-user");
}

TEST(ResolveSettings, RefusesANamedFileThatIsMissingAndBadValues) {
  EXPECT_FALSE(
      ResolveSettings({{"config", "/nonexistent/pmoctl"}}, Getenv({})).ok());
  EXPECT_FALSE(ResolveSettings({{"output", "yaml"}}, Getenv({})).ok());
  EXPECT_FALSE(ResolveSettings({{"timeout", "soon"}}, Getenv({})).ok());
}

TEST(ResolveSettings, TlsFilesAndTheBearerTokenFromFileOrEnvironment) {
  pmo::testing::TempDir dir;
  std::ofstream(dir.File("token")) << "eyJhbGciOiJSUzI1NiJ9.e30.c2ln\n";
  std::ofstream(dir.File("config"))
      << "tls-ca = /etc/pmo/ca.pem\ntoken-file = " << dir.File("token") << "\n";
  auto s = ResolveSettings({{"tls-cert", "c.pem"}, {"tls-key", "k.pem"}},
                           Getenv({{"PMOCTL_CONFIG", dir.File("config")}}));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->security.tls_ca_file, "/etc/pmo/ca.pem");
  EXPECT_EQ(s->security.tls_cert_file, "c.pem");
  EXPECT_TRUE(s->security.UsesTls());
  EXPECT_EQ(s->security.bearer_token, "eyJhbGciOiJSUzI1NiJ9.e30.c2ln");

  auto from_env = ResolveSettings({}, Getenv({{"PMO_TOKEN", "a.b.c"}}));
  ASSERT_TRUE(from_env.ok()) << from_env.status();
  EXPECT_EQ(from_env->security.bearer_token, "a.b.c");
  EXPECT_FALSE(from_env->security.UsesTls());
}

TEST(ResolveSettings,
     RefusesACertificateWithoutItsKeyAndAnUnreadableTokenFile) {
  EXPECT_THAT(std::string(ResolveSettings({{"tls-cert", "c.pem"}}, Getenv({}))
                              .status()
                              .message()),
              ::testing::HasSubstr("tls-cert and tls-key"));
  EXPECT_THAT(
      std::string(
          ResolveSettings({{"token-file", "/nonexistent/token"}}, Getenv({}))
              .status()
              .message()),
      ::testing::HasSubstr("token-file: cannot read /nonexistent/token"));
}

}  // namespace
}  // namespace pmoctl
