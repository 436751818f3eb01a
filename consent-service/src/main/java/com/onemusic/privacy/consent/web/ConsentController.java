package com.onemusic.privacy.consent.web;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;

import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.onemusic.privacy.consent.ledger.ChainVerification;
import com.onemusic.privacy.consent.ledger.ConsentCommand;
import com.onemusic.privacy.consent.ledger.ConsentLedger;
import com.onemusic.privacy.consent.ledger.ConsentRules;
import com.onemusic.privacy.consent.ledger.ConsentStatus;
import com.onemusic.privacy.consent.ledger.LedgerEntry;
import com.onemusic.privacy.consent.policy.PolicyService;
import com.onemusic.privacy.consent.policy.PolicyVersion;
import com.onemusic.privacy.consent.scope.ScopeCatalog;
import com.onemusic.privacy.consent.web.ConsentViews.ChangeResult;
import com.onemusic.privacy.consent.web.ConsentViews.ConsentView;
import com.onemusic.privacy.consent.web.ConsentViews.HistoryEntry;
import com.onemusic.privacy.consent.web.ConsentViews.UserConsents;
import com.onemusic.privacy.platform.outbox.OutboxRelay;
import com.onemusic.privacy.platform.security.AuditTrail;
import com.onemusic.privacy.platform.security.Callers;
import com.onemusic.privacy.platform.web.ApiProblem;

/**
 * A user's consents: change them, read them now or as of an instant, their history and
 * its integrity.
 */
@RestController
class ConsentController {

	/** How long a withdrawal's answer waits for its publication. */
	static final Duration PUBLICATION_WAIT = Duration.ofSeconds(10);

	private final ConsentLedger ledger;

	private final PolicyService policies;

	private final ScopeCatalog catalog;

	private final SingletonSupplier<OutboxRelay> relay;

	private final AuditTrail audit;

	private final ClosedAccountReads closed;

	ConsentController(ConsentLedger ledger, PolicyService policies, ScopeCatalog catalog,
			ObjectProvider<OutboxRelay> relay, AuditTrail audit, ClosedAccountReads closed) {
		this.ledger = ledger;
		this.policies = policies;
		this.catalog = catalog;
		this.relay = SingletonSupplier.of(relay::getIfAvailable);
		this.audit = audit;
		this.closed = closed;
	}

	/**
	 * Grants or withdraws several scopes at once. Repeating the current state records
	 * nothing; a retried request with the same {@code Idempotency-Key} answers what the
	 * first one recorded. A request that withdraws is answered only once the user's
	 * ledger is published up to the answer (503 {@code withdrawal-not-yet-published} if
	 * that takes longer than {@link #PUBLICATION_WAIT}).
	 */
	@PutMapping("/users/{userId}/consents")
	Mono<ChangeResult> change(@PathVariable String userId,
			@RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
			@Valid @RequestBody ConsentRequests.ChangeConsents body) {
		ConsentRules.checkUserId(userId);
		if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 128)) {
			return Mono.error(ApiProblem.badRequest("invalid-idempotency-key",
					"The Idempotency-Key header must be 1 to 128 characters"));
		}
		ConsentCommand command = new ConsentCommand(userId, body.policyVersion(), body.method(), body.sourceSystem(),
				(body.occurredAt() != null) ? body.occurredAt() : Instant.now(), body.birthDate(),
				(body.guardian() != null) ? body.guardian().toGuardian() : null, null,
				body.changes()
					.stream()
					.map((change) -> new ConsentCommand.Requested(change.scope(), change.status()))
					.toList(),
				(idempotencyKey != null) ? "api:" + userId + ":" + idempotencyKey : null);
		// Waits while the relay is behind, so that accepted changes are published
		// promptly.
		OutboxRelay available = this.relay.get();
		Mono<Void> admission = (available != null) ? available.admission() : Mono.empty();
		boolean withdraws = body.changes().stream().anyMatch((change) -> change.status() == ConsentStatus.WITHDRAWN);
		return Callers.mayActFor(userId)
			.then(admission)
			.then(Mono.defer(() -> this.ledger.record(command)))
			// A withdrawal is answered once it is on the topic, so that every service
			// that reads the topic can honour it from then on.
			.flatMap((recorded) -> (withdraws && recorded.sequence() > 0) ? published(userId, recorded.sequence())
				.switchIfEmpty(
						Mono.error(() -> new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "withdrawal-not-yet-published",
								"The withdrawal is recorded (sequence " + recorded.sequence()
										+ ") but not yet published to the other services; it will be. Ask again"
										+ " (with the same Idempotency-Key) to learn when it is.")))
				.thenReturn(recorded) : Mono.just(recorded))
			.zipWith(this.policies.history())
			.map((result) -> {
				ConsentLedger.Recorded recorded = result.getT1();
				// A replay answers what the first submission recorded.
				return new ChangeResult(userId, recorded.changed() || recorded.replayed(), recorded.replayed(),
						(recorded.sequence() > 0) ? recorded.sequence() : null,
						(recorded.entry() != null) ? recorded.entry().receiptId() : null,
						ConsentView.of(recorded.state(), this.catalog, result.getT2()));
			});
	}

	/**
	 * The user's entry, once published: told by this instance's relay when Kafka
	 * acknowledges it, or seen marked in the ledger (published before, or by another
	 * instance's relay).
	 * @return a signal once published, empty if not within {@link #PUBLICATION_WAIT}
	 */
	private Mono<Boolean> published(String userId, long sequence) {
		Mono<Boolean> stored = this.ledger.awaitPublished(userId, sequence, PUBLICATION_WAIT).map((entry) -> true);
		OutboxRelay available = this.relay.get();
		if (available == null) {
			return stored;
		}
		Mono<Boolean> acknowledged = available.sent(LedgerEntry.idOf(userId, sequence)).thenReturn(true);
		// The first to say so; empty only when neither did within the wait. The relay
		// usually says so within milliseconds: the ledger is looked at only after a poll
		// interval, for an entry that another instance, or this one long ago, published.
		return Mono.firstWithValue(acknowledged, stored.delaySubscription(ConsentLedger.PUBLICATION_POLL))
			.timeout(PUBLICATION_WAIT, Mono.empty())
			.onErrorResume(NoSuchElementException.class, (ex) -> Mono.empty());
	}

	/** The user's consents now, or as they were at {@code at} (ISO-8601 instant). */
	@GetMapping("/users/{userId}/consents")
	Mono<UserConsents> consents(@PathVariable String userId,
			@RequestHeader(name = AuditTrail.REASON_HEADER, required = false) String reason,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant at) {
		return Callers.mayActFor(userId)
			.then(this.closed.mayRead(userId))
			.then(this.audit.revealed("VIEW_CONSENTS", null, userId, reason))
			.then(this.ledger.state(userId, at))
			.zipWith(this.policies.history())
			.map((result) -> new UserConsents(userId, at,
					result.getT2().current().map(PolicyVersion::version).orElse(null),
					ConsentView.of(result.getT1(), this.catalog, result.getT2())));
	}

	/** Every change of the user's consents, in the order recorded. */
	@GetMapping("/users/{userId}/consents/history")
	Mono<List<HistoryEntry>> history(@PathVariable String userId,
			@RequestHeader(name = AuditTrail.REASON_HEADER, required = false) String reason) {
		ConsentRules.checkUserId(userId);
		return Callers.mayActFor(userId)
			.then(this.closed.mayRead(userId))
			.then(this.audit.revealed("VIEW_CONSENT_HISTORY", null, userId, reason))
			.thenMany(this.ledger.entries(userId))
			.map(HistoryEntry::of)
			.collectList();
	}

	/** Checks the user's hash chain and names the first broken link. */
	@GetMapping("/users/{userId}/ledger/verification")
	Mono<ChainVerification> verification(@PathVariable String userId) {
		return Callers.mayActFor(userId).then(this.closed.mayRead(userId)).then(this.ledger.verify(userId));
	}

}
