package com.onemusic.privacy.consent.messaging;

import java.time.Duration;

/**
 * Listeners wait for the ledger's reactive write before they return: the Kafka listener
 * thread is the container's own, and a synchronous return is what lets the container's
 * error handler retry a failure or send the record to the dead-letter topic (a failed
 * asynchronous return is only logged by the container).
 */
final class Listeners {

	/** How long one record may take before it counts as failed. */
	static final Duration TIMEOUT = Duration.ofSeconds(30);

	private Listeners() {
	}

}
