package com.onemusic.privacy.platform.messaging;

/**
 * A record a listener refuses for good (its content breaks a rule): it goes to the
 * dead-letter topic at once, without retries, and the consumer goes on.
 */
public class RejectedRecord extends RuntimeException {

	public RejectedRecord(String message, Throwable cause) {
		super(message, cause);
	}

	public RejectedRecord(String message) {
		super(message);
	}

}
