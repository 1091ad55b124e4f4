"""CloudEvents 1.0 Kafka binary-mode headers, checked the way a consumer we do
not know would check them (libs/cloudevents/cloud_events.h is the producer).

A message whose envelope fails a check raises EnvelopeError with a reason that
names the header; the caller reports it and goes on with the next message.
"""

import dataclasses
import datetime
import re

# Required by the CloudEvents Kafka binding (binary mode) plus the PMO
# extensions a consumer needs to order events and drop duplicates: delivery
# is at-least-once, so (stream type, subject, stream version) identifies an
# event even when it arrives twice.
REQUIRED_HEADERS = (
    "ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_subject",
    "content-type", "ce_pmostreamtype", "ce_pmostreamversion", "ce_pmoposition",
)
CONTENT_TYPE = "application/protobuf"
SPEC_VERSION = "1.0"

_RFC3339 = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$")
_TOPIC = re.compile(r"^pmo\.([a-z]+)\.events\.v1$")


class EnvelopeError(ValueError):
    """The message's CloudEvents envelope is missing a header or is malformed."""


@dataclasses.dataclass(frozen=True)
class Envelope:
    event_id: str
    source: str
    type: str
    time: datetime.datetime  # occurred-at (business time), UTC
    subject: str  # aggregate id, also the Kafka key
    stream_type: str
    stream_version: int
    position: int  # the producing store's position: store order within a context
    actor: str

    @property
    def dedup_key(self):
        return (self.stream_type, self.subject, self.stream_version)


def context_of_topic(topic):
    """'pmo.risks.events.v1' -> 'risks'; None for a topic outside the contract."""
    m = _TOPIC.match(topic)
    return m.group(1) if m else None


def parse_rfc3339(text):
    """RFC 3339 -> aware UTC datetime. Fractions beyond microseconds are cut,
    as Python's datetime holds no more."""
    m = _RFC3339.match(text)
    if not m:
        raise ValueError(f"'{text}' is not RFC 3339")
    day, clock, fraction, zone = m.groups()
    fraction = ((fraction or "") + "000000")[:6]
    zone = "+00:00" if zone in ("Z", "z") else zone
    parsed = datetime.datetime.fromisoformat(f"{day}T{clock}.{fraction}{zone}")
    return parsed.astimezone(datetime.timezone.utc)


def _positive_int(headers, name):
    text = headers[name]
    if not text.isdigit() or int(text) < 1:
        raise EnvelopeError(f"header {name} is '{text}', not a positive integer")
    return int(text)


def decode_headers(raw_headers):
    """Kafka's [(key, bytes)] -> {key: str}. A header given twice is refused:
    which one the producer meant cannot be known."""
    headers = {}
    for key, value in raw_headers or []:
        if key in headers:
            raise EnvelopeError(f"header {key} appears more than once")
        try:
            headers[key] = (value or b"").decode("utf-8")
        except UnicodeDecodeError:
            raise EnvelopeError(f"header {key} is not UTF-8") from None
    return headers


def check_envelope(topic, raw_headers):
    """Checks a message's headers against the contract; returns its Envelope.

    Raises EnvelopeError naming the first header at fault.
    """
    headers = decode_headers(raw_headers)
    for name in REQUIRED_HEADERS:
        if not headers.get(name):
            raise EnvelopeError(f"header {name} is missing")
    if headers["ce_specversion"] != SPEC_VERSION:
        raise EnvelopeError(
            f"header ce_specversion is '{headers['ce_specversion']}', expected {SPEC_VERSION}")
    if headers["content-type"] != CONTENT_TYPE:
        raise EnvelopeError(
            f"header content-type is '{headers['content-type']}', expected {CONTENT_TYPE}")
    context = context_of_topic(topic)
    if context is not None and headers["ce_source"] != f"/pmo/{context}":
        raise EnvelopeError(
            f"header ce_source is '{headers['ce_source']}', expected /pmo/{context} on {topic}")
    try:
        occurred = parse_rfc3339(headers["ce_time"])
    except ValueError as e:
        raise EnvelopeError(f"header ce_time: {e}") from None
    return Envelope(
        event_id=headers["ce_id"],
        source=headers["ce_source"],
        type=headers["ce_type"],
        time=occurred,
        subject=headers["ce_subject"],
        stream_type=headers["ce_pmostreamtype"],
        stream_version=_positive_int(headers, "ce_pmostreamversion"),
        position=_positive_int(headers, "ce_pmoposition"),
        actor=headers.get("ce_pmoactor", ""),
    )
