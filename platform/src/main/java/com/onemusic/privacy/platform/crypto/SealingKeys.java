package com.onemusic.privacy.platform.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rotatable set of AES-256-GCM keys from configuration: the current key seals, the
 * current and the retired keys open. A sealed value reads
 * {@code <prefix><key id>:<base64 of nonce, ciphertext and tag>}, the key id a digest of
 * the key (never the key) under a label of its own, so a value names the key it was
 * sealed under and a retired key still opens older values until they are sealed again.
 */
public final class SealingKeys {

	private final String prefix;

	private final Key current;

	/** Every key that can open a value, by id: the current one first. */
	private final Map<String, Key> keys = new LinkedHashMap<>();

	/**
	 * Reads the keys.
	 * @param prefix what sealed values begin with, e.g. {@code sealed:v1:}
	 * @param idLabel what the key ids are digested under, so the same key has different
	 * ids in different uses
	 * @param currentKey base64 of 32 random bytes: values are sealed with it
	 * @param currentProperty the property it comes from, named in errors
	 * @param retiredKeys keys values may still be sealed under after a rotation (base64
	 * each), or null
	 * @param retiredProperty the property they come from, named in errors
	 * @throws IllegalStateException if a key is not base64 of 32 bytes
	 */
	public SealingKeys(String prefix, String idLabel, String currentKey, String currentProperty,
			List<String> retiredKeys, String retiredProperty) {
		this.prefix = prefix;
		this.current = Key.of(currentKey, currentProperty, idLabel);
		this.keys.put(this.current.id(), this.current);
		for (String retired : (retiredKeys != null) ? retiredKeys : List.<String>of()) {
			Key key = Key.of(retired, retiredProperty, idLabel);
			this.keys.putIfAbsent(key.id(), key);
		}
	}

	/**
	 * Seals a value under the current key.
	 * @param plaintext the value
	 * @param associated what it belongs to
	 * @return the sealed value, with the prefix and the key id
	 */
	public String seal(byte[] plaintext, byte[] associated) {
		return this.prefix + this.current.id() + ":" + this.current.aes().seal(plaintext, associated);
	}

	/**
	 * Opens a sealed value.
	 * @param sealed the sealed value, with the prefix
	 * @param associated what it belongs to, as when it was sealed
	 * @return the value
	 * @throws UnknownKeyException if it names a key that is not configured here (or none)
	 * @throws GeneralSecurityException if it was altered, or sealed for something else
	 */
	public byte[] open(String sealed, byte[] associated) throws GeneralSecurityException {
		String rest = sealed.substring(this.prefix.length());
		int colon = rest.indexOf(':');
		Key key = (colon > 0) ? this.keys.get(rest.substring(0, colon)) : null;
		if (key == null) {
			throw new UnknownKeyException((colon > 0) ? rest.substring(0, colon) : "missing");
		}
		return key.aes().open(rest.substring(colon + 1), associated);
	}

	/**
	 * Whether a stored value is sealed in this format (under any key).
	 * @param stored the stored value
	 * @return whether it has the prefix
	 */
	public boolean isSealed(String stored) {
		return stored.startsWith(this.prefix);
	}

	/**
	 * Whether a stored value is sealed under the current key.
	 * @param stored the stored value
	 * @return whether it needs no sealing again
	 */
	public boolean isSealedUnderCurrent(String stored) {
		return stored.startsWith(this.prefix + this.current.id() + ":");
	}

	/**
	 * The id of the current key.
	 * @return the id
	 */
	public String currentId() {
		return this.current.id();
	}

	/**
	 * The ids of the retired keys.
	 * @return the ids, possibly none
	 */
	public List<String> retiredIds() {
		return this.keys.keySet().stream().skip(1).toList();
	}

	/**
	 * Every configured key, the current one first: for values stored before they named
	 * their key.
	 * @return the sealers
	 */
	public Collection<AesGcm> all() {
		return this.keys.values().stream().map(Key::aes).toList();
	}

	/** A sealed value names a key that is not configured. */
	public static final class UnknownKeyException extends GeneralSecurityException {

		private final String keyId;

		UnknownKeyException(String keyId) {
			super("sealed under unknown key " + keyId);
			this.keyId = keyId;
		}

		/**
		 * The id the value names.
		 * @return the key id, or {@code missing}
		 */
		public String keyId() {
			return this.keyId;
		}

	}

	private record Key(String id, AesGcm aes) {

		static Key of(String base64, String property, String idLabel) {
			byte[] bytes = AesGcm.key(base64, property);
			try {
				MessageDigest digest = MessageDigest.getInstance("SHA-256");
				digest.update(idLabel.getBytes(StandardCharsets.UTF_8));
				return new Key(HexFormat.of().formatHex(digest.digest(bytes), 0, 8), new AesGcm(bytes));
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
