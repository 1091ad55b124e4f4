"""Header checks of the CloudEvents binary-mode envelope (no broker)."""

import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from pmo_analytics import cloudevents  # noqa: E402

TOPIC = "pmo.projects.events.v1"


def headers(**changes):
    h = {
        "ce_specversion": "1.0", "ce_id": "e1", "ce_source": "/pmo/projects",
        "ce_type": "pmo.projects.v1.ProjectCreated", "ce_time": "2027-02-01T10:00:00.123456Z",
        "ce_subject": "p1", "content-type": "application/protobuf",
        "ce_pmostreamtype": "project", "ce_pmostreamversion": "1", "ce_pmoposition": "7",
        "ce_pmoactor": "alice",
    }
    for key, value in changes.items():
        key = key.replace("content_type", "content-type")
        if value is None:
            h.pop(key)
        else:
            h[key] = value
    return [(k, v.encode()) for k, v in h.items()]


class CheckEnvelopeTest(unittest.TestCase):
    def test_a_valid_envelope_is_read(self):
        e = cloudevents.check_envelope(TOPIC, headers())
        self.assertEqual(e.type, "pmo.projects.v1.ProjectCreated")
        self.assertEqual(e.time, datetime.datetime(2027, 2, 1, 10, 0, 0, 123456,
                                                   tzinfo=datetime.timezone.utc))
        self.assertEqual(e.dedup_key, ("project", "p1", 1))
        self.assertEqual(e.position, 7)
        self.assertEqual(e.actor, "alice")

    def test_every_required_header_is_checked(self):
        for name in cloudevents.REQUIRED_HEADERS:
            with self.subTest(name=name):
                with self.assertRaisesRegex(cloudevents.EnvelopeError, f"header {name} is missing"):
                    cloudevents.check_envelope(TOPIC, headers(**{name.replace("-", "_"): None}))

    def test_spec_version_content_type_and_source_must_match(self):
        cases = {
            "ce_specversion": ("0.3", "ce_specversion is '0.3', expected 1.0"),
            "content_type": ("application/json", "content-type is 'application/json'"),
            "ce_source": ("/pmo/risks", "expected /pmo/projects"),
            "ce_time": ("yesterday", "ce_time: 'yesterday' is not RFC 3339"),
            "ce_pmostreamversion": ("x", "not a positive integer"),
        }
        for name, (value, reason) in cases.items():
            with self.subTest(name=name):
                with self.assertRaisesRegex(cloudevents.EnvelopeError, reason):
                    cloudevents.check_envelope(TOPIC, headers(**{name: value}))

    def test_garbled_bytes_and_repeated_headers_are_refused(self):
        garbled = [(k, v) if k != "ce_type" else (k, b"\xff\xfe") for k, v in headers()]
        with self.assertRaisesRegex(cloudevents.EnvelopeError, "ce_type is not UTF-8"):
            cloudevents.check_envelope(TOPIC, garbled)
        with self.assertRaisesRegex(cloudevents.EnvelopeError, "more than once"):
            cloudevents.check_envelope(TOPIC, headers() + [("ce_id", b"e2")])

    def test_offsets_and_nanoseconds_are_read_as_utc(self):
        self.assertEqual(cloudevents.parse_rfc3339("2027-02-01T01:30:00.123456789+02:00"),
                         datetime.datetime(2027, 1, 31, 23, 30, 0, 123456,
                                           tzinfo=datetime.timezone.utc))


if __name__ == "__main__":
    unittest.main()
