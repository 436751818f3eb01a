package com.onemusic.privacy.dsr.request;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpStatus;

import com.onemusic.privacy.dsr.DsrProperties;
import com.onemusic.privacy.dsr.calendar.WorkingDayCalendar;
import com.onemusic.privacy.dsr.verification.OneTimeCodes;
import com.onemusic.privacy.dsr.verification.SessionAssertions;
import com.onemusic.privacy.dsr.verification.VerificationCodeSender;
import com.onemusic.privacy.platform.mongo.DuplicateKeys;
import com.onemusic.privacy.platform.web.ApiProblem;

/**
 * Runs data-subject requests: submission, identity verification, the participants'
 * reports, extensions, and the queries of the SLA view. Every change is a
 * read-modify-write of the one request document, guarded by its version (a concurrent
 * change makes it retry on the new state); the request's new log entries go to the outbox
 * relay.
 */
public class DsrRequests {

	private static final Logger logger = LoggerFactory.getLogger(DsrRequests.class);

	private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

	private static final int ATTEMPTS = 20;

	private final ReactiveMongoTemplate mongo;

	private final DsrProperties properties;

	private final Supplier<WorkingDayCalendar> calendar;

	private final OneTimeCodes codes;

	private final SessionAssertions assertions;

	private final VerificationCodeSender sender;

	private final Consumer<DsrRequest> publishSoon;

	private final Clock clock;

	public DsrRequests(ReactiveMongoTemplate mongo, DsrProperties properties, Supplier<WorkingDayCalendar> calendar,
			OneTimeCodes codes, SessionAssertions assertions, VerificationCodeSender sender,
			Consumer<DsrRequest> publishSoon, Clock clock) {
		this.mongo = mongo;
		this.properties = properties;
		this.calendar = calendar;
		this.codes = codes;
		this.assertions = assertions;
		this.sender = sender;
		this.publishSoon = publishSoon;
		this.clock = clock;
	}

	/**
	 * Creates the indexes: one open request per user and type, one request per submitting
	 * event.
	 * @return completion
	 */
	public Mono<Void> createIndexes() {
		return Flux
			.concat(this.mongo.indexOps(DsrRequest.COLLECTION)
				.createIndex(new Index().on("openKey", Sort.Direction.ASC).unique().sparse()),
					this.mongo.indexOps(DsrRequest.COLLECTION)
						.createIndex(new Index().on("sourceEventId", Sort.Direction.ASC).unique().sparse()),
					// Every change is a write guarded by {_id, version}. MongoDB answers
					// it
					// from the _id index anyway; this (trivially unique) index lets the
					// in-memory server, which uses an index only for a query on exactly
					// its
					// keys, answer it without scanning the collection.
					this.mongo.indexOps(DsrRequest.COLLECTION)
						.createIndex(new Index().on("_id", Sort.Direction.ASC)
							.on("version", Sort.Direction.ASC)
							.unique()
							.named("id_version")))
			.then();
	}

	/**
	 * Submits a request. With a valid session assertion it is verified at once; otherwise
	 * a one-time code goes to the contact. An open request of the same user and type, or
	 * one made by the same event, is answered instead of a new one.
	 * @param command the request
	 * @return the request, and whether it is new
	 */
	public Mono<Submitted> submit(SubmitCommand command) {
		return Mono.defer(() -> {
			check(command);
			Instant now = this.clock.instant();
			String id = "dsr-" + UUID.randomUUID();
			DsrRequest request = DsrRequest.submit(id, command.userId(), command.type(), command.channel(),
					command.ground(), command.details(), command.scopes(), command.sourceEventId(), now,
					this.properties.verification().verifyWithin());
			String code = null;
			if (command.identityAssertion() != null) {
				try {
					this.assertions.verify(command.identityAssertion(), command.userId(), now);
				}
				catch (SessionAssertions.InvalidAssertion ex) {
					throw ApiProblem.unprocessable("invalid-identity-assertion", ex.getMessage());
				}
				request.verified(Verification.Method.SESSION_ASSERTION, now, this.calendar.get(),
						this.properties.workingDays(), participantsOf(command.type()));
			}
			else {
				code = this.codes.generate();
				request.awaitCode(newCode(request, code, now, 1, command.contact().masked()));
			}
			String sent = code;
			return this.mongo.insert(request, DsrRequest.COLLECTION).map((saved) -> {
				this.publishSoon.accept(saved);
				if (sent != null) {
					send(saved, command.contact(), sent);
				}
				return new Submitted(saved, true);
			}).onErrorResume(DuplicateKeys::isDuplicateKey, (ex) -> existing(command));
		}).retryWhen(Retry.max(3).filter(RetryInsert.class::isInstance));
	}

	private Mono<Submitted> existing(SubmitCommand command) {
		Criteria same = (command.sourceEventId() != null)
				? new Criteria().orOperator(Criteria.where("sourceEventId").is(command.sourceEventId()),
						Criteria.where("openKey").is(DsrRequest.openKey(command.userId(), command.type())))
				: Criteria.where("openKey").is(DsrRequest.openKey(command.userId(), command.type()));
		return this.mongo.findOne(Query.query(same), DsrRequest.class, DsrRequest.COLLECTION)
			.map((found) -> new Submitted(found, false))
			// Closed in between: try again.
			.switchIfEmpty(Mono.error(new RetryInsert()));
	}

	/**
	 * Checks a one-time code. A right code verifies identity and starts the work; a wrong
	 * one counts against the attempts, and the last allowed one rejects the request.
	 * @param id the request
	 * @param code the code
	 * @return the request
	 */
	public Mono<DsrRequest> verifyCode(String id, String code) {
		return update(id, (request, now) -> {
			Verification verification = request.verification();
			if (request.status() != DsrStatus.SUBMITTED) {
				throw ApiProblem.conflict("not-awaiting-verification",
						"Request " + id + " is " + request.status() + ", not awaiting verification");
			}
			if (verification == null || verification.codeHash() == null) {
				throw ApiProblem.conflict("no-code", "No one-time code is pending for request " + id);
			}
			if (!now.isBefore(verification.codeExpiresAt())) {
				throw ApiProblem.unprocessable("code-expired",
						"The one-time code has expired; ask for a new one (POST /requests/" + id
								+ "/verification-code)");
			}
			if (this.codes.matches(id, code, verification.codeHash())) {
				request.verified(Verification.Method.ONE_TIME_CODE, now, this.calendar.get(),
						this.properties.workingDays(), participantsOf(request.type()));
				return null;
			}
			int left = request.wrongCode(now);
			return (left > 0) ? new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "wrong-code",
					"The one-time code is wrong; " + left + " attempts left", java.util.Map.of("attemptsLeft", left))
					: new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "wrong-code",
							"The one-time code is wrong; no attempts left: the request is rejected",
							java.util.Map.of("attemptsLeft", 0));
		}).flatMap((result) -> (result.outcome() != null) ? Mono.error(result.outcome()) : Mono.just(result.request()));
	}

	/**
	 * Sends a new one-time code, replacing the previous one.
	 * @param id the request
	 * @param contact where to send it (must be given again: only the masked form is kept)
	 * @return the request
	 */
	public Mono<DsrRequest> resendCode(String id, com.onemusic.privacy.dsr.verification.Contact contact) {
		if (contact == null || !contact.valid()) {
			return Mono.error(ApiProblem.badRequest("invalid-contact",
					"A valid contact is needed: a mainland mobile number (SMS) or an email address"));
		}
		String code = this.codes.generate();
		return update(id, (request, now) -> {
			Verification verification = request.verification();
			if (verification == null || verification.method() != Verification.Method.ONE_TIME_CODE) {
				throw ApiProblem.conflict("no-code", "Request " + id + " is not verified by one-time code");
			}
			if (verification.codesSent() >= this.properties.verification().maxCodes()) {
				throw ApiProblem.unprocessable("too-many-codes",
						"At most " + this.properties.verification().maxCodes() + " codes are sent per request");
			}
			request.awaitCode(new Verification(Verification.Method.ONE_TIME_CODE, this.codes.hash(id, code),
					now.plus(this.properties.verification().codeTtl()), verification.attemptsLeft(),
					verification.codesSent() + 1, contact.masked()));
			return null;
		}).map((result) -> {
			send(result.request(), contact, code);
			return result.request();
		});
	}

	/**
	 * Applies a participant's report.
	 * @param report the report
	 * @return whether it changed the request (false for a redelivery)
	 */
	public Mono<Boolean> report(StepReport report) {
		return update(report.requestId(), (request, now) -> request.report(report, now) ? Boolean.TRUE : null)
			.map((result) -> result.outcome() != null);
	}

	/**
	 * Applies several reports of one request, in one read and one write.
	 * @param requestId the request
	 * @param reports the reports, in the order they arrived
	 * @return whether any changed the request
	 */
	public Mono<Boolean> reportAll(String requestId, List<StepReport> reports) {
		return update(requestId, (request, now) -> {
			boolean changed = false;
			for (StepReport report : reports) {
				changed |= request.report(report, now);
			}
			return changed ? Boolean.TRUE : null;
		}).map((result) -> result.outcome() != null);
	}

	/**
	 * Completes an access request whose export is stored.
	 * @param id the request
	 * @return completion
	 */
	public Mono<Void> exported(String id) {
		return update(id, (request, now) -> {
			if (request.exportReady()) {
				request.exported(now);
			}
			return null;
		}).then();
	}

	/**
	 * Asks one participant again.
	 * @param id the request
	 * @param participant the participant
	 * @return the request
	 */
	public Mono<DsrRequest> reask(String id, String participant) {
		return update(id, (request, now) -> {
			request.reask(participant, now);
			return null;
		}).map(Updated::request);
	}

	/**
	 * Extends a deadline.
	 * @param id the request
	 * @param workingDays by how many working days
	 * @param reason why
	 * @param by who
	 * @return the request
	 */
	public Mono<DsrRequest> extend(String id, int workingDays, String reason, String by) {
		if (workingDays < 1 || workingDays > this.properties.maxExtensionWorkingDays()) {
			return Mono.error(ApiProblem.badRequest("invalid-extension", "An extension is 1 to "
					+ this.properties.maxExtensionWorkingDays() + " working days: " + workingDays));
		}
		if (reason == null || reason.isBlank()) {
			return Mono.error(ApiProblem.badRequest("reason-required", "An extension needs a reason"));
		}
		return update(id, (request, now) -> {
			request.extend(workingDays, reason.strip(), by, this.calendar.get(), now);
			return null;
		}).map(Updated::request);
	}

	/**
	 * Completes a request done by the owner of the data (a rectification).
	 * @param id the request
	 * @param partially whether only partly
	 * @param note what was done
	 * @return the request
	 */
	public Mono<DsrRequest> complete(String id, boolean partially, String note) {
		if (note == null || note.isBlank()) {
			return Mono.error(ApiProblem.badRequest("note-required", "A completion needs a note of what was done"));
		}
		return update(id, (request, now) -> {
			request.complete(partially, note.strip(), now);
			return null;
		}).map(Updated::request);
	}

	/**
	 * One request.
	 * @param id the id
	 * @return the request, or a 404 problem
	 */
	public Mono<DsrRequest> get(String id) {
		return this.mongo.findById(id, DsrRequest.class, DsrRequest.COLLECTION)
			.switchIfEmpty(Mono
				.error(() -> new ApiProblem(HttpStatus.NOT_FOUND, "unknown-request", "No data-subject request " + id)));
	}

	/**
	 * Requests matching a filter, a page at a time in id order.
	 * @param filter the filter
	 * @return the page
	 */
	public Flux<DsrRequest> list(RequestFilter filter) {
		return this.mongo.find(query(filter).with(Sort.by("_id")).limit(filter.limit()), DsrRequest.class,
				DsrRequest.COLLECTION);
	}

	/**
	 * How many requests match a filter (its cursor and limit aside).
	 * @param filter the filter
	 * @return the count
	 */
	public Mono<Long> count(RequestFilter filter) {
		return this.mongo.count(query(
				new RequestFilter(filter.status(), filter.type(), filter.userId(), filter.sla(), null, filter.limit())),
				DsrRequest.COLLECTION);
	}

	private Query query(RequestFilter filter) {
		List<Criteria> criteria = new ArrayList<>();
		if (filter.status() != null) {
			criteria.add(Criteria.where("status").is(filter.status()));
		}
		if (filter.type() != null) {
			criteria.add(Criteria.where("type").is(filter.type()));
		}
		if (filter.userId() != null) {
			criteria.add(Criteria.where("userId").is(filter.userId()));
		}
		if (filter.sla() != null) {
			LocalDate today = today();
			criteria.add(Criteria.where("status").in(DsrStatus.IDENTITY_VERIFIED, DsrStatus.IN_PROGRESS));
			criteria.add(switch (filter.sla()) {
				case OVERDUE -> Criteria.where("dueDate").lt(today.toString());
				case DUE_SOON -> Criteria.where("dueDate").gte(today.toString()).lte(dueSoonLimit(today).toString());
				case ON_TRACK -> Criteria.where("dueDate").gt(dueSoonLimit(today).toString());
			});
		}
		if (filter.after() != null) {
			criteria.add(Criteria.where("_id").gt(filter.after()));
		}
		return criteria.isEmpty() ? new Query() : Query.query(new Criteria().andOperator(criteria));
	}

	/**
	 * Expires requests not verified in time.
	 * @return how many expired
	 */
	public Mono<Long> expireUnverified() {
		Instant now = this.clock.instant();
		return this.mongo
			.find(Query.query(Criteria.where("status").is(DsrStatus.SUBMITTED).and("expiresAt").lte(now)),
					DsrRequest.class, DsrRequest.COLLECTION)
			.concatMap((found) -> update(found.id(), (request, at) -> request.expireIfDue(at) ? Boolean.TRUE : null)
				.onErrorResume((ex) -> {
					logger.warn("Could not expire request {}: {}", found.id(), ex.toString());
					return Mono.empty();
				}))
			.filter((result) -> result.outcome() != null)
			.count();
	}

	/**
	 * Recomputes provisional deadlines, e.g. after a year's holiday schedule was added.
	 * @return how many deadlines changed
	 */
	public Mono<Long> recomputeProvisionalDeadlines() {
		return this.mongo
			.find(Query.query(Criteria.where("dueDateProvisional").is(true)), DsrRequest.class, DsrRequest.COLLECTION)
			.concatMap((found) -> update(found.id(),
					(request, now) -> request.recomputeDeadline(this.calendar.get(), this.properties.workingDays(), now)
							? Boolean.TRUE : null))
			.filter((result) -> result.outcome() != null)
			.count();
	}

	/**
	 * The SLA state of a request today, or null when it has no running deadline.
	 * @param request the request
	 * @return the state
	 */
	public SlaState sla(DsrRequest request) {
		if (!request.status().open() || request.dueDate() == null) {
			return null;
		}
		int left = workingDaysLeft(request);
		if (left < 0) {
			return SlaState.OVERDUE;
		}
		return (left <= this.properties.dueSoonWorkingDays()) ? SlaState.DUE_SOON : SlaState.ON_TRACK;
	}

	/**
	 * Working days left until a request's due date (negative when overdue).
	 * @param request the request
	 * @return the working days
	 */
	public int workingDaysLeft(DsrRequest request) {
		return this.calendar.get().workingDaysLeft(today(), request.dueDate());
	}

	private LocalDate today() {
		return LocalDate.ofInstant(this.clock.instant(), DsrRequest.ZONE);
	}

	private LocalDate dueSoonLimit(LocalDate today) {
		return this.calendar.get().addWorkingDays(today, this.properties.dueSoonWorkingDays()).dueDate();
	}

	/**
	 * Loads a request, applies a change and saves it if the change did not throw,
	 * retrying on a concurrent change.
	 */
	private <T> Mono<Updated<T>> update(String id, BiFunction<DsrRequest, Instant, T> change) {
		return Mono.defer(() -> get(id).flatMap((request) -> {
			long before = request.lastSeq();
			T outcome = change.apply(request, this.clock.instant());
			if (!request.changed()) {
				return Mono.just(new Updated<>(request, outcome));
			}
			return this.mongo.save(request, DsrRequest.COLLECTION).map((saved) -> {
				if (saved.lastSeq() > before) {
					this.publishSoon.accept(saved);
				}
				return new Updated<>(saved, outcome);
			});
		}))
			.retryWhen(
					Retry.max(ATTEMPTS)
						.filter(OptimisticLockingFailureException.class::isInstance)
						.onRetryExhaustedThrow((spec, signal) -> new IllegalStateException(
								"Request " + id + " changed " + ATTEMPTS + " times while being updated",
								signal.failure())));
	}

	private List<String> participantsOf(DsrType type) {
		if (type == DsrType.ACCESS) {
			return this.properties.exportParticipants();
		}
		if (type == DsrType.CONSENT_WITHDRAWAL) {
			return this.properties.withdrawalParticipants();
		}
		return type.erases() ? this.properties.erasureParticipants() : List.of();
	}

	private Verification newCode(DsrRequest request, String code, Instant now, int sent, String sentTo) {
		return new Verification(Verification.Method.ONE_TIME_CODE, this.codes.hash(request.id(), code),
				now.plus(this.properties.verification().codeTtl()), this.properties.verification().maxAttempts(), sent,
				sentTo);
	}

	private void send(DsrRequest request, com.onemusic.privacy.dsr.verification.Contact contact, String code) {
		try {
			this.sender.send(request.id(), contact, code);
		}
		catch (RuntimeException ex) {
			// The request is kept; the requester can ask for another code.
			logger.warn("Could not send the one-time code of request {}: {}", request.id(), ex.toString());
		}
	}

	private void check(SubmitCommand command) {
		if (command.userId() == null || !USER_ID.matcher(command.userId()).matches()) {
			throw ApiProblem.badRequest("invalid-user-id",
					"userId must be 1 to 128 characters of letters, digits and . _ : @ -, starting with a letter or digit");
		}
		if (command.type() == null) {
			throw ApiProblem.badRequest("type-required", "type is required");
		}
		if (command.channel() == null) {
			throw ApiProblem.badRequest("channel-required", "channel is required");
		}
		if (command.type() == DsrType.DELETION && command.ground() == null) {
			throw ApiProblem.badRequest("ground-required",
					"A deletion needs one of the grounds of policy 8.1.3: " + List.of(DeletionGround.values()));
		}
		if (command.type() != DsrType.DELETION && command.type() != DsrType.ACCOUNT_CLOSURE
				&& command.ground() != null) {
			throw ApiProblem.badRequest("ground-not-applicable", "Only a deletion has a ground");
		}
		if (command.type() == DsrType.RECTIFICATION && (command.details() == null || command.details().isBlank())) {
			throw ApiProblem.badRequest("details-required", "A rectification says what is to be corrected");
		}
		if (command.type() == DsrType.CONSENT_WITHDRAWAL && command.scopes().isEmpty()) {
			throw ApiProblem.badRequest("scopes-required", "A consent withdrawal names the scopes withdrawn");
		}
		if (command.identityAssertion() == null && (command.contact() == null || !command.contact().valid())) {
			throw ApiProblem.badRequest("verification-required",
					"Identity must be verifiable: give an identityAssertion from a logged-in session, or a contact "
							+ "(a mainland mobile number for SMS, or an email address) for a one-time code");
		}
	}

	/**
	 * A submitted request.
	 *
	 * @param request the request
	 * @param created false when an open request (or the same event's) was answered
	 */
	public record Submitted(DsrRequest request, boolean created) {

	}

	private record Updated<T>(DsrRequest request, T outcome) {

	}

	/**
	 * An open request seen at insert was closed before it could be read: insert again.
	 */
	private static final class RetryInsert extends RuntimeException {

		RetryInsert() {
			super("retry", null, false, false);
		}

	}

}
