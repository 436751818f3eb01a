package com.onemusic.privacy.consent.messaging;

import reactor.core.publisher.Mono;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import com.onemusic.privacy.consent.ledger.ClosedAccounts;
import com.onemusic.privacy.consent.ledger.ConsentLedger;
import com.onemusic.privacy.consent.ledger.LedgerEntry;
import com.onemusic.privacy.consent.ledger.ConsentRefused;
import com.onemusic.privacy.events.DeletionKind;
import com.onemusic.privacy.events.DeletionRequested;
import com.onemusic.privacy.platform.messaging.Listeners;
import com.onemusic.privacy.platform.messaging.RejectedRecord;

/**
 * consent-service's part of a deletion or account closure: every consent of the user is
 * withdrawn (published as ConsentChanged), and the step is reported as
 * ErasureStepReported. The ledger itself is kept as proof, which the report says; a
 * closed account's ledger is deleted when the retention period ends
 * ({@link ClosedAccounts}).
 */
@Component
class DeletionRequestedListener {

	private final ConsentLedger ledger;

	private final ClosedAccounts closedAccounts;

	DeletionRequestedListener(ConsentLedger ledger, ClosedAccounts closedAccounts) {
		this.ledger = ledger;
		this.closedAccounts = closedAccounts;
	}

	@KafkaListener(topics = "#{T(com.onemusic.privacy.events.Topics).DELETION_REQUESTED.name()}")
	void on(DeletionRequested event) {
		if (!event.getOnlyParticipants().isEmpty()
				&& !event.getOnlyParticipants().contains(ConsentEvents.PARTICIPANT)) {
			// Another participant is asked again.
			return;
		}
		String userId = event.getUserId();
		String requestId = event.getRequestId();
		Mono<LedgerEntry> erased = (event.getKind() == DeletionKind.ACCOUNT_CLOSURE)
				? Mono.defer(() -> this.closedAccounts.closed(userId, requestId))
					.flatMap((deletedOn) -> this.ledger.eraseFor(userId, requestId, true, deletedOn))
				: Mono.defer(() -> this.ledger.eraseFor(userId, requestId, false, null));
		erased
			.onErrorMap(ConsentRefused.class,
					(ex) -> new RejectedRecord(
							"DeletionRequested " + event.getEventId() + " refused: " + ex.getMessage(), ex))
			.block(Listeners.TIMEOUT);
	}

}
