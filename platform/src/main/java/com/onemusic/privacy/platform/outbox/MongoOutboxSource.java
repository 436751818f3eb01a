package com.onemusic.privacy.platform.outbox;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/**
 * An {@link OutboxSource} over a MongoDB collection whose documents carry a boolean
 * {@code published} field. Pending documents are published in {@code _id} order, so ids
 * must sort in the order one key's records must appear (e.g. user id and a zero-padded
 * sequence number).
 *
 * @param <T> the document type
 */
public class MongoOutboxSource<T> implements OutboxSource {

	/**
	 * How many documents are finished at once after publication. The step run for each
	 * ({@code whenPublished}) must not depend on the order of documents.
	 */
	static final int CONCURRENCY = 16;

	/** The field that says whether a document was published. */
	public static final String PUBLISHED = "published";

	private final String name;

	private final ReactiveMongoTemplate mongo;

	private final Class<T> type;

	private final String collection;

	private final Function<T, Object> id;

	private final Function<T, List<OutboxMessage>> messages;

	private final Function<T, Mono<Void>> whenPublished;

	private final Function<T, Object> orderingKey;

	/**
	 * Creates a source.
	 * @param name a name for logs
	 * @param mongo the template
	 * @param type the document class
	 * @param collection the collection
	 * @param id the id of a document
	 * @param messages the records a document publishes
	 * @param whenPublished an idempotent step run for each document after its records
	 * were acknowledged and before it is marked published (e.g. updating a read model);
	 * it runs again if the process dies before the mark; documents with the same ordering
	 * key go through it one after another, in order, others at the same time
	 * @param orderingKey what orders that step, e.g. the user id
	 */
	public MongoOutboxSource(String name, ReactiveMongoTemplate mongo, Class<T> type, String collection,
			Function<T, Object> id, Function<T, List<OutboxMessage>> messages, Function<T, Mono<Void>> whenPublished,
			Function<T, Object> orderingKey) {
		this.name = name;
		this.mongo = mongo;
		this.type = type;
		this.collection = collection;
		this.id = id;
		this.messages = messages;
		this.whenPublished = whenPublished;
		this.orderingKey = orderingKey;
	}

	public MongoOutboxSource(String name, ReactiveMongoTemplate mongo, Class<T> type, String collection,
			Function<T, Object> id, Function<T, List<OutboxMessage>> messages) {
		this(name, mongo, type, collection, id, messages, (document) -> Mono.empty(), id);
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
		Instant now = Instant.now();
		// One primary-key update per entry: cheap on any MongoDB, and the in-memory
		// server
		// uses its _id index only for equality.
		return Flux.fromIterable(entries)
			.map((entry) -> this.type.cast(entry.document()))
			.groupBy(this.orderingKey)
			.flatMap((sameKey) -> sameKey.concatMap(this.whenPublished), CONCURRENCY)
			.thenMany(Flux.fromIterable(entries)
				.flatMap(
						(entry) -> this.mongo.updateFirst(Query.query(Criteria.where("_id").is(entry.id())),
								new Update().set(PUBLISHED, true).set("publishedAt", now), this.collection),
						CONCURRENCY))
			.then();
	}

}
