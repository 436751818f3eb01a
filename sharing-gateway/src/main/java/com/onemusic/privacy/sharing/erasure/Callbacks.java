package com.onemusic.privacy.sharing.erasure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.bson.Document;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpStatus;

import com.onemusic.privacy.events.ErasureStepStatus;
import com.onemusic.privacy.platform.mongo.DuplicateKeys;
import com.onemusic.privacy.platform.web.ApiProblem;
import com.onemusic.privacy.sharing.partner.Partner;
import com.onemusic.privacy.sharing.partner.PartnerRegistry;
import com.onemusic.privacy.sharing.webhook.StandardWebhooks;

/**
 * A partner's signed confirmation that it erased what it received (or held nothing, or
 * refuses, with its reason). Authenticated by signature alone (Standard Webhooks, with
 * the partner's own callback secret; two are valid while one is rotated). A message whose
 * id was already taken is refused as a replay; a new message that repeats the accepted
 * confirmation is accepted again without effect; one that contradicts it is refused.
 * Every write is idempotent and the message id is recorded last, so a partner whose
 * confirmation failed half way can send the same message again.
 */
public class Callbacks {

	public static final String COLLECTION = "partner_callbacks";

	/** The type of a confirmation's body. */
	public static final String TYPE = "personal_data.deletion_confirmed";

	private final ReactiveMongoTemplate mongo;

	private final PartnerRegistry partners;

	private final DeletionPropagation propagation;

	private final JsonMapper json;

	private final Duration tolerance;

	private final Clock clock;

	public Callbacks(ReactiveMongoTemplate mongo, PartnerRegistry partners, DeletionPropagation propagation,
			JsonMapper json, Duration tolerance, Clock clock) {
		this.mongo = mongo;
		this.partners = partners;
		this.propagation = propagation;
		this.json = json;
		this.tolerance = tolerance;
		this.clock = clock;
	}

	/**
	 * The body of a confirmation.
	 *
	 * @param type {@value #TYPE}
	 * @param timestamp when the partner wrote it (informative)
	 * @param data the confirmation
	 */
	public record Message(String type, String timestamp, Data data) {

	}

	/**
	 * What the partner confirms.
	 *
	 * @param requestId the request named in the webhook
	 * @param status DONE, NOTHING_HELD or REFUSED
	 * @param reason why it refused, or a note
	 * @param webhookId the {@code webhook-id} of the deletion webhook answered; needed
	 * only for a follow-up (a webhook whose data has {@code followUpOf}), else the first
	 * webhook of the request is meant
	 */
	public record Data(String requestId, String status, String reason, String webhookId) {

	}

	/**
	 * What became of a confirmation.
	 *
	 * @param requestId the request
	 * @param status the confirmed status
	 * @param duplicate whether it repeated a confirmation accepted before
	 */
	public record Accepted(String requestId, String status, boolean duplicate) {

	}

	/**
	 * Takes a callback.
	 * @param partnerId the partner in the path
	 * @param webhookId the {@code webhook-id} header
	 * @param timestamp the {@code webhook-timestamp} header
	 * @param signature the {@code webhook-signature} header
	 * @param body the exact body
	 * @return the outcome, or an {@link ApiProblem}
	 */
	public Mono<Accepted> receive(String partnerId, String webhookId, String timestamp, String signature, byte[] body) {
		return Mono.defer(() -> {
			Partner partner = this.partners.find(partnerId)
				.orElseThrow(() -> ApiProblem.notFound("unknown-partner", "No partner '" + partnerId + "'"));
			switch (StandardWebhooks.verify(partner.callbackSecrets(), webhookId, timestamp, signature, body,
					this.clock.instant(), this.tolerance)) {
				case MISSING_HEADERS -> throw new ApiProblem(HttpStatus.UNAUTHORIZED, "missing-webhook-headers",
						"webhook-id, webhook-timestamp and webhook-signature are required");
				case TIMESTAMP_OUT_OF_TOLERANCE -> throw new ApiProblem(HttpStatus.UNAUTHORIZED,
						"timestamp-out-of-tolerance", "webhook-timestamp must be within " + this.tolerance.toMinutes()
								+ " minutes of now (seconds since the epoch)");
				case BAD_SIGNATURE -> throw new ApiProblem(HttpStatus.UNAUTHORIZED, "invalid-signature",
						"webhook-signature does not match the body under the partner's callback secret");
				case VALID -> {
				}
			}
			Data data = parse(body);
			String deliveryId = (data.webhookId() != null) ? data.webhookId()
					: DeletionPropagation.webhookId(data.requestId(), partnerId);
			return this.mongo.findById(callbackId(partnerId, webhookId), Document.class, COLLECTION)
				.flatMap((seen) -> Mono.<Accepted>error(ApiProblem.conflict("webhook-id-replayed",
						"Message " + webhookId + " was received before; a new message needs a new webhook-id")))
				.switchIfEmpty(Mono.defer(() -> this.propagation.delivery(deliveryId)
					.filter((delivery) -> delivery.partnerId().equals(partnerId)
							&& delivery.requestId().equals(data.requestId()))
					.switchIfEmpty(Mono.error(ApiProblem.notFound("unknown-deletion-request",
							"No deletion request " + data.requestId()
									+ ((data.webhookId() != null) ? " (webhook " + data.webhookId() + ")" : "")
									+ " was sent to partner " + partnerId)))
					.flatMap((delivery) -> confirm(delivery, data, webhookId))));
		});
	}

	private Mono<Accepted> confirm(Delivery delivery, Data data, String webhookId) {
		ErasureStepStatus status = ErasureStepStatus.valueOf(data.status());
		String message = switch (status) {
			case DONE -> "Partner confirmed the deletion";
			case NOTHING_HELD -> "Partner confirmed it held no data of the user";
			default -> "Partner refused the deletion";
		} + ((data.reason() != null && !data.reason().isBlank()) ? ": " + data.reason().strip() : "");
		if (delivery.confirmation() != null && !delivery.confirmation().status().equals(data.status())) {
			return Mono.error(ApiProblem.conflict("already-confirmed", "Request " + delivery.requestId()
					+ " was already confirmed as " + delivery.confirmation().status()));
		}
		boolean duplicate = delivery.confirmation() != null;
		Instant now = this.clock.instant();
		return this.propagation.outcome(delivery, status, message)
			.then(this.propagation.confirmationOf(delivery))
			.flatMap((reported) -> (reported.status() != status)
					? Mono.error(ApiProblem.conflict("already-confirmed",
							"Request " + delivery.requestId() + " was already reported as " + reported.status()))
					: Mono.just(reported))
			.then(duplicate ? Mono.empty() : this.mongo.updateFirst(
					Query.query(Criteria.where("_id").is(delivery.id()).and("confirmation").is(null)),
					new Update().set("state", Delivery.State.CONFIRMED)
						.set("nextAttemptAt", null)
						.set("confirmation", new Delivery.Confirmation(data.status(), data.reason(), webhookId, now)),
					Delivery.COLLECTION))
			.then(this.mongo
				.insert(new Document("_id", callbackId(delivery.partnerId(), webhookId))
					.append("requestId", delivery.requestId())
					.append("status", data.status())
					.append("receivedAt", java.util.Date.from(now)), COLLECTION)
				.onErrorResume(DuplicateKeys::isDuplicateKey, (ex) -> Mono.empty()))
			.thenReturn(new Accepted(delivery.requestId(), data.status(), duplicate));
	}

	private static String callbackId(String partnerId, String webhookId) {
		return partnerId + "/" + webhookId;
	}

	private Data parse(byte[] body) {
		Message message;
		try {
			message = this.json.readValue(body, Message.class);
		}
		catch (JacksonException ex) {
			throw ApiProblem.badRequest("invalid-callback",
					"The body is not a confirmation: " + ex.getOriginalMessage());
		}
		if (message == null || !TYPE.equals(message.type())) {
			throw ApiProblem.badRequest("invalid-callback", "type must be '" + TYPE + "'");
		}
		Data data = message.data();
		if (data == null || data.requestId() == null || data.requestId().isBlank()) {
			throw ApiProblem.badRequest("invalid-callback", "data.requestId is required");
		}
		if (data.status() == null || !java.util.Set.of("DONE", "NOTHING_HELD", "REFUSED").contains(data.status())) {
			throw new ApiProblem(HttpStatus.BAD_REQUEST, "invalid-callback",
					"data.status must be DONE, NOTHING_HELD or REFUSED",
					Map.of("allowed", java.util.List.of("DONE", "NOTHING_HELD", "REFUSED")));
		}
		if ("REFUSED".equals(data.status()) && (data.reason() == null || data.reason().isBlank())) {
			throw ApiProblem.badRequest("invalid-callback", "A refusal needs data.reason");
		}
		return data;
	}

}
