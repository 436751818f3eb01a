package com.onemusic.privacy.consent.messaging;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.kafka.core.KafkaTemplate;

import com.onemusic.privacy.consent.ledger.ConsentLedger;
import com.onemusic.privacy.consent.ledger.ConsentStatus;
import com.onemusic.privacy.events.ConsentStateRecorded;
import com.onemusic.privacy.events.ScopeConsentState;
import com.onemusic.privacy.events.Topics;

/**
 * Publishes users' consent states on the compacted topic
 * {@code privacy.consent-state.v1}: the state as the ledger holds it when it is read. A
 * state read later is never older than one read before (the ledger is append-only), so
 * the state published last for a user is the newest, which is the one compaction keeps. A
 * user without a ledger gets nothing (a change with a sequence number that the ledger
 * does not hold was not the ledger's); the tombstone comes only from the deletion of a
 * closed account's ledger ({@link #deleted}).
 *
 * <p>
 * States are sent in the state publisher's Kafka transaction ({@link StateTransactions}),
 * which commits the batch's offsets with them.
 */
public class ConsentStates {

	/** Users whose ledgers are read at once. */
	private static final int READS_IN_PARALLEL = 16;

	private final ConsentLedger ledger;

	private final KafkaTemplate<String, Object> transactional;

	private final KafkaTemplate<String, Object> kafka;

	private final Clock clock;

	/**
	 * Creates the publisher.
	 * @param ledger the ledger states are read from
	 * @param transactional the transactional template states are sent with
	 * @param kafka the service's template, for tombstones
	 * @param clock the clock
	 */
	public ConsentStates(ConsentLedger ledger, KafkaTemplate<String, Object> transactional,
			KafkaTemplate<String, Object> kafka, Clock clock) {
		this.ledger = ledger;
		this.transactional = transactional;
		this.kafka = kafka;
		this.clock = clock;
	}

	/**
	 * Publishes the users' states, each at least as of a sequence number: this instance's
	 * latest snapshot of the user when it is that far, else read from the ledger. The
	 * states are sent on the calling thread, in its Kafka transaction (the state
	 * publisher's container began it; it commits or aborts it).
	 * @param users the sequence number each user's state must reflect at least, by user
	 * @param timeout how long the reads may take
	 */
	public void publish(Map<String, Long> users, Duration timeout) {
		List<ConsentStateRecorded> states = Flux.fromIterable(users.entrySet())
			.flatMapSequential((user) -> this.ledger.current(user.getKey(), user.getValue())
				.filter((current) -> current.sequence() > 0)
				.map((current) -> state(user.getKey(), current)), READS_IN_PARALLEL)
			.collectList()
			.block(timeout);
		if (states == null || states.isEmpty()) {
			return;
		}
		// In the caller's transaction (the template refuses to send outside one);
		// acknowledged when it commits, and a failed send fails the commit.
		for (ConsentStateRecorded state : states) {
			this.transactional.send(Topics.CONSENT_STATE.name(), state.getUserId(), state);
		}
	}

	/**
	 * Publishes the tombstone of a user whose ledger was deleted.
	 * @param userId the user
	 * @return completion once Kafka acknowledged it
	 */
	public Mono<Void> deleted(String userId) {
		return Mono.defer(() -> Mono.fromFuture(this.kafka.send(Topics.CONSENT_STATE.name(), userId, null)))
			.subscribeOn(Schedulers.boundedElastic())
			.then();
	}

	private ConsentStateRecorded state(String userId, ConsentLedger.Current current) {
		List<ScopeConsentState> scopes = current.states()
			.values()
			.stream()
			.map((state) -> new ScopeConsentState(state.scope(), state.status() == ConsentStatus.GRANTED,
					state.policyVersion(), state.sequence(), state.occurredAt()))
			.toList();
		return ConsentStateRecorded.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(this.clock.instant())
			.setUserId(userId)
			.setSequence(current.sequence())
			.setScopes(scopes)
			.build();
	}

}
