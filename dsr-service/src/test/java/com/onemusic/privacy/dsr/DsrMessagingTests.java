package com.onemusic.privacy.dsr;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.dsr.verification.SessionAssertions;
import com.onemusic.privacy.events.ConsentWithdrawalRequested;
import com.onemusic.privacy.events.DataSubjectRequestSubmitted;
import com.onemusic.privacy.events.DeletionRequested;
import com.onemusic.privacy.events.ErasureStepReported;
import com.onemusic.privacy.events.ErasureStepStatus;
import com.onemusic.privacy.events.ParticipantKind;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.platform.PlatformAutoConfiguration;
import com.onemusic.privacy.platform.PrivacyService;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;
import com.onemusic.privacy.testsupport.TopicProbe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Requests made by other backend services on Kafka follow the same rules as the API and
 * take effect once however often they are delivered; records the rules refuse, and
 * reports of unknown requests, go to the dead-letter topic with their reason.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + DsrServiceApplication.NAME)
class DsrMessagingTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Autowired
	private WebTestClient web;

	@Autowired
	private SessionAssertions assertions;

	@BeforeAll
	static void trustEvents() {
		PrivacyService.trustEventsPackage();
	}

	@Test
	void aRequestFromAnotherServiceIsTakenOnceHoweverOftenItIsDelivered() {
		String user = "u-" + UUID.randomUUID();
		DataSubjectRequestSubmitted event = closureInSession(user);
		TopicProbe.publish(Topics.DSR_REQUESTS.name(), user, event);
		TopicProbe.publish(Topics.DSR_REQUESTS.name(), user, event);
		List<ConsumerRecord<String, Object>> asked = TopicProbe.read(Topics.DELETION_REQUESTED.name(),
				(record) -> user.equals(record.key()), 1, WAIT);
		assertThat(asked).as("one request, one deletion").hasSize(1);
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(requestsOf(user)).singleElement()
				.satisfies((request) -> assertThat(request).containsEntry("channel", "BACKEND_SERVICE")
					.containsEntry("status", "IN_PROGRESS")
					.containsEntry("id", ((DeletionRequested) asked.get(0).value()).getRequestId())));
	}

	@Test
	void refusedRequestsAndReportsOfUnknownRequestsGoToTheDeadLetterTopicWithTheReason() {
		String user = "u-" + UUID.randomUUID();
		TopicProbe.publish(Topics.DSR_REQUESTS.name(), user, submission(user, "FORGET_EVERYTHING").build());
		TopicProbe.publish(Topics.DSR_REQUESTS.name(), user,
				submission(user, "DELETION").setGround("UNLAWFUL_PROCESSING").build());
		TopicProbe.publish(Topics.ERASURE_PROGRESS.name(), user,
				done(user, "dsr-does-not-exist", "consent-service").build());
		List<String> requestCauses = causes(Topics.DSR_REQUESTS.deadLetterTopic(), user, 2);
		assertThat(requestCauses)
			.anySatisfy((cause) -> assertThat(cause).contains("'FORGET_EVERYTHING' is not a DsrType"));
		assertThat(requestCauses).anySatisfy((cause) -> assertThat(cause).contains("Identity must be verifiable"));
		assertThat(causes(Topics.ERASURE_PROGRESS.deadLetterTopic(), user, 1)).singleElement()
			.satisfies((cause) -> assertThat(cause).contains("No data-subject request dsr-does-not-exist"));
		assertThat(requestsOf(user)).isEmpty();
	}

	@Test
	void aPoisonReportGoesToTheDeadLetterTopicAndTheReportsAfterItAreApplied() {
		String user = "u-" + UUID.randomUUID();
		DataSubjectRequestSubmitted closure = closureInSession(user);
		TopicProbe.publish(Topics.DSR_REQUESTS.name(), user, closure);
		String requestId = ((DeletionRequested) TopicProbe
			.read(Topics.DELETION_REQUESTED.name(), (record) -> user.equals(record.key()), 1, WAIT)
			.get(0)
			.value()).getRequestId();
		// Not Confluent wire format: magic byte 1.
		TopicProbe.publishRaw(Topics.ERASURE_PROGRESS.name(), user, new byte[] { 1, 0, 0, 0, 7, 42 });
		for (String participant : List.of("anonymizer-service", "consent-service", "sharing-gateway")) {
			TopicProbe.publish(Topics.ERASURE_PROGRESS.name(), user, done(user, requestId, participant).build());
		}
		assertThat(causes(Topics.ERASURE_PROGRESS.deadLetterTopic(), user, 1)).singleElement()
			.satisfies((cause) -> assertThat(cause).contains("not an ErasureStepReported this service can read"));
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(requestsOf(user)).singleElement()
				.satisfies((request) -> assertThat(request).containsEntry("status", "COMPLETED")));
	}

	@Test
	void aConsentWithdrawalAsksConsentServiceAndCompletesOnItsReport() {
		String user = "u-" + UUID.randomUUID();
		Map<?, ?> submitted = this.web.post()
			.uri("/requests")
			.bodyValue(Map.of("userId", user, "type", "CONSENT_WITHDRAWAL", "channel", "CUSTOMER_SERVICE", "scopes",
					List.of("purpose.marketing-push", "sharing.data-service-providers"), "identityAssertion",
					this.assertions.issue(user, Instant.now(), Duration.ofMinutes(5))))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		String id = (String) submitted.get("id");
		ConsentWithdrawalRequested asked = (ConsentWithdrawalRequested) TopicProbe
			.read(Topics.CONSENT_WITHDRAWAL_REQUESTED.name(), (record) -> user.equals(record.key()), 1, WAIT)
			.get(0)
			.value();
		assertThat(asked.getRequestId()).isEqualTo(id);
		assertThat(asked.getScopes()).containsExactly("purpose.marketing-push", "sharing.data-service-providers");
		TopicProbe.publish(Topics.ERASURE_PROGRESS.name(), user,
				done(user, id, "consent-service").setCounts(Map.of("withdrawn", 2L)).build());
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(requestsOf(user)).singleElement()
				.satisfies((request) -> assertThat(request).containsEntry("status", "COMPLETED")));
	}

	private static List<String> causes(String topic, String user, int expected) {
		return TopicProbe.readRaw(topic, (record) -> user.equals(record.key()), expected, WAIT)
			.stream()
			.map((record) -> new String(
					record.headers().lastHeader(PlatformAutoConfiguration.ROOT_CAUSE_HEADER).value(),
					StandardCharsets.UTF_8))
			.toList();
	}

	@SuppressWarnings("unchecked")
	private List<Map<String, Object>> requestsOf(String user) {
		Map<?, ?> page = this.web.get()
			.uri("/requests?userId={user}", user)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		return (List<Map<String, Object>>) page.get("items");
	}

	private DataSubjectRequestSubmitted closureInSession(String user) {
		return submission(user, "ACCOUNT_CLOSURE")
			.setIdentityAssertion(this.assertions.issue(user, Instant.now(), Duration.ofMinutes(5)))
			.build();
	}

	private static DataSubjectRequestSubmitted.Builder submission(String user, String type) {
		return DataSubjectRequestSubmitted.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(Instant.now())
			.setUserId(user)
			.setSourceSystem("app-backend")
			.setRequestType(type);
	}

	private static ErasureStepReported.Builder done(String user, String requestId, String participant) {
		return ErasureStepReported.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(Instant.now())
			.setUserId(user)
			.setRequestId(requestId)
			.setParticipant(participant)
			.setParticipantKind(ParticipantKind.SERVICE)
			.setStatus(ErasureStepStatus.DONE);
	}

}
