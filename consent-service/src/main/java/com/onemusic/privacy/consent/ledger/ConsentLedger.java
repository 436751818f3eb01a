package com.onemusic.privacy.consent.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

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

	/** How often {@link #awaitPublished} looks again. */
	public static final Duration PUBLICATION_POLL = Duration.ofMillis(50);

	static final String SOURCE_SYSTEM = "consent-service";

	private final ReactiveMongoTemplate mongo;

	private final ConsentHeads heads;

	private final ConsentRules rules;

	private final PolicyService policies;

	private final Consumer<LedgerEntry> publishSoon;

	private final Clock clock;

	/**
	 * Creates the ledger.
	 * @param mongo the template
	 * @param heads where each user's ledger stands
	 * @param rules the rules changes must satisfy
	 * @param policies the policy versions
	 * @param publishSoon hands a new entry to the outbox relay
	 * @param clock the clock
	 */
	public ConsentLedger(ReactiveMongoTemplate mongo, ConsentHeads heads, ConsentRules rules, PolicyService policies,
			Consumer<LedgerEntry> publishSoon, Clock clock) {
		this.mongo = mongo;
		this.heads = heads;
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
				.createIndex(new Index().on("idempotencyKey", Sort.Direction.ASC).unique()),
					this.mongo.indexOps(LedgerEntry.COLLECTION)
						// Unique (receipt ids are random UUIDs), so that the in-memory
						// server answers from the index too; sparse: withdrawals have
						// none.
						.createIndex(new Index().on("receiptId", Sort.Direction.ASC).unique().sparse()))
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
		Mono<Recorded> fresh = this.policies.historyKnowing(command.policyVersion())
			.flatMap((history) -> attempt(command, history, 1));
		if (command.idempotencyKey() == null) {
			return fresh;
		}
		// A submission seen before is answered as it was recorded, whatever the state is
		// now: planned again, it could look like a repeat of the current state (its own
		// effect) and be answered as nothing changed.
		return byIdempotencyKey(command.idempotencyKey()).flatMap(this::replay).switchIfEmpty(Mono.defer(() -> fresh));
	}

	private Mono<Recorded> replay(LedgerEntry existing) {
		return snapshot(existing.userId())
			.map((now) -> new Recorded(false, existing, existing.sequence(), now.states(), true));
	}

	private Mono<Recorded> attempt(ConsentCommand command, PolicyHistory history, int attempt) {
		return writeSnapshot(command.userId(), attempt).flatMap((snapshot) -> {
			Instant now = this.clock.instant();
			if (snapshot.closed()) {
				return Mono.error(new ConsentRefused(ConsentRefused.Reason.ACCOUNT_CLOSED, "The account of user "
						+ command.userId()
						+ " is closed: its consents were withdrawn with the closure and no change is recorded any more"));
			}
			List<ConsentCommand.Requested> effective = this.rules.plan(command, snapshot.states(), history,
					snapshot.birthDate(), now);
			if (effective.isEmpty()) {
				// Nothing to record: only an answer from the latest state may say so.
				return latest(snapshot).flatMap((latest) -> (latest == snapshot)
						? Mono.just(new Recorded(false, null, snapshot.sequence(), snapshot.states(), false))
						: attempt(command, history, attempt + 1));
			}
			LedgerEntry entry = next(snapshot, command, effective, null, now);
			return insert(entry, snapshot, command.idempotencyKey(), attempt,
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
	 * @param deletedOn for a closed account, the day its ledger is deleted
	 * ({@link ClosedAccounts}); else null
	 * @return the entry that records it
	 */
	public Mono<LedgerEntry> eraseFor(String userId, String requestId, boolean closure, LocalDate deletedOn) {
		String reason = (closure ? "account closure" : "deletion") + " request " + requestId;
		String kept = "Proof of what the user consented to and withdrew, and when, is kept as the law requires; "
				+ "it is not used for any other purpose"
				+ ((deletedOn != null) ? ", and it is deleted when the retention period ends" : "");
		return forRequest(userId, "deletion:" + requestId, ConsentMethod.ACCOUNT_CLOSURE, reason, (scope) -> true,
				(withdrawn, snapshot) -> new ErasureReport(requestId, UUID.randomUUID(),
						Map.of("withdrawn", (long) withdrawn, "ledgerEntriesKept", snapshot.sequence() + 1),
						List.of(new ErasureReport.Retained("consent ledger", kept, deletedOn)), closure));
	}

	/**
	 * Withdraws the named consents for a verified data-subject request (policy 8.1.4) and
	 * records the step. Scopes not granted are left as they are; replaying the request
	 * records nothing new and publishes the step again.
	 * @param userId the user
	 * @param requestId the data-subject request
	 * @param scopes the scopes to withdraw
	 * @return the entry that records it
	 */
	public Mono<LedgerEntry> withdrawFor(String userId, String requestId, Set<String> scopes) {
		return forRequest(userId, "withdrawal:" + requestId, ConsentMethod.DATA_SUBJECT_REQUEST,
				"consent withdrawal request " + requestId, scopes::contains,
				(withdrawn, snapshot) -> new ErasureReport(requestId, UUID.randomUUID(),
						Map.of("withdrawn", (long) withdrawn), List.of(), false));
	}

	private Mono<LedgerEntry> forRequest(String userId, String key, ConsentMethod method, String reason,
			Predicate<String> scopes, BiFunction<Integer, Snapshot, ErasureReport> report) {
		ConsentRules.checkUserId(userId);
		return this.policies.history()
			.flatMap((history) -> requestAttempt(userId, key, method, reason, scopes, report, history, 1))
			.flatMap((recorded) -> recorded.changed() ? Mono.just(recorded.entry()) : republish(key));
	}

	private Mono<Recorded> requestAttempt(String userId, String key, ConsentMethod method, String reason,
			Predicate<String> scopes, BiFunction<Integer, Snapshot, ErasureReport> report, PolicyHistory history,
			int attempt) {
		return writeSnapshot(userId, attempt).flatMap((snapshot) -> {
			Instant now = this.clock.instant();
			List<ConsentCommand.Requested> withdrawals = snapshot.states()
				.values()
				.stream()
				.filter((state) -> state.status() == ConsentStatus.GRANTED && scopes.test(state.scope()))
				.map((state) -> new ConsentCommand.Requested(state.scope(), ConsentStatus.WITHDRAWN))
				.toList();
			String policyVersion = history.current().map(PolicyVersion::version).orElseThrow();
			ConsentCommand command = new ConsentCommand(userId, policyVersion, method, SOURCE_SYSTEM, now, null, null,
					reason, withdrawals, key);
			LedgerEntry entry = next(snapshot, command, withdrawals, report.apply(withdrawals.size(), snapshot), now);
			return insert(entry, snapshot, key, attempt,
					() -> requestAttempt(userId, key, method, reason, scopes, report, history, attempt + 1));
		});
	}

	/**
	 * Publishes an existing entry's events again (consumers de-duplicate by event id).
	 */
	private Mono<LedgerEntry> republish(String idempotencyKey) {
		return this.mongo
			.findAndModify(Query.query(Criteria.where("idempotencyKey").is(idempotencyKey)),
					new Update().set("published", false), LedgerEntry.class, LedgerEntry.COLLECTION)
			.doOnSuccess((entry) -> {
				if (entry != null) {
					this.publishSoon.accept(entry);
				}
			});
	}

	private Mono<Recorded> insert(LedgerEntry entry, Snapshot before, String idempotencyKey, int attempt,
			Supplier<Mono<Recorded>> retry) {
		return this.mongo.insert(entry, LedgerEntry.COLLECTION)
			.map(Optional::of)
			// Only the insert's own duplicate key means a replay or a lost race.
			.onErrorResume(DuplicateKeys::isDuplicateKey, (ex) -> Mono.just(Optional.empty()))
			.flatMap((saved) -> saved.isPresent() ? recorded(saved.get(), before)
					: replayOrRetry(entry, idempotencyKey, attempt, retry));
	}

	private Mono<Recorded> recorded(LedgerEntry saved, Snapshot before) {
		this.publishSoon.accept(saved);
		Snapshot after = before.with(saved);
		this.heads.moved(after);
		return Mono.just(new Recorded(true, saved, saved.sequence(), after.states(), false));
	}

	private Mono<Recorded> replayOrRetry(LedgerEntry entry, String idempotencyKey, int attempt,
			Supplier<Mono<Recorded>> retry) {
		return byIdempotencyKey(idempotencyKey).flatMap(this::replay).switchIfEmpty(Mono.defer(() -> {
			if (attempt >= ATTEMPTS) {
				return Mono.error(new IllegalStateException("Could not record a change of user " + entry.userId()
						+ " after " + ATTEMPTS + " attempts: too many concurrent changes"));
			}
			// The head this attempt started from was behind.
			this.heads.forget(entry.userId());
			return retry.get();
		}));
	}

	/**
	 * Where the user's ledger stands: the stored head, and any entries written after it.
	 * @param userId the user
	 * @return the snapshot
	 */
	private Mono<Snapshot> snapshot(String userId) {
		return this.heads.stored(userId).flatMap((head) -> forward(userId, head));
	}

	/**
	 * What a change is planned on. The first attempt trusts the head without walking
	 * forward: the insert of the next sequence number succeeds only if no entry came
	 * after the head (numbers have no gaps), so a stale head costs a retry, never a wrong
	 * entry. Later attempts walk forward from the stored head.
	 */
	private Mono<Snapshot> writeSnapshot(String userId, int attempt) {
		return (attempt == 1) ? this.heads.forWrite(userId) : snapshot(userId);
	}

	/**
	 * The same snapshot if no entry follows it, else a newer one.
	 */
	private Mono<Snapshot> latest(Snapshot snapshot) {
		return this.mongo
			.exists(Query.query(Criteria.where("_id").is(LedgerEntry.idOf(snapshot.userId(), snapshot.sequence() + 1))),
					LedgerEntry.COLLECTION)
			.flatMap((behind) -> {
				if (!behind) {
					return Mono.just(snapshot);
				}
				this.heads.forget(snapshot.userId());
				return snapshot(snapshot.userId());
			});
	}

	private Mono<Snapshot> forward(String userId, Snapshot snapshot) {
		return this.mongo
			.findById(LedgerEntry.idOf(userId, snapshot.sequence() + 1), LedgerEntry.class, LedgerEntry.COLLECTION)
			.flatMap((entry) -> forward(userId, snapshot.with(entry)))
			.defaultIfEmpty(snapshot);
	}

	private LedgerEntry next(Snapshot snapshot, ConsentCommand command, List<ConsentCommand.Requested> effective,
			ErasureReport erasure, Instant now) {
		long sequence = snapshot.sequence() + 1;
		String previousHash = snapshot.hash();
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
		// Walks the ids 1, 2, 3, ...: each a primary-key lookup, in order.
		return this.mongo.findById(LedgerEntry.idOf(userId, 1), LedgerEntry.class, LedgerEntry.COLLECTION)
			.expand((entry) -> this.mongo.findById(LedgerEntry.idOf(userId, entry.sequence() + 1), LedgerEntry.class,
					LedgerEntry.COLLECTION));
	}

	/**
	 * The state of a user's consents.
	 * @param userId the user
	 * @param asOf an instant, or null for now
	 * @return the state by scope
	 */
	public Mono<Map<String, ConsentState>> state(String userId, Instant asOf) {
		ConsentRules.checkUserId(userId);
		if (asOf == null) {
			return snapshot(userId).map(Snapshot::states);
		}
		return entries(userId).collectList().map((entries) -> ConsentFold.fold(entries, asOf));
	}

	/**
	 * Where a user's ledger stands now: every scope's state and the sequence number of
	 * the last entry, which is 0 for a user without a ledger (none yet, or deleted at the
	 * end of its retention period).
	 * @param userId the user
	 * @return the state
	 */
	public Mono<Current> current(String userId) {
		return snapshot(userId).map((snapshot) -> new Current(snapshot.sequence(), snapshot.states()));
	}

	/**
	 * A user's state, at least as of a sequence number: this instance's latest snapshot
	 * of the user when it is that far (no database read), else where the ledger stands
	 * now ({@link #current(String)}).
	 * @param userId the user
	 * @param atLeast the sequence number the state must reflect at least
	 * @return the state
	 */
	public Mono<Current> current(String userId, long atLeast) {
		Snapshot known = this.heads.inMemory(userId);
		if (known != null && known.sequence() >= atLeast) {
			return Mono.just(new Current(known.sequence(), known.states()));
		}
		return current(userId);
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

	/**
	 * Completes once the user's entry of a sequence number is published (its events
	 * acknowledged by Kafka and the entry marked), by whichever instance's relay.
	 * @param userId the user
	 * @param sequence the entry's sequence number
	 * @param timeout how long to wait
	 * @return the entry, or empty if it was not published within the timeout
	 */
	public Mono<LedgerEntry> awaitPublished(String userId, long sequence, Duration timeout) {
		// By primary key alone (a lookup, not a scan), the mark checked here.
		return Mono
			.defer(() -> this.mongo.findById(LedgerEntry.idOf(userId, sequence), LedgerEntry.class,
					LedgerEntry.COLLECTION))
			.filter(LedgerEntry::published)
			.repeatWhenEmpty((empties) -> empties.delayElements(PUBLICATION_POLL))
			.timeout(timeout, Mono.empty());
	}

	private Mono<LedgerEntry> byIdempotencyKey(String key) {
		return this.mongo.findOne(Query.query(Criteria.where("idempotencyKey").is(key)), LedgerEntry.class,
				LedgerEntry.COLLECTION);
	}

	/**
	 * A user's ledger as it stands.
	 *
	 * @param sequence the sequence number of the last entry, 0 without a ledger
	 * @param states the state of each scope
	 */
	public record Current(long sequence, Map<String, ConsentState> states) {

	}

	/**
	 * The outcome of a change.
	 *
	 * @param changed whether this call recorded a new entry
	 * @param entry the new entry, or the earlier entry of a replayed submission; null
	 * when the command repeated the current state
	 * @param sequence the user's sequence number afterwards (0 for a user with no
	 * entries); of a replayed submission, the sequence number its entry got
	 * @param state the user's state afterwards, by scope
	 * @param replayed whether the submission (its idempotency key) was recorded before
	 */
	public record Recorded(boolean changed, LedgerEntry entry, long sequence, Map<String, ConsentState> state,
			boolean replayed) {

	}

}
