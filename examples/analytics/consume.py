#!/usr/bin/env python3
"""pmo-analytics: reads the PMO events topics and writes the daily cost and
risk table to CSV. See README.md for the columns and the checks made.

  consume.py --bootstrap-servers 127.0.0.1:9092 --output daily.csv

Exit codes: 0 table written (skipped messages are reported on stderr and do
not fail the run), 1 Kafka could not be read, 2 wrong usage.
"""

import argparse
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from pmo_analytics import cloudevents  # noqa: E402
from pmo_analytics.daily_table import COLUMNS, DailyCostAndRiskTable  # noqa: E402

DEFAULT_TOPICS = ("pmo.projects.events.v1", "pmo.risks.events.v1", "pmo.resources.events.v1")
EXIT_KAFKA = 1
EXIT_USAGE = 2


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="consume.py", description="Daily cost and risk table from the PMO's Kafka events.")
    p.add_argument("--bootstrap-servers", default=os.environ.get("PMO_KAFKA_BROKERS"),
                   help="Kafka bootstrap servers (default $PMO_KAFKA_BROKERS)")
    p.add_argument("--topics", default=",".join(DEFAULT_TOPICS),
                   help="comma-separated events topics (default: %(default)s)")
    p.add_argument("--output", default="-", help="CSV file, '-' for stdout (default)")
    p.add_argument("--protos-dir", default=os.environ.get("PMO_ANALYTICS_PROTOS"),
                   help="folder of the *_pb2.py modules generated from protos/ "
                        "(default $PMO_ANALYTICS_PROTOS)")
    p.add_argument("--until-idle", type=float, metavar="SECONDS",
                   help="follow the topics and stop after SECONDS without a message "
                        "(default: stop at the end the topics had at start)")
    p.add_argument("--max-messages", type=int, metavar="N", help="stop after N messages")
    p.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                   help="give up reading after SECONDS (default %(default)s)")
    args = p.parse_args(argv)
    if not args.bootstrap_servers:
        p.error("--bootstrap-servers or $PMO_KAFKA_BROKERS is required")
    if args.until_idle is not None and args.until_idle <= 0:
        p.error("--until-idle must be positive")
    if args.max_messages is not None and args.max_messages < 1:
        p.error("--max-messages must be at least 1")
    return args


def log(text):
    print(f"pmo-analytics: {text}", file=sys.stderr, flush=True)


def main(argv):
    args = parse_args(argv)
    # Imported after the arguments: the generated modules' folder goes on
    # sys.path first, and --help works without them.
    from pmo_analytics.event_types import EventTypes, UndecodableEvent
    from pmo_analytics.kafka_source import KafkaSourceError, read_topics
    try:
        event_types = EventTypes(args.protos_dir)
    except ImportError as e:
        log(f"cannot import the generated protobuf modules ({e}); "
            "pass --protos-dir (see README.md)")
        return EXIT_USAGE

    table = DailyCostAndRiskTable()
    read = skipped = 0
    topics = [t for t in args.topics.split(",") if t]
    try:
        for msg in read_topics(args.bootstrap_servers, topics, args.until_idle,
                               args.max_messages, args.timeout, report=log):
            read += 1
            where = f"{msg.topic()}[{msg.partition()}]@{msg.offset()}"
            try:
                envelope = cloudevents.check_envelope(msg.topic(), msg.headers())
                message = event_types.decode(cloudevents.context_of_topic(msg.topic()),
                                             envelope.type, msg.value())
            except (cloudevents.EnvelopeError, UndecodableEvent) as e:
                # A production consumer would dead-letter it; the example
                # reports it and goes on, as the contract asks.
                skipped += 1
                log(f"skipped {where}: {e}")
                continue
            table.add(envelope, message)
    except KafkaSourceError as e:
        log(str(e))
        return EXIT_KAFKA

    rows = table.rows()
    out = sys.stdout if args.output == "-" else open(args.output, "w", newline="")
    try:
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    finally:
        if out is not sys.stdout:
            out.close()
    log(f"read {read} messages, skipped {skipped}, duplicates {table.duplicates}; "
        f"wrote {len(rows)} rows to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
