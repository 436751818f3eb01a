package com.onemusic.privacy.consent.ledger;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * consent-service's step in a deletion or account closure, published as
 * ErasureStepReported.
 *
 * @param requestId the data-subject request
 * @param eventId the id of the ErasureStepReported event
 * @param counts what was done, e.g. {@code withdrawn -> 3}
 * @param retained what is kept and why
 * @param accountClosure whether the request closed the account; null on entries stored
 * before it was recorded
 */
public record ErasureReport(String requestId, java.util.UUID eventId, Map<String, Long> counts, List<Retained> retained,
		Boolean accountClosure) {

	/**
	 * Whether this step closed the user's account. Entries stored before
	 * {@code accountClosure} was recorded tell it by what they keep: only a closure keeps
	 * the ledger until a date.
	 * @return true for an account closure
	 */
	public boolean closesAccount() {
		if (this.accountClosure != null) {
			return this.accountClosure;
		}
		return this.retained != null && this.retained.stream().anyMatch((item) -> item.retainUntil() != null);
	}

	/**
	 * Data kept for a legal reason.
	 *
	 * @param category what is kept
	 * @param reason why
	 * @param retainUntil until when, if known
	 */
	public record Retained(String category, String reason, LocalDate retainUntil) {

	}

}
