package com.onemusic.privacy.platform.security;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import com.onemusic.privacy.platform.web.ApiProblem;

/**
 * The audit trail of operator actions that reveal a user's personal data (policy 8.2.1),
 * in every service: who (the token's subject), what (the action, the resource and the
 * user), when, and why (the {@code X-Access-Reason} the caller must give: without one,
 * 400 {@code access-reason-required} and nothing is shown). Written before the data is
 * answered; a user reading the user's own data is not an operator action, needs no reason
 * and is not recorded. {@code GET /audit?userId=&limit=} reads it, with
 * {@code audit:read}.
 */
public class AuditTrail {

	/** The header an operator gives the reason of an access in. */
	public static final String REASON_HEADER = "X-Access-Reason";

	private final ReactiveMongoTemplate mongo;

	private final Clock clock;

	public AuditTrail(ReactiveMongoTemplate mongo, Clock clock) {
		this.mongo = mongo;
		this.clock = clock;
	}

	public Mono<Void> createIndexes() {
		return this.mongo.indexOps(Entry.COLLECTION)
			.createIndex(new Index().on("userId", Sort.Direction.ASC).on("at", Sort.Direction.DESC))
			.then();
	}

	/** The longest reason kept. */
	public static final int MAX_REASON_LENGTH = 500;

	/**
	 * Records that the caller was shown a user's data, unless the caller is that user.
	 * @param action what was done, e.g. {@code VIEW_REQUEST}
	 * @param resourceId the resource shown (a request, a receipt, a decision), or null
	 * @param userId the user whose data it is, or null for several
	 * @param reason the reason the caller gave, or null
	 * @return completion once recorded; 400 {@code access-reason-required} when another
	 * caller than the user gave no reason
	 */
	public Mono<Void> revealed(String action, String resourceId, String userId, String reason) {
		return Callers.name().flatMap((actor) -> {
			if (actor.equals(userId)) {
				return Mono.empty();
			}
			if (reason == null || reason.isBlank()) {
				return Mono.error(ApiProblem.badRequest("access-reason-required",
						"Viewing another user's data needs the reason in the " + REASON_HEADER
								+ " header (e.g. a ticket number); it is kept in the audit trail"));
			}
			if (reason.length() > MAX_REASON_LENGTH) {
				return Mono.error(ApiProblem.badRequest("access-reason-too-long",
						REASON_HEADER + " takes at most " + MAX_REASON_LENGTH + " characters"));
			}
			return this.mongo
				.insert(new Entry(UUID.randomUUID().toString(), this.clock.instant(), actor, action, resourceId, userId,
						reason.strip()), Entry.COLLECTION)
				.then();
		});
	}

	/**
	 * The trail of a user, newest first.
	 * @param userId the user, or null for everyone
	 * @param limit how many at most
	 * @return the entries
	 */
	public Flux<Entry> entries(String userId, int limit) {
		Query query = ((userId != null) ? Query.query(Criteria.where("userId").is(userId)) : new Query())
			.with(Sort.by(Sort.Direction.DESC, "at"))
			.limit(limit);
		return this.mongo.find(query, Entry.class, Entry.COLLECTION);
	}

	/**
	 * One operator action.
	 *
	 * @param id the entry id
	 * @param at when
	 * @param actor who (the token's subject)
	 * @param action what
	 * @param resourceId the resource shown
	 * @param userId whose data
	 * @param reason why, as the caller gave it
	 */
	@Document(Entry.COLLECTION)
	public record Entry(@Id String id, Instant at, String actor, String action, String resourceId, String userId,
			String reason) {

		public static final String COLLECTION = "audit_trail";

	}

}
