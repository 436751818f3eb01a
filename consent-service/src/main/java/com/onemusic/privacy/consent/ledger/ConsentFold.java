package com.onemusic.privacy.consent.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Folds a user's ledger into the state of each scope, now or as of an instant. Withdrawal
 * is not retroactive: the state as of a past instant shows what was consented then.
 */
public final class ConsentFold {

	private ConsentFold() {
	}

	/**
	 * The state of every scope the user ever changed.
	 * @param entries the user's entries, in any order
	 * @param asOf an instant, or null for now
	 * @return the state by scope code, sorted by code
	 */
	public static Map<String, ConsentState> fold(List<LedgerEntry> entries, Instant asOf) {
		Map<String, ConsentState> states = new TreeMap<>();
		for (LedgerEntry entry : entries) {
			if (asOf == null || !entry.occurredAt().isAfter(asOf)) {
				apply(states, entry);
			}
		}
		return states;
	}

	/**
	 * Applies one entry to a state.
	 * @param states the state by scope, changed in place
	 * @param entry the entry
	 */
	public static void apply(Map<String, ConsentState> states, LedgerEntry entry) {
		for (ScopeChange change : entry.changes()) {
			ConsentState candidate = new ConsentState(change.scope(), change.status(), entry.sequence(),
					entry.occurredAt(), entry.policyVersion(), entry.method(),
					(change.status() == ConsentStatus.GRANTED) ? entry.receiptId() : null);
			states.merge(change.scope(), candidate, (current, next) -> next.newerThan(current) ? next : current);
		}
	}

}
