package com.onemusic.privacy.platform.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sealing under one AES-256 key with GCM: a fresh 12-byte nonce per value, a 128-bit tag,
 * and associated data that binds a sealed value to what it belongs to (a user, a partner
 * and field), so that a value copied elsewhere does not open. A sealed value is the
 * base64 of nonce, ciphertext and tag.
 */
public final class AesGcm {

	/** The key length. */
	public static final int KEY_BYTES = 32;

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	private final SecretKeySpec key;

	private final SecureRandom random = new SecureRandom();

	/**
	 * A sealer under a key.
	 * @param key 32 bytes
	 */
	public AesGcm(byte[] key) {
		if (key.length != KEY_BYTES) {
			throw new IllegalArgumentException("An AES-256 key is 32 bytes, not " + key.length);
		}
		this.key = new SecretKeySpec(key, "AES");
	}

	/**
	 * Reads a key from configuration.
	 * @param base64 the configured value
	 * @param property the property it comes from, named in the error
	 * @return the 32 bytes
	 * @throws IllegalStateException if it is not base64 of 32 bytes
	 */
	public static byte[] key(String base64, String property) {
		byte[] bytes;
		try {
			bytes = Base64.getDecoder().decode((base64 != null) ? base64.strip() : "");
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(property + " must be base64 of 32 random bytes", ex);
		}
		if (bytes.length != KEY_BYTES) {
			throw new IllegalStateException(property + " must be base64 of 32 random bytes, not " + bytes.length);
		}
		return bytes;
	}

	/**
	 * Seals a value.
	 * @param plaintext the value
	 * @param associated what it belongs to
	 * @return base64 of nonce, ciphertext and tag
	 */
	public String seal(byte[] plaintext, byte[] associated) {
		byte[] nonce = new byte[NONCE_BYTES];
		this.random.nextBytes(nonce);
		try {
			byte[] sealed = cipher(Cipher.ENCRYPT_MODE, nonce, associated).doFinal(plaintext);
			byte[] stored = new byte[nonce.length + sealed.length];
			System.arraycopy(nonce, 0, stored, 0, nonce.length);
			System.arraycopy(sealed, 0, stored, nonce.length, sealed.length);
			return Base64.getEncoder().encodeToString(stored);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is not available", ex);
		}
	}

	/**
	 * Opens a sealed value.
	 * @param sealed base64 of nonce, ciphertext and tag
	 * @param associated what it belongs to, as when it was sealed
	 * @return the value
	 * @throws GeneralSecurityException if it is not base64, is truncated or altered, or
	 * was sealed under another key or for something else
	 */
	public byte[] open(String sealed, byte[] associated) throws GeneralSecurityException {
		byte[] bytes;
		try {
			bytes = Base64.getDecoder().decode(sealed);
		}
		catch (IllegalArgumentException ex) {
			throw new GeneralSecurityException("not base64", ex);
		}
		if (bytes.length <= NONCE_BYTES) {
			throw new GeneralSecurityException("truncated");
		}
		byte[] nonce = Arrays.copyOf(bytes, NONCE_BYTES);
		return cipher(Cipher.DECRYPT_MODE, nonce, associated).doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
	}

	private Cipher cipher(int mode, byte[] nonce, byte[] associated) throws GeneralSecurityException {
		Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
		cipher.init(mode, this.key, new GCMParameterSpec(TAG_BITS, nonce));
		cipher.updateAAD(associated);
		return cipher;
	}

}
