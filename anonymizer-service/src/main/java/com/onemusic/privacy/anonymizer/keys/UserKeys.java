package com.onemusic.privacy.anonymizer.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import reactor.core.publisher.Mono;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import com.onemusic.privacy.platform.crypto.AesGcm;
import com.onemusic.privacy.platform.mongo.DuplicateKeys;

/**
 * One secret key per user, the only link between a user and the pseudonyms of the user's
 * de-identified data: stored encrypted (AES-256-GCM) under the master key from
 * configuration, never logged, and destroyed on erasure, after which nothing stored can
 * be linked to the user again (crypto-shredding).
 */
public class UserKeys {

	static final String COLLECTION = "anonymizer_user_keys";

	private static final int KEY_BYTES = 32;

	private final ReactiveMongoTemplate mongo;

	private final AesGcm master;

	/** Derived from the master key: names key documents without the raw user id. */
	private final SecretKeySpec lookup;

	private final SecureRandom random = new SecureRandom();

	private final Clock clock;

	/**
	 * Creates the store.
	 * @param mongo the template
	 * @param masterKey the master key, base64 of 32 bytes
	 * @param clock the clock
	 */
	public UserKeys(ReactiveMongoTemplate mongo, String masterKey, Clock clock) {
		byte[] key = AesGcm.key(masterKey, "anonymizer.master-key");
		this.mongo = mongo;
		this.master = new AesGcm(key);
		this.lookup = new SecretKeySpec(hmac(new SecretKeySpec(key, "HmacSHA256"), "user-key-lookup"), "HmacSHA256");
		this.clock = clock;
	}

	/**
	 * The user's key, created on first use. Two instances creating it at once agree on
	 * one (the first insert wins).
	 * @param userId the user
	 * @return the key
	 */
	public Mono<Pseudonymizer> keyFor(String userId) {
		return existing(userId).switchIfEmpty(Mono.defer(() -> {
			byte[] key = new byte[KEY_BYTES];
			this.random.nextBytes(key);
			return this.mongo
				.insert(new StoredKey(lookupId(userId), encrypt(userId, key), this.clock.instant()), COLLECTION)
				.thenReturn(new Pseudonymizer(key))
				.onErrorResume(DuplicateKeys::isDuplicateKey, (ex) -> existing(userId));
		}));
	}

	/**
	 * The user's key, if the user has one.
	 * @param userId the user
	 * @return the key, or empty
	 */
	public Mono<Pseudonymizer> existing(String userId) {
		return this.mongo.findById(lookupId(userId), StoredKey.class, COLLECTION)
			.map((stored) -> new Pseudonymizer(decrypt(userId, stored.key())));
	}

	/**
	 * Destroys the user's key.
	 * @param userId the user
	 * @return whether there was one
	 */
	public Mono<Boolean> destroy(String userId) {
		return this.mongo.remove(Query.query(Criteria.where("_id").is(lookupId(userId))), COLLECTION)
			.map((result) -> result.getDeletedCount() > 0);
	}

	/**
	 * The id of a user's key document: a keyed hash of the user id, so the store does not
	 * hold raw user ids either.
	 */
	private String lookupId(String userId) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(this.lookup, userId));
	}

	private static byte[] hmac(SecretKeySpec key, String value) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(key);
			return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	/** Bound to the user: a key copied to another user's document does not open. */
	private String encrypt(String userId, byte[] key) {
		return this.master.seal(key, userId.getBytes(StandardCharsets.UTF_8));
	}

	private byte[] decrypt(String userId, String stored) {
		try {
			return this.master.open(stored, userId.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("A user key could not be decrypted: wrong master key or tampered key", ex);
		}
	}

	/**
	 * A user's key as stored: encrypted.
	 *
	 * @param id a keyed hash of the user id
	 * @param key IV and ciphertext, base64
	 * @param createdAt when it was made
	 */
	@Document(COLLECTION)
	record StoredKey(@Id String id, String key, java.time.Instant createdAt) {

	}

	/** Keyed pseudonyms under one user's key: HMAC-SHA256, never a bare hash. */
	public static final class Pseudonymizer {

		private final byte[] key;

		/**
		 * A pseudonymizer over a key (as {@link UserKeys} hands them out).
		 * @param key the user's key, 32 bytes
		 */
		public Pseudonymizer(byte[] key) {
			this.key = key.clone();
		}

		/**
		 * The pseudonym of a value of a field.
		 * @param field the field, so equal values of different fields differ
		 * @param value the value
		 * @return 22 characters of base64url
		 */
		public String pseudonym(String field, String value) {
			try {
				Mac mac = Mac.getInstance("HmacSHA256");
				mac.init(new SecretKeySpec(this.key, "HmacSHA256"));
				byte[] digest = mac.doFinal((field + ":" + value).getBytes(StandardCharsets.UTF_8));
				return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("HmacSHA256 is not available", ex);
			}
		}

		@Override
		public String toString() {
			// Never the key.
			return "Pseudonymizer[key hidden]";
		}

	}

}
