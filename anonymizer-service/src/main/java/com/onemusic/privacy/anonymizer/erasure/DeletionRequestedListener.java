package com.onemusic.privacy.anonymizer.erasure;

import java.time.Duration;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import com.onemusic.privacy.events.DeletionRequested;

/**
 * anonymizer-service's part of a deletion or account closure (unless another participant
 * alone is asked again).
 */
@Component
class DeletionRequestedListener {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final UserErasure erasure;

	DeletionRequestedListener(UserErasure erasure) {
		this.erasure = erasure;
	}

	@KafkaListener(topics = "#{T(com.onemusic.privacy.events.Topics).DELETION_REQUESTED.name()}")
	void on(DeletionRequested event) {
		if (!event.getOnlyParticipants().isEmpty() && !event.getOnlyParticipants().contains(UserErasure.PARTICIPANT)) {
			return;
		}
		this.erasure.erase(event.getUserId(), event.getRequestId()).block(TIMEOUT);
	}

}
