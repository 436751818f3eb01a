package com.onemusic.privacy.anonymizer.profile;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import com.onemusic.privacy.anonymizer.AnonymizerProperties;
import com.onemusic.privacy.events.ConsentChanged;
import com.onemusic.privacy.events.ConsentStateRecorded;
import com.onemusic.privacy.events.ConsentStatus;
import com.onemusic.privacy.platform.messaging.Listeners;
import com.onemusic.privacy.platform.messaging.RejectedRecord;

/**
 * Follows the profiling consent as consent-service publishes it (with the ledger's
 * sequence number; changes other services publish without one come back from
 * consent-service with it): from the changes, and from the users' states on the compacted
 * state topic, which hold consents older than the changes topic's retention (so a service
 * that starts afresh learns of them). Both count as consent-service's ledger does (the
 * later made, then the higher sequence number), so whichever comes first, the newer wins.
 */
@Component
class ProfilingConsentListener {

	private final Profiles profiles;

	private final String scope;

	ProfilingConsentListener(Profiles profiles, AnonymizerProperties properties) {
		this.profiles = profiles;
		this.scope = properties.profilingScope();
	}

	@KafkaListener(topics = "#{T(com.onemusic.privacy.events.Topics).CONSENT_CHANGED.name()}")
	void on(ConsentChanged event) {
		if (!this.scope.equals(event.getScope()) || event.getSequence() == null) {
			return;
		}
		this.profiles
			.consentChanged(event.getUserId(), event.getStatus() == ConsentStatus.GRANTED, event.getSequence(),
					event.getOccurredAt())
			.block(Listeners.TIMEOUT);
	}

	@KafkaListener(topics = "#{T(com.onemusic.privacy.events.Topics).CONSENT_STATE.name()}")
	void on(ConsumerRecord<String, Object> record) {
		// A tombstone: the ledger of a closed account was deleted, long after the
		// closure erased the user's data here.
		if (record.value() == null) {
			return;
		}
		if (!(record.value() instanceof ConsentStateRecorded state)) {
			throw new RejectedRecord("Record at offset " + record.offset() + " of " + record.topic() + " is a "
					+ record.value().getClass().getSimpleName() + ", not a ConsentStateRecorded");
		}
		state.getScopes()
			.stream()
			.filter((scope) -> this.scope.equals(scope.getScope()))
			.findFirst()
			.ifPresent((scope) -> this.profiles
				.consentChanged(state.getUserId(), scope.getGranted(), scope.getSequence(), scope.getChangedAt())
				.block(Listeners.TIMEOUT));
	}

}
