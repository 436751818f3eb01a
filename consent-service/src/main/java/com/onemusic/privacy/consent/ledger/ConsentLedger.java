package com.onemusic.privacy.consent.ledger;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import com.onemusic.privacy.consent.policy.PolicyHistory;
import com.onemusic.privacy.consent.policy.PolicyService;
import com.onemusic.privacy.consent.policy.PolicyVersion;
import com.onemusic.privacy.platform.mongo.DuplicateKeys;

/**
 * The consent ledger: records changes (from the API, from other services' events, from
 * account closures), and answers the state, the history and the integrity of a user's
 * consents.
 *
 * <p>
 * A change is one insert of one {@link LedgerEntry} whose id holds the user's next
 * sequence number: two concurrent changes of one user cannot both take the same number
 * (the second gets a duplicate-key error, re-reads and tries again), so no update is lost
 * and the order is decided by the database. A replayed submission carries the same
 * idempotency key, which is unique too, and finds the entry it made the first time.
 */
public class ConsentLedger {

	/**
	 * How often a change is retried when another change of the same user took its number.
	 */
	static final int ATTEMPTS = 20;

	static final String SOURCE_SYSTEM = "consent-service";

	private final ReactiveMongoTemplate mongo;

	private final ConsentRules rules;

	private final PolicyService policies;

	private final Runnable publishSoon;

	private final Clock clock;

	public ConsentLedger(ReactiveMongoTemplate mongo, ConsentRules rules, PolicyService policies, Runnable publishSoon,
			Clock clock) {
		this.mongo = mongo;
		this.rules = rules;
		this.policies = policies;
		this.publishSoon = publishSoon;
		this.clock = clock;
	}

	/**
	 * Creates the ledger's indexes.
	 * @return completion
	 */
	public Mono<Void> createIndexes() {
		return Flux
			.concat(this.mongo.indexOps(LedgerEntry.COLLECTION)
				.createIndex(new Index().on("userId", Sort.Direction.ASC).on("sequence", Sort.Direction.ASC)),
					this.mongo.indexOps(LedgerEntry.COLLECTION)
						.createIndex(new Index().on("idempotencyKey", Sort.Direction.ASC).unique()),
					this.mongo.indexOps(LedgerEntry.COLLECTION)
						.createIndex(new Index().on("receiptId", Sort.Direction.ASC)))
			.then();
	}

	/**
	 * Records a change.
	 * @param command the change
	 * @return what was recorded; {@code changed} is false when the command repeated the
	 * current state, or replayed an earlier submission
	 */
	public Mono<Recorded> record(ConsentCommand command) {
		ConsentRules.checkUserId(command.userId());
		if (command.method() != null && command.method().systemOnly()) {
			return Mono.error(new ConsentRefused(ConsentRefused.Reason.METHOD_NOT_ALLOWED,
					"Only the system records changes with method " + command.method()));
		}
		return this.policies.history().flatMap((history) -> attempt(command, history, 1));
	}

	private Mono<Recorded> attempt(ConsentCommand command, PolicyHistory history, int attempt) {
		return entries(command.userId()).collectList().flatMap((entries) -> {
			Map<String, ConsentState> current = ConsentFold.fold(entries, null);
			Instant now = this.clock.instant();
			List<ConsentCommand.Requested> effective = this.rules.plan(command, current, history,
					knownBirthDate(entries), now);
			if (effective.isEmpty()) {
				return Mono.just(new Recorded(false, last(entries), current));
			}
			LedgerEntry entry = next(entries, command, effective, null, now);
			return insert(entry, entries, command.idempotencyKey(), attempt,
					() -> attempt(command, history, attempt + 1));
		});
	}

	/**
	 * Withdraws every consent a user has, for a deletion or account closure, and records
	 * consent-service's erasure step. Replaying it (the same request again) records
	 * nothing new but publishes the step again, so a participant can be asked twice.
	 * @param userId the user
	 * @param requestId the data-subject request
	 * @param closure whether the account is closed (else the data is deleted)
	 * @return the entry that records it
	 */
	public Mono<LedgerEntry> eraseFor(String userId, String requestId, boolean closure) {
		ConsentRules.checkUserId(userId);
		String key = "deletion:" + requestId;
		return this.policies.history()
			.flatMap((history) -> eraseAttempt(userId, requestId, closure, key, history, 1))
			.flatMap((recorded) -> recorded.changed() ? Mono.just(recorded.entry()) : republish(key));
	}

	private Mono<Recorded> eraseAttempt(String userId, String requestId, boolean closure, String key,
			PolicyHistory history, int attempt) {
		return entries(userId).collectList().flatMap((entries) -> {
			Instant now = this.clock.instant();
			List<ConsentCommand.Requested> withdrawals = ConsentFold.fold(entries, null)
				.values()
				.stream()
				.filter((state) -> state.status() == ConsentStatus.GRANTED)
				.map((state) -> new ConsentCommand.Requested(state.scope(), ConsentStatus.WITHDRAWN))
				.toList();
			String policyVersion = history.current().map(PolicyVersion::version).orElseThrow();
			String reason = (closure ? "account closure" : "deletion") + " request " + requestId;
			ConsentCommand command = new ConsentCommand(userId, policyVersion, ConsentMethod.ACCOUNT_CLOSURE,
					SOURCE_SYSTEM, now, null, null, reason, withdrawals, key);
			ErasureReport report = new ErasureReport(requestId, UUID.randomUUID(),
					Map.of("withdrawn", (long) withdrawals.size(), "ledgerEntriesKept", (long) entries.size()),
					List.of(new ErasureReport.Retained("consent ledger",
							"Proof of what the user consented to and withdrew, and when, is kept as the law requires; "
									+ "it is not used for any other purpose",
							null)));
			LedgerEntry entry = next(entries, command, withdrawals, report, now);
			return insert(entry, entries, key, attempt,
					() -> eraseAttempt(userId, requestId, closure, key, history, attempt + 1));
		});
	}

	/**
	 * Publishes an existing entry's events again (consumers de-duplicate by event id).
	 */
	private Mono<LedgerEntry> republish(String idempotencyKey) {
		return this.mongo
			.findAndModify(Query.query(Criteria.where("idempotencyKey").is(idempotencyKey)),
					new Update().set("published", false), LedgerEntry.class, LedgerEntry.COLLECTION)
			.doOnSuccess((entry) -> this.publishSoon.run());
	}

	private Mono<Recorded> insert(LedgerEntry entry, List<LedgerEntry> before, String idempotencyKey, int attempt,
			java.util.function.Supplier<Mono<Recorded>> retry) {
		return this.mongo.insert(entry, LedgerEntry.COLLECTION).map((saved) -> {
			this.publishSoon.run();
			List<LedgerEntry> after = new ArrayList<>(before);
			after.add(saved);
			return new Recorded(true, saved, ConsentFold.fold(after, null));
		})
			.onErrorResume(DuplicateKeys::isDuplicateKey, (ex) -> byIdempotencyKey(idempotencyKey)
				.flatMap((existing) -> entries(existing.userId()).collectList()
					.map((all) -> new Recorded(false, existing, ConsentFold.fold(all, null))))
				.switchIfEmpty(Mono.defer(() -> (attempt < ATTEMPTS) ? retry.get()
						: Mono.error(new IllegalStateException("Could not record a change of user " + entry.userId()
								+ " after " + ATTEMPTS + " attempts: too many concurrent changes")))));
	}

	private LedgerEntry next(List<LedgerEntry> entries, ConsentCommand command,
			List<ConsentCommand.Requested> effective, ErasureReport erasure, Instant now) {
		LedgerEntry previous = last(entries);
		long sequence = (previous != null) ? previous.sequence() + 1 : 1;
		String previousHash = (previous != null) ? previous.hash() : LedgerHash.GENESIS;
		List<ScopeChange> changes = effective.stream()
			.map((change) -> new ScopeChange(change.scope(), change.status(), UUID.randomUUID()))
			.toList();
		boolean grants = changes.stream().anyMatch((change) -> change.status() == ConsentStatus.GRANTED);
		String receiptId = grants ? "cr-" + UUID.randomUUID() : null;
		String idempotencyKey = (command.idempotencyKey() != null) ? command.idempotencyKey()
				: "auto:" + UUID.randomUUID();
		LedgerEntry unhashed = new LedgerEntry(LedgerEntry.idOf(command.userId(), sequence), command.userId(), sequence,
				command.occurredAt(), now, command.policyVersion(), command.method(), command.sourceSystem(),
				command.guardian(), command.birthDate(), command.reason(), changes, receiptId, idempotencyKey, erasure,
				previousHash, null, false);
		return withHash(unhashed, LedgerHash.of(unhashed));
	}

	private static LedgerEntry withHash(LedgerEntry entry, String hash) {
		return new LedgerEntry(entry.id(), entry.userId(), entry.sequence(), entry.occurredAt(), entry.recordedAt(),
				entry.policyVersion(), entry.method(), entry.sourceSystem(), entry.guardian(), entry.birthDate(),
				entry.reason(), entry.changes(), entry.receiptId(), entry.idempotencyKey(), entry.erasure(),
				entry.previousHash(), hash, entry.published());
	}

	/**
	 * A user's entries in sequence order.
	 * @param userId the user
	 * @return the entries
	 */
	public Flux<LedgerEntry> entries(String userId) {
		return this.mongo.find(Query.query(Criteria.where("userId").is(userId)).with(Sort.by("sequence")),
				LedgerEntry.class, LedgerEntry.COLLECTION);
	}

	/**
	 * The state of a user's consents.
	 * @param userId the user
	 * @param asOf an instant, or null for now
	 * @return the state by scope
	 */
	public Mono<Map<String, ConsentState>> state(String userId, Instant asOf) {
		ConsentRules.checkUserId(userId);
		return entries(userId).collectList().map((entries) -> ConsentFold.fold(entries, asOf));
	}

	/**
	 * Checks a user's hash chain.
	 * @param userId the user
	 * @return the verification
	 */
	public Mono<ChainVerification> verify(String userId) {
		ConsentRules.checkUserId(userId);
		return entries(userId).collectList().map((entries) -> ChainVerification.verify(userId, entries));
	}

	/**
	 * The entry that issued a receipt.
	 * @param receiptId the receipt id
	 * @return the entry, or empty
	 */
	public Mono<LedgerEntry> byReceipt(String receiptId) {
		return this.mongo.findOne(Query.query(Criteria.where("receiptId").is(receiptId)), LedgerEntry.class,
				LedgerEntry.COLLECTION);
	}

	private Mono<LedgerEntry> byIdempotencyKey(String key) {
		return this.mongo.findOne(Query.query(Criteria.where("idempotencyKey").is(key)), LedgerEntry.class,
				LedgerEntry.COLLECTION);
	}

	private static LedgerEntry last(List<LedgerEntry> entries) {
		return entries.isEmpty() ? null : entries.get(entries.size() - 1);
	}

	private static LocalDate knownBirthDate(List<LedgerEntry> entries) {
		for (int i = entries.size() - 1; i >= 0; i--) {
			if (entries.get(i).birthDate() != null) {
				return entries.get(i).birthDate();
			}
		}
		return null;
	}

	/**
	 * The outcome of a change.
	 *
	 * @param changed whether a new entry was recorded
	 * @param entry the new entry; or the earlier entry of a replayed submission; or the
	 * latest entry when nothing changed (null for a user with no entries)
	 * @param state the user's state afterwards, by scope
	 */
	public record Recorded(boolean changed, LedgerEntry entry, Map<String, ConsentState> state) {

	}

}
