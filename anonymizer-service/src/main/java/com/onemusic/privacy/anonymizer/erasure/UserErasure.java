package com.onemusic.privacy.anonymizer.erasure;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import com.onemusic.privacy.anonymizer.ingest.AnalyticsIngestion;
import com.onemusic.privacy.anonymizer.keys.UserKeys;
import com.onemusic.privacy.anonymizer.rules.FieldRules;
import com.onemusic.privacy.events.ErasureStepReported;
import com.onemusic.privacy.events.ErasureStepStatus;
import com.onemusic.privacy.events.ParticipantKind;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.platform.outbox.OutboxMessage;

/**
 * Erases a user from the de-identified data in one step: the user's key is destroyed, so
 * no stored pseudonym can be recomputed or linked to the person again (crypto-shredding);
 * then the user's profile and the quasi-identifiers of the user's events go, together
 * with the pseudonym that tied the events to each other; a verification pass checks that
 * nothing stored can be linked to the user; the report (ErasureStepReported) goes out
 * through the outbox. A second delivery of the same request changes nothing and reports
 * the same outcome; a process that dies half way finishes when the request is delivered
 * again.
 */
public class UserErasure {

	/** This service's name as an erasure participant. */
	public static final String PARTICIPANT = "anonymizer-service";

	/** Profiles built from the de-identified events, by pseudonym. */
	public static final String PROFILES = "analytics_profiles";

	/** What an erased user's events say instead of a pseudonym. */
	static final String ERASED = "erased";

	private final ReactiveMongoTemplate mongo;

	private final UserKeys keys;

	private final List<String> quasiIdentifiers;

	private final Consumer<ErasureRecord> publishSoon;

	private final Clock clock;

	public UserErasure(ReactiveMongoTemplate mongo, UserKeys keys, List<String> quasiIdentifiers,
			Consumer<ErasureRecord> publishSoon, Clock clock) {
		this.mongo = mongo;
		this.keys = keys;
		this.quasiIdentifiers = List.copyOf(quasiIdentifiers);
		this.publishSoon = publishSoon;
		this.clock = clock;
	}

	/**
	 * Erases a user for a deletion request.
	 * @param userId the user
	 * @param requestId the request
	 * @return the finished record
	 */
	public Mono<ErasureRecord> erase(String userId, String requestId) {
		return this.mongo.findById(requestId, ErasureRecord.class, ErasureRecord.COLLECTION)
			.flatMap((found) -> ErasureRecord.DONE.equals(found.status()) ? republish(requestId)
					: finish(found.userId(), requestId, found.pseudonym()))
			.switchIfEmpty(Mono.defer(() -> start(userId, requestId)));
	}

	private Mono<ErasureRecord> start(String userId, String requestId) {
		return this.keys.existing(userId)
			.map((key) -> key.pseudonym(FieldRules.USER_ID, userId))
			.map(java.util.Optional::of)
			.defaultIfEmpty(java.util.Optional.empty())
			.flatMap((pseudonym) -> {
				// Written before the key goes: a process dying after that still knows
				// which events to clean.
				ErasureRecord started = new ErasureRecord(requestId, userId, UUID.randomUUID(), ErasureRecord.STARTED,
						pseudonym.orElse(null), Map.of(), null, false, null, true);
				return this.mongo.insert(started, ErasureRecord.COLLECTION)
					.onErrorResume(com.onemusic.privacy.platform.mongo.DuplicateKeys::isDuplicateKey,
							(ex) -> this.mongo.findById(requestId, ErasureRecord.class, ErasureRecord.COLLECTION))
					.flatMap((record) -> finish(userId, requestId, record.pseudonym()));
			});
	}

	private Mono<ErasureRecord> finish(String userId, String requestId, String pseudonym) {
		Mono<Long> keyDestroyed = this.keys.destroy(userId).map((destroyed) -> destroyed ? 1L : 0L);
		return keyDestroyed.flatMap((keysDestroyed) -> residue(pseudonym)
			.flatMap((residue) -> verify(userId, pseudonym).flatMap((verified) -> {
				Map<String, Long> counts = new LinkedHashMap<>();
				counts.put("keysDestroyed", keysDestroyed);
				counts.putAll(residue);
				boolean nothingHeld = pseudonym == null && residue.values().stream().allMatch((n) -> n == 0);
				Update done = new Update().set("status", ErasureRecord.DONE)
					.unset("pseudonym")
					.set("counts", counts)
					.set("verified", verified)
					.set("nothingHeld", nothingHeld)
					.set("finishedAt", this.clock.instant())
					.set("published", false);
				return this.mongo.findAndModify(Query.query(Criteria.where("_id").is(requestId)), done,
						FindAndModifyOptions.options().returnNew(true), ErasureRecord.class, ErasureRecord.COLLECTION);
			}))).doOnNext(this.publishSoon);
	}

	/** Removes the profile and what could single the person out from the events. */
	private Mono<Map<String, Long>> residue(String pseudonym) {
		if (pseudonym == null) {
			return Mono.just(Map.of("eventsUnlinked", 0L, "profilesRemoved", 0L));
		}
		Update unlink = new Update().set(FieldRules.USER_ID, ERASED);
		this.quasiIdentifiers.forEach(unlink::unset);
		return this.mongo
			.updateMulti(Query.query(Criteria.where(FieldRules.USER_ID).is(pseudonym)), unlink,
					AnalyticsIngestion.COLLECTION)
			.zipWith(this.mongo.remove(Query.query(Criteria.where("_id").is(pseudonym)), PROFILES))
			// The profiling consent of the pseudonym goes too.
			.flatMap((results) -> this.mongo
				.remove(Query.query(Criteria.where("_id").is(pseudonym)),
						com.onemusic.privacy.anonymizer.profile.Profiles.CONSENTS)
				.thenReturn(results))
			.map((results) -> Map.of("eventsUnlinked", results.getT1().getModifiedCount(), "profilesRemoved",
					results.getT2().getDeletedCount()));
	}

	/**
	 * Checks that nothing stored links to the user: no key, no event or profile under the
	 * pseudonym, no event holding the raw user id.
	 */
	private Mono<Boolean> verify(String userId, String pseudonym) {
		Mono<Boolean> keyGone = this.keys.existing(userId).hasElement().map((present) -> !present);
		Mono<Boolean> noRawId = this.mongo
			.exists(Query.query(Criteria.where(FieldRules.USER_ID).is(userId)), AnalyticsIngestion.COLLECTION)
			.map((present) -> !present);
		Mono<Boolean> noPseudonym = (pseudonym == null) ? Mono.just(true) : this.mongo
			.exists(Query.query(Criteria.where(FieldRules.USER_ID).is(pseudonym)), AnalyticsIngestion.COLLECTION)
			.zipWith(this.mongo.exists(Query.query(Criteria.where("_id").is(pseudonym)), PROFILES))
			.map((found) -> !found.getT1() && !found.getT2());
		return Mono.zip(keyGone, noRawId, noPseudonym)
			.map((checks) -> checks.getT1() && checks.getT2() && checks.getT3());
	}

	private Mono<ErasureRecord> republish(String requestId) {
		return this.mongo
			.findAndModify(Query.query(Criteria.where("_id").is(requestId)), new Update().set("published", false),
					FindAndModifyOptions.options().returnNew(true), ErasureRecord.class, ErasureRecord.COLLECTION)
			.doOnNext(this.publishSoon);
	}

	/**
	 * The report of a finished erasure.
	 * @param record the record
	 * @return the message, keyed by user
	 */
	public static List<OutboxMessage> report(ErasureRecord record) {
		if (!ErasureRecord.DONE.equals(record.status())) {
			return List.of();
		}
		ErasureStepReported report = ErasureStepReported.newBuilder()
			.setEventId(record.eventId())
			.setOccurredAt(record.finishedAt())
			.setUserId(record.userId())
			.setRequestId(record.requestId())
			.setParticipant(PARTICIPANT)
			.setParticipantKind(ParticipantKind.SERVICE)
			.setStatus(record.nothingHeld() ? ErasureStepStatus.NOTHING_HELD : ErasureStepStatus.DONE)
			.setMessage(record.nothingHeld() ? "no analytics data of the user"
					: "user key destroyed; events unlinked and stripped of quasi-identifiers; profile removed")
			.setCounts(new java.util.HashMap<>(record.counts()))
			.setVerified(record.verified())
			.build();
		return List.of(new OutboxMessage(Topics.ERASURE_PROGRESS.name(), record.userId(), report));
	}

}
