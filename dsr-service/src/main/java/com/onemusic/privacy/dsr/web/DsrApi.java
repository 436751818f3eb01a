package com.onemusic.privacy.dsr.web;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.onemusic.privacy.dsr.request.DeletionGround;
import com.onemusic.privacy.dsr.request.DsrChannel;
import com.onemusic.privacy.dsr.request.DsrRequest;
import com.onemusic.privacy.dsr.request.DsrStatus;
import com.onemusic.privacy.dsr.request.DsrType;
import com.onemusic.privacy.dsr.request.Extension;
import com.onemusic.privacy.dsr.request.LogEntry;
import com.onemusic.privacy.dsr.request.RetainedItem;
import com.onemusic.privacy.dsr.request.SlaState;
import com.onemusic.privacy.dsr.request.Step;
import com.onemusic.privacy.dsr.request.StepStatus;
import com.onemusic.privacy.dsr.request.Verification;
import com.onemusic.privacy.dsr.verification.Contact;
import com.onemusic.privacy.personal.PersonalDataDetector;

/** The bodies of the API. */
final class DsrApi {

	/** Finds the personal data in free text, to mask it in responses. */
	private static final PersonalDataDetector DETECTOR = new PersonalDataDetector();

	private DsrApi() {
	}

	/**
	 * A new request.
	 *
	 * @param userId the user
	 * @param type what is asked
	 * @param channel where it came in
	 * @param ground the ground of a deletion
	 * @param details what to rectify
	 * @param scopes the scopes of a consent withdrawal
	 * @param contact where to send the one-time code
	 * @param identityAssertion the account system's assertion of a logged-in session
	 */
	record Submit(@NotBlank @Size(max = 128) String userId, @NotNull DsrType type, @NotNull DsrChannel channel,
			DeletionGround ground, @Size(max = 2000) String details,
			@Size(max = 50) List<@NotBlank @Size(max = 100) String> scopes, @Valid ContactBody contact,
			@Size(max = 4096) String identityAssertion) {

	}

	/**
	 * Where a one-time code goes.
	 *
	 * @param kind SMS or EMAIL
	 * @param address a mainland mobile number or an email address
	 */
	record ContactBody(@NotNull Contact.Kind kind, @NotBlank @Size(max = 320) String address) {

		Contact toContact() {
			return new Contact(this.kind, this.address);
		}

	}

	/**
	 * A one-time code.
	 *
	 * @param code the digits received
	 */
	record Code(@NotBlank @Pattern(regexp = "\\d{4,10}", message = "must be the digits received") String code) {

	}

	/**
	 * A new code.
	 *
	 * @param contact where to send it
	 */
	record NewCode(@NotNull @Valid ContactBody contact) {

	}

	/**
	 * An extension of the deadline.
	 *
	 * @param workingDays by how many working days
	 * @param reason why
	 * @param operator who decides it
	 */
	record Extend(@NotNull Integer workingDays, @NotBlank @Size(max = 1000) String reason,
			@NotBlank @Size(max = 128) String operator) {

	}

	/**
	 * A completion of a request done outside the erasure steps.
	 *
	 * @param partially whether only partly
	 * @param note what was done
	 */
	record Complete(boolean partially, @NotBlank @Size(max = 2000) String note) {

	}

	/**
	 * A request as shown to operators and to the requester: contact details and personal
	 * data in the free text masked.
	 */
	record RequestView(String id, String userId, DsrType type, DsrChannel channel, DeletionGround ground,
			String details, List<String> scopes, DsrStatus status, Instant submittedAt, Instant expiresAt,
			VerificationView verification, Instant verifiedAt, LocalDate dueDate, boolean dueDateProvisional,
			Integer workingDaysLeft, SlaState sla, List<Extension> extensions, List<StepView> steps,
			List<RetainedItem> retained, String outcome, Instant closedAt, List<StatusView> history) {

		static RequestView of(DsrRequest request, SlaState sla, Integer workingDaysLeft) {
			Verification verification = request.verification();
			return new RequestView(request.id(), request.userId(), request.type(), request.channel(), request.ground(),
					DETECTOR.mask(request.details()), request.scopes(), request.status(), request.submittedAt(),
					request.expiresAt(),
					(verification != null)
							? new VerificationView(verification.method(), verification.sentTo(),
									verification.codeExpiresAt(), verification.attemptsLeft(), verification.codesSent())
							: null,
					request.verifiedAt(), request.dueDate(), request.dueDateProvisional(), workingDaysLeft, sla,
					request.extensions(), request.steps().stream().map(StepView::of).toList(), request.retained(),
					request.outcome(), request.closedAt(),
					request.log()
						.stream()
						.filter((entry) -> entry.kind() == LogEntry.Kind.STATUS)
						.map((entry) -> new StatusView(entry.at(), entry.status(), entry.previousStatus(),
								entry.reason()))
						.toList());
		}

	}

	/**
	 * How identity is being verified, without the code.
	 */
	record VerificationView(Verification.Method method, String sentTo, Instant codeExpiresAt, int attemptsLeft,
			int codesSent) {

	}

	/**
	 * One participant's step; {@code silentSince} says since when a participant that has
	 * not finished was asked without answering.
	 */
	record StepView(String participant, boolean partner, boolean required, StepStatus status, Instant askedAt,
			Instant silentSince, Instant reportedAt, Instant receivedAt, String message, Map<String, Long> counts,
			Boolean verified, List<RetainedItem> retained) {

		static StepView of(Step step) {
			Instant silentSince = (step.status() == StepStatus.ASKED) ? step.askedAt() : null;
			return new StepView(step.participant(), step.partner(), step.required(), step.status(), step.askedAt(),
					silentSince, step.reportedAt(), step.receivedAt(), step.message(), step.counts(), step.verified(),
					step.retained());
		}

	}

	/**
	 * One entry of the status history.
	 */
	record StatusView(Instant at, DsrStatus status, DsrStatus previousStatus, String reason) {

	}

	/**
	 * A page of requests.
	 *
	 * @param items the requests
	 * @param next the cursor of the next page, or null at the end
	 */
	record Page(List<RequestView> items, String next) {

	}

}
