package com.onemusic.privacy.dsr.request;

import java.time.Instant;

/**
 * How the requester's identity is being, or was, verified (policy 8.1.6).
 *
 * @param method one-time code or an assertion of the account system
 * @param codeHash keyed hash of the current one-time code, never the code; null once used
 * @param codeExpiresAt when the current code expires
 * @param attemptsLeft wrong codes still allowed before the request is rejected
 * @param codesSent how many codes were sent
 * @param sentTo where the code went, masked (138****5678)
 */
public record Verification(Method method, String codeHash, Instant codeExpiresAt, int attemptsLeft, int codesSent,
		String sentTo) {

	/** How identity is verified. */
	public enum Method {

		/** A one-time code sent to the user's phone or email. */
		ONE_TIME_CODE,

		/**
		 * A signed assertion of the account system for a request made in a logged-in
		 * session.
		 */
		SESSION_ASSERTION

	}

}
