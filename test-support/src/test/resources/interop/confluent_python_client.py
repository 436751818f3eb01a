"""Talks to the registry and the broker with Confluent's own Python client, as a partner or
another backend written in Python would, and prints what it saw as one JSON object.

Usage: confluent_python_client.py BOOTSTRAP REGISTRY_URL CONSUME_TOPIC PRODUCE_TOPIC SUBJECT
"""
import datetime
import json
import sys
import uuid

from confluent_kafka import Consumer, avro
from confluent_kafka.avro import AvroProducer, CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

bootstrap, registry_url, consume_topic, produce_topic, subject = sys.argv[1:6]
out = {}

# The registry API through Confluent's SchemaRegistryClient.
client = SchemaRegistryClient({'url': registry_url})
v1 = '{"type":"record","name":"Probe","namespace":"interop","fields":[{"name":"a","type":"int"}]}'
v2 = '{"type":"record","name":"Probe","namespace":"interop","fields":[{"name":"a","type":"int"},{"name":"b","type":"string","default":""}]}'
breaking = '{"type":"record","name":"Probe","namespace":"interop","fields":[{"name":"a","type":"string"}]}'
out['registered_id'] = client.register_schema(subject, Schema(v1, 'AVRO'))
out['schema_by_id'] = client.get_schema(out['registered_id']).schema_str
out['lookup_version'] = client.lookup_schema(subject, Schema(v1, 'AVRO')).version
out['v2_id'] = client.register_schema(subject, Schema(v2, 'AVRO'))
latest = client.get_latest_version(subject)
out['latest_version'] = latest.version
out['latest_id'] = latest.schema_id
out['versions'] = client.get_versions(subject)
out['breaking_compatible'] = client.test_compatibility(subject, Schema(breaking, 'AVRO'))
try:
    client.register_schema(subject, Schema(breaking, 'AVRO'))
    out['breaking_registered'] = True
except SchemaRegistryError as error:
    out['breaking_error'] = [error.http_status_code, error.error_code]
client.set_compatibility(subject_name=subject, level='FULL')
out['subject_level'] = client.get_compatibility(subject)
try:
    client.get_schema(987654321)
except SchemaRegistryError as error:
    out['unknown_id_error'] = [error.http_status_code, error.error_code]
out['deleted_versions'] = client.delete_subject(subject)

# The data path through Confluent's Avro message serializer and producer. Keys are plain
# strings, so values are decoded with the message serializer rather than AvroConsumer,
# which would decode keys as Avro too.
decoder = MessageSerializer(CachedSchemaRegistryClient({'url': registry_url}))
consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': 'interop-' + str(uuid.uuid4()),
                     'auto.offset.reset': 'earliest'})
consumer.subscribe([consume_topic])
deadline = datetime.datetime.now() + datetime.timedelta(seconds=60)
while datetime.datetime.now() < deadline and 'consumed' not in out:
    message = consumer.poll(1.0)
    if message is None:
        continue
    if message.error():
        out['consume_error'] = str(message.error())
        break
    out['consumed_key'] = message.key().decode('utf-8')
    out['consumed'] = decoder.decode_message(message.value())
consumer.close()

value_schema = avro.loads(client.get_latest_version(consume_topic + '-value').schema.schema_str)
producer = AvroProducer({'bootstrap.servers': bootstrap, 'schema.registry.url': registry_url},
                        default_value_schema=value_schema)
producer.produce(topic=produce_topic, value={
    'eventId': '00000000-0000-0000-0000-0000000000aa',
    'occurredAt': datetime.datetime(2026, 3, 1, 8, 0, tzinfo=datetime.timezone.utc),
    'userId': 'python-user',
    'scope': 'purpose.marketing-push',
    'status': 'WITHDRAWN',
    'policyVersion': '2026.03',
    'method': 'UNSUBSCRIBE_LINK',
    'sourceSystem': 'python-backend',
    'sequence': None,
    'guardian': None,
    'receiptId': None,
    'reason': 'unsubscribed from the newsletter',
})
out['unflushed'] = producer.flush(30)

print(json.dumps(out, default=str))
