package com.onemusic.privacy.dsr.messaging;

import java.util.List;

import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.BulkOperations.BulkMode;
import org.springframework.data.mongodb.core.ReactiveBulkOperations;
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

	private static final int MARK_ATTEMPTS = 20;

	private static final int CATCH_UP_CONCURRENCY = 8;

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
		if (entries.isEmpty()) {
			return Mono.empty();
		}
		// Requests unchanged since they were read (the usual case): everything they hold
		// is published. One bulk write, each update by {_id, version}.
		ReactiveBulkOperations bulk = this.mongo.bulkOps(BulkMode.UNORDERED, DsrRequest.COLLECTION);
		for (PendingEntry entry : entries) {
			DsrRequest request = (DsrRequest) entry.document();
			bulk.updateOne(versioned(request.id(), request.version()), mark(request.lastSeq(), true));
		}
		return bulk.execute()
			.flatMap((result) -> (result.getMatchedCount() == entries.size()) ? Mono.empty()
					// Some changed since: those catch up one by one.
					: Flux.fromIterable(entries)
						.flatMap((entry) -> catchUp((DsrRequest) entry.document()), CATCH_UP_CONCURRENCY)
						.then());
	}

	/**
	 * Moves a request's publishedSeq on to what was read and published, whatever changed
	 * since; newer entries stay unpublished.
	 */
	private Mono<Void> catchUp(DsrRequest request) {
		long seq = request.lastSeq();
		return Mono
			.defer(() -> this.mongo.findById(request.id(), Document.class, DsrRequest.COLLECTION).flatMap((current) -> {
				long published = current.get("publishedSeq", Number.class).longValue();
				if (published >= seq) {
					return Mono.just(true);
				}
				int last = current.getList("log", Object.class).size();
				return this.mongo
					.updateFirst(versioned(request.id(), current.get("version", Number.class).longValue()),
							mark(seq, last == seq), DsrRequest.COLLECTION)
					.map((result) -> result.getModifiedCount() > 0);
			})
				.filter(Boolean::booleanValue)
				.switchIfEmpty(Mono.error(new OptimisticLockingFailureException("changed while marking"))))
			.retryWhen(Retry.max(MARK_ATTEMPTS).filter(OptimisticLockingFailureException.class::isInstance))
			.then();
	}

	private static Query versioned(String id, Long version) {
		return Query.query(Criteria.where("_id").is(id).and("version").is(version));
	}

	/**
	 * Moves publishedSeq on and bumps the version, so that a change made from an older
	 * read is retried on the new state instead of undoing the mark.
	 */
	private static Update mark(long seq, boolean everything) {
		Update update = new Update().set("publishedSeq", seq).inc("version", 1);
		if (everything) {
			update.set("published", true);
		}
		return update;
	}

}
