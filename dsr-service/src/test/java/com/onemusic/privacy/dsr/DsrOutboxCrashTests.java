package com.onemusic.privacy.dsr;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.dsr.request.DsrRequest;
import com.onemusic.privacy.dsr.verification.SessionAssertions;
import com.onemusic.privacy.events.DeletionRequested;
import com.onemusic.privacy.events.DsrStatusChanged;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.platform.PrivacyService;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;
import com.onemusic.privacy.testsupport.TestInfrastructure;
import com.onemusic.privacy.testsupport.TopicProbe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A request's changes and the events they publish cannot diverge. This instance runs
 * without an outbox relay, as a process that died right after the MongoDB write would
 * have: the verified account closure is stored and nothing is published. A second
 * instance publishes each event once; after a death between the send and the mark, the
 * same events go out again with the same ids.
 */
@ServiceIntegrationTest(
		properties = { "spring.config.name=" + DsrServiceApplication.NAME, "privacy.outbox.enabled=false" })
class DsrOutboxCrashTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Autowired
	private WebTestClient web;

	@Autowired
	private ReactiveMongoTemplate mongo;

	@Autowired
	private SessionAssertions assertions;

	@Value("${spring.mongodb.uri}")
	private String mongoUri;

	@BeforeAll
	static void trustEvents() {
		PrivacyService.trustEventsPackage();
	}

	@Test
	void eventsOfARequestStoredByAProcessThatDiedArePublishedOnceByTheNext() {
		String user = "u-" + UUID.randomUUID();
		Map<?, ?> submitted = this.web.post()
			.uri("/requests")
			.bodyValue(Map.of("userId", user, "type", "ACCOUNT_CLOSURE", "channel", "WEB", "identityAssertion",
					this.assertions.issue(user, Instant.now(), Duration.ofMinutes(5))))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CREATED)
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		String id = (String) submitted.get("id");
		assertThat(stored(id).getBoolean("published")).isFalse();
		assertThat(TopicProbe.read(Topics.DELETION_REQUESTED.name(), (record) -> user.equals(record.key()), 1,
				Duration.ofSeconds(2)))
			.as("nothing is published by the instance that 'died'")
			.isEmpty();

		try (ConfigurableApplicationContext next = startAnotherInstance()) {
			List<ConsumerRecord<String, Object>> deletions = TopicProbe.read(Topics.DELETION_REQUESTED.name(),
					(record) -> user.equals(record.key()), 1, WAIT);
			List<ConsumerRecord<String, Object>> statuses = TopicProbe.read(Topics.DSR_STATUS.name(),
					(record) -> user.equals(record.key()), 3, WAIT);
			assertThat(deletions).hasSize(1);
			assertThat(((DeletionRequested) deletions.get(0).value()).getRequestId()).isEqualTo(id);
			assertThat(statuses).extracting((record) -> ((DsrStatusChanged) record.value()).getStatus().name())
				.containsExactly("SUBMITTED", "IDENTITY_VERIFIED", "IN_PROGRESS");
			await().atMost(WAIT).until(() -> stored(id).getBoolean("published"));
			assertThat(stored(id).getLong("publishedSeq")).isEqualTo(4L);

			// Died after the send, before the mark: the same events go out again.
			this.mongo
				.updateFirst(Query.query(Criteria.where("_id").is(id)),
						new Update().set("published", false).set("publishedSeq", 0L), DsrRequest.COLLECTION)
				.block(WAIT);
			List<ConsumerRecord<String, Object>> twice = TopicProbe.read(Topics.DELETION_REQUESTED.name(),
					(record) -> user.equals(record.key()), 2, WAIT);
			assertThat(twice).hasSize(2);
			assertThat(twice).extracting((record) -> ((DeletionRequested) record.value()).getEventId())
				.as("one event id: participants take it once")
				.containsOnly(((DeletionRequested) deletions.get(0).value()).getEventId());
			await().atMost(WAIT).until(() -> stored(id).getBoolean("published"));
		}
	}

	private Document stored(String id) {
		return this.mongo.findById(id, Document.class, DsrRequest.COLLECTION).block(WAIT);
	}

	private ConfigurableApplicationContext startAnotherInstance() {
		return PrivacyService.builder(DsrServiceApplication.class, DsrServiceApplication.NAME)
			.run(TestInfrastructure.instanceArguments(this.mongoUri, "--privacy.outbox.enabled=true",
					"--privacy.outbox.poll-interval=200ms"));
	}

}
