package com.onemusic.privacy.anonymizer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.anonymizer.retention.RetentionSweep;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention: expired documents are anonymized or deleted a batch at a time; a sweep cut
 * short continues where it stopped and nothing is handled twice; progress is shown.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + AnonymizerServiceApplication.NAME)
class RetentionTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final Instant NOW = Instant.parse("2026-11-29T00:00:00Z");

	@Autowired
	private ReactiveMongoTemplate mongo;

	@Autowired
	private WebTestClient web;

	@Test
	void aSweepCutShortContinuesAndHandlesNothingTwice() {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String events = "retention_events_" + run;
		String profiles = "retention_profiles_" + run;
		for (int i = 0; i < 25; i++) {
			insert(events,
					new Document("_id", "old-" + i).append("userId", "p-" + i)
						.append("city", "北京")
						.append("eventType", "play")
						.append("storedAt", NOW.minus(Duration.ofDays(200)).plusSeconds(i)));
		}
		insert(events,
				new Document("_id", "recent").append("userId", "p-x")
					.append("city", "北京")
					.append("storedAt", NOW.minus(Duration.ofDays(10))));
		insert(profiles, new Document("_id", "p-old").append("updatedAt", NOW.minus(Duration.ofDays(400))));
		insert(profiles, new Document("_id", "p-new").append("updatedAt", NOW.minus(Duration.ofDays(1))));
		RetentionSweep sweep = new RetentionSweep(this.mongo, Map.of(events,
				new RetentionSweep.Policy(Duration.ofDays(180), RetentionSweep.Action.ANONYMIZE, "storedAt",
						List.of("userId", "city")),
				profiles,
				new RetentionSweep.Policy(Duration.ofDays(365), RetentionSweep.Action.DELETE, "updatedAt", List.of())),
				10, Clock.fixed(NOW, ZoneOffset.UTC));

		// Cut short after two batches per collection, as a process killed mid-way.
		assertThat(sweep.sweep(2).block(WAIT)).isEqualTo(21L);
		assertThat(waiting(sweep, events)).isEqualTo(5L);
		assertThat(sweep.sweep(Integer.MAX_VALUE).block(WAIT)).as("the rest, once").isEqualTo(5L);
		assertThat(sweep.sweep(Integer.MAX_VALUE).block(WAIT)).as("nothing twice").isZero();

		Document old = this.mongo.findById("old-3", Document.class, events).block(WAIT);
		assertThat(old).doesNotContainKeys("userId", "city").containsEntry("expired", true);
		assertThat(old.getString("eventType")).isEqualTo("play");
		assertThat(this.mongo.findById("recent", Document.class, events).block(WAIT)).containsEntry("userId", "p-x");
		assertThat(this.mongo.findById("p-old", Document.class, profiles).block(WAIT)).isNull();
		assertThat(this.mongo.findById("p-new", Document.class, profiles).block(WAIT)).isNotNull();
		Map<String, Object> status = sweep.status()
			.filter((row) -> events.equals(row.get("collection")))
			.blockFirst(WAIT);
		assertThat(status).containsEntry("processed", 25).containsEntry("waiting", 0L);
		assertThat(sweep.processedThisProcess()).containsEntry(events, 25L).containsEntry(profiles, 1L);
	}

	@Test
	void theRetentionInForceIsShown() {
		this.web.get()
			.uri("/retention")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[?(@.collection=='analytics_events')].action")
			.isEqualTo("ANONYMIZE")
			.jsonPath("$[?(@.collection=='analytics_profiles')].period")
			.isEqualTo("PT8760H");
	}

	private void insert(String collection, Document document) {
		this.mongo.insert(document, collection).block(WAIT);
	}

	private static long waiting(RetentionSweep sweep, String collection) {
		return (Long) sweep.status()
			.filter((row) -> collection.equals(row.get("collection")))
			.blockFirst(WAIT)
			.get("waiting");
	}

}
