package com.onemusic.privacy.consent;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.consent.ledger.LedgerEntry;
import com.onemusic.privacy.events.ConsentChanged;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.platform.PrivacyService;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;
import com.onemusic.privacy.testsupport.TestInfrastructure;
import com.onemusic.privacy.testsupport.TopicProbe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The write of a change and its publication cannot diverge. This instance runs without an
 * outbox relay, as a process that died right after the MongoDB write and before the Kafka
 * send would have: the change is accepted and stored, nothing is published. A second
 * instance on the same database then publishes it, exactly once; and if a process dies
 * after the send but before marking the entry published, the event goes out again with
 * the same event id and sequence, which consumers de-duplicate.
 */
@ServiceIntegrationTest(
		properties = { "spring.config.name=" + ConsentServiceApplication.NAME, "privacy.outbox.enabled=false" })
class ConsentOutboxCrashTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Autowired
	private WebTestClient web;

	@Autowired
	private ReactiveMongoTemplate mongo;

	@Value("${spring.mongodb.uri}")
	private String mongoUri;

	@Test
	void aChangeStoredByAProcessThatDiedBeforePublishingIsPublishedOnceByTheNext() {
		String user = ConsentApiTests.user();
		this.web.put()
			.uri("/users/{user}/consents", user)
			.bodyValue(
					ConsentApiTests.body("EXPLICIT_TICK", ConsentApiTests.change("purpose.marketing-push", "GRANTED")))
			.exchange()
			.expectStatus()
			.isOk();
		assertThat(entry(user).published()).isFalse();
		assertThat(TopicProbe.read(Topics.CONSENT_CHANGED.name(), (record) -> user.equals(record.key()), 1,
				Duration.ofSeconds(2)))
			.as("nothing is published by the instance that 'died'")
			.isEmpty();

		try (ConfigurableApplicationContext next = startAnotherInstance()) {
			List<ConsumerRecord<String, Object>> published = TopicProbe.read(Topics.CONSENT_CHANGED.name(),
					(record) -> user.equals(record.key()), 1, WAIT);
			assertThat(published).hasSize(1);
			await().atMost(WAIT).until(() -> entry(user).published());

			// Died after the send, before the mark: the relay sends it again, unchanged.
			this.mongo
				.updateFirst(Query.query(Criteria.where("_id").is(LedgerEntry.idOf(user, 1))),
						new Update().set("published", false), LedgerEntry.COLLECTION)
				.block(WAIT);
			List<ConsumerRecord<String, Object>> twice = TopicProbe.read(Topics.CONSENT_CHANGED.name(),
					(record) -> user.equals(record.key()), 2, WAIT);
			assertThat(twice).hasSize(2);
			assertThat(twice).extracting((record) -> ((ConsentChanged) record.value()).getEventId())
				.as("one event id: consumers take it once")
				.containsOnly(((ConsentChanged) published.get(0).value()).getEventId());
			assertThat(twice).extracting((record) -> ((ConsentChanged) record.value()).getSequence()).containsOnly(1L);
			await().atMost(WAIT).until(() -> entry(user).published());
		}
	}

	private LedgerEntry entry(String user) {
		return this.mongo.findById(LedgerEntry.idOf(user, 1), LedgerEntry.class, LedgerEntry.COLLECTION).block(WAIT);
	}

	private ConfigurableApplicationContext startAnotherInstance() {
		return PrivacyService.builder(ConsentServiceApplication.class, ConsentServiceApplication.NAME)
			.run(TestInfrastructure.instanceArguments(this.mongoUri, "--privacy.outbox.enabled=true",
					"--privacy.outbox.poll-interval=200ms"));
	}

}
