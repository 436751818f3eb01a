package com.onemusic.privacy.anonymizer.export;

import java.util.LinkedHashMap;
import java.util.Map;

import org.bson.Document;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.aggregation.Aggregation;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import com.onemusic.privacy.anonymizer.erasure.UserErasure;
import com.onemusic.privacy.anonymizer.ingest.AnalyticsIngestion;
import com.onemusic.privacy.anonymizer.keys.UserKeys;
import com.onemusic.privacy.anonymizer.rules.FieldRules;
import com.onemusic.privacy.events.ExportRequested;
import com.onemusic.privacy.platform.messaging.ExportAnswers;
import com.onemusic.privacy.platform.messaging.Listeners;

/**
 * anonymizer-service's part of a data export (policy 8.1.1): the analytics profile linked
 * to the user and a summary of the user's de-identified events (how many of each type,
 * first and last). A user without a key has nothing linked (NOTHING_HELD). Nothing is
 * written, so a redelivery answers again with the same content.
 */
@Component
class ExportListener {

	private final UserKeys keys;

	private final ReactiveMongoTemplate mongo;

	private final KafkaTemplate<String, Object> kafka;

	private final JsonMapper json;

	ExportListener(UserKeys keys, ReactiveMongoTemplate mongo, KafkaTemplate<String, Object> kafka, JsonMapper json) {
		this.keys = keys;
		this.mongo = mongo;
		this.kafka = kafka;
		this.json = json;
	}

	@KafkaListener(topics = "#{T(com.onemusic.privacy.events.Topics).EXPORT_REQUESTED.name()}")
	void on(ExportRequested event) throws Exception {
		if (!ExportAnswers.asks(event, UserErasure.PARTICIPANT)) {
			return;
		}
		String content = this.keys.existing(event.getUserId())
			.map((key) -> key.pseudonym(FieldRules.USER_ID, event.getUserId()))
			.flatMap(this::document)
			.map(this.json::writeValueAsString)
			.block(Listeners.TIMEOUT);
		ExportAnswers.send(this.kafka, event, UserErasure.PARTICIPANT, content, "no analytics data linked to the user");
	}

	private static String iso(Object value) {
		return (value instanceof java.util.Date date) ? date.toInstant().toString() : String.valueOf(value);
	}

	private Mono<Map<String, Object>> document(String pseudonym) {
		Mono<Document> profile = this.mongo.findById(pseudonym, Document.class, UserErasure.PROFILES)
			.defaultIfEmpty(new Document());
		Mono<java.util.List<Document>> events = this.mongo.aggregate(
				Aggregation.newAggregation(Aggregation.match(Criteria.where(FieldRules.USER_ID).is(pseudonym)),
						(context) -> new Document("$group",
								new Document("_id", "$eventType").append("count", new Document("$sum", 1))
									.append("first", new Document("$min", "$occurredAt"))
									.append("last", new Document("$max", "$occurredAt")))),
				AnalyticsIngestion.COLLECTION, Document.class)
			.collectList();
		return Mono.zip(profile, events).map((found) -> {
			Map<String, Object> document = new LinkedHashMap<>();
			Document stored = found.getT1();
			document.put("profile", stored.isEmpty() ? null : Map.of("eventCounts",
					stored.getOrDefault("eventCounts", Map.of()), "lastSeen", iso(stored.get("lastSeen"))));
			document.put("events",
					found.getT2()
						.stream()
						.map((group) -> Map.of("eventType", String.valueOf(group.get("_id")), "count",
								group.get("count", Number.class).longValue(), "first",
								String.valueOf(group.get("first")), "last", String.valueOf(group.get("last"))))
						.toList());
			return document;
		});
	}

}
