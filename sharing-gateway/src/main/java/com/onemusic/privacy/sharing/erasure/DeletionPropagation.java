package com.onemusic.privacy.sharing.erasure;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import com.onemusic.privacy.events.DeletionRequested;
import com.onemusic.privacy.events.ErasureStepStatus;
import com.onemusic.privacy.platform.mongo.DuplicateKeys;
import com.onemusic.privacy.sharing.Deadlines;
import com.onemusic.privacy.sharing.partner.Partner;
import com.onemusic.privacy.sharing.partner.UserReferences;
import com.onemusic.privacy.sharing.share.ShareLogEntry;

/**
 * Carries a deletion request to every partner that received the user's data (policy
 * 8.1.3): one delivery per partner, found in the share log, announced at once as a
 * PENDING step so that the request knows whom it waits for; then the gateway's own step
 * (sharing stops: see the consent view's deletion marks). Each delivery is sent by the
 * {@link WebhookDispatcher}; each partner's confirmation or escalation becomes that
 * partner's step. Every write is idempotent, so a request delivered again (after a crash,
 * or asked again for one participant) changes nothing that was done.
 */
public class DeletionPropagation {

	private static final Logger logger = LoggerFactory.getLogger(DeletionPropagation.class);

	/** The gateway's name as an erasure participant. */
	public static final String PARTICIPANT = "sharing-gateway";

	/** The deletion requests the gateway took, by request id. */
	public static final String REQUESTS = "partner_erasure_requests";

	/** The share log field naming the requests whose first webhooks carry a share. */
	static final String COVERED_BY = "erasure.coveredBy";

	/** The share log field naming the requests for which a share came late. */
	static final String LATE_FOR = "erasure.lateFor";

	/**
	 * The share a follow-up stands for when the shares the request found in the share log
	 * are asked for after a late share's delivery came first.
	 */
	static final String LOGGED_SHARES = "logged";

	/** The type of the deletion webhook's body. */
	public static final String WEBHOOK_TYPE = "personal_data.deletion_requested";

	private final ReactiveMongoTemplate mongo;

	private final UserReferences references;

	private final JsonMapper json;

	private final Consumer<PartnerStep> publishSoon;

	private final Runnable wakeDispatcher;

	private final String callbackBaseUrl;

	private final Clock clock;

	public DeletionPropagation(ReactiveMongoTemplate mongo, UserReferences references, JsonMapper json,
			Consumer<PartnerStep> publishSoon, Runnable wakeDispatcher, String callbackBaseUrl, Clock clock) {
		this.mongo = mongo;
		this.references = references;
		this.json = json;
		this.publishSoon = publishSoon;
		this.wakeDispatcher = wakeDispatcher;
		this.callbackBaseUrl = callbackBaseUrl.endsWith("/")
				? callbackBaseUrl.substring(0, callbackBaseUrl.length() - 1) : callbackBaseUrl;
		this.clock = clock;
	}

	/**
	 * Creates the indexes deliveries and steps are found by.
	 * @return completion
	 */
	public Mono<Void> createIndexes() {
		return Mono.when(
				this.mongo.indexOps(Delivery.COLLECTION)
					.createIndex(new Index().on("state", Sort.Direction.ASC).on("nextAttemptAt", Sort.Direction.ASC)),
				this.mongo.indexOps(Delivery.COLLECTION).createIndex(new Index().on("requestId", Sort.Direction.ASC)),
				this.mongo.indexOps(REQUESTS).createIndex(new Index().on("userId", Sort.Direction.ASC)));
	}

	/**
	 * The webhook id of one request to one partner, the same every time.
	 * @param requestId the request
	 * @param partnerId the partner
	 * @return the id
	 */
	public static String webhookId(String requestId, String partnerId) {
		return "msg_" + UUID.nameUUIDFromBytes((requestId + "\n" + partnerId).getBytes(StandardCharsets.UTF_8))
			.toString()
			.replace("-", "");
	}

	/**
	 * The webhook id of a follow-up: the deletion of a request asked again of a partner
	 * for one share that reached it late (see {@link #lateShares}), the same every time.
	 * @param requestId the request
	 * @param partnerId the partner
	 * @param shareId the late share
	 * @return the id
	 */
	public static String followUpId(String requestId, String partnerId, String shareId) {
		return webhookId(requestId, partnerId + "\n" + shareId);
	}

	/**
	 * Whether a delivery is a follow-up rather than the first webhook of its request.
	 * @param delivery the delivery
	 * @return true for a follow-up
	 */
	static boolean followUp(Delivery delivery) {
		return !delivery.id().equals(webhookId(delivery.requestId(), delivery.partnerId()));
	}

	/**
	 * Handles a deletion request (or account closure).
	 * @param event the request
	 * @return completion
	 */
	public Mono<Void> handle(DeletionRequested event) {
		List<String> only = event.getOnlyParticipants();
		boolean all = only.isEmpty();
		boolean askedOwn = all || only.contains(PARTICIPANT);
		if (!all && !askedOwn && only.stream().noneMatch((name) -> name.startsWith("partner:"))) {
			return Mono.empty();
		}
		Request request = new Request(event.getRequestId(), event.getUserId(), event.getKind().name(),
				event.getDueDate(), this.clock.instant(), null);
		Mono<Request> recorded = this.mongo.insert(request, REQUESTS)
			.onErrorResume(DuplicateKeys::isDuplicateKey,
					(ex) -> this.mongo.findById(request.id(), Request.class, REQUESTS));
		return recorded.flatMap((stored) -> (stored.coveredAt() != null) ? Mono.<Void>empty() : cover(stored))
			.then(recipients(request))
			.flatMap((recipients) -> Flux.fromIterable(recipients.entrySet())
				.filter((recipient) -> all || only.contains(Partner.participant(recipient.getKey())))
				.concatMap((recipient) -> deliver(request, recipient.getKey(), recipient.getValue(), null, !all))
				.thenMany(Flux.fromIterable(only).concatMap((participant) -> followUpAskedAgain(request, participant)))
				.then(askedOwn ? ownStep(event, recipients.size()) : Mono.empty())
				.doOnSuccess((done) -> this.wakeDispatcher.run()));
	}

	/**
	 * A follow-up the request asks again (a reminder to its participant): sent again at
	 * once unless it was confirmed, its steps published again.
	 */
	private Mono<Void> followUpAskedAgain(Request request, String participant) {
		String webhookId = Partner.followUpOf(participant);
		if (webhookId == null) {
			return Mono.empty();
		}
		return this.mongo.findById(webhookId, Delivery.class, Delivery.COLLECTION)
			.filter((delivery) -> delivery.requestId().equals(request.id()) && followUp(delivery)
					&& participant.equals(Partner.followUpParticipant(delivery.partnerId(), delivery.id())))
			.flatMap((delivery) -> retryNow(delivery.id())
				.then(republish(PartnerStep.followUpPendingId(request.id(), delivery.partnerId(), delivery.id())))
				.then(republish(PartnerStep.followUpId(request.id(), delivery.partnerId(), delivery.id(), true)))
				.then(republish(PartnerStep.followUpId(request.id(), delivery.partnerId(), delivery.id(), false))));
	}

	/**
	 * Marks every share of the user in the log as carried by the request's first
	 * webhooks, except those {@link #lateShares} claimed for the request before. Marking
	 * and claiming each change one entry atomically, on opposite conditions, so every
	 * share is carried exactly once: by the first webhook, or as a late share. Done once
	 * per request, before any of its first webhooks exists (the request then records
	 * {@code coveredAt}): a request handled again (a redelivery, a reminder) must not
	 * mark a share stored since, which its webhooks, already made, do not carry.
	 */
	private Mono<Void> cover(Request request) {
		return this.mongo.updateMulti(Query.query(
				Criteria.where("userId").is(request.userId()).and("allowed").is(true).and(LATE_FOR).ne(request.id())),
				new Update().addToSet(COVERED_BY, request.id()), ShareLogEntry.COLLECTION)
			.then(this.mongo.updateFirst(Query.query(Criteria.where("_id").is(request.id())),
					new Update().set("coveredAt", this.clock.instant()), REQUESTS))
			.then();
	}

	/**
	 * Every partner that received data of the user before the request, with the data
	 * categories it got.
	 */
	private Mono<Map<String, Set<String>>> recipients(Request request) {
		return this.mongo
			.find(Query.query(Criteria.where("userId").is(request.userId()).and(COVERED_BY).is(request.id())),
					ShareLogEntry.class, ShareLogEntry.COLLECTION)
			.filter((entry) -> entry.allowed() && entry.legal() == null)
			.collect(TreeMap::new, (map, entry) -> map.computeIfAbsent(entry.partnerId(), (id) -> new TreeSet<>())
				.addAll(entry.dataCategories()));
	}

	/**
	 * A deletion request the gateway carried to partners.
	 *
	 * @param id the request id
	 * @param userId the user
	 * @param kind DELETION or ACCOUNT_CLOSURE
	 * @param dueDate the due date
	 * @param receivedAt when the gateway took it
	 * @param coveredAt when the shares its first webhooks carry were marked, or null
	 */
	record Request(@Id String id, String userId, String kind, LocalDate dueDate, Instant receivedAt,
			Instant coveredAt) {

		boolean closure() {
			return "ACCOUNT_CLOSURE".equals(this.kind);
		}

	}

	/**
	 * Carries a request to the partners of shares allowed while it was being handled: an
	 * instance whose consent view had not yet seen the request may have allowed a share
	 * after the share log was read. Runs for every batch of stored decisions, including
	 * batches read again. A share the request's first webhooks carry (see {@link #cover})
	 * is left alone; any other is claimed for the request once and for all. A partner
	 * without a delivery of the request gets one. A partner that has one gets a follow-up
	 * for the share (a webhook of its own, {@link #followUpId}), unless that delivery has
	 * not been attempted yet and already names every category of the share: the partner
	 * may have deleted what it held before the share's data reached it.
	 * @param published share decisions just stored
	 * @return completion
	 */
	public Mono<Void> lateShares(List<ShareLogEntry> published) {
		List<ShareLogEntry> allowed = published.stream()
			.filter((entry) -> entry.allowed() && entry.legal() == null)
			.toList();
		if (allowed.isEmpty()) {
			return Mono.empty();
		}
		Set<String> users = new TreeSet<>();
		allowed.forEach((entry) -> users.add(entry.userId()));
		return this.mongo.find(Query.query(Criteria.where("userId").in(users)), Request.class, REQUESTS)
			.concatMap((request) -> Flux.fromIterable(allowed)
				.filter((entry) -> entry.userId().equals(request.userId())
						&& (request.closure() || entry.occurredAt().isBefore(Deadlines.endOf(request.dueDate()))))
				.concatMap((entry) -> claim(request, entry).flatMap((late) -> late
						? deliver(request, entry.partnerId(), new TreeSet<>(entry.dataCategories()), entry.id(), false)
							.thenReturn(true)
						: Mono.just(false))))
			// Every share is claimed and delivered (any() would stop at the first late
			// one). The dispatcher looks for due deliveries when woken: only when there
			// are new ones, not after every batch of decisions.
			.reduce(false, Boolean::logicalOr)
			.flatMap((delivered) -> delivered ? Mono.fromRunnable(this.wakeDispatcher) : Mono.empty())
			.then();
	}

	/**
	 * Claims a share for a request as late, unless the request's first webhooks carry it;
	 * a share claimed before stays claimed (the batch is being read again).
	 * @return whether the share is late for the request
	 */
	private Mono<Boolean> claim(Request request, ShareLogEntry entry) {
		return this.mongo
			.updateFirst(Query.query(Criteria.where("_id").is(entry.id()).and(COVERED_BY).ne(request.id())),
					new Update().addToSet(LATE_FOR, request.id()), ShareLogEntry.COLLECTION)
			.map((result) -> result.getMatchedCount() > 0);
	}

	private Delivery delivery(String id, Request request, String partnerId, Set<String> categories, String followUpOf,
			String lateShare) {
		Instant now = this.clock.instant();
		String reference = this.references.of(partnerId, request.userId());
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("requestId", request.id());
		data.put("userReference", reference);
		data.put("kind", request.kind());
		data.put("dataCategories", List.copyOf(categories));
		data.put("dueDate", request.dueDate().toString());
		data.put("callbackUrl", this.callbackBaseUrl + "/partners/" + partnerId + "/callbacks");
		if (followUpOf != null) {
			data.put("followUpOf", followUpOf);
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", WEBHOOK_TYPE);
		body.put("timestamp", now.toString());
		body.put("data", data);
		return new Delivery(id, request.id(), request.userId(), partnerId, reference, List.copyOf(categories),
				request.dueDate(), this.json.writeValueAsString(body), Delivery.State.SCHEDULED, now, now, null,
				List.of(), null, null, lateShare);
	}

	/**
	 * Creates a partner's first delivery of a request and announces it as a PENDING step.
	 * When it exists already (created by the request's first reading of the share log, or
	 * for a late share), a partner asked again gets it again; otherwise the partner gets
	 * a follow-up for these categories unless the existing delivery carries them: created
	 * for the same share (a redelivery), or not attempted yet and naming them.
	 * @param lateShare the late share this is for, or null for the shares the request
	 * found in the share log
	 */
	private Mono<Void> deliver(Request request, String partnerId, Set<String> categories, String lateShare,
			boolean askedAgain) {
		String id = webhookId(request.id(), partnerId);
		Instant now = this.clock.instant();
		Delivery delivery = delivery(id, request, partnerId, categories, null, lateShare);
		Mono<Void> created = this.mongo.insert(delivery, Delivery.COLLECTION).doOnSuccess((done) -> {
			if (lateShare != null) {
				logger.info("Share {} to {} was allowed while request {} was handled; the partner is asked to"
						+ " delete too", lateShare, partnerId, request.id());
			}
		})
			.then()
			.onErrorResume(DuplicateKeys::isDuplicateKey,
					(ex) -> askedAgain ? retryNow(id)
							: this.mongo.findById(id, Delivery.class, Delivery.COLLECTION)
								.flatMap((first) -> carries(first, categories, lateShare) ? Mono.empty()
										: askAgain(request, partnerId, categories, lateShare, id)));
		PartnerStep pending = new PartnerStep(PartnerStep.pendingId(request.id(), partnerId), UUID.randomUUID(), now,
				request.id(), request.userId(), Partner.participant(partnerId), true, ErasureStepStatus.PENDING,
				"Deletion webhook scheduled; categories received: " + String.join(", ", categories), Map.of(), false);
		return created.then(step(pending, askedAgain))
			.then(askedAgain ? republish(PartnerStep.escalationId(request.id(), partnerId))
				.then(republish(PartnerStep.confirmationId(request.id(), partnerId))) : Mono.empty());
	}

	private static boolean carries(Delivery first, Set<String> categories, String lateShare) {
		return Objects.equals(first.lateShare(), lateShare)
				|| (first.attempts().isEmpty() && first.dataCategories().containsAll(categories));
	}

	/**
	 * A follow-up delivery: no PENDING step (the partner's step was announced with the
	 * first webhook), its outcome reported as a step of its own.
	 * @param lateShare the late share, or null for the shares the request found in the
	 * share log (when a late share's delivery came first)
	 */
	private Mono<Void> askAgain(Request request, String partnerId, Set<String> categories, String lateShare,
			String first) {
		String share = (lateShare != null) ? lateShare : LOGGED_SHARES;
		Delivery delivery = delivery(followUpId(request.id(), partnerId, share), request, partnerId, categories, first,
				share);
		PartnerStep pending = new PartnerStep(PartnerStep.followUpPendingId(request.id(), partnerId, delivery.id()),
				UUID.randomUUID(), delivery.createdAt(), request.id(), request.userId(),
				Partner.followUpParticipant(partnerId, delivery.id()), true, ErasureStepStatus.PENDING,
				"Follow-up deletion webhook scheduled for data shared while the request was handled; categories: "
						+ String.join(", ", categories),
				Map.of(), false);
		return this.mongo.insert(delivery, Delivery.COLLECTION)
			.doOnSuccess((done) -> logger.info(
					"Share {} to {} was allowed while request {} was handled, after its"
							+ " webhook was sent; the partner is asked again, for that share",
					share, partnerId, request.id()))
			.then()
			.onErrorResume(DuplicateKeys::isDuplicateKey, (ex) -> Mono.empty())
			.then(step(pending, false));
	}

	/** A delivery asked for again (reminder): an unconfirmed one is attempted at once. */
	private Mono<Void> retryNow(String id) {
		return this.mongo
			.updateFirst(
					Query.query(Criteria.where("_id")
						.is(id)
						.and("state")
						.in(Delivery.State.SCHEDULED, Delivery.State.GONE, Delivery.State.EXPIRED)),
					new Update().set("state", Delivery.State.SCHEDULED).set("nextAttemptAt", this.clock.instant()),
					Delivery.COLLECTION)
			.then();
	}

	private Mono<Void> ownStep(DeletionRequested event, int partners) {
		PartnerStep own = new PartnerStep(PartnerStep.ownId(event.getRequestId()), UUID.randomUUID(),
				this.clock.instant(), event.getRequestId(), event.getUserId(), PARTICIPANT, false,
				(partners == 0) ? ErasureStepStatus.NOTHING_HELD : ErasureStepStatus.DONE,
				(partners == 0) ? "No partner received data of the user; sharing stopped"
						: "Sharing stopped; deletion sent to " + partners
								+ " partner(s), each reported as its own step. The share log keeps the record of each"
								+ " disclosure (partner, purpose, field names, never values)",
				Map.of("partners", (long) partners), false);
		return step(own, !event.getOnlyParticipants().isEmpty());
	}

	/**
	 * Stores a step and hands it to the relay. A step stored before is published again
	 * when the request is asked again (the data-subject request may have missed it);
	 * otherwise it is left as it is.
	 */
	private Mono<Void> step(PartnerStep step, boolean askedAgain) {
		return this.mongo.insert(step, PartnerStep.COLLECTION)
			.doOnNext(this.publishSoon)
			.then()
			.onErrorResume(DuplicateKeys::isDuplicateKey, (ex) -> askedAgain ? republish(step.id()) : Mono.empty());
	}

	/**
	 * Publishes a stored step again, with its own event id (readers de-duplicate by it).
	 */
	private Mono<Void> republish(String stepId) {
		return this.mongo
			.findAndModify(Query.query(Criteria.where("_id").is(stepId)), new Update().set("published", false),
					PartnerStep.class, PartnerStep.COLLECTION)
			.map((before) -> new PartnerStep(before.id(), before.eventId(), before.occurredAt(), before.requestId(),
					before.userId(), before.participant(), before.partner(), before.status(), before.message(),
					before.counts(), false))
			.doOnNext(this.publishSoon)
			.then();
	}

	/**
	 * Reports a partner's outcome: its confirmation, or an escalation.
	 * @param delivery the delivery
	 * @param status the status
	 * @param message what happened
	 * @return completion; a second escalation, or a second confirmation, of the same
	 * partner and request is ignored
	 */
	public Mono<Void> outcome(Delivery delivery, ErasureStepStatus status, String message) {
		if (status == ErasureStepStatus.FAILED) {
			logger.warn("Deletion of request {} could not reach partner {}: {}", delivery.requestId(),
					delivery.partnerId(), message);
		}
		String id = outcomeId(delivery, status == ErasureStepStatus.FAILED);
		String participant = followUp(delivery) ? Partner.followUpParticipant(delivery.partnerId(), delivery.id())
				: Partner.participant(delivery.partnerId());
		PartnerStep step = new PartnerStep(id, UUID.randomUUID(), this.clock.instant(), delivery.requestId(),
				delivery.userId(), participant, true, status, message, Map.of(), false);
		return step(step, false);
	}

	private static String outcomeId(Delivery delivery, boolean escalation) {
		if (followUp(delivery)) {
			return PartnerStep.followUpId(delivery.requestId(), delivery.partnerId(), delivery.id(), escalation);
		}
		return escalation ? PartnerStep.escalationId(delivery.requestId(), delivery.partnerId())
				: PartnerStep.confirmationId(delivery.requestId(), delivery.partnerId());
	}

	/**
	 * The confirmation reported for a delivery, if any.
	 * @param delivery the delivery
	 * @return the step
	 */
	public Mono<PartnerStep> confirmationOf(Delivery delivery) {
		return this.mongo.findById(outcomeId(delivery, false), PartnerStep.class, PartnerStep.COLLECTION);
	}

	/**
	 * Deliveries of a request, or of a partner.
	 * @param requestId the request, or null
	 * @param partnerId the partner, or null
	 * @param limit how many at most
	 * @return the deliveries
	 */
	public Flux<Delivery> deliveries(String requestId, String partnerId, int limit) {
		Criteria criteria = new Criteria();
		List<Criteria> conditions = new ArrayList<>();
		if (requestId != null) {
			conditions.add(Criteria.where("requestId").is(requestId));
		}
		if (partnerId != null) {
			conditions.add(Criteria.where("partnerId").is(partnerId));
		}
		if (!conditions.isEmpty()) {
			criteria = new Criteria().andOperator(conditions);
		}
		return this.mongo.find(Query.query(criteria).with(Sort.by("createdAt")).limit(limit), Delivery.class,
				Delivery.COLLECTION);
	}

	/**
	 * Every delivery not confirmed yet, oldest first.
	 * @return the deliveries
	 */
	public Flux<Delivery> unconfirmed() {
		return this.mongo.find(
				Query.query(Criteria.where("state").ne(Delivery.State.CONFIRMED)).with(Sort.by("createdAt")),
				Delivery.class, Delivery.COLLECTION);
	}

	public Mono<Delivery> delivery(String id) {
		return this.mongo.findById(id, Delivery.class, Delivery.COLLECTION);
	}

}
