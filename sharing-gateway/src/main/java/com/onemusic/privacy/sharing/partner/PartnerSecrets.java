package com.onemusic.privacy.sharing.partner;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

import com.onemusic.privacy.platform.crypto.SealingKeys;

/**
 * Partner secrets as they are stored: sealed with AES-256-GCM under the gateway's secrets
 * key, so that a copy of the database (a backup, a dump, a replica) does not give anyone
 * the means to sign webhooks in the gateway's name or confirm deletions in a partner's.
 *
 * <p>
 * A sealed value reads {@code sealed:v1:<key id>:<base64 of nonce, ciphertext and tag>}.
 * The key id is a digest of the key (never the key), so a value names the key it was
 * sealed under and a rotated key can still open older values until they are sealed again.
 * The partner id and the field are bound to the value as associated data: a value copied
 * to another partner or another field does not open. A stored value without the prefix is
 * a secret written before sealing; it is read as it is and sealed at the next write.
 */
public final class PartnerSecrets {

	static final String PREFIX = "sealed:v1:";

	private final SealingKeys keys;

	/**
	 * Creates the sealer.
	 * @param currentKey base64 of 32 random bytes: new values are sealed with it
	 * @param retiredKeys keys values may still be sealed under after a rotation (base64
	 * each)
	 * @throws IllegalStateException if a key is not base64 of 32 bytes
	 */
	public PartnerSecrets(String currentKey, List<String> retiredKeys) {
		this.keys = new SealingKeys(PREFIX, "onemusic partner secrets key id\n", currentKey, "sharing.secrets-key",
				retiredKeys, "sharing.retired-secrets-keys");
	}

	/**
	 * Seals a secret for storage.
	 * @param partnerId the partner it belongs to
	 * @param field the field it is stored in
	 * @param secret the secret, or null
	 * @return the sealed value, or null for null
	 */
	public String seal(String partnerId, String field, String secret) {
		if (secret == null) {
			return null;
		}
		return this.keys.seal(secret.getBytes(StandardCharsets.UTF_8), associated(partnerId, field));
	}

	/**
	 * Opens a stored secret.
	 * @param partnerId the partner it belongs to
	 * @param field the field it is stored in
	 * @param stored the stored value, or null
	 * @return the secret, or null for null
	 * @throws IllegalStateException if it was sealed under a key this gateway does not
	 * have, or for another partner or field, or was altered
	 */
	public String open(String partnerId, String field, String stored) {
		if (stored == null || !this.keys.isSealed(stored)) {
			return stored;
		}
		try {
			return new String(this.keys.open(stored, associated(partnerId, field)), StandardCharsets.UTF_8);
		}
		catch (SealingKeys.UnknownKeyException ex) {
			throw new IllegalStateException("The " + field + " of partner " + partnerId
					+ " is sealed under a key this gateway does not have (key id " + ex.keyId()
					+ "); configure it in sharing.retired-secrets-keys");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("The " + field + " of partner " + partnerId
					+ " does not open: altered, or sealed for another partner or field", ex);
		}
	}

	/**
	 * Whether a stored value should be sealed again: not sealed yet, or sealed under a
	 * retired key.
	 * @param stored the stored value, or null
	 * @return whether to seal it again
	 */
	public boolean needsSealing(String stored) {
		return stored != null && !this.keys.isSealedUnderCurrent(stored);
	}

	/**
	 * A partner as stored: its secrets sealed.
	 * @param partner the partner
	 * @return the copy to store
	 */
	public Partner sealed(Partner partner) {
		return withSecrets(partner, seal(partner.id(), "webhookSecret", partner.webhookSecret()),
				seal(partner.id(), "previousWebhookSecret", partner.previousWebhookSecret()), eachOf(partner, true));
	}

	/**
	 * A stored partner with its secrets opened.
	 * @param stored the partner as stored
	 * @return the partner as used
	 */
	public Partner opened(Partner stored) {
		return withSecrets(stored, open(stored.id(), "webhookSecret", stored.webhookSecret()),
				open(stored.id(), "previousWebhookSecret", stored.previousWebhookSecret()), eachOf(stored, false));
	}

	/**
	 * Whether any secret of a stored partner should be sealed again.
	 * @param stored the partner as stored
	 * @return whether to write it again
	 */
	public boolean needsSealing(Partner stored) {
		return needsSealing(stored.webhookSecret()) || needsSealing(stored.previousWebhookSecret())
				|| (stored.callbackSecrets() != null && stored.callbackSecrets().stream().anyMatch(this::needsSealing));
	}

	private List<String> eachOf(Partner partner, boolean seal) {
		if (partner.callbackSecrets() == null) {
			return null;
		}
		List<String> values = new ArrayList<>();
		for (int i = 0; i < partner.callbackSecrets().size(); i++) {
			String field = "callbackSecrets[" + i + "]";
			String value = partner.callbackSecrets().get(i);
			values.add(seal ? seal(partner.id(), field, value) : open(partner.id(), field, value));
		}
		return values;
	}

	private static Partner withSecrets(Partner partner, String webhookSecret, String previousWebhookSecret,
			List<String> callbackSecrets) {
		return new Partner(partner.id(), partner.name(), partner.category(), partner.active(), partner.webhookUrl(),
				webhookSecret, previousWebhookSecret, callbackSecrets, partner.purposes(), partner.managedBy(),
				partner.updatedAt());
	}

	private static byte[] associated(String partnerId, String field) {
		return (partnerId + "\n" + field).getBytes(StandardCharsets.UTF_8);
	}

}
