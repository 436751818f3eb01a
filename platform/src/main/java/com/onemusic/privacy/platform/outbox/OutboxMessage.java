package com.onemusic.privacy.platform.outbox;

import java.util.Objects;

/**
 * One Kafka record that a stored change asks to be published.
 *
 * @param topic the topic
 * @param key the record key (the user id on user-scoped topics)
 * @param value the Avro record
 */
public record OutboxMessage(String topic, String key, Object value) {

	public OutboxMessage {
		Objects.requireNonNull(topic, "topic");
		Objects.requireNonNull(value, "value");
	}

}
