package com.onemusic.privacy.events;

import java.time.Instant;

/**
 * Which of two changes of one user's consent scope is the current one, as
 * consent-service's ledger decides it and every reader of ConsentChanged and
 * ConsentStateRecorded must: the later made ({@code occurredAt}, a state's
 * {@code changedAt}), and of two made at the same instant the higher ledger sequence
 * number. A change that reached the ledger late with an older time (a device that was
 * offline, say) has the higher sequence number but is history, not the current state.
 */
public final class ConsentOrder {

	private ConsentOrder() {
	}

	/**
	 * Whether one change supersedes another of the same scope.
	 * @param madeAt when the change was made
	 * @param sequence its ledger sequence number
	 * @param otherMadeAt when the other change was made
	 * @param otherSequence the other's ledger sequence number
	 * @return true when the first is the newer
	 */
	public static boolean supersedes(Instant madeAt, long sequence, Instant otherMadeAt, long otherSequence) {
		int byTime = madeAt.compareTo(otherMadeAt);
		return byTime > 0 || (byTime == 0 && sequence > otherSequence);
	}

}
