package com.onemusic.privacy.dsr;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.dsr.calendar.CalendarHolder;
import com.onemusic.privacy.dsr.request.DsrRequest;
import com.onemusic.privacy.dsr.verification.SessionAssertions;
import com.onemusic.privacy.events.DeletionRequested;
import com.onemusic.privacy.events.DsrStatus;
import com.onemusic.privacy.events.DsrStatusChanged;
import com.onemusic.privacy.events.ErasureStepReported;
import com.onemusic.privacy.events.ErasureStepStatus;
import com.onemusic.privacy.events.ParticipantKind;
import com.onemusic.privacy.events.RetainedItem;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.platform.PrivacyService;
import com.onemusic.privacy.testsupport.ServiceChecks;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;
import com.onemusic.privacy.testsupport.TopicProbe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A deletion from submission to proof of completion, over the real broker, MongoDB wire
 * server and registry, with the participants simulated on the topics: identity verified
 * by one-time code, the deadline fixed, DeletionRequested published, reports arriving
 * twice, out of order and late, a silent partner asked again, and the request completed;
 * an account closure verified by session assertion that completes partially.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + DsrServiceApplication.NAME)
@Import(DsrTestConfiguration.class)
class DeletionRequestTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Autowired
	private WebTestClient web;

	@Autowired
	private CapturingCodeSender codes;

	@Autowired
	private SessionAssertions assertions;

	@Autowired
	private CalendarHolder calendar;

	@BeforeAll
	static void trustEvents() {
		PrivacyService.trustEventsPackage();
	}

	@Test
	void aDeletionRunsFromSubmissionToCompletionWithEveryStepAccountedFor() {
		String user = "u-" + UUID.randomUUID();
		Map<?, ?> submitted = submit(deletion(user), HttpStatus.CREATED);
		String id = (String) submitted.get("id");
		assertThat(submitted.get("status")).isEqualTo("SUBMITTED");
		assertThat(((Map<?, ?>) submitted.get("verification")).get("sentTo")).isEqualTo("138****5678");
		assertThat(submitted.toString()).doesNotContain("13812345678");
		// A second submission of the same user and type answers the open request.
		assertThat(submit(deletion(user), HttpStatus.OK).get("id")).isEqualTo(id);

		String code = this.codes.codeOf(id);
		String wrong = code.equals("000000") ? "111111" : "000000";
		verify(id, wrong).expectStatus()
			.isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectBody()
			.jsonPath("$.attemptsLeft")
			.isEqualTo(4);
		Map<?, ?> verified = verify(id, code).expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		LocalDate due = this.calendar.get().addWorkingDays(LocalDate.now(DsrRequest.ZONE), 15).dueDate();
		assertThat(verified.get("status")).isEqualTo("IN_PROGRESS");
		assertThat(verified.get("dueDate")).isEqualTo(due.toString());
		assertThat(verified.get("workingDaysLeft")).isEqualTo(15);
		assertThat((List<?>) verified.get("steps")).hasSize(3);

		DeletionRequested asked = (DeletionRequested) TopicProbe
			.read(Topics.DELETION_REQUESTED.name(), (record) -> user.equals(record.key()), 1, WAIT)
			.get(0)
			.value();
		assertThat(asked.getRequestId()).isEqualTo(id);
		assertThat(asked.getDueDate()).isEqualTo(due);
		assertThat(asked.getRequiredParticipants()).containsExactly("anonymizer-service", "consent-service",
				"sharing-gateway");
		assertThat(asked.getOnlyParticipants()).isEmpty();

		Instant t = Instant.now();
		ErasureStepReported consentDone = report(user, id, "consent-service", ErasureStepStatus.DONE, t);
		publish(consentDone);
		publish(consentDone);
		// The anonymizer's DONE overtakes its PENDING.
		publish(report(user, id, "anonymizer-service", ErasureStepStatus.DONE, t.plusSeconds(2)));
		publish(report(user, id, "anonymizer-service", ErasureStepStatus.PENDING, t.plusSeconds(1)));
		// The gateway announces a partner, then reports its own step.
		publish(partner(report(user, id, "partner:logistics-1", ErasureStepStatus.PENDING, t)));
		publish(report(user, id, "sharing-gateway", ErasureStepStatus.DONE, t.plusSeconds(1)));

		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(step(get(id), "anonymizer-service").get("status")).isEqualTo("DONE"));
		Map<?, ?> waiting = get(id);
		assertThat(waiting.get("status")).as("the partner has not confirmed").isEqualTo("IN_PROGRESS");
		assertThat(step(waiting, "consent-service").get("status")).isEqualTo("DONE");
		assertThat(step(waiting, "partner:logistics-1").get("status")).isEqualTo("PENDING");
		assertThat(step(waiting, "partner:logistics-1").get("partner")).isEqualTo(true);

		// The partner is asked again: the same request, to that participant only.
		this.web.post()
			.uri("/requests/{id}/steps/{participant}/reminder", id, "partner:logistics-1")
			.exchange()
			.expectStatus()
			.isAccepted();
		List<ConsumerRecord<String, Object>> requests = TopicProbe.read(Topics.DELETION_REQUESTED.name(),
				(record) -> user.equals(record.key()), 2, WAIT);
		assertThat(requests).hasSize(2);
		DeletionRequested again = (DeletionRequested) requests.get(1).value();
		assertThat(again.getRequestId()).isEqualTo(id);
		assertThat(again.getOnlyParticipants()).containsExactly("partner:logistics-1");
		assertThat(again.getEventId()).isNotEqualTo(asked.getEventId());

		publish(partner(report(user, id, "partner:logistics-1", ErasureStepStatus.DONE, t.plusSeconds(5))));
		await().atMost(WAIT).untilAsserted(() -> assertThat(get(id).get("status")).isEqualTo("COMPLETED"));

		List<DsrStatus> statuses = TopicProbe
			.read(Topics.DSR_STATUS.name(), (record) -> id.equals(((DsrStatusChanged) record.value()).getRequestId()),
					4, WAIT)
			.stream()
			.map((record) -> ((DsrStatusChanged) record.value()).getStatus())
			.toList();
		assertThat(statuses).containsExactly(DsrStatus.SUBMITTED, DsrStatus.IDENTITY_VERIFIED, DsrStatus.IN_PROGRESS,
				DsrStatus.COMPLETED);
	}

	@Test
	void anAccountClosureVerifiedInASessionCompletesPartiallyWhenAParticipantMustKeepData() {
		String user = "u-" + UUID.randomUUID();
		Map<String, Object> body = new HashMap<>();
		body.put("userId", user);
		body.put("type", "ACCOUNT_CLOSURE");
		body.put("channel", "APP");
		body.put("identityAssertion", this.assertions.issue(user, Instant.now(), Duration.ofMinutes(5)));
		Map<?, ?> submitted = submit(body, HttpStatus.CREATED);
		String id = (String) submitted.get("id");
		assertThat(submitted.get("status")).as("verified by the session").isEqualTo("IN_PROGRESS");
		assertThat(submitted.get("ground")).isEqualTo("ACCOUNT_CLOSURE");

		Instant t = Instant.now();
		publish(ErasureStepReported
			.newBuilder(report(user, id, "consent-service", ErasureStepStatus.PARTIALLY_RETAINED, t))
			.setRetained(List.of(RetainedItem.newBuilder()
				.setCategory("consent ledger")
				.setReason("proof of consent required by law")
				.setRetainUntil(LocalDate.of(2029, 12, 31))
				.build()))
			.build());
		publish(report(user, id, "anonymizer-service", ErasureStepStatus.DONE, t));
		publish(report(user, id, "sharing-gateway", ErasureStepStatus.NOTHING_HELD, t));
		await().atMost(WAIT).untilAsserted(() -> assertThat(get(id).get("status")).isEqualTo("PARTIALLY_COMPLETED"));
		Map<?, ?> done = get(id);
		assertThat((String) done.get("outcome")).contains("consent-service keeps consent ledger")
			.contains("until 2029-12-31");
		assertThat((List<?>) done.get("retained")).hasSize(1);
	}

	@Test
	void anAssertionForAnotherUserOrBadlySignedIsRefusedAndNothingIsWritten() {
		String user = "u-" + UUID.randomUUID();
		Map<String, Object> body = new HashMap<>();
		body.put("userId", user);
		body.put("type", "ACCOUNT_CLOSURE");
		body.put("channel", "APP");
		body.put("identityAssertion", this.assertions.issue("someone-else", Instant.now(), Duration.ofMinutes(5)));
		problem(body, HttpStatus.UNPROCESSABLE_CONTENT, "invalid-identity-assertion");
		String token = this.assertions.issue(user, Instant.now(), Duration.ofMinutes(5));
		body.put("identityAssertion", token.substring(0, token.length() - 4) + "AAAA");
		problem(body, HttpStatus.UNPROCESSABLE_CONTENT, "invalid-identity-assertion");
		this.web.get()
			.uri("/requests?userId={user}", user)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items.length()")
			.isEqualTo(0);
	}

	@Test
	void badInputIsRefusedWithTheReason() {
		String user = "u-" + UUID.randomUUID();
		Map<String, Object> noGround = deletion(user);
		noGround.remove("ground");
		problem(noGround, HttpStatus.BAD_REQUEST, "ground-required");
		Map<String, Object> noContact = deletion(user);
		noContact.remove("contact");
		problem(noContact, HttpStatus.BAD_REQUEST, "verification-required");
		Map<String, Object> badPhone = deletion(user);
		badPhone.put("contact", Map.of("kind", "SMS", "address", "12345"));
		problem(badPhone, HttpStatus.BAD_REQUEST, "verification-required");
		Map<String, Object> unknownType = deletion(user);
		unknownType.put("type", "FORGET_ME");
		problem(unknownType, HttpStatus.BAD_REQUEST, "unreadable-request");
		Map<String, Object> unknownField = deletion(user);
		unknownField.put("priority", "high");
		problem(unknownField, HttpStatus.BAD_REQUEST, "unreadable-request");
		this.web.get().uri("/requests/dsr-unknown").exchange().expectStatus().isNotFound();
		this.web.get().uri("/requests?limit=0").exchange().expectStatus().isBadRequest();
		this.web.get()
			.uri("/requests?userId={user}", user)
			.exchange()
			.expectBody()
			.jsonPath("$.items.length()")
			.isEqualTo(0);
	}

	@Test
	void personalDataInFreeTextIsMaskedInEveryAnswer() {
		String user = "u-" + UUID.randomUUID();
		Map<String, Object> body = new HashMap<>();
		body.put("userId", user);
		body.put("type", "RECTIFICATION");
		body.put("channel", "CUSTOMER_SERVICE");
		body.put("details", "手机号改为13987654321，身份证11010519491231002X");
		body.put("contact", Map.of("kind", "EMAIL", "address", "zhang.san@example.com"));
		Map<?, ?> submitted = submit(body, HttpStatus.CREATED);
		assertThat(submitted.get("details")).isEqualTo("手机号改为139****4321，身份证110105***********X");
		assertThat(((Map<?, ?>) submitted.get("verification")).get("sentTo")).isEqualTo("z***@example.com");
		assertThat(get((String) submitted.get("id")).toString()).doesNotContain("13987654321")
			.doesNotContain("11010519491231002X")
			.doesNotContain("zhang.san@");
	}

	@Test
	void tooManyWrongCodesRejectTheRequest() {
		String user = "u-" + UUID.randomUUID();
		String id = (String) submit(deletion(user), HttpStatus.CREATED).get("id");
		String wrong = this.codes.codeOf(id).equals("000000") ? "111111" : "000000";
		for (int i = 4; i >= 1; i--) {
			verify(id, wrong).expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
		}
		verify(id, wrong).expectStatus()
			.isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectBody()
			.jsonPath("$.attemptsLeft")
			.isEqualTo(0);
		assertThat(get(id).get("status")).isEqualTo("REJECTED");
		// The right code is of no use now.
		verify(id, this.codes.codeOf(id)).expectStatus().isEqualTo(HttpStatus.CONFLICT);
		// A new request of the same type can be made.
		assertThat(submit(deletion(user), HttpStatus.CREATED).get("id")).isNotEqualTo(id);
	}

	@Test
	void anExtensionNeedsAReasonAndMovesTheDeadline() {
		String user = "u-" + UUID.randomUUID();
		String id = (String) submit(deletion(user), HttpStatus.CREATED).get("id");
		verify(id, this.codes.codeOf(id)).expectStatus().isOk();
		String due = (String) get(id).get("dueDate");
		this.web.post()
			.uri("/requests/{id}/extension", id)
			.bodyValue(Map.of("workingDays", 5, "reason", " ", "operator", "ops-1"))
			.exchange()
			.expectStatus()
			.isBadRequest();
		this.web.post()
			.uri("/requests/{id}/extension", id)
			.bodyValue(Map.of("workingDays", 5, "reason", "partner in another jurisdiction needs more time", "operator",
					"ops-1"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.dueDate")
			.isEqualTo(this.calendar.get().addWorkingDays(LocalDate.parse(due), 5).dueDate().toString())
			.jsonPath("$.extensions[0].reason")
			.isEqualTo("partner in another jurisdiction needs more time")
			.jsonPath("$.extensions[0].previousDueDate")
			.isEqualTo(due);
	}

	private Map<String, Object> deletion(String user) {
		Map<String, Object> body = new HashMap<>();
		body.put("userId", user);
		body.put("type", "DELETION");
		body.put("channel", "APP");
		body.put("ground", "BREACH_OF_AGREEMENT");
		body.put("contact", Map.of("kind", "SMS", "address", "13812345678"));
		return body;
	}

	private Map<?, ?> submit(Map<String, Object> body, HttpStatus status) {
		return this.web.post()
			.uri("/requests")
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

	private void problem(Map<String, Object> body, HttpStatus status, String type) {
		ServiceChecks.assertProblem(this.web.post().uri("/requests").bodyValue(body).exchange(), status, type);
	}

	private WebTestClient.ResponseSpec verify(String id, String code) {
		return this.web.post().uri("/requests/{id}/verification", id).bodyValue(Map.of("code", code)).exchange();
	}

	private Map<?, ?> get(String id) {
		return this.web.get()
			.uri("/requests/{id}", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

	private static Map<?, ?> step(Map<?, ?> request, String participant) {
		return ((List<?>) request.get("steps")).stream()
			.map((step) -> (Map<?, ?>) step)
			.filter((step) -> participant.equals(step.get("participant")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no step of " + participant + " in " + request));
	}

	private static ErasureStepReported report(String user, String requestId, String participant,
			ErasureStepStatus status, Instant at) {
		return ErasureStepReported.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(at)
			.setUserId(user)
			.setRequestId(requestId)
			.setParticipant(participant)
			.setParticipantKind(ParticipantKind.SERVICE)
			.setStatus(status)
			.build();
	}

	private static ErasureStepReported partner(ErasureStepReported report) {
		return ErasureStepReported.newBuilder(report).setParticipantKind(ParticipantKind.PARTNER).build();
	}

	private static void publish(ErasureStepReported report) {
		TopicProbe.publish(Topics.ERASURE_PROGRESS.name(), report.getUserId(), report);
	}

}
