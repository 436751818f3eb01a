package com.onemusic.privacy.sharing.erasure;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * The deletion webhook of one request to one partner, its attempts and the partner's
 * confirmation. The id is the {@code webhook-id}: derived from the request and the
 * partner, so it is the same on every attempt, after a restart, and when the request is
 * asked again.
 *
 * @param id the webhook id
 * @param requestId the data-subject request
 * @param userId the user
 * @param partnerId the partner
 * @param userReference the user as the partner knows the user
 * @param dataCategories what the partner received
 * @param dueDate the request's due date
 * @param body the exact JSON body sent on every attempt
 * @param state where the delivery is
 * @param createdAt when the request reached the gateway
 * @param nextAttemptAt when the next attempt is due, or null
 * @param leaseUntil until when an instance holds the delivery for an attempt
 * @param attempts every attempt and what the partner answered
 * @param deliveredAt when the partner acknowledged the webhook
 * @param confirmation the partner's confirmation, once received
 * @param lateShare the share whose late arrival in the share log created this delivery;
 * {@code logged} for a follow-up of the shares the request found in the log (when a late
 * share's delivery came first); null when it was created from the share log as it was
 * when the request arrived
 */
@Document(Delivery.COLLECTION)
public record Delivery(@Id String id, String requestId, String userId, String partnerId, String userReference,
		List<String> dataCategories, LocalDate dueDate, String body, State state, Instant createdAt,
		Instant nextAttemptAt, Instant leaseUntil, List<Attempt> attempts, Instant deliveredAt,
		Confirmation confirmation, String lateShare) {

	public static final String COLLECTION = "partner_deliveries";

	/** Where a delivery is. */
	public enum State {

		/** Not acknowledged by the partner yet; the next attempt is scheduled. */
		SCHEDULED,
		/** Acknowledged (2xx); waiting for the partner's confirmation. */
		DELIVERED,
		/** The partner confirmed: done, nothing held, or refused. */
		CONFIRMED,
		/** The partner answered 410 Gone: escalated, no more attempts. */
		GONE,
		/** Not acknowledged by the due date: escalated, no more attempts. */
		EXPIRED

	}

	/**
	 * One attempt.
	 *
	 * @param at when it started
	 * @param status the HTTP status answered, or null when there was no answer
	 * @param error what went wrong without an answer (timeout, connection refused)
	 * @param millis how long it took
	 * @param retryAfter the partner's Retry-After in seconds, if it sent one
	 */
	public record Attempt(Instant at, Integer status, String error, long millis, Long retryAfter) {

	}

	/**
	 * The partner's confirmation.
	 *
	 * @param status DONE, NOTHING_HELD or REFUSED
	 * @param reason the partner's reason or note
	 * @param webhookId the id of the callback message that carried it
	 * @param receivedAt when it arrived
	 */
	public record Confirmation(String status, String reason, String webhookId, Instant receivedAt) {

	}

}
