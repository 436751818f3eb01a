package com.onemusic.privacy.sharing.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures of the Standard Webhooks specification: the signed content is
 * {@code <webhook-id>.<webhook-timestamp>.<body>}, signed with HMAC-SHA256 under the
 * base64-decoded part of a {@code whsec_} secret, and sent as {@code webhook-signature:
 * v1,<base64 signature>} (several space-separated signatures while a secret is rotated).
 */
public final class StandardWebhooks {

	public static final String ID = "webhook-id";

	public static final String TIMESTAMP = "webhook-timestamp";

	public static final String SIGNATURE = "webhook-signature";

	private static final String VERSION = "v1,";

	private StandardWebhooks() {
	}

	/**
	 * Signs a message.
	 * @param secret the {@code whsec_} secret
	 * @param id the message id
	 * @param timestamp seconds since the epoch
	 * @param body the exact body bytes
	 * @return the {@code webhook-signature} value
	 */
	public static String sign(String secret, String id, long timestamp, byte[] body) {
		return VERSION + Base64.getEncoder().encodeToString(mac(secret, id, timestamp, body));
	}

	/**
	 * Verifies a message against one or more secrets (two while one is rotated).
	 * @param secrets the secrets any of which may have signed it
	 * @param id the {@code webhook-id} header
	 * @param timestamp the {@code webhook-timestamp} header
	 * @param signatures the {@code webhook-signature} header
	 * @param body the exact body bytes
	 * @param now the time now
	 * @param tolerance how far the timestamp may be from now, either way
	 * @return the outcome
	 */
	public static Verdict verify(List<String> secrets, String id, String timestamp, String signatures, byte[] body,
			Instant now, Duration tolerance) {
		if (id == null || id.isBlank() || timestamp == null || signatures == null) {
			return Verdict.MISSING_HEADERS;
		}
		long seconds;
		try {
			seconds = Long.parseLong(timestamp.strip());
		}
		catch (NumberFormatException ex) {
			return Verdict.TIMESTAMP_OUT_OF_TOLERANCE;
		}
		if (Math.abs(now.getEpochSecond() - seconds) > tolerance.toSeconds()) {
			return Verdict.TIMESTAMP_OUT_OF_TOLERANCE;
		}
		for (String secret : secrets) {
			byte[] expected = mac(secret, id, seconds, body);
			for (String candidate : signatures.strip().split(" +")) {
				if (!candidate.startsWith(VERSION)) {
					continue;
				}
				byte[] given;
				try {
					given = Base64.getDecoder().decode(candidate.substring(VERSION.length()));
				}
				catch (IllegalArgumentException ex) {
					continue;
				}
				if (MessageDigest.isEqual(expected, given)) {
					return Verdict.VALID;
				}
			}
		}
		return Verdict.BAD_SIGNATURE;
	}

	private static byte[] mac(String secret, String id, long timestamp, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
			mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
			return mac.doFinal(body);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	private static byte[] key(String secret) {
		String encoded = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
		return Base64.getDecoder().decode(encoded);
	}

	/** The outcome of a verification. */
	public enum Verdict {

		VALID, MISSING_HEADERS, TIMESTAMP_OUT_OF_TOLERANCE, BAD_SIGNATURE

	}

}
