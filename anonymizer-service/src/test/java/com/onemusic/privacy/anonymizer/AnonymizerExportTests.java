package com.onemusic.privacy.anonymizer;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

import com.onemusic.privacy.anonymizer.ingest.AnalyticsIngestion;
import com.onemusic.privacy.anonymizer.profile.Profiles;
import com.onemusic.privacy.events.ExportFragmentReported;
import com.onemusic.privacy.events.ExportFragmentStatus;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.events.UserActivityRecorded;
import com.onemusic.privacy.platform.PrivacyService;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;
import com.onemusic.privacy.testsupport.TestEvents;
import com.onemusic.privacy.testsupport.TopicProbe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An access request is answered with the analytics data linked to the user: the profile
 * and a summary of the events; a user with nothing linked is answered NOTHING_HELD.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + AnonymizerServiceApplication.NAME)
class AnonymizerExportTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Autowired
	private ReactiveMongoTemplate mongo;

	@Autowired
	private Profiles profiles;

	@BeforeAll
	static void trustEvents() {
		PrivacyService.trustEventsPackage();
	}

	@Test
	void theProfileAndASummaryOfTheEventsAreExported() {
		String user = "u-" + UUID.randomUUID();
		this.profiles.consentChanged(user, true, 1, Instant.now()).block(WAIT);
		String last = null;
		for (int i = 0; i < 3; i++) {
			last = UUID.randomUUID().toString();
			TopicProbe.publish(Topics.ANALYTICS_EVENTS_RAW.name(), user,
					UserActivityRecorded.newBuilder()
						.setEventId(UUID.fromString(last))
						.setOccurredAt(Instant.now())
						.setUserId(user)
						.setEventType("play")
						.build());
		}
		String lastId = last;
		await().atMost(WAIT)
			.until(() -> this.mongo.findById(lastId, Document.class, AnalyticsIngestion.COLLECTION)
				.block(WAIT) != null);
		String requestId = "dsr-" + UUID.randomUUID();
		TopicProbe.publish(Topics.EXPORT_REQUESTED.name(), user, TestEvents.exportRequested(user, requestId));
		ExportFragmentReported fragment = fragment(user);
		assertThat(fragment.getRequestId()).isEqualTo(requestId);
		assertThat(fragment.getStatus()).isEqualTo(ExportFragmentStatus.DONE);
		JsonNode content = JsonMapper.builder().build().readTree(fragment.getContent());
		assertThat(content.at("/events/0/eventType").asString()).isEqualTo("play");
		assertThat(content.at("/events/0/count").asLong()).isEqualTo(3);
		assertThat(content.at("/profile/eventCounts/play").asLong()).isEqualTo(3);
		assertThat(fragment.getContent()).doesNotContain(user);
	}

	@Test
	void aUserWithNothingLinkedIsAnsweredNothingHeld() {
		String user = "u-" + UUID.randomUUID();
		TopicProbe.publish(Topics.EXPORT_REQUESTED.name(), user,
				TestEvents.exportRequested(user, "dsr-" + UUID.randomUUID()));
		assertThat(fragment(user).getStatus()).isEqualTo(ExportFragmentStatus.NOTHING_HELD);
	}

	private static ExportFragmentReported fragment(String user) {
		return (ExportFragmentReported) TopicProbe
			.read(Topics.EXPORT_FRAGMENTS.name(), (record) -> user.equals(record.key()), 1, WAIT)
			.get(0)
			.value();
	}

}
