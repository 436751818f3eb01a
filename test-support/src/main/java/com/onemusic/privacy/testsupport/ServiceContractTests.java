package com.onemusic.privacy.testsupport;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every service must do, whatever its business: start live and ready on Kafka,
 * MongoDB and the registry, create the contract's topics with their dead-letter topics,
 * and refuse every call but the health probes without a valid token (missing, expired,
 * signed by an unknown key, malformed: 401) or without the endpoint's scope (403), as
 * problem+json. A service's test extends this and is annotated
 * {@link ServiceIntegrationTest}.
 */
public abstract class ServiceContractTests {

	@Autowired
	protected WebTestClient web;

	@Test
	void startsLiveAndReadyOnKafkaMongoAndTheRegistry() {
		ServiceChecks.assertLiveAndReady(this.web);
	}

	/**
	 * Every operation of the service's OpenAPI description, with its path variables
	 * filled in.
	 * @return method and path of each
	 */
	protected List<String[]> operations() {
		return operations("x-1");
	}

	/**
	 * Every operation of the service's OpenAPI description, with its path variables
	 * filled in.
	 * @param variable the value of every path variable
	 * @return method and path of each
	 */
	protected List<String[]> operations(String variable) {
		JsonNode paths = JsonMapper.builder()
			.build()
			.readTree(this.web.get()
				.uri("/v3/api-docs")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody())
			.path("paths");
		List<String[]> operations = new ArrayList<>();
		for (Map.Entry<String, JsonNode> path : paths.properties()) {
			for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
				operations.add(new String[] { operation.getKey().toUpperCase(Locale.ROOT),
						path.getKey().replaceAll("\\{[^}]+}", variable) });
			}
		}
		assertThat(operations).as("operations in the OpenAPI description").isNotEmpty();
		return operations;
	}

	/**
	 * The paths a service opens to callers without a token besides the health probes
	 * (e.g. partner callbacks, authenticated by signature).
	 * @return path patterns, as regular expressions
	 */
	protected List<String> publicPaths() {
		return List.of();
	}

	/**
	 * Whether the service offers paths under {@code /users/{userId}/}.
	 * @return true unless a service says otherwise
	 */
	protected boolean hasUserPaths() {
		return true;
	}

	@Test
	void everyEndpointButHealthRefusesCallsWithoutAValidToken() {
		WebTestClient anonymous = this.web.mutate()
			.defaultHeaders((headers) -> headers.remove("Authorization"))
			.build();
		List<String> tokens = List.of("", TestTokens.bearer(TestTokens.expired()),
				TestTokens.bearer(TestTokens.signedByAnotherKey()), "Bearer not-a-jwt");
		for (String[] operation : operations()) {
			if (publicPaths().stream().anyMatch(operation[1]::matches)) {
				continue;
			}
			for (String token : tokens) {
				WebTestClient.RequestBodySpec request = anonymous.method(HttpMethod.valueOf(operation[0]))
					.uri(operation[1]);
				if (!token.isEmpty()) {
					request.header("Authorization", token);
				}
				withBody(request, operation[0]).exchange()
					.expectStatus()
					.isUnauthorized()
					.expectHeader()
					.contentType(MediaType.APPLICATION_PROBLEM_JSON);
			}
		}
		anonymous.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
		anonymous.get().uri("/v3/api-docs").exchange().expectStatus().isUnauthorized();
		anonymous.get().uri("/actuator/metrics").exchange().expectStatus().isUnauthorized();
		anonymous.get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void prometheusScrapesMetricsWithAToken() {
		String metrics = this.web.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseBody()
			.reduce(String::concat)
			.block();
		assertThat(metrics).contains("jvm_memory_used_bytes").contains("kafka_consumer");
	}

	@Test
	void everyEndpointButHealthRefusesATokenWithoutItsScope() {
		WebTestClient unscoped = TestTokens.as(this.web, TestTokens.withScopes("someone"));
		for (String[] operation : operations()) {
			if (publicPaths().stream().anyMatch(operation[1]::matches)) {
				continue;
			}
			withBody(unscoped.method(HttpMethod.valueOf(operation[0])).uri(operation[1]), operation[0]).exchange()
				.expectStatus()
				.isForbidden()
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
	}

	/** A JSON body for the methods that take one; none for the others. */
	private static WebTestClient.RequestHeadersSpec<?> withBody(WebTestClient.RequestBodySpec request, String method) {
		return ("POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method))
				? request.contentType(MediaType.APPLICATION_JSON).bodyValue("{}") : request;
	}

	/**
	 * Every operation under {@code /users/{userId}/} refuses an end user's token for
	 * another user (403 {@code not-your-data}, whatever the body), and lets the user's
	 * own token past that check.
	 */
	@Test
	void everyUserPathRefusesAnotherUsersToken() {
		WebTestClient asAlice = TestTokens.as(this.web, TestTokens.user("contract-alice"));
		List<String[]> userOperations = operations("contract-bob").stream()
			.filter((operation) -> operation[1].startsWith("/users/contract-bob/"))
			.toList();
		if (hasUserPaths()) {
			assertThat(userOperations).as("operations under /users/{userId}/").isNotEmpty();
		}
		else {
			assertThat(userOperations).as("operations under /users/{userId}/ of a service without user paths")
				.isEmpty();
		}
		for (String[] operation : userOperations) {
			ServiceChecks.assertProblem(
					withBody(asAlice.method(HttpMethod.valueOf(operation[0])).uri(operation[1]), operation[0])
						.exchange(),
					HttpStatus.FORBIDDEN, "not-your-data");
			String own = operation[1].replace("/users/contract-bob/", "/users/contract-alice/");
			int status = withBody(asAlice.method(HttpMethod.valueOf(operation[0])).uri(own), operation[0]).exchange()
				.returnResult(String.class)
				.getStatus()
				.value();
			assertThat(status).as(operation[0] + " " + own).isNotIn(401, 403);
		}
	}

	@Test
	void createsTheContractTopicsAndTheirDeadLetterTopics() throws Exception {
		Set<String> expected = new HashSet<>();
		Topics.all().forEach((topic) -> {
			expected.add(topic.name());
			expected.add(topic.deadLetterTopic());
		});
		ServiceChecks.assertTopicsExist(expected);
	}

}
