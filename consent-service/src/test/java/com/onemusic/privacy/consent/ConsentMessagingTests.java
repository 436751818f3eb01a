package com.onemusic.privacy.consent;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.consent.ledger.ClosedAccounts;
import com.onemusic.privacy.consent.ledger.ConsentCommand;
import com.onemusic.privacy.consent.ledger.ConsentHead;
import com.onemusic.privacy.consent.ledger.ConsentHeads;
import com.onemusic.privacy.consent.ledger.ConsentLedger;
import com.onemusic.privacy.consent.ledger.ConsentProjection;
import com.onemusic.privacy.consent.ledger.ConsentRefused;
import com.onemusic.privacy.consent.ledger.ConsentRules;
import com.onemusic.privacy.consent.messaging.ConsentStates;
import com.onemusic.privacy.consent.policy.PolicyService;
import com.onemusic.privacy.consent.scope.ScopeCatalog;
import com.onemusic.privacy.events.ConsentChanged;
import com.onemusic.privacy.events.ConsentMethod;
import com.onemusic.privacy.events.ConsentStateRecorded;
import com.onemusic.privacy.events.ConsentStatus;
import com.onemusic.privacy.events.DeletionGround;
import com.onemusic.privacy.events.DeletionKind;
import com.onemusic.privacy.events.DeletionRequested;
import com.onemusic.privacy.events.ErasureStepReported;
import com.onemusic.privacy.events.ErasureStepStatus;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.platform.PlatformAutoConfiguration;
import com.onemusic.privacy.testsupport.ServiceChecks;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;
import com.onemusic.privacy.testsupport.TestTokens;
import com.onemusic.privacy.testsupport.TopicProbe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * consent-service as other backend services meet it on Kafka: their ConsentChanged events
 * are recorded once however often they arrive, an account closure withdraws everything
 * and reports the step, and an event that breaks a rule goes to the dead-letter topic.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + ConsentServiceApplication.NAME)
class ConsentMessagingTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Autowired
	private WebTestClient web;

	@Autowired
	private ReactiveMongoTemplate mongo;

	@Autowired
	private ConsentLedger ledger;

	@Autowired
	private ConsentHeads heads;

	@Autowired
	private ConsentStates states;

	@Autowired
	private ScopeCatalog catalog;

	@Autowired
	private PolicyService policies;

	@Test
	void aConsentChangedFromAnotherServiceIsRecordedOnceAndRepublishedWithItsSequence() {
		String user = ConsentApiTests.user();
		ConsentChanged submitted = submission(user, "permission.location", ConsentStatus.GRANTED);
		TopicProbe.publish(Topics.CONSENT_CHANGED.name(), user, submitted);
		TopicProbe.publish(Topics.CONSENT_CHANGED.name(), user, submitted);
		ConsentChanged withdrawn = submission(user, "permission.location", ConsentStatus.WITHDRAWN);
		TopicProbe.publish(Topics.CONSENT_CHANGED.name(), user, withdrawn);

		List<ConsumerRecord<String, Object>> recorded = TopicProbe.read(Topics.CONSENT_CHANGED.name(),
				(record) -> user.equals(record.key()) && ((ConsentChanged) record.value()).getSequence() != null, 2,
				WAIT);
		assertThat(recorded).extracting((record) -> ((ConsentChanged) record.value()).getSequence())
			.containsExactly(1L, 2L);
		assertThat(recorded).extracting((record) -> ((ConsentChanged) record.value()).getSourceSystem())
			.containsOnly("app-backend");
		await().atMost(WAIT)
			.untilAsserted(() -> this.web.get()
				.uri("/users/{user}/consents/history", user)
				.exchange()
				.expectBody()
				.jsonPath("$.length()")
				.isEqualTo(2)
				.jsonPath("$[0].method")
				.isEqualTo("OS_PERMISSION_PROMPT"));
	}

	@Test
	void anAccountClosureWithdrawsEveryConsentAndReportsTheStepOnceEvenWhenRedelivered() {
		String user = ConsentApiTests.user();
		this.web.put()
			.uri("/users/{user}/consents", user)
			.bodyValue(
					ConsentApiTests.body("EXPLICIT_TICK", ConsentApiTests.change("purpose.marketing-push", "GRANTED"),
							ConsentApiTests.change("sharing.merchants", "GRANTED"),
							ConsentApiTests.change("permission.camera", "WITHDRAWN")))
			.exchange()
			.expectStatus()
			.isOk();
		String requestId = "dsr-" + UUID.randomUUID();
		DeletionRequested closure = closure(user, requestId);
		TopicProbe.publish(Topics.DELETION_REQUESTED.name(), user, closure);

		List<ConsumerRecord<String, Object>> steps = TopicProbe.read(Topics.ERASURE_PROGRESS.name(),
				(record) -> user.equals(record.key()), 1, WAIT);
		assertThat(steps).singleElement().satisfies((record) -> {
			ErasureStepReported step = (ErasureStepReported) record.value();
			assertThat(step.getRequestId()).isEqualTo(requestId);
			assertThat(step.getParticipant()).isEqualTo("consent-service");
			assertThat(step.getStatus()).isEqualTo(ErasureStepStatus.PARTIALLY_RETAINED);
			assertThat(step.getCounts()).containsEntry("withdrawn", 2L);
			assertThat(step.getRetained()).singleElement()
				.satisfies((item) -> assertThat(item.getCategory()).isEqualTo("consent ledger"));
		});
		List<ConsumerRecord<String, Object>> withdrawals = TopicProbe.read(Topics.CONSENT_CHANGED.name(),
				(record) -> user.equals(record.key())
						&& ((ConsentChanged) record.value()).getMethod() == ConsentMethod.ACCOUNT_CLOSURE,
				2, WAIT);
		assertThat(withdrawals).extracting((record) -> ((ConsentChanged) record.value()).getScope())
			.containsExactlyInAnyOrder("purpose.marketing-push", "sharing.merchants");
		assertThat(withdrawals).extracting((record) -> ((ConsentChanged) record.value()).getStatus())
			.containsOnly(ConsentStatus.WITHDRAWN);

		// The same request again (redelivery, or dsr-service asking again): no new entry,
		// the step is reported again.
		TopicProbe.publish(Topics.DELETION_REQUESTED.name(), user, closure);
		List<ConsumerRecord<String, Object>> reported = TopicProbe.read(Topics.ERASURE_PROGRESS.name(),
				(record) -> user.equals(record.key()), 2, WAIT);
		assertThat(reported).hasSize(2);
		assertThat(reported).extracting((record) -> ((ErasureStepReported) record.value()).getEventId())
			.as("the same step, de-duplicable by its event id")
			.containsOnly(((ErasureStepReported) reported.get(0).value()).getEventId());
		this.web.get()
			.uri("/users/{user}/consents/history", user)
			.exchange()
			.expectBody()
			.jsonPath("$.length()")
			.isEqualTo(2)
			.jsonPath("$[1].erasureRequestId")
			.isEqualTo(requestId);
		this.web.get()
			.uri("/users/{user}/consents", user)
			.exchange()
			.expectBody()
			.jsonPath("$.consents[?(@.effective==true)]")
			.isEmpty();
	}

	/**
	 * A closed account takes no change any more, from the API (422 account-closed,
	 * nothing written) or from another service's event (dead-lettered with the reason),
	 * also on an instance whose stored head predates the closure mark.
	 */
	@Test
	void aClosedAccountTakesNoChangeAnyMore() {
		String user = ConsentApiTests.user();
		String receiptId = grantMarketing(user);
		WebTestClient asService = TestTokens.as(this.web,
				TestTokens.withScopes("app-backend", "consent:read", "consent:write", "users:any"));
		asService.get().uri("/users/{user}/consents", user).exchange().expectStatus().isOk();
		TopicProbe.publish(Topics.DELETION_REQUESTED.name(), user, closure(user, "dsr-" + UUID.randomUUID()));
		TopicProbe.read(Topics.ERASURE_PROGRESS.name(), (record) -> user.equals(record.key()), 1, WAIT);

		// Kept isolated: only the privacy officers' scope reads it.
		for (String path : List.of("/users/" + user + "/consents", "/users/" + user + "/consents/history",
				"/users/" + user + "/ledger/verification", "/receipts/" + receiptId)) {
			ServiceChecks.assertProblem(asService.get().uri(path).header("X-Access-Reason", "test").exchange(),
					HttpStatus.GONE, "account-closed");
			this.web.get().uri(path).header("X-Access-Reason", "test").exchange().expectStatus().isOk();
		}

		ServiceChecks.assertProblem(this.web.put()
			.uri("/users/{user}/consents", user)
			.bodyValue(ConsentApiTests.body("EXPLICIT_TICK", ConsentApiTests.change("permission.camera", "GRANTED")))
			.exchange(), HttpStatus.UNPROCESSABLE_CONTENT, "account-closed");
		TopicProbe.publish(Topics.CONSENT_CHANGED.name(), user,
				submission(user, "permission.location", ConsentStatus.GRANTED));
		var dead = TopicProbe.readRaw(Topics.CONSENT_CHANGED.deadLetterTopic(), (record) -> user.equals(record.key()),
				1, WAIT);
		assertThat(dead).singleElement()
			.satisfies((record) -> assertThat(
					new String(record.headers().lastHeader(PlatformAutoConfiguration.ROOT_CAUSE_HEADER).value(),
							StandardCharsets.UTF_8))
				.contains("ACCOUNT_CLOSED"));
		assertThat(this.ledger.entries(user).count().block(WAIT)).as("the grant and the closure only").isEqualTo(2L);

		// Heads that tell nothing of the closure, read by an instance that
		// has not seen the user: one stored before heads carried the mark,
		// and one that an earlier release moved to the closure entry during
		// a rolling upgrade, leaving the mark as it was.
		await().atMost(WAIT)
			.until(() -> Optional
				.ofNullable(this.mongo.findById(user, Document.class, ConsentHead.COLLECTION).block(WAIT))
				.map((head) -> head.get("sequence", Number.class).longValue() == 2L)
				.orElse(false));
		assertRefusedOnAnotherInstance(user, new Update().unset("closed").unset("closedAsOf"));
		assertRefusedOnAnotherInstance(user, new Update().set("closed", false).set("closedAsOf", 1L));
		assertThat(this.ledger.entries(user).count().block(WAIT)).isEqualTo(2L);
	}

	private void assertRefusedOnAnotherInstance(String user, Update head) {
		this.mongo.updateFirst(Query.query(Criteria.where("_id").is(user)), head, ConsentHead.COLLECTION).block(WAIT);
		ConsentHeads freshHeads = new ConsentHeads(this.mongo, 1000);
		try {
			ConsentLedger otherInstance = new ConsentLedger(this.mongo, freshHeads,
					new ConsentRules(this.catalog, 14, 50), this.policies, (entry) -> {
					}, Clock.systemUTC());
			ConsentCommand grant = new ConsentCommand(user, "2026.01",
					com.onemusic.privacy.consent.ledger.ConsentMethod.SETTINGS_TOGGLE, "test", Instant.now(), null,
					null, null, List.of(new ConsentCommand.Requested("permission.camera",
							com.onemusic.privacy.consent.ledger.ConsentStatus.GRANTED)),
					null);
			assertThatExceptionOfType(ConsentRefused.class).isThrownBy(() -> otherInstance.record(grant).block(WAIT))
				.satisfies((refused) -> assertThat(refused.reason()).isEqualTo(ConsentRefused.Reason.ACCOUNT_CLOSED));
		}
		finally {
			freshHeads.close();
		}
	}

	/**
	 * A closed account's ledger is kept for the retention period (three years here), as
	 * the step reports, and deleted by the sweep once it is over: entries, receipts,
	 * read-model rows, head and the record of the closure.
	 */
	@Test
	void aClosedAccountsLedgerIsDeletedWhenItsRetentionPeriodEnds() {
		String user = ConsentApiTests.user();
		String receiptId = grantMarketing(user);
		String requestId = "dsr-" + UUID.randomUUID();
		TopicProbe.publish(Topics.DELETION_REQUESTED.name(), user, closure(user, requestId));
		ErasureStepReported step = (ErasureStepReported) TopicProbe
			.read(Topics.ERASURE_PROGRESS.name(), (record) -> user.equals(record.key()), 1, WAIT)
			.get(0)
			.value();
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		assertThat(step.getRetained()).singleElement()
			.satisfies((item) -> assertThat(item.getRetainUntil()).isBetween(today.plusYears(3),
					today.plusDays(1).plusYears(3)));
		// The head of the closure entry is stored behind the request; wait for it.
		await().atMost(WAIT)
			.until(() -> Optional
				.ofNullable(this.mongo.findById(user, Document.class, ConsentHead.COLLECTION).block(WAIT))
				.map((head) -> head.get("sequence", Number.class).longValue() == 2L)
				.orElse(false));

		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(((ConsentStateRecorded) lastState(user)).getSequence())
				.as("the state after the closure")
				.isEqualTo(2L));
		ConsentStateRecorded closed = (ConsentStateRecorded) lastState(user);
		assertThat(closed.getScopes()).singleElement().satisfies((scope) -> {
			assertThat(scope.getScope()).isEqualTo("purpose.marketing-push");
			assertThat(scope.getGranted()).isFalse();
		});

		ClosedAccounts beforeTheEnd = new ClosedAccounts(this.mongo, this.heads, Period.ofYears(3),
				Clock.offset(Clock.systemUTC(), Duration.ofDays(3 * 365 - 2)), this.states::deleted);
		beforeTheEnd.sweep().block(WAIT);
		assertThat(this.ledger.entries(user).count().block(WAIT)).as("kept during the retention period").isEqualTo(2L);

		// The same state may have been published twice (once per batch holding one of
		// the user's changes); its content is what counts.
		ConsentStateRecorded kept = (ConsentStateRecorded) lastState(user);
		assertThat(kept).as("the state stays while the ledger is kept").isNotNull();
		assertThat(kept.getSequence()).isEqualTo(closed.getSequence());
		assertThat(kept.getScopes()).isEqualTo(closed.getScopes());

		ClosedAccounts afterTheEnd = new ClosedAccounts(this.mongo, this.heads, Period.ofYears(3),
				Clock.offset(Clock.systemUTC(), Duration.ofDays(3 * 365 + 2)), this.states::deleted);
		assertThat(afterTheEnd.sweep().block(WAIT)).isGreaterThanOrEqualTo(1L);
		assertThat(this.ledger.entries(user).count().block(WAIT)).isZero();
		this.web.get().uri("/receipts/{id}", receiptId).exchange().expectStatus().isNotFound();
		assertThat(this.mongo.findById(user + "|purpose.marketing-push", Document.class, ConsentProjection.COLLECTION)
			.block(WAIT)).isNull();
		assertThat(this.mongo.findById(user, Document.class, ConsentHead.COLLECTION).block(WAIT)).isNull();
		assertThat(this.mongo.findById(user, Document.class, ClosedAccounts.COLLECTION).block(WAIT)).isNull();
		assertThat(lastState(user)).as("a tombstone: compaction removes the user's state").isNull();
		this.web.get()
			.uri("/users/{user}/consents/history", user)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.length()")
			.isEqualTo(0);
	}

	/** Grants the user marketing push through the API; the receipt id. */
	private String grantMarketing(String user) {
		return (String) ConsentApiTests
			.put(this.web, user,
					ConsentApiTests.body("EXPLICIT_TICK", ConsentApiTests.change("purpose.marketing-push", "GRANTED")))
			.get("receiptId");
	}

	/** The value of the user's last record on the state topic (null: a tombstone). */
	private static Object lastState(String user) {
		List<ConsumerRecord<String, Object>> states = TopicProbe.read(Topics.CONSENT_STATE.name(),
				(record) -> user.equals(record.key()), 1, WAIT);
		assertThat(states).as("states of " + user).isNotEmpty();
		return states.get(states.size() - 1).value();
	}

	private static DeletionRequested closure(String user, String requestId) {
		return DeletionRequested.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(Instant.now())
			.setUserId(user)
			.setRequestId(requestId)
			.setKind(DeletionKind.ACCOUNT_CLOSURE)
			.setGround(DeletionGround.ACCOUNT_CLOSURE)
			.setVerifiedAt(Instant.now())
			.setDueDate(LocalDate.of(2026, 12, 21))
			.setRequiredParticipants(List.of("consent-service"))
			.build();
	}

	@Test
	void aSubmissionThatBreaksARuleGoesToTheDeadLetterTopicAndTheNextIsStillRecorded() {
		String user = ConsentApiTests.user();
		TopicProbe.publish(Topics.CONSENT_CHANGED.name(), user,
				submission(user, "purpose.mind-reading", ConsentStatus.GRANTED));
		TopicProbe.publishRaw(Topics.CONSENT_CHANGED.name(), user, new byte[] { 9, 9, 9, 9, 9, 9 });
		TopicProbe.publish(Topics.CONSENT_CHANGED.name(), user,
				submission(user, "purpose.marketing-push", ConsentStatus.GRANTED));

		var dead = TopicProbe.readRaw(Topics.CONSENT_CHANGED.deadLetterTopic(), (record) -> user.equals(record.key()),
				2, WAIT);
		assertThat(dead).hasSize(2);
		assertThat(dead)
			.extracting((record) -> new String(
					record.headers().lastHeader(PlatformAutoConfiguration.ROOT_CAUSE_HEADER).value(),
					StandardCharsets.UTF_8))
			.anySatisfy((cause) -> assertThat(cause).contains("UNKNOWN_SCOPE").contains("purpose.mind-reading"))
			.anySatisfy((cause) -> assertThat(cause).contains("Unknown magic byte 0x09"));
		await().atMost(WAIT)
			.untilAsserted(() -> this.web.get()
				.uri("/users/{user}/consents", user)
				.exchange()
				.expectBody()
				.jsonPath("$.consents[0].scope")
				.isEqualTo("purpose.marketing-push"));
	}

	private static ConsentChanged submission(String user, String scope, ConsentStatus status) {
		return ConsentChanged.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(Instant.now())
			.setUserId(user)
			.setScope(scope)
			.setStatus(status)
			.setPolicyVersion("2026.01")
			.setMethod(ConsentMethod.OS_PERMISSION_PROMPT)
			.setSourceSystem("app-backend")
			.build();
	}

}
