package com.onemusic.privacy.anonymizer.profile;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;

import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import com.onemusic.privacy.anonymizer.erasure.UserErasure;
import com.onemusic.privacy.anonymizer.keys.UserKeys;
import com.onemusic.privacy.anonymizer.rules.FieldRules;
import com.onemusic.privacy.platform.mongo.DuplicateKeys;

/**
 * User profiles ("user portrait": how often a user does what) built from the
 * de-identified events, by pseudonym, only while the user consents to profiling (policy
 * 4.1.2, opt-in): a withdrawal stops the building and deletes the profile at once.
 */
public class Profiles {

	/** The consent of each pseudonym to profiling. */
	public static final String CONSENTS = "anonymizer_profiling_consents";

	private final ReactiveMongoTemplate mongo;

	private final UserKeys keys;

	private final Clock clock;

	public Profiles(ReactiveMongoTemplate mongo, UserKeys keys, Clock clock) {
		this.mongo = mongo;
		this.keys = keys;
		this.clock = clock;
	}

	/**
	 * Follows a change of the user's profiling consent; of two changes the newer holds,
	 * whatever order they arrive in, as consent-service's ledger decides the current
	 * state: the later made, and of two made at the same instant the higher sequence
	 * number. A change recorded late with an older time (a device that synced late) does
	 * not undo a newer one. A consent stored before its time was kept compares by
	 * sequence number alone. Of two changes written at once, the older cannot overwrite
	 * the newer.
	 * @param userId the user
	 * @param granted whether it was granted (else withdrawn)
	 * @param sequence the consent ledger's sequence number of the change
	 * @param changedAt when the change was made
	 * @return completion
	 */
	public Mono<Void> consentChanged(String userId, boolean granted, long sequence, Instant changedAt) {
		return this.keys.keyFor(userId).flatMap((key) -> {
			String pseudonym = key.pseudonym(FieldRules.USER_ID, userId);
			Date at = Date.from(changedAt);
			// One conditional write, so that the changes and the states, taken on two
			// threads, cannot put an older one back over a newer one: it matches only a
			// consent this change supersedes (ConsentOrder, as a query); where a
			// newer one is held, the upsert's insert meets the existing id.
			Query superseded = Query.query(Criteria.where("_id")
				.is(pseudonym)
				.orOperator(Criteria.where("changedAt").lt(at),
						Criteria.where("changedAt").is(at).and("sequence").lt(sequence),
						Criteria.where("changedAt").exists(false).and("sequence").lt(sequence)));
			Mono<Boolean> recorded = this.mongo
				.upsert(superseded, new Update().set("granted", granted).set("sequence", sequence).set("changedAt", at),
						CONSENTS)
				.thenReturn(true)
				.onErrorResume(DuplicateKeys::isDuplicateKey, (ex) -> Mono.just(false));
			// Withdrawn: the profile goes at once.
			return recorded.flatMap((newer) -> (newer && !granted)
					? this.mongo.remove(Query.query(Criteria.where("_id").is(pseudonym)), UserErasure.PROFILES).then()
					: Mono.empty());
		});
	}

	/**
	 * Counts an event into the user's profile, if the user consents to profiling.
	 *
	 * <p>
	 * A withdrawal writes the consent, then deletes the profile. One that came between
	 * this count's look at the consent and its write would leave a profile the count
	 * created after the deletion, so the count looks at the consent again after its write
	 * and deletes the profile itself if the consent is gone: either the withdrawal's
	 * deletion comes after the write, or the second look comes after the withdrawal.
	 * @param pseudonym the user's pseudonym
	 * @param eventType what the user did
	 * @param at when
	 * @return whether the profile was updated and is kept
	 */
	public Mono<Boolean> count(String pseudonym, String eventType, Instant at) {
		return granted(pseudonym).filter(Boolean::booleanValue)
			.flatMap((granted) -> this.mongo
				.findAndModify(Query.query(Criteria.where("_id").is(pseudonym)),
						new Update().inc("eventCounts." + safe(eventType), 1)
							.max("lastSeen", at)
							.set("updatedAt", this.clock.instant()),
						FindAndModifyOptions.options().upsert(true).returnNew(true), org.bson.Document.class,
						UserErasure.PROFILES)
				.then(granted(pseudonym)))
			.flatMap((still) -> still ? Mono.just(true)
					: this.mongo.remove(Query.query(Criteria.where("_id").is(pseudonym)), UserErasure.PROFILES)
						.thenReturn(false))
			.defaultIfEmpty(false);
	}

	private Mono<Boolean> granted(String pseudonym) {
		return this.mongo.findById(pseudonym, org.bson.Document.class, CONSENTS)
			.map((consent) -> Boolean.TRUE.equals(consent.getBoolean("granted")))
			.defaultIfEmpty(false);
	}

	/** An event type as a field name: no dots or dollar signs. */
	private static String safe(String eventType) {
		return eventType.replaceAll("[.$]", "_");
	}

}
