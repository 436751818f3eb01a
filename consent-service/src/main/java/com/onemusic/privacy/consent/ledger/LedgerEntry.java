package com.onemusic.privacy.consent.ledger;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One recorded change of a user's consents: one or more scopes granted or withdrawn at
 * once, under one policy version. Entries are append-only and hash-chained per user; each
 * is also the outbox entry of the events it publishes (written in one single-document
 * insert, so the record and its publication cannot diverge).
 *
 * @param id {@code <userId>:<sequence, zero-padded>}, so that ids sort in publication
 * order
 * @param userId the user
 * @param sequence the user's sequence number, from 1, without gaps
 * @param occurredAt when the user (or guardian, or system) made the change
 * @param recordedAt when it was recorded here
 * @param policyVersion the policy version shown
 * @param method how the change was expressed
 * @param sourceSystem the system that submitted it
 * @param guardian the guardian who consented for a minor, or null
 * @param birthDate the user's birth date as submitted, or null
 * @param reason why a system-initiated change happened, or null
 * @param changes the scopes granted or withdrawn (empty for a pure erasure report)
 * @param receiptId the consent receipt issued for the grants, or null
 * @param idempotencyKey what makes a replayed submission the same entry
 * @param erasure the erasure step this entry reports, or null
 * @param previousHash the hash of the user's previous entry (64 zeros for the first)
 * @param hash the hash of this entry's content and {@code previousHash}
 * @param published whether its events were published
 */
@Document(LedgerEntry.COLLECTION)
public record LedgerEntry(@Id String id, String userId, long sequence, Instant occurredAt, Instant recordedAt,
		String policyVersion, ConsentMethod method, String sourceSystem, Guardian guardian, LocalDate birthDate,
		String reason, List<ScopeChange> changes, String receiptId, String idempotencyKey, ErasureReport erasure,
		String previousHash, String hash, boolean published) {

	public static final String COLLECTION = "consent_ledger";

	public LedgerEntry {
		changes = (changes != null) ? List.copyOf(changes) : List.of();
	}

	/**
	 * The id of a user's entry.
	 * @param userId the user
	 * @param sequence the sequence number
	 * @return the document id
	 */
	public static String idOf(String userId, long sequence) {
		// Zero-padded to 19 digits (ids sort in sequence order), without String.format:
		// this is on every change's path.
		String digits = Long.toString(sequence);
		if (sequence < 0) {
			throw new IllegalArgumentException("A sequence number is not negative: " + sequence);
		}
		return userId + ":" + "0".repeat(19 - digits.length()) + digits;
	}

	/**
	 * The scopes this entry granted.
	 * @return the granted changes
	 */
	public List<ScopeChange> grants() {
		return this.changes.stream().filter((change) -> change.status() == ConsentStatus.GRANTED).toList();
	}

}
