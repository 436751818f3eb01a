package com.onemusic.privacy.anonymizer.erasure;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import com.onemusic.privacy.events.DeletionRequested;
import com.onemusic.privacy.platform.messaging.Listeners;

/**
 * anonymizer-service's part of a deletion or account closure (unless another participant
 * alone is asked again).
 */
@Component
class DeletionRequestedListener {

	private final UserErasure erasure;

	DeletionRequestedListener(UserErasure erasure) {
		this.erasure = erasure;
	}

	@KafkaListener(topics = "#{T(com.onemusic.privacy.events.Topics).DELETION_REQUESTED.name()}")
	void on(DeletionRequested event) {
		if (!event.getOnlyParticipants().isEmpty() && !event.getOnlyParticipants().contains(UserErasure.PARTICIPANT)) {
			return;
		}
		this.erasure.erase(event.getUserId(), event.getRequestId()).block(Listeners.TIMEOUT);
	}

}
