package com.onemusic.privacy.sharing.partner;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The reference by which a partner knows a user: a keyed hash of the partner and the user
 * id, so a partner never learns the internal user id and two partners cannot link their
 * records of one user by it. The same on every share and in the deletion webhook, so the
 * partner can find what it received.
 */
public class UserReferences {

	private final SecretKeySpec key;

	/**
	 * A Mac per thread: creating one looks up the provider, and one is not thread-safe.
	 */
	private final ThreadLocal<Mac> macs;

	/**
	 * Creates the references.
	 * @param base64Key base64 of at least 32 random bytes
	 */
	public UserReferences(String base64Key) {
		byte[] bytes;
		try {
			bytes = Base64.getDecoder().decode(base64Key);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("sharing.user-reference-key must be base64", ex);
		}
		if (bytes.length < 32) {
			throw new IllegalStateException("sharing.user-reference-key must be at least 32 bytes");
		}
		this.key = new SecretKeySpec(bytes, "HmacSHA256");
		this.macs = ThreadLocal.withInitial(() -> {
			try {
				Mac mac = Mac.getInstance("HmacSHA256");
				mac.init(this.key);
				return mac;
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("HmacSHA256 is not available", ex);
			}
		});
	}

	/**
	 * The reference of a user for a partner.
	 * @param partnerId the partner
	 * @param userId the user
	 * @return {@code ur_} and 24 URL-safe base64 characters
	 */
	public String of(String partnerId, String userId) {
		byte[] hash = this.macs.get().doFinal((partnerId + "\n" + userId).getBytes(StandardCharsets.UTF_8));
		return "ur_" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 18));
	}

}
