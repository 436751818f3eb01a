package com.onemusic.privacy.consent.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash chain of a user's ledger: each entry's hash is SHA-256 over its previous
 * entry's hash and its own content, written in a canonical form where every field is
 * length-prefixed (so no two different entries write the same text).
 */
public final class LedgerHash {

	/** The previous hash of a user's first entry. */
	public static final String GENESIS = "0".repeat(64);

	private LedgerHash() {
	}

	/**
	 * The hash an entry must carry.
	 * @param entry the entry (its own {@code hash} is ignored)
	 * @return the hex SHA-256
	 */
	public static String of(LedgerEntry entry) {
		StringBuilder canonical = new StringBuilder();
		field(canonical, entry.previousHash());
		field(canonical, entry.userId());
		field(canonical, Long.toString(entry.sequence()));
		field(canonical, Long.toString(entry.occurredAt().toEpochMilli()));
		field(canonical, entry.policyVersion());
		field(canonical, String.valueOf(entry.method()));
		field(canonical, entry.sourceSystem());
		field(canonical, (entry.guardian() != null) ? entry.guardian().guardianId() : null);
		field(canonical, (entry.guardian() != null) ? String.valueOf(entry.guardian().relationship()) : null);
		field(canonical, (entry.birthDate() != null) ? entry.birthDate().toString() : null);
		field(canonical, entry.reason());
		field(canonical, entry.receiptId());
		field(canonical, Integer.toString(entry.changes().size()));
		for (ScopeChange change : entry.changes()) {
			field(canonical, change.scope());
			field(canonical, change.status().name());
			field(canonical, change.eventId().toString());
		}
		field(canonical, (entry.erasure() != null) ? entry.erasure().requestId() : null);
		return sha256(canonical.toString());
	}

	private static void field(StringBuilder out, String value) {
		if (value == null) {
			out.append("-1:");
			return;
		}
		out.append(value.length()).append(':').append(value);
	}

	private static String sha256(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
