package com.onemusic.privacy.sharing.view;

import java.time.Instant;

/**
 * A deletion request that stops sharing a user's data: an account closure for good, a
 * deletion until its due date (the period in which partners erase what they received).
 *
 * @param requestId the data-subject request
 * @param accountClosure whether the account is closed
 * @param until when sharing may resume, or null for never
 */
public record ErasureMark(String requestId, boolean accountClosure, Instant until) {

	/**
	 * Whether the mark stops sharing at an instant.
	 * @param now the instant
	 * @return true while it holds
	 */
	public boolean holdsAt(Instant now) {
		return this.until == null || now.isBefore(this.until);
	}

}
