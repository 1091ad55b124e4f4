#include "tools/protodoc/proto_text.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.pb.h"

namespace pmo::protodoc {

namespace gp = google::protobuf;

absl::StatusOr<DescriptorSet> LoadDescriptorSet(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return absl::InvalidArgumentError(
        absl::StrCat("--descriptor_set: cannot read ", path));
  std::stringstream bytes;
  bytes << in.rdbuf();
  gp::FileDescriptorSet set;
  if (!set.ParseFromString(bytes.str())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--descriptor_set: ", path, " is not a FileDescriptorSet"));
  }
  DescriptorSet out;
  out.pool = std::make_unique<gp::DescriptorPool>();
  // protoc --include_imports writes every file after the files it imports,
  // so each one builds against those already in the pool.
  for (const gp::FileDescriptorProto& file : set.file()) {
    const gp::FileDescriptor* built = out.pool->BuildFile(file);
    out.files.push_back(built);
    if (built == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("--descriptor_set: ", path, ": ", file.name(),
                       " does not build (was it "
                       "written with --include_imports?)"));
    }
  }
  std::sort(out.files.begin(), out.files.end(),
            [](const auto* a, const auto* b) { return a->name() < b->name(); });
  return out;
}

namespace {

// One comment line without the single space protoc leaves after "//".
absl::string_view Unindent(absl::string_view line) {
  if (absl::StartsWith(line, " ")) line.remove_prefix(1);
  return absl::StripTrailingAsciiWhitespace(line);
}

// Paragraphs of a comment, each a list of lines.
std::vector<std::vector<std::string>> Paragraphs(absl::string_view comment) {
  std::vector<std::vector<std::string>> paragraphs(1);
  for (absl::string_view raw : absl::StrSplit(comment, '\n')) {
    std::string line(Unindent(raw));
    if (line.empty()) {
      if (!paragraphs.back().empty()) paragraphs.emplace_back();
      continue;
    }
    paragraphs.back().push_back(std::move(line));
  }
  if (paragraphs.back().empty()) paragraphs.pop_back();
  return paragraphs;
}

}  // namespace

std::string AsParagraphs(absl::string_view comment) {
  std::vector<std::string> out;
  for (const auto& lines : Paragraphs(comment)) {
    // "---- Baselines ----" heads a group of messages in a .proto file.
    if (lines.size() == 1 && absl::StartsWith(lines[0], "---- ") &&
        absl::EndsWith(lines[0], " ----")) {
      absl::string_view title = lines[0];
      title.remove_prefix(5);
      title.remove_suffix(5);
      out.push_back(absl::StrCat("**", title, "**"));
      continue;
    }
    // Indented lines are a diagram or an example: Markdown would join them,
    // so they keep their shape in a code block.
    const bool indented = std::any_of(
        lines.begin(), lines.end(),
        [](const std::string& line) { return absl::StartsWith(line, "  "); });
    if (indented) {
      out.push_back(
          absl::StrCat("```text\n", absl::StrJoin(lines, "\n"), "\n```"));
      continue;
    }
    out.push_back(absl::StrJoin(lines, "\n"));
  }
  return absl::StrJoin(out, "\n\n");
}

std::string AsCell(absl::string_view comment) {
  std::vector<std::string> out;
  for (const auto& lines : Paragraphs(comment)) {
    std::vector<std::string> trimmed;
    trimmed.reserve(lines.size());
    for (const std::string& line : lines) {
      trimmed.emplace_back(absl::StripAsciiWhitespace(line));
    }
    out.push_back(
        absl::StrReplaceAll(absl::StrJoin(trimmed, " "), {{"|", "\\|"}}));
  }
  return out.empty() ? "—" : absl::StrJoin(out, "<br>");
}

std::string NameFrom(absl::string_view full_name, absl::string_view package) {
  const std::string prefix = absl::StrCat(package, ".");
  if (!package.empty() && absl::StartsWith(full_name, prefix)) {
    return std::string(full_name.substr(prefix.size()));
  }
  return std::string(full_name);
}

std::string ContextOf(absl::string_view package) {
  std::vector<absl::string_view> parts = absl::StrSplit(package, '.');
  if (parts.size() != 3 || parts[0] != "pmo" || parts[2] != "v1") return "";
  return std::string(parts[1]);
}

std::string AnchorFor(absl::string_view full_name) {
  // Dots would do on GitHub, but not in every Markdown renderer.
  return absl::StrReplaceAll(absl::AsciiStrToLower(full_name), {{".", "-"}});
}

std::string LinkTo(absl::string_view text, absl::string_view full_name) {
  return absl::StrCat("[", text, "](#", AnchorFor(full_name), ")");
}

const std::string* NamedTypeOf(const gp::FieldDescriptor& field) {
  if (field.message_type() != nullptr)
    return &field.message_type()->full_name();
  if (field.enum_type() != nullptr) return &field.enum_type()->full_name();
  return nullptr;
}

std::string ScalarOrNamedType(const gp::FieldDescriptor& field,
                              absl::string_view package, bool linked) {
  const std::string* named = NamedTypeOf(field);
  if (named == nullptr) return field.type_name();
  const std::string name = NameFrom(*named, package);
  return linked ? LinkTo(name, *named) : name;
}

}  // namespace pmo::protodoc
