"""Reads the events topics from the beginning and stops by itself.

Partitions are assigned explicitly (no consumer-group join): the example
rebuilds its table from offset 0 on every run and commits nothing, so no
group state is needed and no rebalance delays the start.

Two ways to stop:
  snapshot (default)   every partition reached the end it had when reading
                       started (librdkafka's partition-EOF event)
  until_idle=S         no new message for S seconds (following a live system)
and in both, after max_messages messages when given.
"""

import time

import confluent_kafka
from confluent_kafka import KafkaError, KafkaException


class KafkaSourceError(RuntimeError):
    """The broker could not be reached or reported a fatal error."""


def read_topics(bootstrap, topics, until_idle=None, max_messages=None,
                timeout=300.0, report=print):
    """Yields every message of `topics`, oldest first per partition.

    A topic the broker does not know yet is reported and skipped: no service
    has published to it. `timeout` bounds the whole read so a broken broker
    cannot hang the caller (KafkaSourceError).
    """
    consumer = confluent_kafka.Consumer({
        "bootstrap.servers": bootstrap,
        # Required by the client even with assign(); nothing is committed.
        "group.id": "pmo-analytics-example",
        "enable.auto.commit": False,
        "enable.partition.eof": True,
        "auto.offset.reset": "earliest",
    })
    try:
        try:
            metadata = consumer.list_topics(timeout=min(timeout, 30.0))
        except KafkaException as e:
            raise KafkaSourceError(f"cannot read metadata from {bootstrap}: {e}") from None
        assignment = []
        for topic in topics:
            meta = metadata.topics.get(topic)
            if meta is None or meta.error is not None:
                report(f"topic {topic} does not exist yet: no events read from it")
                continue
            for partition in sorted(meta.partitions):
                assignment.append(confluent_kafka.TopicPartition(
                    topic, partition, confluent_kafka.OFFSET_BEGINNING))
        if not assignment:
            return
        consumer.assign(assignment)
        yield from _poll(consumer, {(tp.topic, tp.partition) for tp in assignment},
                         until_idle, max_messages, timeout)
    finally:
        consumer.close()


def _poll(consumer, partitions, until_idle, max_messages, timeout):
    at_end = set()
    count = 0
    started = last_message = time.monotonic()
    while True:
        now = time.monotonic()
        if now - started > timeout:
            raise KafkaSourceError(f"reading took longer than {timeout:.0f} s")
        if until_idle is not None and now - last_message >= until_idle:
            return
        msg = consumer.poll(0.2)
        if msg is None:
            continue
        if msg.error():
            if msg.error().code() == KafkaError._PARTITION_EOF:
                at_end.add((msg.topic(), msg.partition()))
                if until_idle is None and at_end >= partitions:
                    return
                continue
            if msg.error().fatal():
                raise KafkaSourceError(str(msg.error()))
            continue  # transient: librdkafka retries by itself
        last_message = time.monotonic()
        at_end.discard((msg.topic(), msg.partition()))
        yield msg
        count += 1
        if max_messages is not None and count >= max_messages:
            return
