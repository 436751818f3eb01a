package com.onemusic.privacy.testsupport;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks every service must pass, written once. */
public final class ServiceChecks {

	private ServiceChecks() {
	}

	/**
	 * The answer is an {@code application/problem+json} document of a status and type,
	 * with a detail for a person.
	 * @param response the exchanged request
	 * @param status the status expected
	 * @param type the problem type expected, e.g. {@code unknown-scope}
	 * @return the body, for further checks
	 */
	public static WebTestClient.BodyContentSpec assertProblem(WebTestClient.ResponseSpec response, HttpStatus status,
			String type) {
		return response.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("https://privacy.onemusic.example/problems/" + type)
			.jsonPath("$.detail")
			.isNotEmpty();
	}

	/**
	 * The service is live, and ready with Kafka, MongoDB and the registry all up.
	 * @param web a client bound to the service
	 */
	public static void assertLiveAndReady(WebTestClient web) {
		up(web, "/actuator/health/liveness");
		up(web, "/actuator/health/readiness").jsonPath("$.components.kafka.status")
			.isEqualTo("UP")
			.jsonPath("$.components.mongo.status")
			.isEqualTo("UP")
			.jsonPath("$.components.schemaRegistry.status")
			.isEqualTo("UP");
	}

	/**
	 * The health probes answer a caller without a token (the kubelet's probes) with the
	 * status alone: what each dependency reports is for callers with a token.
	 * @param anonymous a client bound to the service that sends no token
	 */
	public static void assertProbesShowTheStatusAlone(WebTestClient anonymous) {
		for (String probe : List.of("/actuator/health", "/actuator/health/readiness", "/actuator/health/liveness")) {
			up(anonymous, probe).jsonPath("$.components").doesNotExist();
		}
	}

	private static WebTestClient.BodyContentSpec up(WebTestClient web, String probe) {
		return web.get().uri(probe).exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
	}

	/**
	 * Topics exist on the test broker.
	 * @param topics the topic names
	 * @throws Exception when the broker cannot be asked
	 */
	public static void assertTopicsExist(Set<String> topics) throws Exception {
		try (Admin admin = Admin.create(java.util.Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
				TestInfrastructure.get().bootstrapServers()))) {
			assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).containsAll(topics);
		}
	}

}
