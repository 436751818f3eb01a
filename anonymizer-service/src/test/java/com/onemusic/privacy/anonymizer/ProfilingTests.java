package com.onemusic.privacy.anonymizer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import com.onemusic.privacy.anonymizer.erasure.UserErasure;
import com.onemusic.privacy.anonymizer.ingest.AnalyticsIngestion;
import com.onemusic.privacy.anonymizer.profile.Profiles;
import com.onemusic.privacy.events.ConsentChanged;
import com.onemusic.privacy.events.ConsentMethod;
import com.onemusic.privacy.events.ConsentStateRecorded;
import com.onemusic.privacy.events.ConsentStatus;
import com.onemusic.privacy.events.ScopeConsentState;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.events.UserActivityRecorded;
import com.onemusic.privacy.platform.PrivacyService;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;
import com.onemusic.privacy.testsupport.TopicProbe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A profile is built only while the user consents to profiling; a withdrawal deletes it
 * and later events are not profiled; an older change arriving late changes nothing.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + AnonymizerServiceApplication.NAME)
class ProfilingTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	/**
	 * When the ledger's changes of these tests were made: the change of sequence number
	 * {@code n} at {@code n} seconds after this.
	 */
	private static final Instant MADE = Instant.now().minusSeconds(3600);

	@Autowired
	private ReactiveMongoTemplate mongo;

	@Autowired
	private Profiles profiles;

	@BeforeAll
	static void trustEvents() {
		PrivacyService.trustEventsPackage();
	}

	@Test
	void aProfileIsBuiltOnlyWithConsentAndDeletedOnWithdrawal() {
		String user = "u-" + UUID.randomUUID();
		// No consent yet: stored, not profiled.
		String pseudonym = pseudonymAfterAnEvent(user);
		assertThat(profile(pseudonym)).isNull();
		consent(user, ConsentStatus.GRANTED, 1);

		await().atMost(WAIT).until(() -> {
			play(user);
			return profile(pseudonym) != null;
		});
		// An older withdrawal arriving late changes nothing.
		this.profiles.consentChanged(user, false, 0, Instant.EPOCH).block(WAIT);
		assertThat(profile(pseudonym)).isNotNull();

		consent(user, ConsentStatus.WITHDRAWN, 2);
		await().atMost(WAIT).until(() -> profile(pseudonym) == null);
		String after = play(user);
		await().atMost(WAIT).until(() -> stored(after) != null);
		assertThat(profile(pseudonym)).as("not profiled after the withdrawal").isNull();
		assertThat(this.mongo.count(Query.query(Criteria.where("userId").is(pseudonym)), AnalyticsIngestion.COLLECTION)
			.block(WAIT)).as("events are still stored, de-identified").isGreaterThanOrEqualTo(3);
	}

	/**
	 * A grant made before the user withdrew but recorded after it (a device that synced
	 * late) has the higher sequence number; consent-service keeps the withdrawal current,
	 * and so does profiling.
	 */
	@Test
	void aGrantRecordedAfterANewerWithdrawalDoesNotResumeProfiling() {
		String user = "u-" + UUID.randomUUID();
		String pseudonym = pseudonymAfterAnEvent(user);
		Instant now = Instant.now();
		this.profiles.consentChanged(user, true, 1, now.minusSeconds(600)).block(WAIT);
		play(user);
		await().atMost(WAIT).until(() -> profile(pseudonym) != null);
		this.profiles.consentChanged(user, false, 2, now).block(WAIT);
		// A count still under way deletes what it wrote once it sees the withdrawal.
		await().atMost(WAIT).until(() -> profile(pseudonym) == null);

		this.profiles.consentChanged(user, true, 3, now.minusSeconds(300)).block(WAIT);
		String after = play(user);
		await().atMost(WAIT).until(() -> stored(after) != null);
		assertThat(profile(pseudonym)).as("not profiled: the withdrawal is the newer choice").isNull();
		// A newer grant does count.
		this.profiles.consentChanged(user, true, 4, Instant.now()).block(WAIT);
		await().atMost(WAIT).until(() -> {
			play(user);
			return profile(pseudonym) != null;
		});
	}

	/**
	 * Changes written at once (the changes topic and the state topic are read on two
	 * threads) end with the newest held, whichever write lands last.
	 */
	@Test
	void changesWrittenAtOnceEndWithTheNewest() {
		for (int round = 0; round < 5; round++) {
			String user = "u-" + UUID.randomUUID();
			String pseudonym = pseudonymAfterAnEvent(user);
			List<Integer> order = new ArrayList<>(IntStream.rangeClosed(1, 16).boxed().toList());
			Collections.shuffle(order);
			// Odd sequence numbers grant, even ones withdraw: the newest (16) withdraws.
			Flux.fromIterable(order)
				.flatMap((sequence) -> this.profiles
					.consentChanged(user, sequence % 2 == 1, sequence, MADE.plusSeconds(sequence))
					.subscribeOn(Schedulers.parallel()), 16)
				.blockLast(WAIT);
			Document held = this.mongo.findById(pseudonym, Document.class, Profiles.CONSENTS).block(WAIT);
			assertThat(held.get("sequence", Number.class).longValue()).as("round %d, order %s", round, order)
				.isEqualTo(16L);
			assertThat(held.getBoolean("granted")).isFalse();
		}
	}

	/**
	 * Events counted while the user withdraws: none leaves a profile behind.
	 */
	@Test
	void noProfileOutlivesAWithdrawalThatCameWhileEventsWereCounted() {
		for (int round = 0; round < 12; round++) {
			String user = "u-" + UUID.randomUUID();
			String pseudonym = pseudonymAfterAnEvent(user);
			this.profiles.consentChanged(user, true, 1, MADE.plusSeconds(1)).block(WAIT);
			Flux<Boolean> counting = Flux.range(0, 200)
				.flatMap(
						(i) -> this.profiles.count(pseudonym, "play", Instant.now()).subscribeOn(Schedulers.parallel()),
						32);
			Mono<Void> withdrawal = Mono.delay(Duration.ofMillis(20 + 5 * round))
				.then(this.profiles.consentChanged(user, false, 2, MADE.plusSeconds(2)));
			Flux.merge(counting.then(), withdrawal).blockLast(WAIT);
			assertThat(profile(pseudonym)).as("round %d", round).isNull();
		}
	}

	/**
	 * The profiling consent in a user's state on the compacted state topic (how a consent
	 * older than the changes topic's retention is known) counts like a change: a state
	 * older than the change taken does nothing.
	 */
	@Test
	void theProfilingConsentInAUsersStateCountsLikeAChange() {
		String user = "u-" + UUID.randomUUID();
		String pseudonym = pseudonymAfterAnEvent(user);
		state(user, 5, true);

		await().atMost(WAIT).until(() -> {
			play(user);
			return profile(pseudonym) != null;
		});
		consent(user, ConsentStatus.WITHDRAWN, 6);
		await().atMost(WAIT).until(() -> profile(pseudonym) == null);
		// The older state again, then a tombstone: neither brings the profile back.
		state(user, 5, true);
		TopicProbe.publish(Topics.CONSENT_STATE.name(), user, null);
		state(user, 7, false);
		await().atMost(WAIT)
			.until(() -> this.mongo.findById(pseudonym, Document.class, Profiles.CONSENTS)
				.map((held) -> held.get("sequence", Number.class).longValue())
				.block(WAIT) == 7L);
		String after = play(user);
		await().atMost(WAIT).until(() -> stored(after) != null);
		assertThat(profile(pseudonym)).isNull();
	}

	private static void state(String user, long sequence, boolean granted) {
		TopicProbe.publish(Topics.CONSENT_STATE.name(), user,
				ConsentStateRecorded.newBuilder()
					.setEventId(UUID.randomUUID())
					.setOccurredAt(Instant.now())
					.setUserId(user)
					.setSequence(sequence)
					.setScopes(List.of(
							new ScopeConsentState("purpose.marketing-push", true, "2026.01", sequence,
									MADE.plusSeconds(sequence)),
							new ScopeConsentState("purpose.user-profiling", granted, "2026.01", sequence,
									MADE.plusSeconds(sequence))))
					.build());
	}

	/**
	 * Plays once for the user, waits until the event is stored, and answers its
	 * pseudonym.
	 */
	private String pseudonymAfterAnEvent(String user) {
		String eventId = play(user);
		await().atMost(WAIT).until(() -> stored(eventId) != null);
		return stored(eventId).getString("userId");
	}

	private String play(String user) {
		UUID eventId = UUID.randomUUID();
		TopicProbe.publish(Topics.ANALYTICS_EVENTS_RAW.name(), user,
				UserActivityRecorded.newBuilder()
					.setEventId(eventId)
					.setOccurredAt(Instant.now())
					.setUserId(user)
					.setEventType("play")
					.build());
		return eventId.toString();
	}

	private static void consent(String user, ConsentStatus status, long sequence) {
		TopicProbe.publish(Topics.CONSENT_CHANGED.name(), user,
				ConsentChanged.newBuilder()
					.setEventId(UUID.randomUUID())
					.setOccurredAt(MADE.plusSeconds(sequence))
					.setUserId(user)
					.setScope("purpose.user-profiling")
					.setStatus(status)
					.setPolicyVersion("2026.01")
					.setMethod(ConsentMethod.SETTINGS_TOGGLE)
					.setSourceSystem("consent-service")
					.setSequence(sequence)
					.build());
	}

	private Document stored(String eventId) {
		return this.mongo.findById(eventId, Document.class, AnalyticsIngestion.COLLECTION).block(WAIT);
	}

	private Document profile(String pseudonym) {
		return this.mongo.findById(pseudonym, Document.class, UserErasure.PROFILES).block(WAIT);
	}

}
