package com.onemusic.privacy.consent.ledger;

import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import com.onemusic.privacy.consent.policy.PolicyHistory;
import com.onemusic.privacy.consent.policy.PolicyVersion;

/**
 * A read model of the ledger with one document per user and scope, for questions across
 * users (who must re-consent after a policy change). It is updated from ledger entries
 * once their events are published, idempotently and atomically: a document only moves to
 * a newer change, decided by the database in the write itself, so instances applying
 * changes of one user at the same moment cannot leave an older one in place.
 *
 * <p>
 * A row is {@code {_id: "<userId>|<scope>", userId, scope, latest: {order, status,
 * sequence, occurredAt, policyVersion, policyOrder}}}. {@code order} comes first in
 * {@code latest} and sorts as the change's age (when it occurred, then its sequence
 * number), and each write is a {@code $max} of the whole {@code latest} document: MongoDB
 * compares embedded documents field by field in order, so the newer change wins,
 * whichever write comes last.
 */
public class ConsentProjection {

	public static final String COLLECTION = "consent_state";

	static final String LATEST = "latest";

	/** The one-time conversion of rows written before {@code latest}. */
	static final String MIGRATION = "consent_state.latest";

	private static final Logger logger = LoggerFactory.getLogger(ConsentProjection.class);

	private final ReactiveMongoTemplate mongo;

	public ConsentProjection(ReactiveMongoTemplate mongo) {
		this.mongo = mongo;
	}

	/**
	 * Creates the indexes of the listing, and converts rows stored in the earlier flat
	 * form once.
	 * @return completion
	 */
	public Mono<Void> createIndexes() {
		return this.mongo.indexOps(COLLECTION)
			.createIndex(new Index().on(LATEST + ".status", Sort.Direction.ASC)
				.on("scope", Sort.Direction.ASC)
				.on(LATEST + ".policyOrder", Sort.Direction.ASC))
			.then(migrateFlatRows());
	}

	/**
	 * Applies entries: per row, the newest change of the batch, written as a {@code $max}
	 * of {@code latest}; a replay, or a batch that arrives after a later one, leaves the
	 * newer change in place. One bulk write for the batch, each update by primary key
	 * alone (which every MongoDB, the in-memory server too, answers from its {@code _id}
	 * index), built with the driver's own types.
	 * @param entries the ledger entries
	 * @param policies the policy history, to know the order of each version
	 * @return completion
	 */
	public Mono<Void> apply(List<LedgerEntry> entries, PolicyHistory policies) {
		Map<String, Latest> latest = new LinkedHashMap<>();
		for (LedgerEntry entry : entries) {
			for (ScopeChange change : entry.changes()) {
				latest.merge(entry.userId() + "|" + change.scope(), new Latest(entry, change),
						(held, offered) -> held.olderThan(offered.entry()) ? offered : held);
			}
		}
		if (latest.isEmpty()) {
			return Mono.empty();
		}
		UpdateOptions upsert = new UpdateOptions().upsert(true);
		List<UpdateOneModel<org.bson.Document>> writes = latest.entrySet().stream().map((row) -> {
			LedgerEntry entry = row.getValue().entry();
			String scope = row.getValue().change().scope();
			long policyOrder = policies.find(entry.policyVersion()).map(PolicyVersion::order).orElse(0L);
			org.bson.Document newest = latest(order(entry.occurredAt(), entry.sequence()),
					row.getValue().change().status().name(), entry.sequence(), entry.occurredAt(),
					entry.policyVersion(), policyOrder);
			return new UpdateOneModel<org.bson.Document>(Filters.eq("_id", row.getKey()),
					Updates.combine(Updates.set("userId", entry.userId()), Updates.set("scope", scope),
							Updates.max(LATEST, newest)),
					upsert);
		}).toList();
		return this.mongo.getCollection(COLLECTION)
			.flatMap((rows) -> Mono.from(rows.bulkWrite(writes, new BulkWriteOptions().ordered(false))))
			.then();
	}

	/**
	 * The {@code latest} document of a change; its fields in this order.
	 */
	static org.bson.Document latest(String order, String status, long sequence, Instant occurredAt,
			String policyVersion, long policyOrder) {
		return new org.bson.Document("order", order).append("status", status)
			.append("sequence", sequence)
			.append("occurredAt", Date.from(occurredAt))
			.append("policyVersion", policyVersion)
			.append("policyOrder", policyOrder);
	}

	/**
	 * Sorts, as text, as the age of a change: when it occurred (milliseconds with the
	 * sign bit flipped, so that instants before 1970 sort first too), then its sequence
	 * number.
	 */
	static String order(Instant occurredAt, long sequence) {
		String millis = Long.toUnsignedString(occurredAt.toEpochMilli() ^ Long.MIN_VALUE);
		return "0".repeat(20 - millis.length()) + millis + ":" + String.format("%019d", sequence);
	}

	static boolean older(Instant occurredAt, long sequence, LedgerEntry than) {
		int byTime = occurredAt.compareTo(than.occurredAt());
		return byTime < 0 || (byTime == 0 && sequence < than.sequence());
	}

	/**
	 * Rows stored before {@code latest} existed get it from their flat fields, once; the
	 * completion is recorded so later starts do not look again.
	 */
	private Mono<Void> migrateFlatRows() {
		return OneTimeMigrations.once(this.mongo, MIGRATION, convertFlatRows());
	}

	/**
	 * Converts every row without {@code latest}, 500 at a time; converting one twice (two
	 * instances starting at once) changes nothing.
	 */
	private Mono<Void> convertFlatRows() {
		return this.mongo.getCollection(COLLECTION)
			.flatMapMany((rows) -> Flux.from(rows.find(Filters.exists(LATEST, false)))
				.buffer(500)
				.concatMap((flat) -> Mono.from(rows.bulkWrite(flat.stream().map(ConsentProjection::converted).toList(),
						new BulkWriteOptions().ordered(false)))))
			.reduce(0L, (converted, result) -> converted + result.getModifiedCount())
			.doOnNext((converted) -> {
				if (converted > 0) {
					logger.info("{} rows of {} converted to the form with '{}'", converted, COLLECTION, LATEST);
				}
			})
			.then();
	}

	private static UpdateOneModel<org.bson.Document> converted(org.bson.Document flat) {
		Instant occurredAt = flat.getDate("occurredAt").toInstant();
		long sequence = number(flat, "sequence");
		org.bson.Document newest = latest(order(occurredAt, sequence), flat.getString("status"), sequence, occurredAt,
				flat.getString("policyVersion"), number(flat, "policyOrder"));
		return new UpdateOneModel<>(Filters.eq("_id", flat.get("_id")),
				Updates.combine(Updates.max(LATEST, newest), Updates.unset("status"), Updates.unset("sequence"),
						Updates.unset("occurredAt"), Updates.unset("policyVersion"), Updates.unset("policyOrder")));
	}

	private static long number(org.bson.Document document, String field) {
		Number value = document.get(field, Number.class);
		return (value != null) ? value.longValue() : 0L;
	}

	/**
	 * The newest change of a row within a batch.
	 */
	private record Latest(LedgerEntry entry, ScopeChange change) {

		boolean olderThan(LedgerEntry other) {
			return older(this.entry.occurredAt(), this.entry.sequence(), other);
		}

	}

	/**
	 * Users whose consent for a scope affected by a policy version was given under an
	 * older version, one page at a time, so that millions of users are never in memory at
	 * once.
	 * @param version the policy version
	 * @param after the cursor from the previous page, or null
	 * @param limit the page size
	 * @return the page, in cursor order
	 */
	public Flux<Reconsent> needingReconsent(PolicyVersion version, String after, int limit) {
		java.util.Set<String> scopes = new java.util.TreeSet<>();
		version.materialChanges().forEach((change) -> scopes.addAll(change.scopes()));
		if (scopes.isEmpty()) {
			return Flux.empty();
		}
		Criteria criteria = Criteria.where(LATEST + ".status")
			.is(ConsentStatus.GRANTED.name())
			.and("scope")
			.in(scopes)
			.and(LATEST + ".policyOrder")
			.lt(version.order());
		if (after != null) {
			criteria = criteria.and("_id").gt(after);
		}
		return this.mongo.find(Query.query(criteria).with(Sort.by("_id")).limit(limit), Row.class, COLLECTION)
			.map((row) -> new Reconsent(row.id(), row.userId(), row.scope(), row.latest().policyVersion(),
					row.latest().occurredAt()));
	}

	/**
	 * A row as stored.
	 *
	 * @param id {@code <userId>|<scope>}
	 * @param userId the user
	 * @param scope the scope
	 * @param latest the newest change
	 */
	@Document(COLLECTION)
	record Row(@Id String id, String userId, String scope, Change latest) {

	}

	/**
	 * The newest change of a row, as far as the listing needs it.
	 *
	 * @param policyVersion the version it was given under
	 * @param occurredAt when it was given
	 */
	record Change(String policyVersion, Instant occurredAt) {

	}

	/**
	 * A user who must consent again for a scope.
	 *
	 * @param id the cursor, {@code <userId>|<scope>}
	 * @param userId the user
	 * @param scope the scope
	 * @param policyVersion the version the current consent was given under
	 * @param occurredAt when it was given
	 */
	public record Reconsent(@Id String id, String userId, String scope, String policyVersion, Instant occurredAt) {

	}

}
