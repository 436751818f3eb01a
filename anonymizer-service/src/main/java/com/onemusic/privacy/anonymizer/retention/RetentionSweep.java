package com.onemusic.privacy.anonymizer.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.BulkOperations.BulkMode;
import org.springframework.data.mongodb.core.ReactiveBulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/**
 * Retention (policy 7.2): what is older than its collection's period is deleted, or
 * anonymized (its pseudonym and quasi-identifiers removed), a batch at a time. Every
 * batch is complete in itself and what it handled no longer matches the query, so a run
 * cut short anywhere simply continues the next time; progress is kept in
 * {@code anonymizer_retention} and shown by {@link #status()}.
 */
public class RetentionSweep {

	/** Progress of each collection's sweep. */
	public static final String PROGRESS = "anonymizer_retention";

	/** Set on an anonymized document, so it is not handled twice. */
	static final String EXPIRED = "expired";

	private final ReactiveMongoTemplate mongo;

	private final Map<String, Policy> policies;

	private final int batchSize;

	private final Clock clock;

	private final Map<String, Long> processedThisProcess = new ConcurrentHashMap<>();

	public RetentionSweep(ReactiveMongoTemplate mongo, Map<String, Policy> policies, int batchSize, Clock clock) {
		this.mongo = mongo;
		this.policies = new LinkedHashMap<>(policies);
		this.batchSize = batchSize;
		this.clock = clock;
	}

	/**
	 * Sweeps every collection.
	 * @param maxBatches batches per collection at most (a run cut short continues next
	 * time)
	 * @return documents handled
	 */
	public Mono<Long> sweep(int maxBatches) {
		return Flux.fromIterable(this.policies.entrySet())
			.concatMap((entry) -> sweep(entry.getKey(), entry.getValue(), maxBatches))
			.reduce(0L, Long::sum);
	}

	private Mono<Long> sweep(String collection, Policy policy, int maxBatches) {
		Instant cutoff = this.clock.instant().minus(policy.period());
		return this.mongo
			.upsert(Query.query(Criteria.where("_id").is(collection)),
					new Update().set("cutoff", cutoff).set("lastRunStartedAt", this.clock.instant()), PROGRESS)
			.then(batches(collection, policy, cutoff, maxBatches, 0L))
			.flatMap((handled) -> this.mongo
				.upsert(Query.query(Criteria.where("_id").is(collection)),
						new Update().set("lastRunFinishedAt", this.clock.instant()), PROGRESS)
				.thenReturn(handled));
	}

	private Mono<Long> batches(String collection, Policy policy, Instant cutoff, int left, long handled) {
		if (left == 0) {
			return Mono.just(handled);
		}
		return this.mongo
			.find(expired(policy, cutoff).with(Sort.by(policy.timeField())).limit(this.batchSize), Document.class,
					collection)
			.map((document) -> document.get("_id"))
			.collectList()
			.flatMap((ids) -> {
				if (ids.isEmpty()) {
					return Mono.just(handled);
				}
				// By primary key, one bulk write per batch.
				ReactiveBulkOperations bulk = this.mongo.bulkOps(BulkMode.UNORDERED, collection);
				for (Object id : ids) {
					Query one = Query.query(Criteria.where("_id").is(id));
					if (policy.action() == Action.DELETE) {
						bulk.remove(one);
					}
					else {
						Update anonymize = new Update().set(EXPIRED, true);
						policy.anonymizedFields().forEach(anonymize::unset);
						bulk.updateOne(one, anonymize);
					}
				}
				return bulk.execute()
					.then(this.mongo.upsert(Query.query(Criteria.where("_id").is(collection)),
							new Update().inc("processed", ids.size()).set("lastBatchAt", this.clock.instant()),
							PROGRESS))
					.doOnSuccess((ignored) -> this.processedThisProcess.merge(collection, (long) ids.size(), Long::sum))
					.then(Mono.defer(() -> batches(collection, policy, cutoff, left - 1, handled + ids.size())));
			});
	}

	private static Query expired(Policy policy, Instant cutoff) {
		Criteria criteria = Criteria.where(policy.timeField()).lt(cutoff);
		if (policy.action() == Action.ANONYMIZE) {
			criteria = criteria.and(EXPIRED).exists(false);
		}
		return Query.query(criteria);
	}

	/**
	 * Where each collection's retention stands: its policy, the last run, documents
	 * handled so far, and how many expired ones wait.
	 * @return the status by collection
	 */
	public Flux<Map<String, Object>> status() {
		return Flux.fromIterable(this.policies.entrySet()).concatMap((entry) -> {
			String collection = entry.getKey();
			Policy policy = entry.getValue();
			Instant cutoff = this.clock.instant().minus(policy.period());
			return this.mongo.findById(collection, Document.class, PROGRESS)
				.defaultIfEmpty(new Document())
				.zipWith(this.mongo.count(expired(policy, cutoff), collection))
				.map((found) -> {
					Map<String, Object> row = new LinkedHashMap<>();
					row.put("collection", collection);
					row.put("period", policy.period().toString());
					row.put("action", policy.action());
					row.put("cutoff", cutoff);
					row.put("waiting", found.getT2());
					row.put("processed", found.getT1().get("processed", 0));
					row.put("lastRunStartedAt", found.getT1().get("lastRunStartedAt"));
					row.put("lastRunFinishedAt", found.getT1().get("lastRunFinishedAt"));
					return row;
				});
		});
	}

	/**
	 * Documents handled by this process, by collection (for metrics).
	 * @return the counts
	 */
	public Map<String, Long> processedThisProcess() {
		return this.processedThisProcess;
	}

	/** What happens to an expired document. */
	public enum Action {

		/** It is deleted. */
		DELETE,

		/**
		 * Its pseudonym and quasi-identifiers are removed; the rest stays for statistics.
		 */
		ANONYMIZE

	}

	/**
	 * A collection's retention.
	 *
	 * @param period how long a document is kept
	 * @param action what happens after that
	 * @param timeField the field that says when a document was made
	 * @param anonymizedFields what anonymizing removes
	 */
	public record Policy(Duration period, Action action, String timeField, List<String> anonymizedFields) {

	}

}
