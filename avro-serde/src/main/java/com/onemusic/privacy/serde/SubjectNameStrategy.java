package com.onemusic.privacy.serde;

import java.util.Locale;

import org.apache.avro.Schema;

/**
 * How the registry subject of a record is named, as Confluent's strategies of the same
 * names do. Configured with {@code key.subject.name.strategy} and
 * {@code value.subject.name.strategy}; Confluent's class names are accepted as they are.
 */
public enum SubjectNameStrategy {

	/**
	 * {@code <topic>-key} or {@code <topic>-value}: one record type per topic. The
	 * default.
	 */
	TOPIC_NAME("io.confluent.kafka.serializers.subject.TopicNameStrategy"),

	/** The record's full name: a record type is one subject across topics. */
	RECORD_NAME("io.confluent.kafka.serializers.subject.RecordNameStrategy"),

	/** {@code <topic>-<record full name>}: several record types per topic. */
	TOPIC_RECORD_NAME("io.confluent.kafka.serializers.subject.TopicRecordNameStrategy");

	private final String confluentClassName;

	SubjectNameStrategy(String confluentClassName) {
		this.confluentClassName = confluentClassName;
	}

	/**
	 * The subject for a record.
	 * @param topic the topic
	 * @param isKey whether the record is a key
	 * @param schema the record's schema
	 * @return the subject name
	 */
	public String subject(String topic, boolean isKey, Schema schema) {
		return switch (this) {
			case TOPIC_NAME -> topic + (isKey ? "-key" : "-value");
			case RECORD_NAME -> schema.getFullName();
			case TOPIC_RECORD_NAME -> topic + "-" + schema.getFullName();
		};
	}

	/**
	 * Whether the subject depends on the record (and so must be computed per record).
	 * @return true for the record-name strategies
	 */
	public boolean dependsOnRecord() {
		return this != TOPIC_NAME;
	}

	/**
	 * Reads a configured strategy: Confluent's class name, its simple name, or this
	 * enum's name.
	 * @param value the configured value
	 * @return the strategy
	 * @throws IllegalArgumentException for anything else
	 */
	public static SubjectNameStrategy parse(String value) {
		String trimmed = value.trim();
		for (SubjectNameStrategy strategy : values()) {
			String simpleName = strategy.confluentClassName.substring(strategy.confluentClassName.lastIndexOf('.') + 1);
			if (strategy.confluentClassName.equals(trimmed) || simpleName.equals(trimmed)
					|| strategy.name().equals(trimmed.toUpperCase(Locale.ROOT))) {
				return strategy;
			}
		}
		throw new IllegalArgumentException("Unknown subject name strategy '" + value
				+ "'; use TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy");
	}

}
