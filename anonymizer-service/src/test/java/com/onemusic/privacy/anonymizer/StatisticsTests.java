package com.onemusic.privacy.anonymizer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.anonymizer.ingest.AnalyticsIngestion;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.events.UserActivityRecorded;
import com.onemusic.privacy.platform.PrivacyService;
import com.onemusic.privacy.testsupport.ServiceChecks;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;
import com.onemusic.privacy.testsupport.TopicProbe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Statistics suppress every cell of fewer than k users and say how many; the k-anonymity
 * report finds the small classes; masking and the rules are served; bad input is a 4xx.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + AnonymizerServiceApplication.NAME)
class StatisticsTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Autowired
	private WebTestClient web;

	@Autowired
	private ReactiveMongoTemplate mongo;

	@BeforeAll
	static void trustEvents() {
		PrivacyService.trustEventsPackage();
	}

	@Test
	void cellsOfFewerThanKUsersAreSuppressed() {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String big = "big-" + run;
		String small = "small-" + run;
		Instant day = Instant.parse("2026-06-01T02:00:00Z");
		for (int i = 0; i < 12; i++) {
			publish("u-" + run + "-big-" + i, big, day.plusSeconds(i));
			// Twice the same user: one user, two events.
			publish("u-" + run + "-big-" + i, big, day.plusSeconds(100 + i));
		}
		for (int i = 0; i < 3; i++) {
			publish("u-" + run + "-small-" + i, small, day.plusSeconds(i));
		}
		await().atMost(WAIT)
			.until(() -> this.mongo
				.count(Query.query(Criteria.where("city").in(big, small)), AnalyticsIngestion.COLLECTION)
				.block(WAIT) == 27);

		Map<?, ?> result = this.web.get()
			.uri("/statistics/daily-active-users-by-city?from=2026-06-01T00:00:00Z&to=2026-06-02T00:00:00Z&k=10")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> cells = (List<Map<String, Object>>) result.get("cells");
		assertThat(cells).anySatisfy((cell) -> assertThat(cell).containsEntry("city", big)
			.containsEntry("day", "2026-06-01")
			.containsEntry("users", 12)
			.containsEntry("events", 24));
		assertThat(cells).noneSatisfy((cell) -> assertThat(cell).containsEntry("city", small));
		assertThat((Integer) result.get("suppressedCells")).isGreaterThanOrEqualTo(1);

		Map<?, ?> report = this.web.post()
			.uri("/k-anonymity")
			.bodyValue(Map.of("quasiIdentifiers", List.of("city"), "k", 10))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		assertThat(((Number) report.get("smallestClass")).longValue()).isLessThanOrEqualTo(3);
		assertThat(((Number) report.get("classesBelowK")).longValue()).isGreaterThanOrEqualTo(1);
		assertThat(((Number) report.get("recordsBelowK")).longValue()).isGreaterThanOrEqualTo(3);
	}

	@Test
	void badQuestionsAreRefusedWithTheReason() {
		problem(this.web.get().uri("/statistics/location-grid?from=2026-06-01T00:00:00Z&to=2026-06-02T00:00:00Z&k=1"),
				HttpStatus.BAD_REQUEST, "invalid-k");
		problem(this.web.get().uri("/statistics/heights?from=2026-06-01T00:00:00Z&to=2026-06-02T00:00:00Z"),
				HttpStatus.NOT_FOUND, "unknown-metric");
		problem(this.web.post()
			.uri("/k-anonymity")
			.bodyValue(Map.of("quasiIdentifiers", List.of("device.imsi"), "k", 5)), HttpStatus.BAD_REQUEST,
				"unknown-field");
		problem(this.web.post().uri("/k-anonymity").bodyValue(Map.of("quasiIdentifiers", List.of("city"), "k", 1)),
				HttpStatus.BAD_REQUEST, "invalid-k");
		problem(this.web.post()
			.uri("/k-anonymity")
			.bodyValue(Map.of("collection", "users", "quasiIdentifiers", List.of("city"), "k", 5)),
				HttpStatus.BAD_REQUEST, "unknown-collection");
		problem(this.web.post().uri("/masking").bodyValue(Map.of("kind", "PASSPORT", "value", "x")),
				HttpStatus.BAD_REQUEST, "unreadable-request");
		problem(this.web.post()
			.uri("/masking")
			.contentType(org.springframework.http.MediaType.APPLICATION_JSON)
			.bodyValue("{\"kind\":\"TEXT\",\"value\":{\"$gt\":\"\"}}"), HttpStatus.BAD_REQUEST, "unreadable-request");
		problem(this.web.post().uri("/masking").bodyValue(Map.of("kind", "TEXT", "value", "x".repeat(100_000))),
				HttpStatus.CONTENT_TOO_LARGE, "body-too-large");
	}

	@Test
	void masksForDisplayAndShowsTheRules() {
		this.web.post()
			.uri("/masking")
			.bodyValue(Map.of("kind", "NAME", "value", "欧阳娜娜"))
			.exchange()
			.expectBody()
			.jsonPath("$.masked")
			.isEqualTo("欧阳**");
		this.web.post()
			.uri("/masking")
			.bodyValue(Map.of("kind", "TEXT", "value", "电话13812345678"))
			.exchange()
			.expectBody()
			.jsonPath("$.masked")
			.isEqualTo("电话138****5678");
		this.web.get()
			.uri("/rules")
			.exchange()
			.expectBody()
			.jsonPath("$.fields.userId")
			.isEqualTo("pseudonym")
			.jsonPath("$.fields['device.imsi']")
			.isEqualTo("drop")
			.jsonPath("$.otherFields")
			.isEqualTo("drop");
	}

	private static void problem(WebTestClient.RequestHeadersSpec<?> request, HttpStatus status, String type) {
		ServiceChecks.assertProblem(request.exchange(), status, type);
	}

	private static void publish(String user, String city, Instant at) {
		TopicProbe.publish(Topics.ANALYTICS_EVENTS_RAW.name(), user,
				UserActivityRecorded.newBuilder()
					.setEventId(UUID.randomUUID())
					.setOccurredAt(at)
					.setUserId(user)
					.setEventType("play")
					.setCity(city)
					.build());
	}

}
