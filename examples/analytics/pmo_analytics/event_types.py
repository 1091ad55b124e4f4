"""ce_type -> the published protobuf message class.

The classes come from modules generated with `protoc --python_out` from
protos/ (never checked in; see README.md). ce_type is the full message name,
e.g. "pmo.projects.v1.ActualCostRecorded".
"""

import importlib
import sys

from google.protobuf.message import DecodeError

# Every context whose events the example reads.
EVENT_MODULES = (
    "pmo.projects.v1.events_pb2",
    "pmo.risks.v1.events_pb2",
    "pmo.resources.v1.events_pb2",
)


class UndecodableEvent(ValueError):
    """The ce_type is unknown or the value does not parse as that message."""


class EventTypes:
    def __init__(self, protos_dir=None):
        if protos_dir and protos_dir not in sys.path:
            sys.path.insert(0, protos_dir)
        self._classes = {}
        for name in EVENT_MODULES:
            module = importlib.import_module(name)
            for message_name in module.DESCRIPTOR.message_types_by_name:
                cls = getattr(module, message_name)
                self._classes[cls.DESCRIPTOR.full_name] = cls

    def known(self, ce_type):
        return ce_type in self._classes

    def decode(self, context, ce_type, value):
        """Parses `value` as the message `ce_type` names.

        `context` is the topic's context: an event of another context on this
        topic is refused, as its producer broke the contract.
        """
        cls = self._classes.get(ce_type)
        if cls is None:
            raise UndecodableEvent(f"unknown ce_type '{ce_type}'")
        if context is not None and not ce_type.startswith(f"pmo.{context}.v1."):
            raise UndecodableEvent(f"ce_type '{ce_type}' does not belong on the {context} topic")
        message = cls()
        try:
            message.ParseFromString(value or b"")
        except DecodeError as e:
            raise UndecodableEvent(f"value is not a {ce_type}: {e}") from None
        return message
