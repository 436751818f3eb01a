package com.onemusic.privacy.anonymizer;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

import com.onemusic.privacy.anonymizer.erasure.ErasureRecord;
import com.onemusic.privacy.anonymizer.ingest.AnalyticsIngestion;
import com.onemusic.privacy.anonymizer.keys.UserKeys;
import com.onemusic.privacy.events.DeletionGround;
import com.onemusic.privacy.events.DeletionKind;
import com.onemusic.privacy.events.DeletionRequested;
import com.onemusic.privacy.events.DeviceIdentifiers;
import com.onemusic.privacy.events.ErasureStepReported;
import com.onemusic.privacy.events.ErasureStepStatus;
import com.onemusic.privacy.events.GeoPoint;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.events.UserActivityRecorded;
import com.onemusic.privacy.platform.PrivacyService;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;
import com.onemusic.privacy.testsupport.TopicProbe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Raw analytics events in, only their de-identified form stored (the raw identifiers
 * appear nowhere in the database); a deletion destroys the user's key, unlinks and strips
 * the user's events, verifies, and reports once however often it is asked.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + AnonymizerServiceApplication.NAME)
class DeidentificationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final List<String> STORES = List.of(AnalyticsIngestion.COLLECTION, "anonymizer_user_keys",
			"analytics_profiles");

	@Autowired
	private ReactiveMongoTemplate mongo;

	@Autowired
	private UserKeys keys;

	@BeforeAll
	static void trustEvents() {
		PrivacyService.trustEventsPackage();
	}

	@Test
	void onlyTheDeidentifiedFormIsStored() {
		String user = "u-" + UUID.randomUUID();
		UserActivityRecorded event = event(user, "周杰伦 13812345678");
		TopicProbe.publish(Topics.ANALYTICS_EVENTS_RAW.name(), user, event);
		TopicProbe.publish(Topics.ANALYTICS_EVENTS_RAW.name(), user, event);
		Document stored = await().atMost(WAIT).until(() -> stored(event.getEventId().toString()), (doc) -> doc != null);
		assertThat(stored.getString("userId")).hasSize(22).isNotEqualTo(user);
		assertThat(stored.getString("eventType")).isEqualTo("search");
		assertThat(stored.getString("searchKeywords")).isEqualTo("周杰伦 [MOBILE_NUMBER]");
		assertThat(stored.getString("ip")).isEqualTo("203.0.113.0/24");
		assertThat(stored.getString("birthDate")).isEqualTo("1990");
		assertThat(stored.get("location", List.class)).hasSize(2);
		Document device = stored.get("device", Document.class);
		assertThat(device.getString("imei")).hasSize(22);
		assertThat(device).doesNotContainKeys("imsi", "mac", "resolution");
		assertThat(stored.get("properties", Document.class)).containsEntry("channel", "app-store")
			.doesNotContainKey("nickname");
		for (String raw : List.of(user, "13812345678", "490154203237518", "460001234567890",
				"6D92078A-8246-4BA4-AE5B-76104861E7DC", "203.0.113.77", "00:1A:2B:3C:4D:5E", "昵称小明")) {
			assertThat(dump()).as("raw value %s stored", raw).doesNotContain(raw);
		}
		assertThat(this.mongo.count(new org.springframework.data.mongodb.core.query.Query(
				org.springframework.data.mongodb.core.query.Criteria.where("_id").is(event.getEventId().toString())),
				AnalyticsIngestion.COLLECTION)
			.block(WAIT)).as("a redelivery is stored once").isEqualTo(1);
	}

	@Test
	void aDeletionShredsTheKeyUnlinksTheEventsAndReportsOnce() {
		String user = "u-" + UUID.randomUUID();
		UserActivityRecorded first = event(user, "play list");
		UserActivityRecorded second = event(user, "another search");
		TopicProbe.publish(Topics.ANALYTICS_EVENTS_RAW.name(), user, first);
		TopicProbe.publish(Topics.ANALYTICS_EVENTS_RAW.name(), user, second);
		Document before = await().atMost(WAIT)
			.until(() -> stored(second.getEventId().toString()), (doc) -> doc != null);
		String pseudonym = before.getString("userId");

		DeletionRequested deletion = deletion(user);
		TopicProbe.publish(Topics.DELETION_REQUESTED.name(), user, deletion);
		ErasureStepReported report = (ErasureStepReported) TopicProbe
			.read(Topics.ERASURE_PROGRESS.name(), (record) -> user.equals(record.key()), 1, WAIT)
			.get(0)
			.value();
		assertThat(report.getParticipant()).isEqualTo("anonymizer-service");
		assertThat(report.getStatus()).isEqualTo(ErasureStepStatus.DONE);
		assertThat(report.getVerified()).isTrue();
		assertThat(report.getCounts()).containsEntry("keysDestroyed", 1L).containsEntry("eventsUnlinked", 2L);
		for (UserActivityRecorded event : List.of(first, second)) {
			Document after = stored(event.getEventId().toString());
			assertThat(after.getString("userId")).isEqualTo("erased");
			assertThat(after).doesNotContainKeys("city", "birthDate", "gender", "location", "ip", "device");
			assertThat(after.getString("eventType")).isEqualTo("search");
		}
		assertThat(dump()).doesNotContain(pseudonym);

		// Delivered again: nothing changes, the same report goes out again.
		TopicProbe.publish(Topics.DELETION_REQUESTED.name(), user, deletion);
		List<ConsumerRecord<String, Object>> reports = TopicProbe.read(Topics.ERASURE_PROGRESS.name(),
				(record) -> user.equals(record.key()), 2, WAIT);
		assertThat(reports).extracting((record) -> ((ErasureStepReported) record.value()).getEventId())
			.containsOnly(report.getEventId())
			.hasSize(2);
	}

	@Test
	void anErasureCutShortAfterTheKeyWentIsFinishedWhenAskedAgain() {
		String user = "u-" + UUID.randomUUID();
		UserActivityRecorded event = event(user, "search");
		TopicProbe.publish(Topics.ANALYTICS_EVENTS_RAW.name(), user, event);
		Document before = await().atMost(WAIT).until(() -> stored(event.getEventId().toString()), (doc) -> doc != null);
		DeletionRequested deletion = deletion(user);
		// A process recorded the start, destroyed the key and died.
		this.mongo
			.insert(new ErasureRecord(deletion.getRequestId(), user, UUID.randomUUID(), "STARTED",
					before.getString("userId"), Map.of(), null, false, null, true), ErasureRecord.COLLECTION)
			.block(WAIT);
		assertThat(this.keys.destroy(user).block(WAIT)).isTrue();

		TopicProbe.publish(Topics.DELETION_REQUESTED.name(), user, deletion);
		ErasureStepReported report = (ErasureStepReported) TopicProbe
			.read(Topics.ERASURE_PROGRESS.name(), (record) -> user.equals(record.key()), 1, WAIT)
			.get(0)
			.value();
		assertThat(report.getStatus()).isEqualTo(ErasureStepStatus.DONE);
		assertThat(report.getVerified()).isTrue();
		assertThat(report.getCounts()).containsEntry("keysDestroyed", 0L).containsEntry("eventsUnlinked", 1L);
		assertThat(stored(event.getEventId().toString()).getString("userId")).isEqualTo("erased");
		assertThat(this.mongo.findById(deletion.getRequestId(), Document.class, ErasureRecord.COLLECTION).block(WAIT))
			.as("the pseudonym is not kept")
			.doesNotContainKey("pseudonym");
	}

	@Test
	void aUserWithNoDataIsReportedAsNothingHeld() {
		String user = "u-" + UUID.randomUUID();
		TopicProbe.publish(Topics.DELETION_REQUESTED.name(), user, deletion(user));
		ErasureStepReported report = (ErasureStepReported) TopicProbe
			.read(Topics.ERASURE_PROGRESS.name(), (record) -> user.equals(record.key()), 1, WAIT)
			.get(0)
			.value();
		assertThat(report.getStatus()).isEqualTo(ErasureStepStatus.NOTHING_HELD);
		assertThat(report.getVerified()).isTrue();
	}

	private Document stored(String eventId) {
		return this.mongo.findById(eventId, Document.class, AnalyticsIngestion.COLLECTION).block(WAIT);
	}

	/** Everything in the stores of de-identified data, as text. */
	private String dump() {
		StringBuilder all = new StringBuilder();
		for (String collection : STORES) {
			this.mongo.findAll(Document.class, collection)
				.doOnNext((doc) -> all.append(doc.toJson()).append('\n'))
				.blockLast(WAIT);
		}
		return all.toString();
	}

	private static UserActivityRecorded event(String user, String keywords) {
		return UserActivityRecorded.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(Instant.now())
			.setUserId(user)
			.setEventType("search")
			.setSearchKeywords(keywords)
			.setDevice(DeviceIdentifiers.newBuilder()
				.setImei("490154203237518")
				.setImsi("460001234567890")
				.setIdfa("6D92078A-8246-4BA4-AE5B-76104861E7DC")
				.setMac("00:1A:2B:3C:4D:5E")
				.setModel("iPhone15")
				.build())
			.setIp("203.0.113.77")
			.setLocation(GeoPoint.newBuilder().setLatitude(39.9087).setLongitude(116.3975).build())
			.setCity("北京")
			.setBirthDate(LocalDate.of(1990, 3, 7))
			.setGender("F")
			.setProperties(Map.of("channel", "app-store", "nickname", "昵称小明"))
			.build();
	}

	private static DeletionRequested deletion(String user) {
		return DeletionRequested.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(Instant.now())
			.setUserId(user)
			.setRequestId("dsr-" + UUID.randomUUID())
			.setKind(DeletionKind.DELETION)
			.setGround(DeletionGround.UNLAWFUL_PROCESSING)
			.setVerifiedAt(Instant.now())
			.setDueDate(LocalDate.now().plusDays(20))
			.setRequiredParticipants(List.of("anonymizer-service", "consent-service", "sharing-gateway"))
			.build();
	}

}
