"""A small analytics consumer of the PMO platform's Kafka events.

Modules: cloudevents (header checks), event_types (ce_type -> protobuf class),
daily_table (the daily cost and risk fold), kafka_source (reading the topics).
"""
