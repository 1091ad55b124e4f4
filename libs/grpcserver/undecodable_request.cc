#include "libs/grpcserver/undecodable_request.h"

#include <grpc/byte_buffer_reader.h>
#include <grpc/slice.h>

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/stubs/common.h"
#include "google/protobuf/unknown_field_set.h"
#include "libs/base/errors.h"

namespace pmo::grpcserver {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::UnknownField;
using google::protobuf::UnknownFieldSet;

std::optional<std::string> BytesOf(grpc_byte_buffer* buffer) {
  grpc_byte_buffer_reader reader;
  if (!grpc_byte_buffer_reader_init(&reader, buffer)) return std::nullopt;
  grpc_slice slice = grpc_byte_buffer_reader_readall(&reader);
  std::string out(reinterpret_cast<const char*>(GRPC_SLICE_START_PTR(slice)),
                  GRPC_SLICE_LENGTH(slice));
  grpc_slice_unref(slice);
  grpc_byte_buffer_reader_destroy(&reader);
  return out;
}

// Walks the wire format against the descriptor. Returns the path of the
// first string field that is not UTF-8; "" if `bytes` is not wire format;
// nullopt if nothing unreadable was found.
std::optional<std::string> UnreadableField(
    const google::protobuf::Descriptor& type, const std::string& bytes,
    const std::string& prefix, int depth) {
  UnknownFieldSet fields;
  if (depth > 32 || !fields.ParseFromString(bytes)) return prefix;
  for (int i = 0; i < fields.field_count(); ++i) {
    const UnknownField& wire = fields.field(i);
    const FieldDescriptor* field = type.FindFieldByNumber(wire.number());
    if (field == nullptr || wire.type() != UnknownField::TYPE_LENGTH_DELIMITED)
      continue;
    const std::string path = prefix.empty()
                                 ? field->name()
                                 : absl::StrCat(prefix, ".", field->name());
    if (field->type() == FieldDescriptor::TYPE_STRING &&
        !google::protobuf::internal::IsStructurallyValidUTF8(
            wire.length_delimited())) {
      return path;
    }
    if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
      std::optional<std::string> inner = UnreadableField(
          *field->message_type(), wire.length_delimited(), path, depth + 1);
      if (inner) return inner;
    }
  }
  return std::nullopt;
}

}  // namespace

absl::Status UndecodableRequestError(const google::protobuf::Descriptor& type,
                                     grpc_byte_buffer* received) {
  std::optional<std::string> bytes = BytesOf(received);
  std::optional<std::string> field;
  if (bytes) field = UnreadableField(type, *bytes, "", 0);
  if (field && !field->empty()) {
    FieldViolations v;
    v.Add(*field, "is not valid UTF-8 (a string field must hold UTF-8 text)");
    return v.ToStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("request: the bytes received are not a ", type.full_name(),
                   " (not protobuf, or a field of the wrong type)"));
}

}  // namespace pmo::grpcserver
