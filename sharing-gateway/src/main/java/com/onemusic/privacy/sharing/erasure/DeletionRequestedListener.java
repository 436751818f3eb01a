package com.onemusic.privacy.sharing.erasure;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import com.onemusic.privacy.events.DeletionRequested;
import com.onemusic.privacy.platform.messaging.Listeners;
import com.onemusic.privacy.sharing.share.ShareLogCatchUp;

/**
 * Takes DeletionRequested in the service's consumer group (one instance per partition),
 * so each request is carried to the partners once; every instance's consent view reads
 * the same topic on its own to stop sharing. A request is handled once the share log
 * holds every decision recorded before it ({@link ShareLogCatchUp}), so a partner that
 * got data a moment before the request is announced with the others at once, not found
 * later as a late share after the request was told whom it waits for.
 */
@Component
class DeletionRequestedListener {

	private final DeletionPropagation propagation;

	private final ShareLogCatchUp shareLog;

	DeletionRequestedListener(DeletionPropagation propagation, ShareLogCatchUp shareLog) {
		this.propagation = propagation;
		this.shareLog = shareLog;
	}

	@KafkaListener(topics = "#{T(com.onemusic.privacy.events.Topics).DELETION_REQUESTED.name()}")
	void on(DeletionRequested event) throws Exception {
		this.shareLog.await(Listeners.TIMEOUT);
		this.propagation.handle(event).block(Listeners.TIMEOUT);
	}

}
