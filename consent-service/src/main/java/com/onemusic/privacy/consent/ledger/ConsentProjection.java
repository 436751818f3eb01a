package com.onemusic.privacy.consent.ledger;

import java.time.Instant;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
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
 * users (who must re-consent after a policy change). It is updated from each ledger entry
 * once its events are published, idempotently: a document only moves to a newer change.
 */
public class ConsentProjection {

	static final String COLLECTION = "consent_state";

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
	 * Applies an entry.
	 * @param entry the ledger entry
	 * @param policies the policy history, to know the order of its version
	 * @return completion
	 */
	public Mono<Void> apply(LedgerEntry entry, PolicyHistory policies) {
		long policyOrder = policies.find(entry.policyVersion()).map(PolicyVersion::order).orElse(0L);
		return Flux.fromIterable(entry.changes()).concatMap((change) -> {
			String id = entry.userId() + "|" + change.scope();
			// Read, compare and write by primary key: one user's entries are applied one
			// after another (see the ledger's outbox), so no other write of this document
			// comes between.
			return this.mongo.findById(id, Row.class, COLLECTION)
				.map((row) -> row.olderThan(entry))
				.defaultIfEmpty(true)
				.flatMap((older) -> older ? this.mongo.upsert(Query.query(Criteria.where("_id").is(id)),
						new Update().set("userId", entry.userId())
							.set("scope", change.scope())
							.set("status", change.status())
							.set("sequence", entry.sequence())
							.set("occurredAt", entry.occurredAt())
							.set("policyVersion", entry.policyVersion())
							.set("policyOrder", policyOrder),
						COLLECTION)
					.then() : Mono.empty());
		}).then();
	}

	/**
	 * The stored row of a user and scope.
	 *
	 * @param id the id
	 * @param sequence the sequence number of the change it holds
	 * @param occurredAt when that change was made
	 */
	@Document(COLLECTION)
	record Row(@Id String id, long sequence, Instant occurredAt) {

		boolean olderThan(LedgerEntry entry) {
			int byTime = this.occurredAt.compareTo(entry.occurredAt());
			return byTime < 0 || (byTime == 0 && this.sequence < entry.sequence());
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
