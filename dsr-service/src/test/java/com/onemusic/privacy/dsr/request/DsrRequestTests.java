package com.onemusic.privacy.dsr.request;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.onemusic.privacy.dsr.calendar.ScheduleFiles;
import com.onemusic.privacy.dsr.calendar.WorkingDayCalendar;
import com.onemusic.privacy.platform.web.ApiProblem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The life-cycle rules of a request, without a database.
 */
class DsrRequestTests {

	private static final List<String> PARTICIPANTS = List.of("anonymizer-service", "consent-service");

	private static final WorkingDayCalendar CALENDAR = ScheduleFiles.load(null);

	/** 2026-02-10 09:00 in Beijing. */
	private static final Instant VERIFIED = Instant.parse("2026-02-10T01:00:00Z");

	@Test
	void verificationFixesTheDeadlineInBeijingTimeAndAsksEveryParticipant() {
		// 2026-02-09 23:30 UTC is already the 10th in Beijing.
		DsrRequest request = deletion();
		request.verified(Verification.Method.ONE_TIME_CODE, Instant.parse("2026-02-09T23:30:00Z"), CALENDAR, 15,
				PARTICIPANTS);
		assertThat(request.dueDate()).isEqualTo(LocalDate.of(2026, 3, 9));
		assertThat(request.status()).isEqualTo(DsrStatus.IN_PROGRESS);
		assertThat(request.steps()).extracting(Step::participant).containsExactlyElementsOf(PARTICIPANTS);
		assertThat(request.steps()).allMatch((step) -> step.status() == StepStatus.ASKED && step.required());
		assertThat(request.log()).extracting(LogEntry::kind)
			.containsExactly(LogEntry.Kind.STATUS, LogEntry.Kind.STATUS, LogEntry.Kind.DELETION_REQUESTED,
					LogEntry.Kind.STATUS);
		assertThat(request.log()).extracting(LogEntry::status)
			.containsExactly(DsrStatus.SUBMITTED, DsrStatus.IDENTITY_VERIFIED, DsrStatus.IDENTITY_VERIFIED,
					DsrStatus.IN_PROGRESS);
		assertThat(request.log()).extracting(LogEntry::eventId).doesNotHaveDuplicates();
	}

	@Test
	void aRequestIsVerifiedOnlyOnce() {
		DsrRequest request = verifiedDeletion();
		assertThatExceptionOfType(ApiProblem.class)
			.isThrownBy(() -> request.verified(Verification.Method.ONE_TIME_CODE, VERIFIED, CALENDAR, 15, PARTICIPANTS))
			.withMessageContaining("IN_PROGRESS");
	}

	@Test
	void aFinishedStepIsNotUndoneByAnOlderOrUnfinishedReport() {
		DsrRequest request = verifiedDeletion();
		Instant t = VERIFIED.plusSeconds(60);
		assertThat(request.report(report("anonymizer-service", StepStatus.DONE, t), t)).isTrue();
		assertThat(request.report(report("anonymizer-service", StepStatus.PENDING, t.minusSeconds(5)), t)).isTrue();
		assertThat(request.report(report("anonymizer-service", StepStatus.FAILED, t.plusSeconds(5)), t)).isTrue();
		assertThat(step(request, "anonymizer-service").status()).isEqualTo(StepStatus.DONE);
		assertThat(request.status()).isEqualTo(DsrStatus.IN_PROGRESS);
	}

	@Test
	void aRedeliveredReportChangesNothing() {
		DsrRequest request = verifiedDeletion();
		StepReport pending = report("consent-service", StepStatus.PENDING, VERIFIED);
		assertThat(request.report(pending, VERIFIED)).isTrue();
		assertThat(request.report(pending, VERIFIED.plusSeconds(1))).isFalse();
	}

	@Test
	void aFailedStepCanBeAskedAgainAndThenFinish() {
		DsrRequest request = verifiedDeletion();
		request.report(report("consent-service", StepStatus.FAILED, VERIFIED), VERIFIED);
		request.reask("consent-service", VERIFIED.plusSeconds(60));
		assertThat(step(request, "consent-service").status()).isEqualTo(StepStatus.ASKED);
		assertThat(request.log().get(request.log().size() - 1).participants()).containsExactly("consent-service");
		request.report(report("consent-service", StepStatus.DONE, VERIFIED.plusSeconds(90)), VERIFIED);
		request.report(report("anonymizer-service", StepStatus.NOTHING_HELD, VERIFIED.plusSeconds(90)), VERIFIED);
		assertThat(request.status()).isEqualTo(DsrStatus.COMPLETED);
		assertThatExceptionOfType(ApiProblem.class)
			.isThrownBy(() -> request.reask("consent-service", VERIFIED.plusSeconds(100)));
	}

	@Test
	void aPartnerAnnouncedByTheGatewayIsWaitedForAServiceNotConfiguredIsNot() {
		DsrRequest request = verifiedDeletion();
		request.report(partnerReport("partner:ads-1", StepStatus.PENDING), VERIFIED);
		request.report(report("billing-service", StepStatus.PENDING, VERIFIED), VERIFIED);
		request.report(report("consent-service", StepStatus.DONE, VERIFIED), VERIFIED);
		request.report(report("anonymizer-service", StepStatus.DONE, VERIFIED), VERIFIED);
		assertThat(request.status()).as("the partner has not finished").isEqualTo(DsrStatus.IN_PROGRESS);
		request.report(partnerReport("partner:ads-1", StepStatus.REFUSED), VERIFIED);
		assertThat(request.status()).as("billing-service is shown, not waited for")
			.isEqualTo(DsrStatus.PARTIALLY_COMPLETED);
		assertThat(request.retained()).singleElement()
			.satisfies((item) -> assertThat(item.participant()).isEqualTo("partner:ads-1"));
		assertThat(request.outcome()).contains("partner:ads-1 keeps");
	}

	/**
	 * A partner's follow-up (data shared while the request was handled) is a participant
	 * of its own: its failure shows beside the partner's confirmation; announced after
	 * completion, it is recorded and the request stays completed.
	 */
	@Test
	void aPartnersFollowUpIsAStepOfItsOwn() {
		DsrRequest request = verifiedDeletion();
		request.report(partnerReport("partner:ads-1", StepStatus.PENDING), VERIFIED);
		request.report(partnerReport("partner:ads-1:msg_1", StepStatus.PENDING), VERIFIED);
		request.report(report("consent-service", StepStatus.DONE, VERIFIED), VERIFIED);
		request.report(report("anonymizer-service", StepStatus.DONE, VERIFIED), VERIFIED);
		request.report(report("sharing-gateway", StepStatus.DONE, VERIFIED), VERIFIED);
		request.report(partnerReport("partner:ads-1", StepStatus.DONE), VERIFIED);
		assertThat(request.status()).as("the follow-up is waited for").isEqualTo(DsrStatus.IN_PROGRESS);
		request.report(partnerReport("partner:ads-1:msg_1", StepStatus.FAILED), VERIFIED.plusSeconds(5));
		assertThat(step(request, "partner:ads-1").status()).isEqualTo(StepStatus.DONE);
		assertThat(step(request, "partner:ads-1:msg_1").status()).isEqualTo(StepStatus.FAILED);
		request.report(partnerReport("partner:ads-1:msg_1", StepStatus.DONE), VERIFIED.plusSeconds(10));
		assertThat(request.status()).isEqualTo(DsrStatus.COMPLETED);

		request.report(partnerReport("partner:ads-1:msg_2", StepStatus.PENDING), VERIFIED.plusSeconds(20));
		assertThat(step(request, "partner:ads-1:msg_2").status()).isEqualTo(StepStatus.PENDING);
		assertThat(request.status()).isEqualTo(DsrStatus.COMPLETED);
	}

	@Test
	void unverifiedRequestsExpireAndVerifiedOnesDoNot() {
		DsrRequest request = deletion();
		assertThat(request.expireIfDue(VERIFIED.plus(Duration.ofHours(71)))).isFalse();
		assertThat(request.expireIfDue(VERIFIED.plus(Duration.ofHours(72)))).isTrue();
		assertThat(request.status()).isEqualTo(DsrStatus.EXPIRED);
		DsrRequest verified = verifiedDeletion();
		assertThat(verified.expireIfDue(VERIFIED.plus(Duration.ofDays(30)))).isFalse();
	}

	@Test
	void aProvisionalDeadlineBecomesFinalWhenTheYearIsLoaded(@TempDir Path directory) throws Exception {
		DsrRequest request = deletion();
		// Verified on 2026-12-21: the 2027 schedule is not known yet.
		request.verified(Verification.Method.ONE_TIME_CODE, Instant.parse("2026-12-21T02:00:00Z"), CALENDAR, 15,
				PARTICIPANTS);
		request.extend(2, "more time", "ops-1", CALENDAR, Instant.parse("2026-12-22T02:00:00Z"));
		assertThat(request.dueDateProvisional()).isTrue();
		assertThat(request.dueDate()).isEqualTo(LocalDate.of(2027, 1, 13));
		assertThat(request.recomputeDeadline(CALENDAR, 15, Instant.now())).as("nothing new known").isFalse();
		Files.writeString(directory.resolve("2027.yml"),
				"year: 2027\nholidays:\n  - { name: 元旦, from: \"2027-01-01\", to: \"2027-01-01\" }\n");
		WorkingDayCalendar with2027 = ScheduleFiles.load(directory);
		assertThat(request.recomputeDeadline(with2027, 15, Instant.now())).isTrue();
		assertThat(request.dueDateProvisional()).isFalse();
		// 17 working days from 2026-12-21 with 1 January off.
		assertThat(request.dueDate()).isEqualTo(LocalDate.of(2027, 1, 14));
		assertThat(request.log().get(request.log().size() - 1).reason()).contains("recomputed");
	}

	@Test
	void workOutsideTheStepsIsCompletedWithANote() {
		DsrRequest request = DsrRequest.submit("dsr-" + UUID.randomUUID(), "u-1", DsrType.RECTIFICATION, DsrChannel.WEB,
				null, "my birthday is wrong", List.of(), null, VERIFIED, Duration.ofHours(72));
		request.verified(Verification.Method.SESSION_ASSERTION, VERIFIED, CALENDAR, 15, List.of());
		assertThat(request.steps()).isEmpty();
		request.complete(false, "birthday corrected in the account system", VERIFIED.plusSeconds(3600));
		assertThat(request.status()).isEqualTo(DsrStatus.COMPLETED);
		DsrRequest deletion = verifiedDeletion();
		assertThatExceptionOfType(ApiProblem.class).isThrownBy(() -> deletion.complete(false, "done", VERIFIED))
			.withMessageContaining("participants");
	}

	@Test
	void aConsentWithdrawalAsksConsentServiceAndCompletesWhenItReports() {
		DsrRequest request = DsrRequest.submit("dsr-" + UUID.randomUUID(), "u-1", DsrType.CONSENT_WITHDRAWAL,
				DsrChannel.CUSTOMER_SERVICE, null, null, List.of("purpose.marketing-push"), null, VERIFIED,
				Duration.ofHours(72));
		request.verified(Verification.Method.ONE_TIME_CODE, VERIFIED, CALENDAR, 15, List.of("consent-service"));
		assertThat(request.log()).extracting(LogEntry::kind).contains(LogEntry.Kind.WITHDRAWAL_REQUESTED);
		assertThatExceptionOfType(ApiProblem.class).isThrownBy(() -> request.complete(false, "done", VERIFIED));
		request.report(report("consent-service", StepStatus.DONE, VERIFIED.plusSeconds(5)), VERIFIED);
		assertThat(request.status()).isEqualTo(DsrStatus.COMPLETED);
	}

	private static DsrRequest deletion() {
		return DsrRequest.submit("dsr-" + UUID.randomUUID(), "u-1", DsrType.DELETION, DsrChannel.APP,
				DeletionGround.UNLAWFUL_PROCESSING, null, List.of(), null, VERIFIED, Duration.ofHours(72));
	}

	private static DsrRequest verifiedDeletion() {
		DsrRequest request = deletion();
		request.verified(Verification.Method.ONE_TIME_CODE, VERIFIED, CALENDAR, 15, PARTICIPANTS);
		return request;
	}

	private static Step step(DsrRequest request, String participant) {
		return request.steps().stream().filter((step) -> step.participant().equals(participant)).findFirst().get();
	}

	private static StepReport report(String participant, StepStatus status, Instant at) {
		return new StepReport(UUID.randomUUID().toString(), at, "dsr-1", participant, false, status, null, Map.of(),
				null, List.of());
	}

	private static StepReport partnerReport(String participant, StepStatus status) {
		return new StepReport(UUID.randomUUID().toString(), VERIFIED, "dsr-1", participant, true, status,
				"retention required by our own regulator", Map.of(), null, List.of());
	}

}
