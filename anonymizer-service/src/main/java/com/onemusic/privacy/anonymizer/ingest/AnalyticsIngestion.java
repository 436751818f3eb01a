package com.onemusic.privacy.anonymizer.ingest;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import org.bson.Document;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

import com.onemusic.privacy.anonymizer.keys.UserKeys;
import com.onemusic.privacy.anonymizer.profile.Profiles;
import com.onemusic.privacy.anonymizer.rules.FieldRules;
import com.onemusic.privacy.anonymizer.rules.Transformation;
import com.onemusic.privacy.events.UserActivityRecorded;
import com.onemusic.privacy.personal.PersonalDataDetector;
import com.onemusic.privacy.platform.mongo.DuplicateKeys;

/**
 * De-identifies raw analytics events at the door (policy 4.2.1): only what the rules
 * produce is stored, with the user's id replaced by a keyed pseudonym under the user's
 * own key. The event id is the document id, so a redelivered event is stored once.
 */
public class AnalyticsIngestion {

	/** The de-identified events. */
	public static final String COLLECTION = "analytics_events";

	private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

	private final ReactiveMongoTemplate mongo;

	private final UserKeys keys;

	private final FieldRules rules;

	private final PersonalDataDetector detector;

	private final Profiles profiles;

	private final Clock clock;

	public AnalyticsIngestion(ReactiveMongoTemplate mongo, UserKeys keys, FieldRules rules,
			PersonalDataDetector detector, Profiles profiles, Clock clock) {
		this.mongo = mongo;
		this.profiles = profiles;
		this.keys = keys;
		this.rules = rules;
		this.detector = detector;
		this.clock = clock;
	}

	/**
	 * Stores the de-identified form of an event.
	 * @param event the raw event
	 * @return whether it was stored (false for a redelivery)
	 */
	public Mono<Boolean> ingest(UserActivityRecorded event) {
		return this.keys.keyFor(event.getUserId()).flatMap((key) -> {
			Map<String, Object> stored = this.rules.apply(RawEvents.flatten(event), new Transformation.Context() {

				@Override
				public String pseudonym(String field, String value) {
					return key.pseudonym(field, value);
				}

				@Override
				public String scrub(String text) {
					return AnalyticsIngestion.this.detector.scrub(text);
				}

			});
			Document document = new Document(stored).append("_id", event.getEventId().toString())
				// The day in Beijing, for daily statistics.
				.append("day", LocalDate.ofInstant(event.getOccurredAt(), BEIJING).toString())
				.append("storedAt", this.clock.instant());
			String pseudonym = (String) stored.get(FieldRules.USER_ID);
			return this.mongo.insert(document, COLLECTION)
				// A redelivered event is stored and counted once.
				.flatMap((inserted) -> this.profiles.count(pseudonym, event.getEventType(), event.getOccurredAt()))
				.thenReturn(true)
				.onErrorResume(DuplicateKeys::isDuplicateKey, (ex) -> Mono.just(false));
		});
	}

}
