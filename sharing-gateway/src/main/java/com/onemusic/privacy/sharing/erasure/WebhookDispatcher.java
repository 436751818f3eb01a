package com.onemusic.privacy.sharing.erasure;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import com.onemusic.privacy.events.ErasureStepStatus;
import com.onemusic.privacy.sharing.Deadlines;
import com.onemusic.privacy.sharing.SharingProperties;
import com.onemusic.privacy.sharing.partner.Partner;
import com.onemusic.privacy.sharing.partner.PartnerRegistry;
import com.onemusic.privacy.sharing.webhook.StandardWebhooks;

/**
 * Sends deletion webhooks on their persisted schedule. Every poll interval (and at once
 * when a deletion request arrives) it takes the deliveries that are due, claims each with
 * a lease (so no delivery is ever sent by two instances or two threads at once), signs it
 * per Standard Webhooks with the partner's secret and sends it:
 * <ul>
 * <li>2xx: delivered; the partner's confirmation comes by callback;</li>
 * <li>410 Gone: the partner has gone; escalated (the partner's step FAILED), no more
 * attempts;</li>
 * <li>anything else, or no answer: the next attempt is scheduled by the retry schedule,
 * not before the partner's {@code Retry-After} on 429 and 503; past the due date the
 * delivery is escalated.</li>
 * </ul>
 * The schedule lives in MongoDB with the delivery, so a restart goes on where it was.
 */
public class WebhookDispatcher implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(WebhookDispatcher.class);

	private static final int BATCH = 100;

	private final ReactiveMongoTemplate mongo;

	private final PartnerRegistry partners;

	private final DeletionPropagation propagation;

	private final WebClient client;

	private final SharingProperties.Webhooks settings;

	private final Clock clock;

	private final Sinks.Many<Long> wakeups = Sinks.many().multicast().directBestEffort();

	/** The running loop, or null. */
	private volatile Running running;

	public WebhookDispatcher(ReactiveMongoTemplate mongo, PartnerRegistry partners, DeletionPropagation propagation,
			WebClient client, SharingProperties.Webhooks settings, Clock clock) {
		this.mongo = mongo;
		this.partners = partners;
		this.propagation = propagation;
		this.client = client;
		this.settings = settings;
		this.clock = clock;
	}

	@Override
	public void start() {
		if (this.running != null) {
			return;
		}
		AtomicBoolean stopping = new AtomicBoolean();
		CountDownLatch ended = new CountDownLatch(1);
		Disposable loop = Flux.merge(Flux.interval(Duration.ZERO, this.settings.pollInterval()), this.wakeups.asFlux())
			// Ends at the first tick after the stop (stop wakes the loop for one).
			.takeWhile((tick) -> !stopping.get())
			.onBackpressureDrop()
			// A tick taken before the stop but not yet handled starts no round after it.
			.concatMap((tick) -> stopping.get() ? Mono.just(0L) : dispatchDue().onErrorResume((ex) -> {
				logger.warn("Deletion webhooks could not be dispatched this round: {}", ex.toString());
				return Mono.just(0L);
			}), 1)
			.doFinally((signal) -> ended.countDown())
			.subscribe();
		this.running = new Running(loop, stopping, ended);
	}

	/**
	 * Stops taking due deliveries and waits for the attempts under way (each bounded by
	 * the webhook timeout): their outcome is recorded and their lease released, so
	 * another instance goes on with them at once rather than when the lease runs out, and
	 * no attempt the partner received goes unrecorded.
	 */
	@Override
	public void stop() {
		Running current = this.running;
		if (current == null) {
			return;
		}
		current.stopping().set(true);
		wake();
		try {
			if (!current.ended().await(this.settings.timeout().toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
				logger.warn("Deletion webhooks under way did not end in time; their leases run out on their own");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		current.loop().dispose();
		this.running = null;
	}

	@Override
	public boolean isRunning() {
		return this.running != null;
	}

	/** Looks for due deliveries now instead of at the next poll. */
	public void wake() {
		this.wakeups.tryEmitNext(0L);
	}

	/**
	 * Sends every delivery that is due.
	 * @return how many were attempted
	 */
	public Mono<Long> dispatchDue() {
		Instant now = this.clock.instant();
		Query due = Query.query(Criteria.where("state").is(Delivery.State.SCHEDULED).and("nextAttemptAt").lte(now))
			.with(Sort.by("nextAttemptAt"))
			.limit(BATCH);
		return this.mongo.find(due, Delivery.class, Delivery.COLLECTION)
			.filter((delivery) -> delivery.leaseUntil() == null || delivery.leaseUntil().isBefore(now))
			.flatMap((delivery) -> claim(delivery.id()).flatMap(this::attempt), this.settings.concurrency())
			.count();
	}

	private Mono<Delivery> claim(String id) {
		Instant now = this.clock.instant();
		Query claimable = Query.query(Criteria.where("_id")
			.is(id)
			.and("state")
			.is(Delivery.State.SCHEDULED)
			.and("nextAttemptAt")
			.lte(now)
			.orOperator(Criteria.where("leaseUntil").is(null), Criteria.where("leaseUntil").lt(now)));
		return this.mongo.findAndModify(claimable,
				new Update().set("leaseUntil", now.plus(this.settings.timeout()).plusSeconds(30)),
				FindAndModifyOptions.options().returnNew(true), Delivery.class, Delivery.COLLECTION);
	}

	private Mono<Void> attempt(Delivery delivery) {
		Optional<Partner> partner = this.partners.find(delivery.partnerId());
		if (partner.isEmpty()) {
			return finish(delivery,
					new Delivery.Attempt(this.clock.instant(), null, "partner no longer registered", 0, null),
					Delivery.State.EXPIRED, null)
				.then(this.propagation.outcome(delivery, ErasureStepStatus.FAILED,
						"Partner " + delivery.partnerId() + " is no longer registered; deletion could not be sent"));
		}
		Instant start = this.clock.instant();
		long timestamp = start.getEpochSecond();
		byte[] body = delivery.body().getBytes(StandardCharsets.UTF_8);
		// While the secret is rotated, a signature under each: the partner verifies with
		// whichever it holds.
		String signature = StandardWebhooks.sign(partner.get().webhookSecret(), delivery.id(), timestamp, body)
				+ ((partner.get().previousWebhookSecret() != null) ? " "
						+ StandardWebhooks.sign(partner.get().previousWebhookSecret(), delivery.id(), timestamp, body)
						: "");
		return this.client.post()
			.uri(partner.get().webhookUrl())
			.contentType(MediaType.APPLICATION_JSON)
			.header(StandardWebhooks.ID, delivery.id())
			.header(StandardWebhooks.TIMESTAMP, Long.toString(timestamp))
			.header(StandardWebhooks.SIGNATURE, signature)
			.bodyValue(body)
			.exchangeToMono((response) -> response.releaseBody()
				.thenReturn(new Delivery.Attempt(start, response.statusCode().value(), null, millisSince(start),
						retryAfter(response.headers().asHttpHeaders(), start))))
			.timeout(this.settings.timeout())
			.onErrorResume((ex) -> Mono.just(new Delivery.Attempt(start, null, describe(ex), millisSince(start), null)))
			.flatMap((attempt) -> judge(delivery, attempt));
	}

	private Mono<Void> judge(Delivery delivery, Delivery.Attempt attempt) {
		Integer status = attempt.status();
		if (status != null && status >= 200 && status < 300) {
			return finish(delivery, attempt, Delivery.State.DELIVERED, null);
		}
		if (status != null && status == 410) {
			return finish(delivery, attempt, Delivery.State.GONE, null)
				.then(this.propagation.outcome(delivery, ErasureStepStatus.FAILED, "Partner " + delivery.partnerId()
						+ " answered 410 Gone: it no longer takes deletion webhooks; escalated"));
		}
		int made = delivery.attempts().size() + 1;
		List<Duration> schedule = this.settings.retrySchedule();
		Instant next = attempt.at().plus(schedule.get(Math.min(made, schedule.size() - 1)));
		if (attempt.retryAfter() != null && (status == 429 || status == 503)) {
			Duration asked = Duration.ofSeconds(attempt.retryAfter());
			if (asked.compareTo(this.settings.maxRetryAfter()) > 0) {
				asked = this.settings.maxRetryAfter();
			}
			Instant notBefore = attempt.at().plus(asked);
			if (notBefore.isAfter(next)) {
				next = notBefore;
			}
		}
		if (next.isAfter(Deadlines.endOf(delivery.dueDate()))) {
			return finish(delivery, attempt, Delivery.State.EXPIRED, null)
				.then(this.propagation.outcome(delivery, ErasureStepStatus.FAILED,
						"Partner " + delivery.partnerId() + " did not take the deletion webhook by the due date ("
								+ made + " attempts, last: " + describe(attempt) + "); escalated"));
		}
		return finish(delivery, attempt, Delivery.State.SCHEDULED, next);
	}

	/**
	 * Records an attempt and the next state, releasing the lease. A delivery the partner
	 * confirmed meanwhile keeps its state.
	 */
	private Mono<Void> finish(Delivery delivery, Delivery.Attempt attempt, Delivery.State state, Instant next) {
		Update update = new Update().push("attempts", attempt)
			.set("state", state)
			.set("nextAttemptAt", next)
			.unset("leaseUntil");
		if (state == Delivery.State.DELIVERED) {
			update.set("deliveredAt", this.clock.instant());
		}
		return this.mongo
			.updateFirst(Query.query(Criteria.where("_id").is(delivery.id()).and("state").is(Delivery.State.SCHEDULED)),
					update, Delivery.COLLECTION)
			.flatMap((result) -> (result.getModifiedCount() > 0) ? Mono.empty()
					: this.mongo.updateFirst(Query.query(Criteria.where("_id").is(delivery.id())),
							new Update().push("attempts", attempt).unset("leaseUntil"), Delivery.COLLECTION))
			.then();
	}

	static String describe(Delivery.Attempt attempt) {
		return (attempt.status() != null) ? "HTTP " + attempt.status() : attempt.error();
	}

	private long millisSince(Instant start) {
		return Duration.between(start, this.clock.instant()).toMillis();
	}

	private static String describe(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = root.getMessage();
		return root.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

	/**
	 * The partner's {@code Retry-After}, in seconds: a number of seconds or an HTTP date.
	 * @param headers the response headers
	 * @param now the time of the attempt
	 * @return the seconds, or null without a valid header
	 */
	static Long retryAfter(HttpHeaders headers, Instant now) {
		String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return Math.max(0, Long.parseLong(value.strip()));
		}
		catch (NumberFormatException notSeconds) {
			try {
				Instant at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
				return Math.max(0, Duration.between(now, at).toSeconds());
			}
			catch (DateTimeParseException notDate) {
				return null;
			}
		}
	}

	/**
	 * A running loop: its subscription, the flag that asks it to stop, and the latch
	 * counted down when it has ended.
	 */
	private record Running(Disposable loop, AtomicBoolean stopping, CountDownLatch ended) {

	}

}
