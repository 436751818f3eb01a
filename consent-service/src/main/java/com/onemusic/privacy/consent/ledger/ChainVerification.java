package com.onemusic.privacy.consent.ledger;

import java.util.Comparator;
import java.util.List;

/**
 * The result of checking a user's hash chain.
 *
 * @param userId the user
 * @param entries how many entries were checked
 * @param valid whether every link holds
 * @param firstBrokenLink the first entry that does not hold, or null
 */
public record ChainVerification(String userId, int entries, boolean valid, BrokenLink firstBrokenLink) {

	/**
	 * Where and why the chain breaks.
	 *
	 * @param sequence the sequence number of the entry
	 * @param problem what is wrong
	 */
	public record BrokenLink(long sequence, String problem) {

	}

	/**
	 * Checks a user's entries: sequence numbers from 1 without gaps, each entry pointing
	 * at its predecessor's hash, and each hash matching the content.
	 * @param userId the user
	 * @param entries the entries, in any order
	 * @return the verification
	 */
	public static ChainVerification verify(String userId, List<LedgerEntry> entries) {
		List<LedgerEntry> ordered = entries.stream().sorted(Comparator.comparingLong(LedgerEntry::sequence)).toList();
		String previous = LedgerHash.GENESIS;
		long expected = 1;
		for (LedgerEntry entry : ordered) {
			if (entry.sequence() != expected) {
				return broken(userId, ordered.size(), expected,
						"entry " + expected + " is missing (next entry is " + entry.sequence() + ")");
			}
			if (!previous.equals(entry.previousHash())) {
				return broken(userId, ordered.size(), entry.sequence(),
						"previous hash does not match the hash of entry " + (expected - 1));
			}
			String recomputed = LedgerHash.of(entry);
			if (!recomputed.equals(entry.hash())) {
				return broken(userId, ordered.size(), entry.sequence(), "content does not match its hash");
			}
			previous = entry.hash();
			expected++;
		}
		return new ChainVerification(userId, ordered.size(), true, null);
	}

	private static ChainVerification broken(String userId, int entries, long sequence, String problem) {
		return new ChainVerification(userId, entries, false, new BrokenLink(sequence, problem));
	}

}
