package com.onemusic.privacy.consent.ledger;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.BulkOperations.BulkMode;
import org.springframework.data.mongodb.core.ReactiveBulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import com.onemusic.privacy.consent.policy.PolicyHistory;
import com.onemusic.privacy.consent.policy.PolicyVersion;

/**
 * A read model of the ledger with one document per user and scope, for questions across
 * users (who must re-consent after a policy change). It is updated from ledger entries
 * once their events are published, idempotently: a document only moves to a newer change.
 */
public class ConsentProjection {

	static final String COLLECTION = "consent_state";

	/** Rows looked up at once. */
	private static final int CONCURRENCY = 16;

	private final ReactiveMongoTemplate mongo;

	public ConsentProjection(ReactiveMongoTemplate mongo) {
		this.mongo = mongo;
	}

	/**
	 * Creates the indexes of the listing.
	 * @return completion
	 */
	public Mono<Void> createIndexes() {
		return this.mongo.indexOps(COLLECTION)
			.createIndex(new Index().on("status", Sort.Direction.ASC)
				.on("scope", Sort.Direction.ASC)
				.on("policyOrder", Sort.Direction.ASC))
			.then();
	}

	/**
	 * Applies entries. A row only ever moves to a newer change (later {@code occurredAt},
	 * then higher sequence number), so a replay, or a batch that arrives after a later
	 * one, leaves the newer change in place. Rows are read and written by primary key
	 * alone, which every MongoDB answers from its {@code _id} index (the in-memory server
	 * uses an index only for a query on exactly its keys): one lookup per row, then one
	 * bulk write for the batch.
	 * @param entries the ledger entries
	 * @param policies the policy history, to know the order of each version
	 * @return completion
	 */
	public Mono<Void> apply(List<LedgerEntry> entries, PolicyHistory policies) {
		Map<String, Latest> latest = new LinkedHashMap<>();
		for (LedgerEntry entry : entries) {
			for (ScopeChange change : entry.changes()) {
				latest.merge(entry.userId() + "|" + change.scope(), new Latest(entry, change),
						(held, offered) -> held.olderThan(offered.entry()) ? offered : held);
			}
		}
		return Flux.fromIterable(latest.entrySet())
			.flatMap((row) -> this.mongo.findById(row.getKey(), Row.class, COLLECTION)
				.map((stored) -> stored.olderThan(row.getValue().entry()))
				.defaultIfEmpty(true)
				.filter(Boolean::booleanValue)
				.map((newer) -> row), CONCURRENCY)
			.collectList()
			.flatMap((newer) -> newer.isEmpty() ? Mono.empty() : write(newer, policies));
	}

	private Mono<Void> write(List<Map.Entry<String, Latest>> rows, PolicyHistory policies) {
		ReactiveBulkOperations bulk = this.mongo.bulkOps(BulkMode.UNORDERED, COLLECTION);
		rows.forEach((row) -> {
			LedgerEntry entry = row.getValue().entry();
			long policyOrder = policies.find(entry.policyVersion()).map(PolicyVersion::order).orElse(0L);
			bulk.upsert(Query.query(Criteria.where("_id").is(row.getKey())),
					new Update().set("userId", entry.userId())
						.set("scope", row.getValue().change().scope())
						.set("status", row.getValue().change().status())
						.set("sequence", entry.sequence())
						.set("occurredAt", entry.occurredAt())
						.set("policyVersion", entry.policyVersion())
						.set("policyOrder", policyOrder));
		});
		return bulk.execute().then();
	}

	/**
	 * The stored row of a user and scope, as far as the comparison needs it.
	 *
	 * @param id the id
	 * @param sequence the sequence number of the change it holds
	 * @param occurredAt when that change was made
	 */
	@Document(COLLECTION)
	record Row(@Id String id, long sequence, Instant occurredAt) {

		boolean olderThan(LedgerEntry entry) {
			return older(this.occurredAt, this.sequence, entry);
		}

	}

	static boolean older(Instant occurredAt, long sequence, LedgerEntry than) {
		int byTime = occurredAt.compareTo(than.occurredAt());
		return byTime < 0 || (byTime == 0 && sequence < than.sequence());
	}

	/**
	 * The newest change of a row within a batch.
	 */
	private record Latest(LedgerEntry entry, ScopeChange change) {

		boolean olderThan(LedgerEntry other) {
			return older(this.entry.occurredAt(), this.entry.sequence(), other);
		}

	}

	/**
	 * Users whose consent for a scope affected by a policy version was given under an
	 * older version, one page at a time, so that millions of users are never in memory at
	 * once.
	 * @param version the policy version
	 * @param after the cursor from the previous page, or null
	 * @param limit the page size
	 * @return the page, in cursor order
	 */
	public Flux<Reconsent> needingReconsent(PolicyVersion version, String after, int limit) {
		java.util.Set<String> scopes = new java.util.TreeSet<>();
		version.materialChanges().forEach((change) -> scopes.addAll(change.scopes()));
		if (scopes.isEmpty()) {
			return Flux.empty();
		}
		Criteria criteria = Criteria.where("status")
			.is(ConsentStatus.GRANTED)
			.and("scope")
			.in(scopes)
			.and("policyOrder")
			.lt(version.order());
		if (after != null) {
			criteria = criteria.and("_id").gt(after);
		}
		return this.mongo.find(Query.query(criteria).with(Sort.by("_id")).limit(limit), Reconsent.class, COLLECTION);
	}

	/**
	 * A user who must consent again for a scope.
	 *
	 * @param id the cursor, {@code <userId>|<scope>}
	 * @param userId the user
	 * @param scope the scope
	 * @param policyVersion the version the current consent was given under
	 * @param occurredAt when it was given
	 */
	@Document(COLLECTION)
	public record Reconsent(@Id String id, String userId, String scope, String policyVersion, Instant occurredAt) {

	}

}
