package com.onemusic.privacy.consent.ledger;

import java.time.LocalDate;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A user's ledger up to an entry. Immutable: {@link #with} makes a new one.
 *
 * @param userId the user
 * @param sequence the last sequence number
 * @param hash the last hash
 * @param birthDate the last known birth date
 * @param states the state by scope
 * @param closed whether an entry up to here closed the account
 */
record Snapshot(String userId, long sequence, String hash, LocalDate birthDate, Map<String, ConsentState> states,
		boolean closed) {

	static Snapshot empty(String userId) {
		return new Snapshot(userId, 0, LedgerHash.GENESIS, null, Map.of(), false);
	}

	static Snapshot of(ConsentHead head, boolean closed) {
		Map<String, ConsentState> states = new TreeMap<>();
		head.states().forEach((state) -> states.put(state.scope(), state));
		return new Snapshot(head.userId(), head.sequence(), head.hash(), head.birthDate(),
				Collections.unmodifiableMap(states), closed);
	}

	Snapshot with(LedgerEntry entry) {
		Map<String, ConsentState> states = new TreeMap<>(this.states);
		ConsentFold.apply(states, entry);
		return new Snapshot(entry.userId(), entry.sequence(), entry.hash(),
				(entry.birthDate() != null) ? entry.birthDate() : this.birthDate, Collections.unmodifiableMap(states),
				this.closed || (entry.erasure() != null && entry.erasure().closesAccount()));
	}

}
