package com.onemusic.privacy.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.onemusic.privacy.serde.AvroDeserializer;
import com.onemusic.privacy.serde.AvroSerdeConfig;
import com.onemusic.privacy.serde.AvroSerializer;

/**
 * Produces to and reads from the test broker the way another backend service would: Avro
 * through the project's serde and the test registry, or raw bytes.
 */
public final class TopicProbe {

	private TopicProbe() {
	}

	/**
	 * Publishes an Avro record.
	 * @param topic the topic
	 * @param key the key
	 * @param value the record
	 */
	public static void publish(String topic, String key, Object value) {
		publish(topic, null, key, value);
	}

	/**
	 * Publishes many Avro records in one Kafka transaction, in the order given, as
	 * consent-service publishes consent states: each partition written to ends with the
	 * transaction's commit marker.
	 * @param topic the topic
	 * @param records the records by key
	 */
	public static void publishAllInTransaction(String topic, Map<String, ?> records) {
		try (KafkaProducer<String, Object> producer = transactionalProducer()) {
			producer.beginTransaction();
			records.forEach((key, value) -> producer.send(new ProducerRecord<>(topic, key, value)));
			producer.commitTransaction();
		}
	}

	/**
	 * A transactional producer of Avro records on the test broker, its transactions
	 * initialized, e.g. to leave a transaction open or abort it.
	 * @return the producer, to be closed
	 */
	public static KafkaProducer<String, Object> transactionalProducer() {
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				TestInfrastructure.get().bootstrapServers(), ProducerConfig.TRANSACTIONAL_ID_CONFIG,
				"probe-" + UUID.randomUUID());
		KafkaProducer<String, Object> producer = new KafkaProducer<>(config, new StringSerializer(),
				new AvroSerializer<>(null, registry(), false));
		producer.initTransactions();
		return producer;
	}

	/**
	 * Publishes an Avro record to one partition.
	 * @param topic the topic
	 * @param partition the partition, or null for the one the key chooses
	 * @param key the key
	 * @param value the record
	 */
	public static void publish(String topic, Integer partition, String key, Object value) {
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				TestInfrastructure.get().bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all");
		try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config, new StringSerializer(),
				new AvroSerializer<>(null, registry(), false))) {
			producer.send(new ProducerRecord<>(topic, partition, key, value)).get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not publish to " + topic, ex);
		}
	}

	/**
	 * Publishes raw bytes, e.g. a poison record.
	 * @param topic the topic
	 * @param key the key
	 * @param value the bytes
	 */
	public static void publishRaw(String topic, String key, byte[] value) {
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				TestInfrastructure.get().bootstrapServers());
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
				new ByteArraySerializer())) {
			producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not publish to " + topic, ex);
		}
	}

	/**
	 * Reads a topic from the start until the records that match are at least as many as
	 * expected, then a little longer to catch any extra copy. Committed records only, as
	 * the services read.
	 * @param topic the topic
	 * @param match which records count
	 * @param expected how many are expected at least
	 * @param timeout how long to wait for them
	 * @return every matching record read, deserialized into generated classes
	 */
	public static List<ConsumerRecord<String, Object>> read(String topic,
			Predicate<ConsumerRecord<String, Object>> match, int expected, Duration timeout) {
		return read(topic, match, expected, timeout, true);
	}

	/**
	 * Reads a topic as {@link #read} does, records of aborted or open transactions
	 * included: what a reader that does not read committed records only would see.
	 * @param topic the topic
	 * @param match which records count
	 * @param expected how many are expected at least
	 * @param timeout how long to wait for them
	 * @return every matching record read, deserialized into generated classes
	 */
	public static List<ConsumerRecord<String, Object>> readIncludingAborted(String topic,
			Predicate<ConsumerRecord<String, Object>> match, int expected, Duration timeout) {
		return read(topic, match, expected, timeout, false);
	}

	private static List<ConsumerRecord<String, Object>> read(String topic,
			Predicate<ConsumerRecord<String, Object>> match, int expected, Duration timeout, boolean committed) {
		AvroDeserializer<Object> deserializer = new AvroDeserializer<>(null, registry(), false);
		List<ConsumerRecord<String, Object>> found = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config(committed), new StringDeserializer(),
				new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(topic));
			long deadline = System.nanoTime() + timeout.toNanos();
			long settle = Long.MAX_VALUE;
			while (System.nanoTime() < Math.min(deadline, settle)) {
				for (ConsumerRecord<String, byte[]> raw : consumer.poll(Duration.ofMillis(200))) {
					Object value;
					try {
						value = deserializer.deserialize(topic, raw.value());
					}
					catch (RuntimeException poison) {
						// Poison records that tests put on the topic are not what is
						// looked for.
						continue;
					}
					ConsumerRecord<String, Object> record = new ConsumerRecord<>(raw.topic(), raw.partition(),
							raw.offset(), raw.key(), value);
					if (match.test(record)) {
						found.add(record);
					}
				}
				if (found.size() >= expected && settle == Long.MAX_VALUE) {
					settle = System.nanoTime() + Duration.ofMillis(500).toNanos();
				}
			}
		}
		return found;
	}

	/**
	 * A consumer of raw records on the test broker (its own group, from the earliest
	 * offset, committed records only), e.g. to read end offsets at a precise moment.
	 * @return the consumer, to be closed
	 */
	public static KafkaConsumer<String, byte[]> rawConsumer() {
		return new KafkaConsumer<>(config(true), new StringDeserializer(), new ByteArrayDeserializer());
	}

	private static Map<String, Object> config(boolean committed) {
		return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().bootstrapServers(),
				ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
				"earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, committed ? "read_committed" : "read_uncommitted");
	}

	/**
	 * Reads a topic's raw records, e.g. a dead-letter topic.
	 * @param topic the topic
	 * @param match which records count
	 * @param expected how many to wait for
	 * @param timeout how long
	 * @return the matching records
	 */
	public static List<ConsumerRecord<String, byte[]>> readRaw(String topic,
			Predicate<ConsumerRecord<String, byte[]>> match, int expected, Duration timeout) {
		List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = rawConsumer()) {
			consumer.subscribe(List.of(topic));
			long deadline = System.nanoTime() + timeout.toNanos();
			while (System.nanoTime() < deadline && found.size() < expected) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					if (match.test(record)) {
						found.add(record);
					}
				}
			}
		}
		return found;
	}

	private static Map<String, Object> registry() {
		return Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, TestInfrastructure.get().registryUrl(),
				AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
	}

}
