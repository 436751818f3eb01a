package com.onemusic.privacy.consent.messaging;

import java.util.Set;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import com.onemusic.privacy.consent.ledger.ConsentLedger;
import com.onemusic.privacy.consent.ledger.ConsentRefused;
import com.onemusic.privacy.events.ConsentWithdrawalRequested;
import com.onemusic.privacy.platform.messaging.Listeners;
import com.onemusic.privacy.platform.messaging.RejectedRecord;

/**
 * Withdraws the consents a verified data-subject request names (policy 8.1.4), published
 * as ConsentChanged, and reports the step as ErasureStepReported.
 */
@Component
class ConsentWithdrawalListener {

	private final ConsentLedger ledger;

	ConsentWithdrawalListener(ConsentLedger ledger) {
		this.ledger = ledger;
	}

	@KafkaListener(topics = "#{T(com.onemusic.privacy.events.Topics).CONSENT_WITHDRAWAL_REQUESTED.name()}")
	void on(ConsentWithdrawalRequested event) {
		this.ledger.withdrawFor(event.getUserId(), event.getRequestId(), Set.copyOf(event.getScopes()))
			.onErrorMap(ConsentRefused.class,
					(ex) -> new RejectedRecord(
							"ConsentWithdrawalRequested " + event.getEventId() + " refused: " + ex.getMessage(), ex))
			.block(Listeners.TIMEOUT);
	}

}
