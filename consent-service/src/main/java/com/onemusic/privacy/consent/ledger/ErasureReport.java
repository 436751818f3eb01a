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
 */
public record ErasureReport(String requestId, java.util.UUID eventId, Map<String, Long> counts,
		List<Retained> retained) {

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
