#pragma once

// What the generators need from a descriptor besides its shape: the
// comments written beside it in the .proto file, turned into Markdown, and
// field types spelled the way the .proto spells them. Comments exist only
// in descriptors built with source info (protoc --include_source_info);
// the descriptors linked into a binary carry none.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace pmo::protodoc {

// The files of a FileDescriptorSet (protoc --include_imports
// --include_source_info --descriptor_set_out), built into a pool of their
// own.
struct DescriptorSet {
  std::unique_ptr<google::protobuf::DescriptorPool> pool;
  // Every file of the set, imports included, sorted by name.
  std::vector<const google::protobuf::FileDescriptor*> files;
};

// INVALID_ARGUMENT naming the file when it does not parse or a file in it
// does not build.
absl::StatusOr<DescriptorSet> LoadDescriptorSet(const std::string& path);

// The comment above (and after) a descriptor, "" when there is none. Lines
// keep their breaks; a blank comment line separates paragraphs.
template <typename Descriptor>
std::string CommentOf(const Descriptor& d) {
  google::protobuf::SourceLocation loc;
  if (!d.GetSourceLocation(&loc)) return "";
  std::string text = loc.leading_comments;
  if (!loc.trailing_comments.empty()) {
    if (!text.empty()) text += "\n";
    text += loc.trailing_comments;
  }
  return text;
}

// The comments separated by a blank line above a descriptor: the file's
// introduction when `d` is the first message of its file.
template <typename Descriptor>
std::string DetachedCommentsOf(const Descriptor& d) {
  google::protobuf::SourceLocation loc;
  if (!d.GetSourceLocation(&loc)) return "";
  std::string text;
  for (const std::string& block : loc.leading_detached_comments) {
    if (!text.empty()) text += "\n\n";
    text += block;
  }
  return text;
}

// A raw comment as Markdown paragraphs: the one space after "//" dropped,
// lines kept (Markdown joins them); a paragraph with indented lines (a
// diagram) in a code block; a "---- Group ----" line in bold.
std::string AsParagraphs(absl::string_view comment);

// A raw comment on one line for a table cell: paragraphs joined by <br>,
// '|' escaped. "" becomes "—" (no comment), so gaps show.
std::string AsCell(absl::string_view comment);

// The field's type as written in the .proto: "string", "repeated
// pmo.projects.v1.Task", "map<string, int64>", "optional int32". Message
// and enum names are linked (Markdown, to `#full.name`) when `link` says
// the type has a section in the same document.
template <typename LinkPredicate>
std::string TypeOf(const google::protobuf::FieldDescriptor& field,
                   absl::string_view package, const LinkPredicate& link);

// The name of a message or enum as a reader of `package` would write it:
// the short name inside the package, the full name outside it.
std::string NameFrom(absl::string_view full_name, absl::string_view package);

// `pmo.<context>.v1` -> `<context>`; "" for any other package.
std::string ContextOf(absl::string_view package);

// The anchor a type's section carries, and a Markdown link to it.
std::string AnchorFor(absl::string_view full_name);
std::string LinkTo(absl::string_view text, absl::string_view full_name);

// --- implementation of the template ---------------------------------------

std::string ScalarOrNamedType(const google::protobuf::FieldDescriptor& field,
                              absl::string_view package, bool linked);
const std::string* NamedTypeOf(const google::protobuf::FieldDescriptor& field);

template <typename LinkPredicate>
std::string TypeOf(const google::protobuf::FieldDescriptor& field,
                   absl::string_view package, const LinkPredicate& link) {
  auto one = [&](const google::protobuf::FieldDescriptor& f) {
    const std::string* named = NamedTypeOf(f);
    return ScalarOrNamedType(f, package, named != nullptr && link(*named));
  };
  if (field.is_map()) {
    const google::protobuf::Descriptor* entry = field.message_type();
    // "\<": a bare "<" could open an HTML tag in Markdown.
    return "map\\<" + one(*entry->map_key()) + ", " + one(*entry->map_value()) +
           ">";
  }
  std::string type = one(field);
  if (field.is_repeated()) return "repeated " + type;
  if (field.has_optional_keyword()) return "optional " + type;
  return type;
}

}  // namespace pmo::protodoc
