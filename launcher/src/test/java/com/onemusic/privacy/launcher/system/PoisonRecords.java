package com.onemusic.privacy.launcher.system;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.onemusic.privacy.events.PolicyVersionPublished;
import com.onemusic.privacy.events.Topic;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.events.UserActivityRecorded;
import com.onemusic.privacy.serde.AvroSerdeConfig;
import com.onemusic.privacy.serde.AvroSerializer;
import com.onemusic.privacy.serde.SubjectNameStrategy;

/**
 * Records no consumer can take, of the four kinds a broken or hostile producer writes: a
 * wrong magic byte, a schema id the registry does not know, Avro that does not decode
 * under the schema its id names, and a well-formed record of another type than the topic
 * carries. Each is keyed {@code poison-<kind>-<run>} so that it can be found again in the
 * dead-letter topic.
 */
public final class PoisonRecords {

	/** The kinds, in the order they are sent. */
	public static final List<String> KINDS = List.of("bad-magic-byte", "unknown-schema-id", "corrupt-avro",
			"wrong-record-type");

	private PoisonRecords() {
	}

	/**
	 * Sends one record of each kind to each topic.
	 * @param bootstrapServers the broker
	 * @param registryUrl the registry
	 * @param topics the topics
	 * @param run a mark of this run, in the keys
	 * @return what was sent: topic and key
	 */
	public static List<String[]> send(String bootstrapServers, String registryUrl, List<Topic<String, ?>> topics,
			String run) throws Exception {
		// Subjects per topic and record type, as the services register theirs, so that a
		// record of another type is accepted by the registry and lands on the topic.
		AvroSerializer<Object> serializer = new AvroSerializer<>(
				null, Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl,
						AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, SubjectNameStrategy.TOPIC_RECORD_NAME.name()),
				false);
		List<String[]> sent = new ArrayList<>();
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
				new StringSerializer(), new ByteArraySerializer())) {
			for (Topic<String, ?> topic : topics) {
				byte[] activity = serializer.serialize(topic.name(), activity());
				byte[] policy = serializer.serialize(topic.name(), policy());
				byte[] otherType = (topic == Topics.ANALYTICS_EVENTS_RAW) ? policy : activity;
				for (String kind : KINDS) {
					byte[] value = switch (kind) {
						case "bad-magic-byte" -> withByte(activity, 0, (byte) 7);
						case "unknown-schema-id" -> withSchemaId(activity, 0x7ffffff0);
						case "corrupt-avro" -> corrupt(activity);
						default -> otherType;
					};
					String key = "poison-" + kind + "-" + run;
					producer.send(new ProducerRecord<>(topic.name(), key, value)).get(30, TimeUnit.SECONDS);
					sent.add(new String[] { topic.name(), key, kind });
				}
			}
		}
		finally {
			serializer.close();
		}
		return sent;
	}

	private static byte[] withByte(byte[] value, int index, byte replacement) {
		byte[] copy = Arrays.copyOf(value, value.length);
		copy[index] = replacement;
		return copy;
	}

	private static byte[] withSchemaId(byte[] value, int id) {
		byte[] copy = Arrays.copyOf(value, value.length);
		copy[1] = (byte) (id >>> 24);
		copy[2] = (byte) (id >>> 16);
		copy[3] = (byte) (id >>> 8);
		copy[4] = (byte) id;
		return copy;
	}

	/**
	 * The header of a real record (magic byte, a known schema id), then bytes that are
	 * not Avro of it.
	 */
	private static byte[] corrupt(byte[] value) {
		byte[] copy = Arrays.copyOf(value, 5 + 6);
		Arrays.fill(copy, 5, copy.length, (byte) 0xFF);
		return copy;
	}

	private static UserActivityRecorded activity() {
		return UserActivityRecorded.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(Instant.now())
			.setUserId("poison-user")
			.setEventType("play")
			.setProperties(Map.of())
			.build();
	}

	private static PolicyVersionPublished policy() {
		return PolicyVersionPublished.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(Instant.now())
			.setVersion("poison")
			.setEffectiveFrom(Instant.now())
			.setUrl("https://www.onemusic.example/privacy/poison")
			.setMaterialChanges(List.of())
			.build();
	}

}
