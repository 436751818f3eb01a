package com.onemusic.privacy.dsr.verification;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One-time codes: random digits, stored only as a keyed hash bound to the request (a bare
 * hash of six digits is reversed by trying a million values).
 */
public class OneTimeCodes {

	private final SecureRandom random = new SecureRandom();

	private final int length;

	private final byte[] secret;

	public OneTimeCodes(int length, String secret) {
		this.length = length;
		this.secret = secret.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * A new code.
	 * @return the digits
	 */
	public String generate() {
		StringBuilder code = new StringBuilder(this.length);
		for (int i = 0; i < this.length; i++) {
			code.append(this.random.nextInt(10));
		}
		return code.toString();
	}

	/**
	 * The stored form of a code for a request.
	 * @param requestId the request
	 * @param code the code
	 * @return the keyed hash, hex
	 */
	public String hash(String requestId, String code) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(this.secret, "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal((requestId + ":" + code).getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	/**
	 * Whether a code matches the stored hash, in constant time.
	 * @param requestId the request
	 * @param code the code given
	 * @param storedHash the stored hash
	 * @return true when it matches
	 */
	public boolean matches(String requestId, String code, String storedHash) {
		if (code == null || storedHash == null) {
			return false;
		}
		return MessageDigest.isEqual(hash(requestId, code).getBytes(StandardCharsets.US_ASCII),
				storedHash.getBytes(StandardCharsets.US_ASCII));
	}

}
