package com.onemusic.privacy.dsr.request;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Transient;
import org.springframework.data.annotation.Version;
import org.springframework.data.mongodb.core.mapping.Document;

import com.onemusic.privacy.dsr.calendar.Deadline;
import com.onemusic.privacy.dsr.calendar.WorkingDayCalendar;
import com.onemusic.privacy.platform.web.ApiProblem;

/**
 * A data-subject request and everything that happened to it: one document, so that every
 * change (and the events it publishes, in {@link #log()}) is one atomic write. Changes go
 * through the methods below, which enforce the life cycle: SUBMITTED, then
 * IDENTITY_VERIFIED (or REJECTED, or EXPIRED), IN_PROGRESS, COMPLETED or
 * PARTIALLY_COMPLETED.
 */
@Document(DsrRequest.COLLECTION)
public class DsrRequest {

	public static final String COLLECTION = "dsr_requests";

	/** The clock of the deadline: days are counted in Beijing time. */
	public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

	@Id
	private String id;

	@Version
	private Long version;

	private String userId;

	private DsrType type;

	private DsrChannel channel;

	private DeletionGround ground;

	private String details;

	private List<String> scopes = new ArrayList<>();

	private DsrStatus status;

	private Instant submittedAt;

	private Instant expiresAt;

	/**
	 * {@code userId|type} while open (unique, sparse): at most one open request per user
	 * and type.
	 */
	private String openKey;

	/** The id of the event that submitted it, for requests from other services. */
	private String sourceEventId;

	private Verification verification;

	private Instant verifiedAt;

	private String dueDate;

	private boolean dueDateProvisional;

	private List<Extension> extensions = new ArrayList<>();

	private List<Step> steps = new ArrayList<>();

	private String outcome;

	private Instant closedAt;

	private List<LogEntry> log = new ArrayList<>();

	private long publishedSeq;

	private boolean published = true;

	/** Whether this instance was changed since it was read (not stored). */
	@Transient
	private boolean changed;

	protected DsrRequest() {
	}

	/**
	 * A new request, waiting for identity verification.
	 * @param id the request id
	 * @param userId the user
	 * @param type what is asked
	 * @param channel where it came in
	 * @param ground the ground of a deletion, else null
	 * @param details what to rectify, or other free text, or null
	 * @param scopes the scopes of a consent withdrawal
	 * @param sourceEventId the submitting event, or null
	 * @param now now
	 * @param verifyWithin how long the requester has to verify
	 * @return the request
	 */
	public static DsrRequest submit(String id, String userId, DsrType type, DsrChannel channel, DeletionGround ground,
			String details, List<String> scopes, String sourceEventId, Instant now, Duration verifyWithin) {
		DsrRequest request = new DsrRequest();
		request.id = id;
		request.userId = userId;
		request.type = type;
		request.channel = channel;
		request.ground = (type == DsrType.ACCOUNT_CLOSURE) ? DeletionGround.ACCOUNT_CLOSURE : ground;
		request.details = details;
		request.scopes = new ArrayList<>((scopes != null) ? scopes : List.of());
		request.sourceEventId = sourceEventId;
		request.submittedAt = now;
		request.expiresAt = now.plus(verifyWithin);
		request.openKey = openKey(userId, type);
		request.status = DsrStatus.SUBMITTED;
		request.append(LogEntry.Kind.STATUS, now, DsrStatus.SUBMITTED, null, null, List.of());
		return request;
	}

	/**
	 * The key that keeps one open request per user and type.
	 * @param userId the user
	 * @param type the type
	 * @return the key
	 */
	public static String openKey(String userId, DsrType type) {
		return userId + "|" + type;
	}

	/**
	 * Starts or restarts verification by one-time code.
	 * @param verification the code's hash, expiry, attempts and destination
	 */
	public void awaitCode(Verification verification) {
		requireStatus(DsrStatus.SUBMITTED, "A code can only be sent before identity is verified");
		this.verification = verification;
		this.changed = true;
	}

	/**
	 * Records identity as verified and starts the work: the deadline is fixed at
	 * {@code workingDays} working days after the day of verification (Beijing time), and
	 * a deletion or account closure asks every required participant.
	 * @param method how identity was verified
	 * @param now now
	 * @param calendar the working-day calendar
	 * @param workingDays the legal period
	 * @param participants the required erasure participants
	 */
	public void verified(Verification.Method method, Instant now, WorkingDayCalendar calendar, int workingDays,
			List<String> participants) {
		requireStatus(DsrStatus.SUBMITTED, "Identity can only be verified once, before anything else");
		this.verification = new Verification(method, null, null,
				(this.verification != null) ? this.verification.attemptsLeft() : 0,
				(this.verification != null) ? this.verification.codesSent() : 0,
				(this.verification != null) ? this.verification.sentTo() : null);
		this.verifiedAt = now;
		this.expiresAt = null;
		Deadline deadline = calendar.addWorkingDays(LocalDate.ofInstant(now, ZONE), workingDays);
		this.dueDate = deadline.dueDate().toString();
		this.dueDateProvisional = deadline.provisional();
		moveTo(DsrStatus.IDENTITY_VERIFIED, now,
				"identity verified by " + method.name().toLowerCase().replace('_', ' '));
		LogEntry.Kind ask = askKind();
		if (ask != null) {
			participants.forEach((participant) -> this.steps.add(Step.asked(participant, false, true, now)));
			append(ask, now, this.status, null, null, participants);
		}
		moveTo(DsrStatus.IN_PROGRESS, now, null);
		if (completesBySteps() && participants.isEmpty()) {
			completeIfDone(now);
		}
	}

	/** What asks the participants, or null when the owner of the data completes it. */
	private LogEntry.Kind askKind() {
		return switch (this.type) {
			case DELETION, ACCOUNT_CLOSURE -> LogEntry.Kind.DELETION_REQUESTED;
			case ACCESS -> LogEntry.Kind.EXPORT_REQUESTED;
			case CONSENT_WITHDRAWAL -> LogEntry.Kind.WITHDRAWAL_REQUESTED;
			case RECTIFICATION -> null;
		};
	}

	/** Whether the request completes by itself when its participants have reported. */
	private boolean completesBySteps() {
		return this.type.erases() || this.type == DsrType.CONSENT_WITHDRAWAL;
	}

	/**
	 * Counts a wrong code; the last allowed one rejects the request.
	 * @param now now
	 * @return the attempts left
	 */
	public int wrongCode(Instant now) {
		requireStatus(DsrStatus.SUBMITTED, "Identity is not awaiting verification");
		int left = Math.max(0, this.verification.attemptsLeft() - 1);
		this.verification = new Verification(this.verification.method(),
				(left > 0) ? this.verification.codeHash() : null, this.verification.codeExpiresAt(), left,
				this.verification.codesSent(), this.verification.sentTo());
		this.changed = true;
		if (left == 0) {
			reject("identity could not be verified: too many wrong codes", now);
		}
		return left;
	}

	/**
	 * Refuses the request.
	 * @param reason why, for the requester
	 * @param now now
	 */
	public void reject(String reason, Instant now) {
		requireStatus(DsrStatus.SUBMITTED, "Only a request not yet verified can be rejected");
		close(DsrStatus.REJECTED, reason, now);
	}

	/**
	 * Ends a request that was never verified in time.
	 * @param now now
	 * @return whether it expired now
	 */
	public boolean expireIfDue(Instant now) {
		if (this.status != DsrStatus.SUBMITTED || this.expiresAt == null || this.expiresAt.isAfter(now)) {
			return false;
		}
		close(DsrStatus.EXPIRED, "identity was not verified in time", now);
		return true;
	}

	/**
	 * Applies a participant's report; completes the request when every required step is
	 * finished. Redeliveries and reports older than what is held change nothing.
	 * @param report the report
	 * @param now now
	 * @return whether anything changed
	 */
	public boolean report(StepReport report, Instant now) {
		if (askKind() == null) {
			throw ApiProblem.unprocessable("no-steps",
					"Request " + this.id + " is a " + this.type + " request: it has no participant steps");
		}
		Optional<Step> existing = step(report.participant());
		Step before = existing.orElseGet(() -> Step.asked(report.participant(), report.partner(),
				// A partner the gateway announces must be heard; a service not
				// configured as a participant is shown but not waited for.
				report.partner(), now));
		Step after = before.after(report, now);
		if (existing.isPresent() && after.equals(before)) {
			return false;
		}
		this.changed = true;
		if (existing.isPresent()) {
			this.steps.set(this.steps.indexOf(before), after);
		}
		else {
			this.steps.add(after);
		}
		if (this.status == DsrStatus.IN_PROGRESS && completesBySteps()) {
			completeIfDone(now);
		}
		return true;
	}

	/**
	 * Asks one participant again, without a second deletion: the same request, published
	 * to that participant only.
	 * @param participant the participant
	 * @param now now
	 */
	public void reask(String participant, Instant now) {
		requireStatus(DsrStatus.IN_PROGRESS, "Only a request in progress can ask a participant again");
		Step step = step(participant).orElseThrow(() -> ApiProblem.notFound("unknown-step",
				"Request " + this.id + " has no step of participant " + participant));
		this.steps.set(this.steps.indexOf(step), step.reasked(now));
		append(askKind(), now, this.status, null, "asked again", List.of(participant));
	}

	/**
	 * Extends the deadline, with a recorded reason.
	 * @param workingDays by how many working days
	 * @param reason why
	 * @param by who
	 * @param calendar the calendar
	 * @param now now
	 */
	public void extend(int workingDays, String reason, String by, WorkingDayCalendar calendar, Instant now) {
		if (!this.status.open() || this.dueDate == null) {
			throw ApiProblem.conflict("not-extendable",
					"Only an open, verified request has a deadline to extend; request " + this.id + " is "
							+ this.status);
		}
		String previous = this.dueDate;
		Deadline deadline = calendar.addWorkingDays(LocalDate.parse(previous), workingDays);
		this.dueDate = deadline.dueDate().toString();
		this.dueDateProvisional |= deadline.provisional();
		this.extensions.add(new Extension(now, by, reason, workingDays, previous, this.dueDate));
		append(LogEntry.Kind.STATUS, now, this.status, this.status,
				"deadline extended by " + workingDays + " working days to " + this.dueDate + ": " + reason, List.of());
	}

	/**
	 * Recomputes a provisional deadline with a calendar that may know more years now.
	 * @param calendar the calendar
	 * @param workingDays the legal period
	 * @param now now
	 * @return whether the deadline changed or became final
	 */
	public boolean recomputeDeadline(WorkingDayCalendar calendar, int workingDays, Instant now) {
		if (!this.dueDateProvisional || !this.status.open() || this.verifiedAt == null) {
			return false;
		}
		int total = workingDays + this.extensions.stream().mapToInt(Extension::workingDays).sum();
		Deadline deadline = calendar.addWorkingDays(LocalDate.ofInstant(this.verifiedAt, ZONE), total);
		if (deadline.provisional() && deadline.dueDate().toString().equals(this.dueDate)) {
			return false;
		}
		this.dueDate = deadline.dueDate().toString();
		this.dueDateProvisional = deadline.provisional();
		append(LogEntry.Kind.STATUS, now, this.status, this.status,
				"deadline recomputed with the holiday schedule: " + this.dueDate, List.of());
		return true;
	}

	/**
	 * Whether every participant of an access request has answered, so the export can be
	 * put together.
	 * @return true when the export is ready to be assembled
	 */
	public boolean exportReady() {
		return this.type == DsrType.ACCESS && this.status == DsrStatus.IN_PROGRESS
				&& this.steps.stream().filter(Step::required).allMatch((step) -> step.status().finished());
	}

	/**
	 * Completes an access request once its export is stored.
	 * @param now now
	 */
	public void exported(Instant now) {
		if (!exportReady()) {
			throw ApiProblem.conflict("export-not-ready", "Request " + this.id + " is not waiting for its export");
		}
		close(DsrStatus.COMPLETED, "export ready for download", now);
	}

	/**
	 * Completes a request whose work is done outside the participants' steps (a
	 * rectification), as an operator or the owning system reports.
	 * @param partially whether some of it could not be done
	 * @param note what was done, and for a partial completion what was not and why
	 * @param now now
	 */
	public void complete(boolean partially, String note, Instant now) {
		requireStatus(DsrStatus.IN_PROGRESS, "Only a request in progress can be completed");
		if (askKind() != null) {
			throw ApiProblem.conflict("completed-by-participants",
					"A " + this.type + " request completes when its participants have reported");
		}
		close(partially ? DsrStatus.PARTIALLY_COMPLETED : DsrStatus.COMPLETED, note, now);
	}

	private void completeIfDone(Instant now) {
		boolean done = this.steps.stream().filter(Step::required).allMatch((step) -> step.status().finished());
		if (!done) {
			return;
		}
		List<RetainedItem> kept = retained();
		if (kept.isEmpty()) {
			close(DsrStatus.COMPLETED, "every participant erased the data or held none", now);
		}
		else {
			close(DsrStatus.PARTIALLY_COMPLETED,
					kept.stream()
						.map((item) -> item.participant() + " keeps " + item.category() + ": " + item.reason()
								+ ((item.retainUntil() != null) ? " (until " + item.retainUntil() + ")" : ""))
						.collect(Collectors.joining("; ")),
					now);
		}
	}

	private void close(DsrStatus end, String reason, Instant now) {
		this.outcome = reason;
		this.closedAt = now;
		this.openKey = null;
		moveTo(end, now, reason);
	}

	private void moveTo(DsrStatus next, Instant now, String reason) {
		DsrStatus previous = this.status;
		this.status = next;
		append(LogEntry.Kind.STATUS, now, next, previous, reason, List.of());
	}

	private void append(LogEntry.Kind kind, Instant at, DsrStatus status, DsrStatus previous, String reason,
			List<String> participants) {
		this.log.add(new LogEntry(this.log.size() + 1, kind, UUID.randomUUID().toString(), at, status, previous, reason,
				participants));
		this.published = false;
		this.changed = true;
	}

	private void requireStatus(DsrStatus expected, String message) {
		if (this.status != expected) {
			throw ApiProblem.conflict("wrong-status", message + "; request " + this.id + " is " + this.status);
		}
	}

	private Optional<Step> step(String participant) {
		return this.steps.stream().filter((step) -> step.participant().equals(participant)).findFirst();
	}

	/**
	 * Everything kept by the participants, each item explained.
	 * @return the retained items
	 */
	public List<RetainedItem> retained() {
		return this.steps.stream().flatMap((step) -> step.retained().stream()).toList();
	}

	/**
	 * The log entries not yet published.
	 * @return the entries after the published ones, in order
	 */
	public List<LogEntry> unpublished() {
		return this.log.stream().filter((entry) -> entry.seq() > this.publishedSeq).toList();
	}

	public String id() {
		return this.id;
	}

	public Long version() {
		return this.version;
	}

	public String userId() {
		return this.userId;
	}

	public DsrType type() {
		return this.type;
	}

	public DsrChannel channel() {
		return this.channel;
	}

	public DeletionGround ground() {
		return this.ground;
	}

	public String details() {
		return this.details;
	}

	public List<String> scopes() {
		return List.copyOf(this.scopes);
	}

	public DsrStatus status() {
		return this.status;
	}

	public Instant submittedAt() {
		return this.submittedAt;
	}

	public Instant expiresAt() {
		return this.expiresAt;
	}

	public String sourceEventId() {
		return this.sourceEventId;
	}

	public Verification verification() {
		return this.verification;
	}

	public Instant verifiedAt() {
		return this.verifiedAt;
	}

	public LocalDate dueDate() {
		return (this.dueDate != null) ? LocalDate.parse(this.dueDate) : null;
	}

	public boolean dueDateProvisional() {
		return this.dueDateProvisional;
	}

	public List<Extension> extensions() {
		return List.copyOf(this.extensions);
	}

	public List<Step> steps() {
		return List.copyOf(this.steps);
	}

	public String outcome() {
		return this.outcome;
	}

	public Instant closedAt() {
		return this.closedAt;
	}

	public List<LogEntry> log() {
		return List.copyOf(this.log);
	}

	/**
	 * Whether this instance was changed since it was read, so it must be saved.
	 * @return true after a change
	 */
	public boolean changed() {
		return this.changed;
	}

	public long lastSeq() {
		return this.log.size();
	}

}
