#include "tools/pmoctl/cli.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <set>
#include <sstream>

#include "absl/strings/str_join.h"

namespace pmoctl {
namespace {

// Options every command takes; they pick the server and the output.
const std::vector<Option>& GlobalOptions() {
  static const auto* options = new std::vector<Option>{
      {"addr", "HOST:PORT",
       "server address ($PMO_ADDR; default 127.0.0.1:50051)"},
      {"principal", "NAME",
       "act as NAME: sends x-pmo-principal ($PMO_PRINCIPAL)"},
      {"output", "table|json",
       "table for people (default), json for scripts ($PMOCTL_OUTPUT)"},
      {"config", "FILE",
       "config file ($PMOCTL_CONFIG; default ~/.config/pmoctl/config)"},
      {"timeout", "SECONDS",
       "deadline of each call ($PMOCTL_TIMEOUT; default 30)"},
      {"tls-ca", "FILE",
       "use TLS, trusting these CA certificates ($PMO_TLS_CA)"},
      {"tls-cert", "FILE",
       "mutual TLS: this client's certificate ($PMO_TLS_CERT)"},
      {"tls-key", "FILE",
       "mutual TLS: this client's private key ($PMO_TLS_KEY)"},
      {"token-file", "FILE",
       "send the bearer JWT in FILE ($PMO_TOKEN_FILE, or $PMO_TOKEN)"},
  };
  return *options;
}

constexpr char kTail[] = R"(
Settings come from the flags, then the environment, then the config file
(lines `key = value`; keys addr, principal, output, timeout, tls-ca,
tls-cert, tls-key, token-file).

Exit codes: 0 done; 1 the server refused the request (invalid argument,
failed precondition, already exists); 2 wrong usage, nothing sent;
3 server unreachable or deadline exceeded (retrying may help); 4 not found;
5 version conflict (re-read and retry); 6 unauthenticated or denied.

Shell completion: source <(pmoctl completion bash)
)";

std::string Synopsis(const Command& c) {
  std::string s = "pmoctl " + c.group + (c.name.empty() ? "" : " " + c.name);
  for (const std::string& a : c.args) s += " " + a;
  for (const Option& o : c.options) {
    std::string text =
        "--" + o.name + (o.value_name.empty() ? "" : " " + o.value_name);
    if (o.repeated) text += "...";
    s += o.required ? " " + text : " [" + text + "]";
  }
  return s;
}

void PrintOptions(std::ostream& out, const std::vector<Option>& options) {
  for (const Option& o : options) {
    std::string left =
        "  --" + o.name + (o.value_name.empty() ? "" : " " + o.value_name);
    std::string help = o.help;
    if (o.required) help += " (required)";
    if (o.repeated) help += " (repeatable)";
    out << left << std::string(left.size() < 30 ? 30 - left.size() : 2, ' ')
        << help << "\n";
  }
}

void PrintTopHelp(std::ostream& out, const std::vector<Command>& commands) {
  out << "usage: pmoctl [global options] GROUP COMMAND [ARGS] [--options]\n\n"
         "A command-line client of the PMO platform. `pmoctl GROUP --help` "
         "lists a\n"
         "group's commands, `pmoctl GROUP COMMAND --help` a command's "
         "options.\n\n"
         "commands:\n";
  Table table({"", "", ""});
  for (const Command& c : commands)
    table.Add({"  " + c.group, c.name, c.summary});
  std::ostringstream text;
  table.Print(text);
  // Drop the empty header line.
  out << text.str().substr(text.str().find('\n') + 1);
  out << "  completion   bash   print the bash completion script\n\nglobal "
         "options:\n";
  PrintOptions(out, GlobalOptions());
  out << kTail;
}

void PrintGroupHelp(std::ostream& out, const std::vector<Command>& commands,
                    const std::string& group) {
  out << "usage: pmoctl " << group
      << " COMMAND [ARGS] [--options]\n\ncommands:\n";
  for (const Command& c : commands) {
    if (c.group == group)
      out << "  " << Synopsis(c) << "\n      " << c.summary << "\n";
  }
  out << "\nglobal options: see pmoctl --help\n";
}

void PrintCommandHelp(std::ostream& out, const Command& c) {
  out << "usage: " << Synopsis(c) << "\n\n" << c.summary << "\n";
  std::vector<Option> options = c.options;
  // Every command takes it; it matters for those that change something.
  options.push_back({"request-id", "ID",
                     "retry-safe id of the change (default: a new UUID)"});
  out << "\noptions:\n";
  PrintOptions(out, options);
  out << "\nglobal options: see pmoctl --help\n";
}

const Option* FindOption(const std::vector<Option>& options,
                         const std::string& name) {
  for (const Option& o : options) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

int Usage(const std::string& text, const std::string& hint) {
  std::fprintf(stderr, "pmoctl: %s\n%s", text.c_str(), hint.c_str());
  return kExitUsage;
}

}  // namespace

std::vector<Command> AllCommands() {
  std::vector<Command> all;
  AddProjectCommands(&all);
  AddPortfolioCommands(&all);
  AddResourceCommands(&all);
  AddRiskCommands(&all);
  AddConfigurationCommands(&all);
  AddChangeControlCommands(&all);
  AddDocumentCommands(&all);
  AddLibraryCommands(&all);
  AddQualityCommands(&all);
  AddToolCommands(&all);
  AddReportCommands(&all);
  AddCommunicationCommands(&all);
  AddDemoCommands(&all);
  return all;
}

int RunCli(const std::vector<std::string>& argv) {
  const std::vector<Command> commands = AllCommands();
  std::map<std::string, std::string> globals;
  std::multimap<std::string, std::string> options;
  std::vector<std::string> words;  // group, command, positional arguments
  const Command* command = nullptr;
  bool help = false;
  // A group of one command (pmoctl demo) has it nameless: the group word
  // alone names it.
  auto find_command = [&]() -> const Command* {
    for (const Command& c : commands) {
      if (c.group != words[0]) continue;
      if (c.name.empty() || (words.size() >= 2 && c.name == words[1]))
        return &c;
    }
    return nullptr;
  };
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "-h" || a == "--help") {
      help = true;
      continue;
    }
    if (a.rfind("--", 0) != 0 || a == "--") {
      words.push_back(a);
      if (words.size() == 1 || (words.size() == 2 && !command))
        command = find_command();
      continue;
    }
    std::string name = a.substr(2), value;
    bool inline_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    const Option* global = FindOption(GlobalOptions(), name);
    const Option* own = command ? FindOption(command->options, name) : nullptr;
    if (!global && !own && name != "request-id") {
      return Usage(
          "unknown option --" + name +
              (command ? " for " + command->group + " " + command->name : ""),
          "see pmoctl --help\n");
    }
    const bool takes_value =
        global || name == "request-id" || !own->value_name.empty();
    if (takes_value && !inline_value) {
      if (i + 1 >= argv.size())
        return Usage("--" + name + " needs a value", "");
      value = argv[++i];
    }
    if (global) {
      globals[name] = value;
    } else {
      options.emplace(name, value);
    }
  }

  if (!words.empty() && words[0] == "completion") {
    if (words.size() == 2 && words[1] == "bash") {
      std::cout << BashCompletion(commands);
      return kExitOk;
    }
    return Usage("completion supports: bash",
                 "usage: pmoctl completion bash\n");
  }
  std::set<std::string> groups;
  for (const Command& c : commands) groups.insert(c.group);
  if (words.empty()) {
    if (help) {
      PrintTopHelp(std::cout, commands);
      return kExitOk;
    }
    PrintTopHelp(std::cerr, commands);
    return kExitUsage;
  }
  if (!groups.count(words[0])) {
    return Usage("unknown command group '" + words[0] + "'",
                 "see pmoctl --help\n");
  }
  if (!command) {
    if (help && words.size() == 1) {
      PrintGroupHelp(std::cout, commands, words[0]);
      return kExitOk;
    }
    if (words.size() >= 2)
      std::fprintf(stderr, "pmoctl: unknown command '%s'\n", words[1].c_str());
    PrintGroupHelp(std::cerr, commands, words[0]);
    return kExitUsage;
  }
  if (help) {
    PrintCommandHelp(std::cout, *command);
    return kExitOk;
  }
  std::vector<std::string> args(words.begin() + (command->name.empty() ? 1 : 2),
                                words.end());
  const std::string hint = "usage: " + Synopsis(*command) + "\n";
  if (args.size() != command->args.size()) {
    return Usage(absl::StrCat(command->group, command->name.empty() ? "" : " ",
                              command->name, " takes ", command->args.size(),
                              " argument(s), got ", args.size()),
                 hint);
  }
  for (const Option& o : command->options) {
    if (o.required && !options.count(o.name))
      return Usage("--" + o.name + " is required", hint);
    if (!o.repeated && options.count(o.name) > 1) {
      return Usage("--" + o.name + " given more than once", hint);
    }
  }
  auto settings = ResolveSettings(globals, [](const std::string& name) {
    const char* v = std::getenv(name.c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
  });
  if (!settings.ok())
    return Usage(std::string(settings.status().message()), "");
  Session session(*settings, std::cout);
  return command->run(session, Invocation(std::move(args), std::move(options)));
}

std::string BashCompletion(const std::vector<Command>& commands) {
  std::set<std::string> groups = {"completion"};
  std::set<std::string> valued;
  for (const Option& o : GlobalOptions()) valued.insert("--" + o.name);
  valued.insert("--request-id");
  std::string cases;
  std::map<std::string, std::vector<std::string>> by_group;
  for (const Command& c : commands) {
    groups.insert(c.group);
    by_group[c.group].push_back(c.name);
    std::vector<std::string> names = {"--request-id"};
    for (const Option& o : c.options) {
      names.push_back("--" + o.name);
      if (!o.value_name.empty()) valued.insert("--" + o.name);
    }
    cases += "    \"" + c.group + " " + c.name + "\") opts=\"" +
             absl::StrJoin(names, " ") + "\" ;;\n";
  }
  std::string group_cases;
  for (const auto& [group, names] : by_group) {
    group_cases +=
        "      " + group + ") words=\"" + absl::StrJoin(names, " ") + "\" ;;\n";
  }
  std::vector<std::string> globals;
  for (const Option& o : GlobalOptions()) globals.push_back("--" + o.name);
  globals.push_back("--help");
  // Words before the cursor that are neither options nor option values are
  // the group and the command.
  return "# bash completion for pmoctl: source <(pmoctl completion bash)\n"
         "_pmoctl() {\n"
         "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" "
         "prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
         "  local valued=\" " +
         absl::StrJoin(valued, " ") +
         " \"\n"
         "  local globals=\"" +
         absl::StrJoin(globals, " ") +
         "\"\n"
         "  local -a found=()\n"
         "  local i w\n"
         "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "    w=\"${COMP_WORDS[i]}\"\n"
         "    if [[ $w == --* ]]; then\n"
         "      [[ $w != *=* && $valued == *\" $w \"* ]] && ((i++))\n"
         "    else\n"
         "      found+=(\"$w\")\n"
         "    fi\n"
         "  done\n"
         "  if [[ $prev == --output ]]; then COMPREPLY=($(compgen -W \"table "
         "json\" -- \"$cur\")); return; fi\n"
         "  if [[ $prev == --* && $valued == *\" $prev \"* ]]; then "
         "COMPREPLY=(); return; fi\n"
         "  local words=\"\" opts=\"\"\n"
         "  case \"${found[0]} ${found[1]}\" in\n" +
         cases +
         "  esac\n"
         "  if [[ $cur == -* ]]; then\n"
         "    COMPREPLY=($(compgen -W \"$opts $globals\" -- \"$cur\")); "
         "return\n"
         "  fi\n"
         "  if ((${#found[@]} == 0)); then\n"
         "    words=\"" +
         absl::StrJoin(groups, " ") +
         "\"\n"
         "  elif ((${#found[@]} == 1)); then\n"
         "    case \"${found[0]}\" in\n" +
         group_cases +
         "      completion) words=\"bash\" ;;\n"
         "    esac\n"
         "  fi\n"
         "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
         "}\n"
         "complete -F _pmoctl pmoctl\n";
}

}  // namespace pmoctl
