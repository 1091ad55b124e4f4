#pragma once

// One Kafka message as a Delivery: its CloudEvents headers and protobuf
// value read back into the event, or the reason it cannot be (shared by the
// live subscription and the rebuild's log reader, so both read a message
// the same way).

#include "libs/subscription/event_handler.h"

namespace RdKafka {
class Message;
}  // namespace RdKafka

namespace pmo::subscription {

// `m` must be a message without error. On a message that is not a readable
// CloudEvent, `undecodable_reason` says why and `event` is empty.
Delivery DeliveryFromMessage(RdKafka::Message& m);  // headers() is not const

}  // namespace pmo::subscription
