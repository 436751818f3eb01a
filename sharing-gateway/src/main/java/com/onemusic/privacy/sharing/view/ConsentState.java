package com.onemusic.privacy.sharing.view;

import java.time.Instant;

import com.onemusic.privacy.events.ConsentOrder;

/**
 * The latest change of one consent scope of one user, as consent-service's ledger
 * recorded it.
 *
 * @param scope the scope code
 * @param granted whether it is granted (else withdrawn)
 * @param policyVersion the policy version the change was made under
 * @param sequence the ledger's per-user sequence number of the change
 * @param occurredAt when the change was made
 */
public record ConsentState(String scope, boolean granted, String policyVersion, long sequence, Instant occurredAt) {

	/**
	 * Whether this change of the scope replaces another, as consent-service's ledger
	 * decides the current state ({@link ConsentOrder}).
	 * @param other the change known so far
	 * @return true when this one is the newer
	 */
	public boolean supersedes(ConsentState other) {
		return ConsentOrder.supersedes(this.occurredAt, this.sequence, other.occurredAt, other.sequence);
	}

}
