package com.onemusic.privacy.consent;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.events.ExportFragmentReported;
import com.onemusic.privacy.events.ExportFragmentStatus;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;
import com.onemusic.privacy.testsupport.TestEvents;
import com.onemusic.privacy.testsupport.TopicProbe;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * consent-service answers an access request with the user's consents and their whole
 * history, and leaves requests addressed to other participants alone.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + ConsentServiceApplication.NAME)
class ConsentExportTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Autowired
	private WebTestClient web;

	@Test
	void anAccessRequestIsAnsweredWithTheConsentsAndTheirHistory() {
		String user = ConsentApiTests.user();
		put(user, ConsentApiTests.body("EXPLICIT_TICK", ConsentApiTests.change("permission.camera", "GRANTED")));
		put(user, ConsentApiTests.body("SETTINGS_TOGGLE", ConsentApiTests.change("permission.camera", "WITHDRAWN")));
		String requestId = "dsr-" + UUID.randomUUID();
		TopicProbe.publish(Topics.EXPORT_REQUESTED.name(), user, TestEvents.exportRequested(user, requestId));

		List<ConsumerRecord<String, Object>> fragments = TopicProbe.read(Topics.EXPORT_FRAGMENTS.name(),
				(record) -> user.equals(record.key()), 1, WAIT);
		assertThat(fragments).hasSize(1);
		ExportFragmentReported fragment = (ExportFragmentReported) fragments.get(0).value();
		assertThat(fragment.getRequestId()).isEqualTo(requestId);
		assertThat(fragment.getParticipant()).isEqualTo("consent-service");
		assertThat(fragment.getStatus()).isEqualTo(ExportFragmentStatus.DONE);
		assertThat(fragment.getParts()).isEqualTo(1);
		JsonNode document = JsonMapper.builder().build().readTree(fragment.getContent());
		assertThat(document.at("/consents/0/scope").asString()).isEqualTo("permission.camera");
		assertThat(document.at("/consents/0/status").asString()).isEqualTo("WITHDRAWN");
		assertThat(document.get("history")).hasSize(2);
		assertThat(document.at("/history/1/method").asString()).isEqualTo("SETTINGS_TOGGLE");
	}

	@Test
	void aRequestForOtherParticipantsIsLeftAlone() {
		String user = ConsentApiTests.user();
		String forOthers = "dsr-" + UUID.randomUUID();
		String forEveryone = "dsr-" + UUID.randomUUID();
		TopicProbe.publish(Topics.EXPORT_REQUESTED.name(), user,
				TestEvents.exportRequested(user, forOthers, "sharing-gateway"));
		// Same key, same partition: once the second is answered, the first was handled.
		TopicProbe.publish(Topics.EXPORT_REQUESTED.name(), user, TestEvents.exportRequested(user, forEveryone));
		List<ConsumerRecord<String, Object>> fragments = TopicProbe.read(Topics.EXPORT_FRAGMENTS.name(),
				(record) -> user.equals(record.key()), 1, WAIT);
		assertThat(fragments).extracting((record) -> ((ExportFragmentReported) record.value()).getRequestId())
			.containsExactly(forEveryone);
	}

	private void put(String user, Object body) {
		this.web.put().uri("/users/{user}/consents", user).bodyValue(body).exchange().expectStatus().isOk();
	}

}
