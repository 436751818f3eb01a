package com.onemusic.privacy.consent.ledger;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A request to change some of a user's consents.
 *
 * @param userId the user
 * @param policyVersion the policy version shown
 * @param method how the change was expressed
 * @param sourceSystem the submitting system
 * @param occurredAt when the change was made
 * @param birthDate the user's birth date, if the submitter knows it
 * @param guardian the guardian consenting for a minor, or null
 * @param reason why (for system-initiated changes), or null
 * @param changes the requested changes
 * @param idempotencyKey what makes a replay of this request the same entry
 */
public record ConsentCommand(String userId, String policyVersion, ConsentMethod method, String sourceSystem,
		Instant occurredAt, LocalDate birthDate, Guardian guardian, String reason, List<Requested> changes,
		String idempotencyKey) {

	public ConsentCommand {
		changes = (changes != null) ? List.copyOf(changes) : List.of();
		// To the millisecond, as the ledger stores it and the events carry it: a scope's
		// current state is its latest change by this time, and every reader must compare
		// the same values.
		occurredAt = (occurredAt != null) ? occurredAt.truncatedTo(ChronoUnit.MILLIS) : null;
	}

	/**
	 * One requested change.
	 *
	 * @param scope the scope code
	 * @param status the status wanted
	 */
	public record Requested(String scope, ConsentStatus status) {

	}

}
