package com.onemusic.privacy.consent.messaging;

import java.util.List;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import com.onemusic.privacy.consent.ledger.ConsentCommand;
import com.onemusic.privacy.consent.ledger.ConsentLedger;
import com.onemusic.privacy.consent.ledger.ConsentMethod;
import com.onemusic.privacy.consent.ledger.ConsentRefused;
import com.onemusic.privacy.consent.ledger.ConsentStatus;
import com.onemusic.privacy.consent.ledger.Guardian;
import com.onemusic.privacy.events.ConsentChanged;
import com.onemusic.privacy.platform.messaging.Listeners;
import com.onemusic.privacy.platform.messaging.RejectedRecord;

/**
 * Records ConsentChanged events that other backend services publish (an app backend
 * relaying an OS permission toggle, say) into the ledger, which then publishes them again
 * with their sequence number. Events that carry a sequence number are the ledger's own
 * and are skipped. A replayed event finds the entry it made the first time (its event id
 * is the idempotency key). An event that breaks a rule goes to the dead-letter topic.
 *
 * <p>
 * Nearly every record on the topic is the ledger's own, so its consumer waits for up to
 * 64 KB or 200 ms of records per fetch, as the state publisher's does: with the defaults
 * it fetched and committed offsets for about every change the service made (0.99 offset
 * commits per change at one client, 0.06 since), and a submission now waits at most 200
 * ms longer to be read.
 */
@Component
class ConsentSubmissionListener {

	private final ConsentLedger ledger;

	ConsentSubmissionListener(ConsentLedger ledger) {
		this.ledger = ledger;
	}

	@KafkaListener(topics = "#{T(com.onemusic.privacy.events.Topics).CONSENT_CHANGED.name()}",
			properties = { "fetch.min.bytes=65536", "fetch.max.wait.ms=200" })
	void on(ConsentChanged event) {
		if (event.getSequence() != null) {
			return;
		}
		ConsentCommand command;
		try {
			command = new ConsentCommand(event.getUserId(), event.getPolicyVersion(), method(event),
					event.getSourceSystem(), event.getOccurredAt(), null, guardian(event), event.getReason(),
					List.of(new ConsentCommand.Requested(event.getScope(),
							ConsentStatus.valueOf(event.getStatus().name()))),
					"event:" + event.getEventId());
		}
		catch (IllegalArgumentException ex) {
			throw new RejectedRecord("ConsentChanged " + event.getEventId() + ": " + ex.getMessage(), ex);
		}
		this.ledger.record(command)
			.onErrorMap(ConsentRefused.class,
					(ex) -> new RejectedRecord("ConsentChanged " + event.getEventId() + " refused: " + ex.reason()
							+ ": " + ex.getMessage(), ex))
			.block(Listeners.TIMEOUT);
	}

	private static ConsentMethod method(ConsentChanged event) {
		if (event.getMethod() == com.onemusic.privacy.events.ConsentMethod.UNKNOWN) {
			throw new IllegalArgumentException("the method " + event.getMethod() + " is not one this service knows");
		}
		return ConsentMethod.valueOf(event.getMethod().name());
	}

	private static Guardian guardian(ConsentChanged event) {
		if (event.getGuardian() == null) {
			return null;
		}
		return new Guardian(event.getGuardian().getGuardianId(),
				Guardian.Relationship.valueOf(event.getGuardian().getRelationship()));
	}

}
