package com.onemusic.privacy.consent.ledger;

import java.time.LocalDate;
import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * Where a user's ledger stood at some entry: its sequence number and hash, the last known
 * birth date and the state of every scope. A cache of the ledger, never the truth: it is
 * written after the entry, may lag behind it (a process may die in between), and readers
 * walk forward from it through any newer entries. It makes reading a user's current state
 * one lookup however long the history.
 *
 * @param userId the user, its id
 * @param sequence the sequence number it reflects
 * @param hash the hash of that entry
 * @param birthDate the last birth date submitted for the user, or null
 * @param states the state of each scope after that entry
 * @param closed whether an entry up to that one closed the account; to be trusted only
 * when {@code closedAsOf} is the head's sequence number
 * @param closedAsOf the sequence number {@code closed} was worked out for. A head stored
 * before heads carried the mark has none, and a head written by an earlier release
 * (during a rolling upgrade) moves its sequence number without touching the mark: for
 * such a head whether the account is closed is looked up ({@link ConsentHeads#stored})
 */
@Document(ConsentHead.COLLECTION)
public record ConsentHead(@Id String userId, long sequence, String hash, LocalDate birthDate, List<ConsentState> states,
		Boolean closed, Long closedAsOf) {

	public static final String COLLECTION = "consent_heads";

	public ConsentHead {
		states = (states != null) ? List.copyOf(states) : List.of();
	}

}
