package com.onemusic.privacy.dsr.messaging;

import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import com.onemusic.privacy.dsr.request.DsrRequest;
import com.onemusic.privacy.platform.outbox.OutboxSource;
import com.onemusic.privacy.platform.outbox.PendingEntry;

/**
 * The requests as an outbox: a request's log entries after {@code publishedSeq} are its
 * unpublished events. A change of a request and the events it causes are one write; after
 * Kafka acknowledged them the relay moves {@code publishedSeq} on (and bumps the version,
 * so a change made from an older read is retried on the new state rather than undoing the
 * mark).
 */
public class DsrOutbox implements OutboxSource {

	private final ReactiveMongoTemplate mongo;

	private final List<String> requiredParticipants;

	public DsrOutbox(ReactiveMongoTemplate mongo, List<String> requiredParticipants) {
		this.mongo = mongo;
		this.requiredParticipants = List.copyOf(requiredParticipants);
	}

	/**
	 * Creates the index of the pending query.
	 * @return completion
	 */
	public Mono<Void> createIndex() {
		return this.mongo.indexOps(DsrRequest.COLLECTION)
			.createIndex(new Index().on("published", Sort.Direction.ASC).on("_id", Sort.Direction.ASC))
			.then();
	}

	@Override
	public String name() {
		return "data-subject requests";
	}

	@Override
	public PendingEntry entryOf(Object document) {
		DsrRequest request = (DsrRequest) document;
		return new PendingEntry(request.id(), DsrEvents.of(request, this.requiredParticipants), request);
	}

	@Override
	public Flux<PendingEntry> pending(int limit) {
		return this.mongo
			.find(Query.query(Criteria.where("published").is(false)).with(Sort.by("_id")).limit(limit),
					DsrRequest.class, DsrRequest.COLLECTION)
			.map(this::entryOf);
	}

	@Override
	public Mono<Void> markPublished(List<PendingEntry> entries) {
		return Flux.fromIterable(entries).concatMap((entry) -> mark((DsrRequest) entry.document())).then();
	}

	private Mono<Void> mark(DsrRequest request) {
		long seq = request.lastSeq();
		// Unchanged since it was read: everything is published.
		Query unchanged = Query.query(Criteria.where("_id").is(request.id()).and("version").is(request.version()));
		Update all = new Update().set("published", true).set("publishedSeq", seq).inc("version", 1);
		// Changed since: what was read is published, newer entries wait.
		Query behind = Query.query(Criteria.where("_id").is(request.id()).and("publishedSeq").lt(seq));
		Update some = new Update().set("publishedSeq", seq).inc("version", 1);
		return this.mongo.updateFirst(unchanged, all, DsrRequest.COLLECTION)
			.flatMap((result) -> (result.getModifiedCount() > 0) ? Mono.empty()
					: this.mongo.updateFirst(behind, some, DsrRequest.COLLECTION))
			.then();
	}

}
