package com.onemusic.privacy.consent;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.events.ConsentChanged;
import com.onemusic.privacy.events.ConsentMethod;
import com.onemusic.privacy.events.ConsentStatus;
import com.onemusic.privacy.events.ConsentWithdrawalRequested;
import com.onemusic.privacy.events.ErasureStepReported;
import com.onemusic.privacy.events.ErasureStepStatus;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;
import com.onemusic.privacy.testsupport.TopicProbe;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A verified consent withdrawal from dsr-service withdraws exactly the named consents,
 * publishes the changes, and reports the step; a redelivery records nothing new.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + ConsentServiceApplication.NAME)
class ConsentWithdrawalTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Autowired
	private WebTestClient web;

	/**
	 * A user's withdrawal through the API is answered only once its event is on the topic
	 * (acknowledged by Kafka: its offset is below the end offset read right after the
	 * answer), so that a service reading the topic cannot act on the consent after the
	 * user was told it is withdrawn.
	 */
	@Test
	void aWithdrawalIsAnsweredOnlyOnceItIsPublished() {
		try (KafkaConsumer<String, byte[]> ends = TopicProbe.rawConsumer()) {
			List<TopicPartition> partitions = ends.partitionsFor(Topics.CONSENT_CHANGED.name())
				.stream()
				.map((info) -> new TopicPartition(info.topic(), info.partition()))
				.toList();
			ends.endOffsets(partitions);
			for (int i = 0; i < 10; i++) {
				String user = ConsentApiTests.user();
				ConsentApiTests.put(this.web, user, ConsentApiTests.body("EXPLICIT_TICK",
						ConsentApiTests.change("sharing.data-service-providers", "GRANTED")));
				Map<?, ?> withdrawn = ConsentApiTests.put(this.web, user, ConsentApiTests.body("SETTINGS_TOGGLE",
						ConsentApiTests.change("sharing.data-service-providers", "WITHDRAWN")));
				Map<TopicPartition, Long> endsWhenAnswered = ends.endOffsets(partitions);
				assertThat(withdrawn.get("sequence")).isEqualTo(2);
				ConsumerRecord<String, Object> event = TopicProbe
					.read(Topics.CONSENT_CHANGED.name(),
							(record) -> user.equals(record.key())
									&& ((ConsentChanged) record.value()).getStatus() == ConsentStatus.WITHDRAWN,
							1, WAIT)
					.get(0);
				assertThat(event.offset()).as("on the topic when answered")
					.isLessThan(endsWhenAnswered.get(new TopicPartition(event.topic(), event.partition())));
			}
		}
	}

	@Test
	void theNamedConsentsAreWithdrawnAndTheStepIsReportedOnce() {
		String user = ConsentApiTests.user();
		this.web.put()
			.uri("/users/{user}/consents", user)
			.bodyValue(
					ConsentApiTests.body("EXPLICIT_TICK", ConsentApiTests.change("purpose.marketing-push", "GRANTED"),
							ConsentApiTests.change("permission.location", "GRANTED")))
			.exchange()
			.expectStatus()
			.isOk();
		String requestId = "dsr-" + UUID.randomUUID();
		ConsentWithdrawalRequested request = ConsentWithdrawalRequested.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(Instant.now())
			.setUserId(user)
			.setRequestId(requestId)
			.setScopes(List.of("purpose.marketing-push", "permission.camera"))
			.setDueDate(LocalDate.now())
			.build();
		TopicProbe.publish(Topics.CONSENT_WITHDRAWAL_REQUESTED.name(), user, request);

		ErasureStepReported step = (ErasureStepReported) TopicProbe
			.read(Topics.ERASURE_PROGRESS.name(), (record) -> user.equals(record.key()), 1, WAIT)
			.get(0)
			.value();
		assertThat(step.getRequestId()).isEqualTo(requestId);
		assertThat(step.getStatus()).isEqualTo(ErasureStepStatus.DONE);
		assertThat(step.getCounts()).containsEntry("withdrawn", 1L);
		List<ConsumerRecord<String, Object>> changes = TopicProbe.read(Topics.CONSENT_CHANGED.name(),
				(record) -> user.equals(record.key())
						&& ((ConsentChanged) record.value()).getMethod() == ConsentMethod.DATA_SUBJECT_REQUEST,
				1, WAIT);
		assertThat(changes).singleElement().satisfies((record) -> {
			ConsentChanged change = (ConsentChanged) record.value();
			assertThat(change.getScope()).isEqualTo("purpose.marketing-push");
			assertThat(change.getStatus()).isEqualTo(ConsentStatus.WITHDRAWN);
		});

		TopicProbe.publish(Topics.CONSENT_WITHDRAWAL_REQUESTED.name(), user, request);
		List<ConsumerRecord<String, Object>> reported = TopicProbe.read(Topics.ERASURE_PROGRESS.name(),
				(record) -> user.equals(record.key()), 2, WAIT);
		assertThat(reported).extracting((record) -> ((ErasureStepReported) record.value()).getEventId())
			.as("the same step again")
			.containsOnly(step.getEventId())
			.hasSize(2);
		this.web.get()
			.uri("/users/{user}/consents", user)
			.exchange()
			.expectBody()
			.jsonPath("$.consents[?(@.scope=='permission.location')].status")
			.isEqualTo("GRANTED")
			.jsonPath("$.consents[?(@.scope=='purpose.marketing-push')].status")
			.isEqualTo("WITHDRAWN");
		this.web.get()
			.uri("/users/{user}/consents/history", user)
			.exchange()
			.expectBody()
			.jsonPath("$.length()")
			.isEqualTo(2);
	}

}
