package com.onemusic.privacy.platform.outbox;

import java.util.Date;
import java.util.List;
import java.util.function.Function;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/**
 * An {@link OutboxSource} over a MongoDB collection whose documents carry a boolean
 * {@code published} field. Pending documents are published in {@code _id} order, so ids
 * must sort in the order one key's records must appear (e.g. user id and a zero-padded
 * sequence number).
 *
 * @param <T> the document type
 */
public class MongoOutboxSource<T> implements OutboxSource {

	/** The field that says whether a document was published. */
	public static final String PUBLISHED = "published";

	/**
	 * The field that says when the relay published a document (not {@code publishedAt},
	 * which a document may hold for a business meaning of its own).
	 */
	public static final String RELAYED_AT = "relayedAt";

	private final String name;

	private final ReactiveMongoTemplate mongo;

	private final Class<T> type;

	private final String collection;

	private final Function<T, Object> id;

	private final Function<T, List<OutboxMessage>> messages;

	private final Function<List<T>, Mono<Void>> whenPublished;

	/**
	 * Creates a source.
	 * @param name a name for logs
	 * @param mongo the template
	 * @param type the document class
	 * @param collection the collection
	 * @param id the id of a document
	 * @param messages the records a document publishes
	 * @param whenPublished an idempotent step run for each batch of documents after their
	 * records were acknowledged and before they are marked published (e.g. updating a
	 * read model); it runs again if the process dies before the mark, and batches from
	 * the fast path and from a sweep may arrive in any order, so the step must not depend
	 * on the order of documents
	 */
	public MongoOutboxSource(String name, ReactiveMongoTemplate mongo, Class<T> type, String collection,
			Function<T, Object> id, Function<T, List<OutboxMessage>> messages,
			Function<List<T>, Mono<Void>> whenPublished) {
		this.name = name;
		this.mongo = mongo;
		this.type = type;
		this.collection = collection;
		this.id = id;
		this.messages = messages;
		this.whenPublished = whenPublished;
	}

	public MongoOutboxSource(String name, ReactiveMongoTemplate mongo, Class<T> type, String collection,
			Function<T, Object> id, Function<T, List<OutboxMessage>> messages) {
		this(name, mongo, type, collection, id, messages, (documents) -> Mono.empty());
	}

	/**
	 * Creates the index the pending query uses.
	 * @return completion
	 */
	public Mono<Void> createIndex() {
		return this.mongo.indexOps(this.collection)
			.createIndex(new Index().on(PUBLISHED, Sort.Direction.ASC).on("_id", Sort.Direction.ASC))
			.then();
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public PendingEntry entryOf(Object document) {
		T typed = this.type.cast(document);
		return new PendingEntry(this.id.apply(typed), this.messages.apply(typed), typed);
	}

	@Override
	public Flux<PendingEntry> pending(int limit) {
		Query query = Query.query(Criteria.where(PUBLISHED).is(false)).with(Sort.by("_id")).limit(limit);
		return this.mongo.find(query, this.type, this.collection)
			.map((document) -> new PendingEntry(this.id.apply(document), this.messages.apply(document), document));
	}

	@Override
	public Mono<Void> markPublished(List<PendingEntry> entries) {
		if (entries.isEmpty()) {
			return Mono.empty();
		}
		Date now = new Date();
		List<T> documents = entries.stream().map((entry) -> this.type.cast(entry.document())).toList();
		// One round trip for the whole batch; each update by primary key, which every
		// MongoDB (the in-memory server too) answers from its _id index. Built with the
		// driver's own types: this runs for every event, and the mapping layer's query
		// and update mapping cost more than the write.
		Bson mark = Updates.combine(Updates.set(PUBLISHED, true), Updates.set(RELAYED_AT, now));
		List<UpdateOneModel<Document>> marks = entries.stream()
			.map((entry) -> new UpdateOneModel<Document>(Filters.eq("_id", storedId(entry.id())), mark))
			.toList();
		return this.whenPublished.apply(documents)
			.then(this.mongo.getCollection(this.collection)
				.flatMap((target) -> Mono.from(target.bulkWrite(marks, new BulkWriteOptions().ordered(false)))))
			.then();
	}

	/**
	 * An id as the mapping layer stores it: a String that is a valid ObjectId is stored
	 * as an ObjectId.
	 */
	static Object storedId(Object id) {
		return (id instanceof String text && ObjectId.isValid(text)) ? new ObjectId(text) : id;
	}

}
