package com.onemusic.privacy.sharing.erasure;

import org.springframework.kafka.annotation.KafkaListener;

import org.springframework.stereotype.Component;

import com.onemusic.privacy.events.DeletionRequested;
import com.onemusic.privacy.platform.messaging.Listeners;

/**
 * Takes DeletionRequested in the service's consumer group (one instance per partition),
 * so each request is carried to the partners once; every instance's consent view reads
 * the same topic on its own to stop sharing.
 */
@Component
class DeletionRequestedListener {

	private final DeletionPropagation propagation;

	DeletionRequestedListener(DeletionPropagation propagation) {
		this.propagation = propagation;
	}

	@KafkaListener(topics = "#{T(com.onemusic.privacy.events.Topics).DELETION_REQUESTED.name()}")
	void on(DeletionRequested event) {
		this.propagation.handle(event).block(Listeners.TIMEOUT);
	}

}
