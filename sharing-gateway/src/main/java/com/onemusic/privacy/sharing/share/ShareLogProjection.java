package com.onemusic.privacy.sharing.share;

import java.util.ArrayList;
import java.util.List;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.model.InsertManyOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import reactor.core.publisher.Mono;

import org.springframework.core.log.LogAccessor;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;

import com.onemusic.privacy.events.DataShared;
import com.onemusic.privacy.platform.messaging.Listeners;
import com.onemusic.privacy.platform.messaging.RejectedRecord;
import com.onemusic.privacy.sharing.erasure.DeletionPropagation;

/**
 * The queryable share log: every DataShared event (the record of a decision) stored as a
 * {@link ShareLogEntry}, a poll at a time in one {@code insertMany}; an event stored
 * before (a redelivery) is left as it is. Each batch then goes to
 * {@link DeletionPropagation#lateShares}, so a share allowed while a deletion request of
 * the user was handled still reaches that partner. A record that is not a readable
 * DataShared goes to the dead-letter topic; the records before it are stored, those after
 * it delivered again.
 */
@Component
public class ShareLogProjection {

	private static final LogAccessor logger = new LogAccessor(ShareLogProjection.class);

	/** MongoDB's code for a duplicate key. */
	private static final int DUPLICATE_KEY = 11000;

	private final ReactiveMongoTemplate mongo;

	private final DeletionPropagation propagation;

	ShareLogProjection(ReactiveMongoTemplate mongo, DeletionPropagation propagation) {
		this.mongo = mongo;
		this.propagation = propagation;
	}

	/** The id of its listener container. */
	public static final String LISTENER = "share-log-projection";

	/**
	 * Its consumer group, of its own: the access and deletion requests' listeners wait
	 * for this group's committed offsets while they hold their own poll, and a group they
	 * were members of could not hand a partition of a member that stopped to another
	 * before they rejoined, that is before their wait timed out.
	 */
	public static final String GROUP = "${spring.kafka.consumer.group-id}-share-log";

	/**
	 * How long the group waits for a member that stopped sending heartbeats (an instance
	 * killed, or cut off from Kafka) before it hands that member's partitions to the
	 * others, in milliseconds. Until then the requests that wait for the share log wait
	 * for those partitions; the client's default (45 s) is longer than their first try
	 * ({@link com.onemusic.privacy.platform.messaging.Listeners#TIMEOUT}). Kafka's own
	 * default before 3.0, and well above the broker's smallest allowed (6 s).
	 */
	public static final String SESSION_TIMEOUT_MS = "10000";

	@KafkaListener(id = LISTENER, idIsGroup = false, groupId = GROUP,
			topics = "#{T(com.onemusic.privacy.events.Topics).SHARING_DECISIONS.name()}", batch = "true",
			properties = { ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG + "=" + SESSION_TIMEOUT_MS,
					ConsumerConfig.FETCH_MIN_BYTES_CONFIG + "=65536",
					ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG + "=200" })
	void on(List<ConsumerRecord<String, Object>> records) {
		List<ShareLogEntry> entries = new ArrayList<>();
		RuntimeException failure = null;
		int failed = -1;
		for (int i = 0; i < records.size(); i++) {
			ConsumerRecord<String, Object> record = records.get(i);
			if (record.value() instanceof DataShared event) {
				entries.add(ShareLogEntry.of(event));
				continue;
			}
			DeserializationException unreadable = SerializationUtils.getExceptionFromHeader(record,
					SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, logger);
			failure = (unreadable != null) ? unreadable : new RejectedRecord(
					"Record at offset " + record.offset() + " of " + record.topic() + " is not a DataShared event");
			failed = i;
			break;
		}
		if (!entries.isEmpty()) {
			try {
				store(entries).then(this.propagation.lateShares(entries)).block(Listeners.TIMEOUT);
			}
			catch (RuntimeException ex) {
				throw new BatchListenerFailedException("The share log could not store a batch", ex, 0);
			}
		}
		if (failure != null) {
			throw new BatchListenerFailedException(failure.getMessage(), failure, failed);
		}
	}

	private Mono<Void> store(List<ShareLogEntry> entries) {
		List<Document> documents = entries.stream().map(ShareLogEntry::toDocument).toList();
		return this.mongo.getCollection(ShareLogEntry.COLLECTION)
			.flatMap(
					(collection) -> Mono.from(collection.insertMany(documents, new InsertManyOptions().ordered(false))))
			.then()
			.onErrorResume(ShareLogProjection::onlyDuplicates, (ex) -> Mono.empty());
	}

	private static boolean onlyDuplicates(Throwable error) {
		return error instanceof MongoBulkWriteException bulk
				&& bulk.getWriteErrors().stream().allMatch((writeError) -> writeError.getCode() == DUPLICATE_KEY);
	}

}
