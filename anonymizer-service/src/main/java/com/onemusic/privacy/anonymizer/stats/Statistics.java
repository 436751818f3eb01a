package com.onemusic.privacy.anonymizer.stats;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.Document;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.aggregation.Aggregation;
import org.springframework.data.mongodb.core.aggregation.AggregationOperation;
import org.springframework.data.mongodb.core.query.Criteria;

import com.onemusic.privacy.anonymizer.ingest.AnalyticsIngestion;
import com.onemusic.privacy.anonymizer.rules.FieldRules;
import com.onemusic.privacy.platform.web.ApiProblem;

/**
 * Statistics over the de-identified events that identify nobody (policy 4.1.3, 5.1.8):
 * every cell counts distinct pseudonyms, and a cell with fewer than k of them is
 * suppressed (left out, and counted as suppressed). Erased users' events no longer carry
 * a pseudonym and count for no one.
 */
public class Statistics {

	/** The statistics offered, each a grouping of the stored events. */
	public enum Metric {

		/** Distinct users per day and city. */
		DAILY_ACTIVE_USERS_BY_CITY,

		/** Events and distinct users per event type and birth year. */
		EVENTS_BY_BIRTH_YEAR,

		/** Distinct users per cell of the stored location grid. */
		LOCATION_GRID

	}

	private final ReactiveMongoTemplate mongo;

	private final Set<String> storedFields;

	/**
	 * Creates the statistics.
	 * @param mongo the template
	 * @param rules the rules of the events, which say what fields are stored
	 */
	public Statistics(ReactiveMongoTemplate mongo, FieldRules rules) {
		this.mongo = mongo;
		this.storedFields = rules.fields()
			.entrySet()
			.stream()
			.filter((rule) -> !(rule.getValue() instanceof com.onemusic.privacy.anonymizer.rules.Transformation.Drop))
			.map(Map.Entry::getKey)
			.collect(java.util.stream.Collectors.toUnmodifiableSet());
	}

	/**
	 * A statistic, cells under k suppressed.
	 * @param metric the statistic
	 * @param from from this instant (inclusive)
	 * @param to to this instant (exclusive)
	 * @param k the smallest number of distinct users a cell may show
	 * @return the cells shown and how many were suppressed
	 */
	public Mono<Result> compute(Metric metric, Instant from, Instant to, int k) {
		checkK(k);
		if (!from.isBefore(to)) {
			return Mono.error(ApiProblem.badRequest("invalid-period", "from must be before to"));
		}
		List<String> dimensions = switch (metric) {
			case DAILY_ACTIVE_USERS_BY_CITY -> List.of("day", "city");
			case EVENTS_BY_BIRTH_YEAR -> List.of("eventType", "birthDate");
			case LOCATION_GRID -> List.of("location");
		};
		Criteria criteria = Criteria.where("occurredAt").gte(from).lt(to).and(FieldRules.USER_ID).ne("erased");
		List<AggregationOperation> stages = new ArrayList<>();
		stages.add(Aggregation.match(criteria));
		Document cell = new Document();
		for (String dimension : dimensions) {
			cell.append(dimension, "$" + dimension);
		}
		// Two groupings: per cell and user, then per cell, counting users and events.
		stages.add((context) -> new Document("$group",
				new Document("_id", new Document("cell", cell).append("user", "$" + FieldRules.USER_ID))
					.append("events", new Document("$sum", 1))));
		stages.add((context) -> new Document("$group",
				new Document("_id", "$_id.cell").append("users", new Document("$sum", 1))
					.append("events", new Document("$sum", "$events"))));
		return this.mongo.aggregate(Aggregation.newAggregation(stages), AnalyticsIngestion.COLLECTION, Document.class)
			.collectList()
			.map((groups) -> {
				List<Map<String, Object>> shown = new ArrayList<>();
				int suppressed = 0;
				for (Document group : groups) {
					Document key = group.get("_id", Document.class);
					long users = group.get("users", Number.class).longValue();
					if (users < k || dimensions.stream().anyMatch((dimension) -> key.get(dimension) == null)) {
						suppressed += (users < k) ? 1 : 0;
						continue;
					}
					Map<String, Object> row = new LinkedHashMap<>();
					dimensions.forEach((dimension) -> row.put(dimension, key.get(dimension)));
					row.put("users", users);
					row.put("events", group.get("events", Number.class).longValue());
					shown.add(row);
				}
				shown.sort(java.util.Comparator.comparing(Object::toString));
				return new Result(metric, k, shown, suppressed);
			});
	}

	/**
	 * How anonymous the stored events are over some quasi-identifiers: the classes of
	 * events sharing their values, measured in distinct users.
	 * @param quasiIdentifiers stored fields
	 * @param k the class size wanted
	 * @return the report
	 */
	public Mono<KAnonymity> kAnonymity(List<String> quasiIdentifiers, int k) {
		checkK(k);
		if (quasiIdentifiers.isEmpty()) {
			return Mono.error(ApiProblem.badRequest("quasi-identifiers-required", "Name at least one field"));
		}
		for (String field : quasiIdentifiers) {
			if (!this.storedFields.contains(field) || field.equals(FieldRules.USER_ID)) {
				return Mono.error(ApiProblem.badRequest("unknown-field", "'" + field
						+ "' is not a stored quasi-identifier of the events; stored: " + this.storedFields));
			}
		}
		Document tuple = new Document();
		quasiIdentifiers.forEach((field) -> tuple.append(field.replace('.', '_'), "$" + field));
		List<AggregationOperation> stages = List.of(Aggregation.match(Criteria.where(FieldRules.USER_ID).ne("erased")),
				(context) -> new Document("$group",
						new Document("_id", new Document("qi", tuple).append("user", "$" + FieldRules.USER_ID))
							.append("records", new Document("$sum", 1))),
				(context) -> new Document("$group",
						new Document("_id", "$_id.qi").append("users", new Document("$sum", 1))
							.append("records", new Document("$sum", "$records"))));
		return this.mongo.aggregate(Aggregation.newAggregation(stages), AnalyticsIngestion.COLLECTION, Document.class)
			.collectList()
			.map((classes) -> {
				long smallest = classes.stream()
					.mapToLong((group) -> group.get("users", Number.class).longValue())
					.min()
					.orElse(0);
				long below = classes.stream()
					.filter((group) -> group.get("users", Number.class).longValue() < k)
					.count();
				long recordsBelow = classes.stream()
					.filter((group) -> group.get("users", Number.class).longValue() < k)
					.mapToLong((group) -> group.get("records", Number.class).longValue())
					.sum();
				long records = classes.stream()
					.mapToLong((group) -> group.get("records", Number.class).longValue())
					.sum();
				return new KAnonymity(quasiIdentifiers, k, classes.size(), smallest, below, recordsBelow, records);
			});
	}

	private static void checkK(int k) {
		if (k < 2) {
			throw ApiProblem.badRequest("invalid-k", "k must be at least 2: " + k);
		}
	}

	/**
	 * A statistic.
	 *
	 * @param metric what it counts
	 * @param k the suppression threshold
	 * @param cells the cells with at least k distinct users
	 * @param suppressedCells how many cells were left out
	 */
	public record Result(Metric metric, int k, List<Map<String, Object>> cells, int suppressedCells) {

	}

	/**
	 * A k-anonymity report.
	 *
	 * @param quasiIdentifiers the fields
	 * @param k the class size wanted
	 * @param classes how many classes
	 * @param smallestClass the smallest class, in distinct users
	 * @param classesBelowK how many classes are smaller than k
	 * @param recordsBelowK how many events fall in them
	 * @param records how many events in all
	 */
	public record KAnonymity(List<String> quasiIdentifiers, int k, int classes, long smallestClass, long classesBelowK,
			long recordsBelowK, long records) {

	}

}
