package com.onemusic.privacy.anonymizer.profile;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import com.onemusic.privacy.anonymizer.AnonymizerProperties;
import com.onemusic.privacy.events.ConsentChanged;
import com.onemusic.privacy.events.ConsentStatus;
import com.onemusic.privacy.platform.messaging.Listeners;

/**
 * Follows the profiling consent as consent-service publishes it (with the ledger's
 * sequence number; changes other services publish without one come back from
 * consent-service with it).
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
		this.profiles.consentChanged(event.getUserId(), event.getStatus() == ConsentStatus.GRANTED, event.getSequence())
			.block(Listeners.TIMEOUT);
	}

}
