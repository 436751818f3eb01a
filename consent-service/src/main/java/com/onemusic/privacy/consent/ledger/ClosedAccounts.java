package com.onemusic.privacy.consent.ledger;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.function.Function;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/**
 * The ledgers of closed accounts: kept after the closure only as proof of what the user
 * consented to and withdrew, for a legal retention period, then deleted (policy 7.2: once
 * the retention period is over, personal information is deleted or anonymized).
 *
 * <p>
 * A closure records the account with the instant its ledger is due for deletion
 * ({@code consent_closed_accounts}); a sweep deletes the ledgers that are due: the
 * entries (with their receipts), the read-model rows, the stored head, then publishes the
 * user's tombstone on the consent-state topic (so compaction removes the user's state
 * there, and consent views forget the user), and last deletes the record of the closure
 * itself, so a sweep cut short is finished by the next one.
 */
public class ClosedAccounts {

	public static final String COLLECTION = "consent_closed_accounts";

	private static final Logger logger = LoggerFactory.getLogger(ClosedAccounts.class);

	/** Accounts deleted in one sweep at most; the next sweep takes the rest. */
	private static final int SWEEP_LIMIT = 1000;

	private final ReactiveMongoTemplate mongo;

	private final ConsentHeads heads;

	private final Period retention;

	private final Clock clock;

	private final Function<String, Mono<Void>> tombstone;

	/**
	 * Creates the store.
	 * @param mongo the template
	 * @param heads the users' heads
	 * @param retention how long a closed account's ledger is kept
	 * @param clock the clock
	 * @param tombstone publishes that a user's ledger was deleted, completing once it is
	 * acknowledged
	 */
	public ClosedAccounts(ReactiveMongoTemplate mongo, ConsentHeads heads, Period retention, Clock clock,
			Function<String, Mono<Void>> tombstone) {
		this.mongo = mongo;
		this.heads = heads;
		this.retention = retention;
		this.clock = clock;
		this.tombstone = tombstone;
	}

	/**
	 * Creates the index the sweep finds due accounts by.
	 * @return completion
	 */
	public Mono<Void> createIndexes() {
		return this.mongo.indexOps(COLLECTION).createIndex(new Index().on("deleteAfter", Sort.Direction.ASC)).then();
	}

	/**
	 * Records that an account was closed. Recording it again (a redelivered request)
	 * keeps the first date.
	 * @param userId the user
	 * @param requestId the data-subject request that closed it
	 * @return the day the ledger is deleted (UTC)
	 */
	public Mono<LocalDate> closed(String userId, String requestId) {
		ConsentRules.checkUserId(userId);
		Instant now = this.clock.instant();
		Instant deleteAfter = now.atZone(ZoneOffset.UTC).plus(this.retention).toInstant();
		return this.mongo
			.findAndModify(Query.query(Criteria.where("_id").is(userId)),
					new Update().setOnInsert("requestId", requestId)
						.setOnInsert("closedAt", now)
						.setOnInsert("deleteAfter", deleteAfter),
					FindAndModifyOptions.options().upsert(true).returnNew(true), Document.class, COLLECTION)
			.map((stored) -> stored.getDate("deleteAfter").toInstant().atZone(ZoneOffset.UTC).toLocalDate());
	}

	/**
	 * Until when a closed account's ledger is kept.
	 * @param userId the user
	 * @return the instant it is deleted after, or empty when the account is not closed
	 * (or its ledger is gone)
	 */
	public Mono<Instant> keptUntil(String userId) {
		return this.mongo.findById(userId, Document.class, COLLECTION)
			.map((closed) -> closed.getDate("deleteAfter").toInstant());
	}

	/**
	 * Deletes the ledgers whose retention period is over.
	 * @return how many accounts' ledgers were deleted
	 */
	public Mono<Long> sweep() {
		return this.mongo
			.find(Query.query(Criteria.where("deleteAfter").lte(this.clock.instant())).limit(SWEEP_LIMIT),
					Document.class, COLLECTION)
			.concatMap((due) -> delete(due.getString("_id")).thenReturn(1L))
			.reduce(0L, Long::sum);
	}

	/**
	 * Deletes a user's entries and read-model rows by ranges of their ids
	 * ({@code <userId>:<sequence>}, {@code <userId>|<scope>}; user ids hold neither
	 * separator), which MongoDB answers from the {@code _id} index; a sweep cut short is
	 * finished by the next, whatever it left.
	 */
	private Mono<Void> delete(String userId) {
		return this.mongo.remove(idsStartingWith(userId + ":"), LedgerEntry.COLLECTION)
			.flatMap((entries) -> this.mongo.remove(idsStartingWith(userId + "|"), ConsentProjection.COLLECTION)
				.then(this.heads.delete(userId))
				.then(Mono.defer(() -> this.tombstone.apply(userId)))
				.then(this.mongo.remove(Query.query(Criteria.where("_id").is(userId)), COLLECTION))
				.doOnSuccess((done) -> logger.info(
						"The ledger of a closed account ({} entries) was deleted: its retention period is over",
						entries.getDeletedCount())))
			.then();
	}

	/**
	 * Ids from {@code prefix} up to, not including, the prefix with its last character
	 * raised by one.
	 */
	private static Query idsStartingWith(String prefix) {
		String end = prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
		return Query.query(Criteria.where("_id").gte(prefix).lt(end));
	}

}
