package com.onemusic.privacy.anonymizer.profile;

import java.time.Clock;
import java.time.Instant;

import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import com.onemusic.privacy.anonymizer.erasure.UserErasure;
import com.onemusic.privacy.anonymizer.keys.UserKeys;
import com.onemusic.privacy.anonymizer.rules.FieldRules;

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
	 * Follows a change of the user's profiling consent; of two changes the one with the
	 * higher consent-ledger sequence number holds, whatever order they arrive in.
	 * @param userId the user
	 * @param granted whether it was granted (else withdrawn)
	 * @param sequence the consent ledger's sequence number of the change
	 * @return completion
	 */
	public Mono<Void> consentChanged(String userId, boolean granted, long sequence) {
		return this.keys.keyFor(userId).flatMap((key) -> {
			String pseudonym = key.pseudonym(FieldRules.USER_ID, userId);
			Query byPseudonym = Query.query(Criteria.where("_id").is(pseudonym));
			return this.mongo.findById(pseudonym, org.bson.Document.class, CONSENTS)
				.map((held) -> held.get("sequence", Number.class).longValue() < sequence)
				.defaultIfEmpty(true)
				.flatMap((newer) -> {
					if (!newer) {
						return Mono.empty();
					}
					Mono<Void> record = this.mongo
						.upsert(byPseudonym, new Update().set("granted", granted).set("sequence", sequence), CONSENTS)
						.then();
					// Withdrawn: the profile goes at once.
					return granted ? record : record
						.then(this.mongo.remove(Query.query(Criteria.where("_id").is(pseudonym)), UserErasure.PROFILES))
						.then();
				});
		});
	}

	/**
	 * Counts an event into the user's profile, if the user consents to profiling.
	 * @param pseudonym the user's pseudonym
	 * @param eventType what the user did
	 * @param at when
	 * @return whether the profile was updated
	 */
	public Mono<Boolean> count(String pseudonym, String eventType, Instant at) {
		return this.mongo.findById(pseudonym, org.bson.Document.class, CONSENTS)
			.filter((consent) -> Boolean.TRUE.equals(consent.getBoolean("granted")))
			.flatMap((consent) -> this.mongo
				.findAndModify(Query.query(Criteria.where("_id").is(pseudonym)),
						new Update().inc("eventCounts." + safe(eventType), 1)
							.max("lastSeen", at)
							.set("updatedAt", this.clock.instant()),
						FindAndModifyOptions.options().upsert(true).returnNew(true), org.bson.Document.class,
						UserErasure.PROFILES)
				.thenReturn(true))
			.defaultIfEmpty(false);
	}

	/** An event type as a field name: no dots or dollar signs. */
	private static String safe(String eventType) {
		return eventType.replaceAll("[.$]", "_");
	}

}
