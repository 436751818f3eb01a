package com.onemusic.privacy.events;

import java.util.Objects;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * A Kafka topic of the event contract: its name, what its records are keyed by, and the
 * Avro record its values carry.
 *
 * @param <K> the key type
 * @param <V> the value type, a generated Avro record
 * @param name the topic name, with its major version as suffix
 * @param keyType the Java type of the record key
 * @param keyMeaning what the key is, e.g. {@code userId}
 * @param valueType the generated Avro class of the record values
 * @param compacted whether the topic keeps the latest record of every key (Kafka's
 * {@code cleanup.policy=compact}) instead of the records of a retention period; a null
 * value (tombstone) removes a key
 */
public record Topic<K, V extends SpecificRecord>(String name, Class<K> keyType, String keyMeaning, Class<V> valueType,
		boolean compacted) {

	/**
	 * Suffix of the dead-letter topic that holds the records a consumer could not
	 * process.
	 */
	public static final String DEAD_LETTER_SUFFIX = "-dlt";

	public Topic {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(keyType, "keyType");
		Objects.requireNonNull(keyMeaning, "keyMeaning");
		Objects.requireNonNull(valueType, "valueType");
	}

	/**
	 * A topic of events, kept for a retention period.
	 * @param name the topic name
	 * @param keyType the Java type of the record key
	 * @param keyMeaning what the key is
	 * @param valueType the generated Avro class of the record values
	 */
	public Topic(String name, Class<K> keyType, String keyMeaning, Class<V> valueType) {
		this(name, keyType, keyMeaning, valueType, false);
	}

	/**
	 * The Avro schema of the values.
	 * @return the schema the generated class was compiled from
	 */
	public Schema valueSchema() {
		return SpecificData.get().getSchema(this.valueType);
	}

	/**
	 * The dead-letter topic of this topic.
	 * @return {@code <name>-dlt}
	 */
	public String deadLetterTopic() {
		return this.name + DEAD_LETTER_SUFFIX;
	}

	/**
	 * The registry subject of the values under the default TopicNameStrategy.
	 * @return {@code <name>-value}
	 */
	public String valueSubject() {
		return this.name + "-value";
	}

}
