package com.onemusic.privacy.consent.ledger;

import java.time.Instant;

import com.onemusic.privacy.events.ConsentOrder;

/**
 * The state of one scope for one user, as the ledger says.
 *
 * @param scope the scope code
 * @param status granted or withdrawn
 * @param sequence the sequence number of the entry that set it
 * @param occurredAt when that change was made
 * @param policyVersion the policy version it was made under
 * @param method how it was made
 * @param receiptId the receipt of the grant, or null
 */
public record ConsentState(String scope, ConsentStatus status, long sequence, Instant occurredAt, String policyVersion,
		ConsentMethod method, String receiptId) {

	/**
	 * Whether this state is newer than another: later in time, or recorded later at the
	 * same instant. A change that reaches the ledger late with an older time does not
	 * override a newer one.
	 * @param other the other state
	 * @return true when this one wins
	 */
	boolean newerThan(ConsentState other) {
		return ConsentOrder.supersedes(this.occurredAt, this.sequence, other.occurredAt, other.sequence);
	}

}
