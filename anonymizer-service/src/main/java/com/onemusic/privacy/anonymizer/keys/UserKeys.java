package com.onemusic.privacy.anonymizer.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import com.onemusic.privacy.platform.crypto.AesGcm;
import com.onemusic.privacy.platform.crypto.SealingKeys;
import com.onemusic.privacy.platform.mongo.DuplicateKeys;

/**
 * One secret key per user, the only link between a user and the pseudonyms of the user's
 * de-identified data: stored encrypted (AES-256-GCM) under the master key from
 * configuration, never logged, and destroyed on erasure, after which nothing stored can
 * be linked to the user again (crypto-shredding).
 *
 * <p>
 * A key document is named by a keyed hash of the user id under the lookup key (the
 * {@code lookup-key}, or the master key where none is set), so the store holds no raw
 * user ids; the lookup key never changes, and a fingerprint of it is stored, so that a
 * service started with another one refuses to start instead of giving every user a new
 * key. The master key can be rotated: a key is stored as
 * {@code sealed:v2:<key id>:<base64>}, the key id a digest of the master key it is sealed
 * under (never the key), bound to its document as associated data, and a key sealed under
 * a retired master key is sealed again under the current one when it is read and by
 * {@link #rewrap}, which needs no user id. A key stored before rotation existed (no
 * prefix, bound to the user id) can only be sealed again when its user is next seen.
 */
public class UserKeys {

	static final String COLLECTION = "anonymizer_user_keys";

	/** Where the lookup key's fingerprint is kept. */
	static final String SETTINGS = "anonymizer_key_settings";

	static final String PREFIX = "sealed:v2:";

	private static final int KEY_BYTES = 32;

	private static final String LOOKUP_SETTING = "lookup-key";

	private final ReactiveMongoTemplate mongo;

	/** The master key seals, it and the retired ones open. */
	private final SealingKeys masters;

	/** Names key documents without the raw user id. */
	private final SecretKeySpec lookup;

	private final String lookupFingerprint;

	private final SecureRandom random = new SecureRandom();

	private final Clock clock;

	private final AtomicLong rewrapped = new AtomicLong();

	/**
	 * Creates the store with one master key and no rotation.
	 * @param mongo the template
	 * @param masterKey the master key, base64 of 32 bytes
	 * @param clock the clock
	 */
	public UserKeys(ReactiveMongoTemplate mongo, String masterKey, Clock clock) {
		this(mongo, masterKey, List.of(), null, clock);
	}

	/**
	 * Creates the store.
	 * @param mongo the template
	 * @param masterKey the master key new keys are sealed under, base64 of 32 bytes
	 * @param retiredMasterKeys master keys stored keys may still be sealed under after a
	 * rotation, base64 each
	 * @param lookupKey the key that names key documents, base64 of 32 bytes; null for the
	 * master key (as before any rotation)
	 * @param clock the clock
	 * @throws IllegalStateException if a key is not base64 of 32 bytes
	 */
	public UserKeys(ReactiveMongoTemplate mongo, String masterKey, List<String> retiredMasterKeys, String lookupKey,
			Clock clock) {
		this.mongo = mongo;
		this.masters = new SealingKeys(PREFIX, "onemusic anonymizer master key id\n", masterKey,
				"anonymizer.master-key", retiredMasterKeys, "anonymizer.retired-master-keys");
		byte[] lookupBytes = (lookupKey != null && !lookupKey.isBlank())
				? AesGcm.key(lookupKey, "anonymizer.lookup-key") : AesGcm.key(masterKey, "anonymizer.master-key");
		this.lookup = new SecretKeySpec(hmac(new SecretKeySpec(lookupBytes, "HmacSHA256"), "user-key-lookup"),
				"HmacSHA256");
		this.lookupFingerprint = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(Arrays.copyOf(hmac(this.lookup, "fingerprint"), 12));
		this.clock = clock;
	}

	/**
	 * Creates the index the re-sealing and its counts look keys up by: the master key
	 * they are sealed under.
	 * @return completion
	 */
	public Mono<Void> createIndexes() {
		return this.mongo.indexOps(COLLECTION).createIndex(new Index().on("kid", Sort.Direction.ASC)).then();
	}

	/**
	 * Checks that key documents are named as before: stores the lookup key's fingerprint
	 * the first time, and fails if another one is stored. Called at start.
	 * @return completion
	 * @throws IllegalStateException (as the error) if the lookup key differs from the one
	 * the keys were stored under
	 */
	public Mono<Void> checkLookupKey() {
		return this.mongo
			.insert(new org.bson.Document("_id", LOOKUP_SETTING).append("fingerprint", this.lookupFingerprint)
				.append("since", Date.from(this.clock.instant())), SETTINGS)
			.then()
			.onErrorResume(DuplicateKeys::isDuplicateKey,
					(ex) -> this.mongo.findById(LOOKUP_SETTING, org.bson.Document.class, SETTINGS).flatMap((stored) -> {
						if (this.lookupFingerprint.equals(stored.getString("fingerprint"))) {
							return Mono.empty();
						}
						return Mono.error(new IllegalStateException("The user keys are stored under another lookup key"
								+ " (fingerprint " + stored.getString("fingerprint") + ", this one "
								+ this.lookupFingerprint + "): with this one every user would get a new key and"
								+ " lose the link to the data de-identified before. Set anonymizer.lookup-key to"
								+ " the master key the user keys were first stored under (after a rotation, the"
								+ " master key before the first rotation)"));
					}));
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
			String id = lookupId(userId);
			return this.mongo
				.insert(new StoredKey(id, seal(id, key), this.masters.currentId(), this.clock.instant()), COLLECTION)
				.thenReturn(new Pseudonymizer(key))
				.onErrorResume(DuplicateKeys::isDuplicateKey, (ex) -> existing(userId));
		}));
	}

	/**
	 * The user's key, if the user has one. A key sealed under a retired master key, or
	 * before rotation existed, is sealed again under the current one.
	 * @param userId the user
	 * @return the key, or empty
	 */
	public Mono<Pseudonymizer> existing(String userId) {
		return this.mongo.findById(lookupId(userId), StoredKey.class, COLLECTION).flatMap((stored) -> {
			byte[] key = open(stored, userId);
			Mono<Boolean> rewrap = isCurrent(stored) ? Mono.empty() : rewrap(stored, key);
			return rewrap.thenReturn(new Pseudonymizer(key));
		});
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
	 * Seals keys stored under a retired master key again under the current one, a batch
	 * at a time; keys stored before rotation existed are left to be sealed again when
	 * their user is next seen. Safe to run on several instances at once and to cut short.
	 * @param batchSize keys per batch
	 * @param maxBatches batches at most
	 * @return how many keys it sealed again
	 */
	public Mono<Long> rewrap(int batchSize, int maxBatches) {
		List<String> retiredIds = this.masters.retiredIds();
		if (retiredIds.isEmpty()) {
			return Mono.just(0L);
		}
		// Only keys this instance can open: one sealed under a key it does not have is
		// reported when read.
		Query retired = Query.query(Criteria.where("kid").in(retiredIds)).limit(batchSize);
		return Flux.range(0, maxBatches)
			.concatMap((batch) -> this.mongo.find(retired, StoredKey.class, COLLECTION)
				.concatMap((stored) -> rewrap(stored, open(stored, null)))
				.filter(Boolean::booleanValue)
				.count())
			// A short batch: none left, or another instance changed some meanwhile (the
			// next run looks again).
			.takeUntil((count) -> count < batchSize)
			.reduce(0L, Long::sum);
	}

	/**
	 * How many keys are sealed under what: the current master key, a retired one, or
	 * stored before rotation existed (sealed under whichever master key was configured
	 * then). A retired master key can be removed once no key needs it.
	 * @return the counts
	 */
	public Mono<Sealing> sealing() {
		return Mono
			.zip(this.mongo.count(Query.query(Criteria.where("kid").is(this.masters.currentId())), COLLECTION),
					this.mongo.count(Query.query(Criteria.where("kid").exists(true).ne(this.masters.currentId())),
							COLLECTION),
					this.mongo.count(Query.query(Criteria.where("kid").exists(false)), COLLECTION))
			.map((counts) -> new Sealing(counts.getT1(), counts.getT2(), counts.getT3(), this.rewrapped.get()));
	}

	/**
	 * How the stored keys are sealed.
	 *
	 * @param current under the current master key
	 * @param retired under another master key: a retired one, or one this instance does
	 * not have
	 * @param beforeRotation stored before rotation existed
	 * @param rewrappedHere sealed again by this instance since it started
	 */
	public record Sealing(long current, long retired, long beforeRotation, long rewrappedHere) {

	}

	private boolean isCurrent(StoredKey stored) {
		return this.masters.currentId().equals(stored.kid()) && this.masters.isSealedUnderCurrent(stored.key());
	}

	/**
	 * Seals a key again under the current master key, unless another instance has changed
	 * it meanwhile (it then sealed the same key again, or the key was destroyed).
	 */
	private Mono<Boolean> rewrap(StoredKey stored, byte[] key) {
		return this.mongo
			.updateFirst(Query.query(Criteria.where("_id").is(stored.id()).and("key").is(stored.key())),
					new Update().set("key", seal(stored.id(), key)).set("kid", this.masters.currentId()), COLLECTION)
			.map((result) -> result.getModifiedCount() > 0)
			.doOnNext((modified) -> {
				if (modified) {
					this.rewrapped.incrementAndGet();
				}
			});
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

	/**
	 * Bound to its document, which is bound to the user: a key copied to another user's
	 * document does not open.
	 */
	private String seal(String documentId, byte[] key) {
		return this.masters.seal(key, associated(documentId));
	}

	/**
	 * Opens a stored key.
	 * @param stored the stored key
	 * @param userId the user, needed for a key stored before rotation existed; null when
	 * not known
	 */
	private byte[] open(StoredKey stored, String userId) {
		try {
			if (this.masters.isSealed(stored.key())) {
				return this.masters.open(stored.key(), associated(stored.id()));
			}
			if (userId == null) {
				throw new IllegalStateException("A user key stored before rotation existed opens only with its user");
			}
			// Stored before rotation existed: bound to the user id, under whichever
			// master
			// key was configured then.
			GeneralSecurityException last = null;
			for (AesGcm master : this.masters.all()) {
				try {
					return master.open(stored.key(), userId.getBytes(StandardCharsets.UTF_8));
				}
				catch (GeneralSecurityException ex) {
					last = ex;
				}
			}
			throw last;
		}
		catch (SealingKeys.UnknownKeyException ex) {
			throw new IllegalStateException(
					"A user key is sealed under a master key this service does not have (key id " + ex.keyId()
							+ "); configure it in anonymizer.retired-master-keys");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("A user key could not be decrypted: wrong master key or tampered key", ex);
		}
	}

	private static byte[] associated(String documentId) {
		return ("anonymizer user key\n" + documentId).getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * A user's key as stored: sealed.
	 *
	 * @param id a keyed hash of the user id
	 * @param key {@code sealed:v2:<key id>:<base64 of nonce, ciphertext and tag>};
	 * without the prefix, a key stored before rotation existed
	 * @param kid the id of the master key it is sealed under; null for a key stored
	 * before rotation existed
	 * @param createdAt when it was made
	 */
	@Document(COLLECTION)
	record StoredKey(@Id String id, String key, String kid, java.time.Instant createdAt) {

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
