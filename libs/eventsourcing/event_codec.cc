#include "libs/eventsourcing/event_codec.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "libs/base/ids.h"

namespace pmo::eventsourcing {

eventstore::NewEvent EncodeEvent(const google::protobuf::Message& event,
                                 absl::Time occurred_at) {
  return eventstore::NewEvent{NewUuid(), event.GetDescriptor()->full_name(),
                              event.SerializeAsString(), occurred_at};
}

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> DecodeEvent(
    absl::string_view event_type, absl::string_view payload) {
  const google::protobuf::Descriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
          std::string(event_type));
  if (descriptor == nullptr) {
    return absl::NotFoundError(absl::StrCat("unknown event type ", event_type));
  }
  std::unique_ptr<google::protobuf::Message> message(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(descriptor)
          ->New());
  if (!message->ParseFromArray(payload.data(),
                               static_cast<int>(payload.size()))) {
    return absl::DataLossError(
        absl::StrCat("payload of ", event_type, " does not parse"));
  }
  return message;
}

}  // namespace pmo::eventsourcing
