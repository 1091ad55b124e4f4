#include "fuzz/fuzz_seeds.h"

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "absl/strings/match.h"
#include "google/protobuf/message.h"

namespace pmo::fuzz {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr char kUuid[] = "0f8fad5b-d9cb-469f-a165-70867728950e";

std::string StringFor(const FieldDescriptor& f) {
  const std::string& name = f.name();
  if (name == "request_id") return "seed-request";
  if (absl::EndsWith(name, "_id")) return kUuid;
  if (name == "code") return "SEED-1";
  if (absl::StrContains(name, "token")) return "";
  return "Seed";
}

int64_t IntFor(const FieldDescriptor& f) {
  const std::string& name = f.name();
  if (name == "year") return 2027;
  if (name == "month") return 1;
  if (name == "day") return 4;
  if (name == "page_size") return 10;
  if (absl::StrContains(name, "version")) return 1;
  return 1;
}

void Fill(Message& m, int depth) {
  const Reflection& r = *m.GetReflection();
  const google::protobuf::Descriptor& d = *m.GetDescriptor();
  if (d.full_name() == "google.protobuf.Timestamp") {
    r.SetInt64(&m, d.FindFieldByName("seconds"), 1800000000);
    return;
  }
  for (int i = 0; i < d.field_count(); ++i) {
    const FieldDescriptor& f = *d.field(i);
    if (f.containing_oneof() && f.index_in_oneof() != 0)
      continue;  // one per oneof
    const bool repeated = f.is_repeated();
    switch (f.cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        repeated ? r.AddString(&m, &f, StringFor(f))
                 : r.SetString(&m, &f, StringFor(f));
        break;
      case FieldDescriptor::CPPTYPE_INT32:
        repeated ? r.AddInt32(&m, &f, static_cast<int32_t>(IntFor(f)))
                 : r.SetInt32(&m, &f, static_cast<int32_t>(IntFor(f)));
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        repeated ? r.AddInt64(&m, &f, IntFor(f))
                 : r.SetInt64(&m, &f, IntFor(f));
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
      case FieldDescriptor::CPPTYPE_UINT64:
      case FieldDescriptor::CPPTYPE_BOOL:
        break;  // zero is as plausible as anything
      case FieldDescriptor::CPPTYPE_DOUBLE:
        repeated ? r.AddDouble(&m, &f, 1.0) : r.SetDouble(&m, &f, 1.0);
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        repeated ? r.AddFloat(&m, &f, 1.0f) : r.SetFloat(&m, &f, 1.0f);
        break;
      case FieldDescriptor::CPPTYPE_ENUM: {
        const auto* e = f.enum_type();
        const auto* v = e->value(e->value_count() > 1 ? 1 : 0);
        repeated ? r.AddEnum(&m, &f, v) : r.SetEnum(&m, &f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE:
        if (depth >= 3 ||
            f.message_type()->full_name() == "google.protobuf.FieldMask")
          break;
        Fill(repeated ? *r.AddMessage(&m, &f) : *r.MutableMessage(&m, &f),
             depth + 1);
        break;
    }
  }
}

}  // namespace

std::string ScratchBase() {
  if (const char* dir = std::getenv("PMO_FUZZ_DATA_DIR")) return dir;
  return std::filesystem::exists("/dev/shm") ? "/dev/shm" : "/tmp";
}

std::string PlausibleMessage(const google::protobuf::Descriptor& type) {
  std::unique_ptr<Message> m(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(&type)
          ->New());
  Fill(*m, 0);
  return m->SerializeAsString();
}

}  // namespace pmo::fuzz
