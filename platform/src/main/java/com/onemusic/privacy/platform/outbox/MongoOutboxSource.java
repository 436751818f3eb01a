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

	/** The field that says whether a document was published. */
	public static final String PUBLISHED = "published";

	private final String name;

	private final ReactiveMongoTemplate mongo;

	private final Class<T> type;

	private final String collection;

	private final Function<T, Object> id;

	private final Function<T, List<OutboxMessage>> messages;

	public MongoOutboxSource(String name, ReactiveMongoTemplate mongo, Class<T> type, String collection,
			Function<T, Object> id, Function<T, List<OutboxMessage>> messages) {
		this.name = name;
		this.mongo = mongo;
		this.type = type;
		this.collection = collection;
		this.id = id;
		this.messages = messages;
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
	public Flux<PendingEntry> pending(int limit) {
		Query query = Query.query(Criteria.where(PUBLISHED).is(false)).with(Sort.by("_id")).limit(limit);
		return this.mongo.find(query, this.type, this.collection)
			.map((document) -> new PendingEntry(this.id.apply(document), this.messages.apply(document)));
	}

	@Override
	public Mono<Void> markPublished(List<Object> ids) {
		if (ids.isEmpty()) {
			return Mono.empty();
		}
		return this.mongo
			.updateMulti(Query.query(Criteria.where("_id").in(ids)),
					new Update().set(PUBLISHED, true).set("publishedAt", Instant.now()), this.collection)
			.then();
	}

}
