package com.onemusic.privacy.sharing.view;

import java.time.Instant;

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
	 * decides the current state: the later made wins, and of two made at the same instant
	 * the later recorded. A change that reaches the ledger late with an older time (a
	 * device that was offline, say) is in the user's history but does not undo a newer
	 * choice, though its sequence number is higher.
	 * @param other the change known so far
	 * @return true when this one is the newer
	 */
	public boolean supersedes(ConsentState other) {
		int byTime = this.occurredAt.compareTo(other.occurredAt);
		return byTime > 0 || (byTime == 0 && this.sequence > other.sequence);
	}

}
