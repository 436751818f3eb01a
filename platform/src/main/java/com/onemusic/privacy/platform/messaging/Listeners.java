package com.onemusic.privacy.platform.messaging;

import java.time.Duration;

/**
 * Listeners wait for their reactive work before they return: the Kafka listener thread is
 * the container's own, and a synchronous return is what lets the container's error
 * handler retry a failure or send the record to the dead-letter topic (a failed
 * asynchronous return is only logged by the container).
 */
public final class Listeners {

	/**
	 * How long one record (or one request's records of a batch) may take before it counts
	 * as failed.
	 */
	public static final Duration TIMEOUT = Duration.ofSeconds(30);

	private Listeners() {
	}

}
