package com.onemusic.privacy.dsr;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.dsr.verification.SessionAssertions;
import com.onemusic.privacy.events.ExportFragmentReported;
import com.onemusic.privacy.events.ExportFragmentStatus;
import com.onemusic.privacy.events.ExportRequested;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.platform.PrivacyService;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;
import com.onemusic.privacy.testsupport.TopicProbe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An access request gathers the user's data from the participants over Kafka (parts out
 * of order and twice, a participant holding nothing) and offers one JSON export for
 * download once everyone has answered; an answer that is not JSON fails that step.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + DsrServiceApplication.NAME)
class AccessExportTests {

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
	void theExportIsPutTogetherFromEveryParticipantsAnswer() {
		String user = "u-" + UUID.randomUUID();
		String id = submitAccess(user);
		ExportRequested asked = (ExportRequested) TopicProbe
			.read(Topics.EXPORT_REQUESTED.name(), (record) -> user.equals(record.key()), 1, WAIT)
			.get(0)
			.value();
		assertThat(asked.getRequestId()).isEqualTo(id);
		assertThat(asked.getParticipants()).containsExactly("consent-service", "sharing-gateway", "anonymizer-service");
		this.web.get().uri("/requests/{id}/export", id).exchange().expectStatus().isEqualTo(HttpStatus.CONFLICT);

		String consents = "{\"consents\":[{\"scope\":\"permission.camera\",\"status\":\"GRANTED\"}],\"history\":[]}";
		publish(fragment(user, id, "consent-service", 2, 2, consents.substring(20)));
		publish(fragment(user, id, "consent-service", 2, 2, consents.substring(20)));
		publish(fragment(user, id, "consent-service", 1, 2, consents.substring(0, 20)));
		publish(fragment(user, id, "sharing-gateway", 1, 1,
				"{\"shares\":[{\"partner\":\"logistics-1\",\"categories\":[\"address\"],\"at\":\"2026-03-01T08:00:00Z\"}]}"));
		await().atMost(WAIT).untilAsserted(() -> assertThat(status(id)).isEqualTo("IN_PROGRESS"));
		ExportFragmentReported nothing = ExportFragmentReported
			.newBuilder(fragment(user, id, "anonymizer-service", 1, 1, null))
			.setStatus(ExportFragmentStatus.NOTHING_HELD)
			.build();
		publish(nothing);
		await().atMost(WAIT).untilAsserted(() -> assertThat(status(id)).isEqualTo("COMPLETED"));

		byte[] body = this.web.get()
			.uri("/requests/{id}/export", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueMatches(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"export-" + id + ".json\"")
			.expectBody()
			.returnResult()
			.getResponseBody();
		JsonNode export = JsonMapper.builder().build().readTree(body);
		assertThat(export.get("userId").asString()).isEqualTo(user);
		assertThat(export.get("controller").asString()).isEqualTo("北京好个科技有限公司");
		assertThat(export.at("/sections/consent-service/consents/0/scope").asString()).isEqualTo("permission.camera");
		assertThat(export.at("/sections/sharing-gateway/shares/0/partner").asString()).isEqualTo("logistics-1");
		assertThat(export.at("/sections/anonymizer-service/nothingHeld").asBoolean()).isTrue();
		assertThat(export.at("/dataSubjectRequests/0/id").asString()).isEqualTo(id);
		assertThat(export.at("/dataSubjectRequests/0/status").asString()).isEqualTo("COMPLETED");
	}

	@Test
	void anAnswerThatIsNotJsonFailsTheStepSoItCanBeAskedAgain() {
		String user = "u-" + UUID.randomUUID();
		String id = submitAccess(user);
		publish(fragment(user, id, "consent-service", 1, 1, "{\"consents\": [oops"));
		await().atMost(WAIT).untilAsserted(() -> {
			Map<?, ?> request = get(id);
			Map<?, ?> step = ((List<?>) request.get("steps")).stream()
				.map((each) -> (Map<?, ?>) each)
				.filter((each) -> "consent-service".equals(each.get("participant")))
				.findFirst()
				.orElseThrow();
			assertThat(step.get("status")).isEqualTo("FAILED");
			assertThat((String) step.get("message")).contains("do not form a JSON document");
		});
	}

	private String submitAccess(String user) {
		Map<?, ?> submitted = this.web.post()
			.uri("/requests")
			.bodyValue(Map.of("userId", user, "type", "ACCESS", "channel", "APP", "identityAssertion",
					this.assertions.issue(user, Instant.now(), Duration.ofMinutes(5))))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CREATED)
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		assertThat(submitted.get("status")).isEqualTo("IN_PROGRESS");
		return (String) submitted.get("id");
	}

	private String status(String id) {
		return (String) get(id).get("status");
	}

	private Map<?, ?> get(String id) {
		return this.web.get()
			.uri("/requests/{id}", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

	private static ExportFragmentReported fragment(String user, String requestId, String participant, int part,
			int parts, String content) {
		return ExportFragmentReported.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(Instant.now())
			.setUserId(user)
			.setRequestId(requestId)
			.setParticipant(participant)
			.setStatus(ExportFragmentStatus.DONE)
			.setPart(part)
			.setParts(parts)
			.setContent(content)
			.build();
	}

	private static void publish(ExportFragmentReported fragment) {
		TopicProbe.publish(Topics.EXPORT_FRAGMENTS.name(), fragment.getUserId(), fragment);
	}

}
