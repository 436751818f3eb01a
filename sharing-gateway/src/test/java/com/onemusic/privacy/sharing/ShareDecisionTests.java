package com.onemusic.privacy.sharing;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.events.ConsentChanged;
import com.onemusic.privacy.events.DataShared;
import com.onemusic.privacy.events.DeletionKind;
import com.onemusic.privacy.events.ShareDecision;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.platform.PrivacyService;
import com.onemusic.privacy.sharing.share.ShareLogCatchUp;
import com.onemusic.privacy.testsupport.ServiceChecks;
import com.onemusic.privacy.testsupport.TopicProbe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The share decision over the real broker and MongoDB-wire server: consent facts arrive
 * on the topics as consent-service publishes them, and the gateway allows, minimizes or
 * denies, logs and publishes every decision.
 */
@GatewayTest
class ShareDecisionTests {

	static final Duration WAIT = Duration.ofSeconds(30);

	@Autowired
	private WebTestClient web;

	@Autowired
	private ShareLogCatchUp shareLog;

	@Autowired
	private ProducerFactory<String, Object> producers;

	private String partnerId;

	private String purposeScope;

	@BeforeAll
	static void trustEvents() {
		PrivacyService.trustEventsPackage();
	}

	@BeforeEach
	void registerPartner() {
		this.partnerId = "p-" + UUID.randomUUID().toString().substring(0, 8);
		this.purposeScope = "purpose.test-" + UUID.randomUUID().toString().substring(0, 8);
		this.web.put()
			.uri("/partners/{id}", this.partnerId)
			.bodyValue(GatewayFixtures.partner("SERVICE_PROVIDER", "http://127.0.0.1:9/hook", GatewayFixtures.secret(),
					List.of(GatewayFixtures.secret()), this.purposeScope))
			.exchange()
			.expectStatus()
			.isCreated();
	}

	@Test
	void consentGrantedAllowsAMinimizedShareAndAWithdrawalDeniesTheNext() {
		String user = GatewayFixtures.user();
		GatewayFixtures.grant(user, "sharing.service-providers");
		Map<String, Object> payload = Map.of("orderId", "O-1001", "contactPhone", "13800138000", "address",
				"北京市朝阳区某路1号", "imei", "490154203237518");
		Map<String, Object> allowed = awaitStatus(user, "delivery", payload, 200);
		assertThat(allowed).containsEntry("decision", "ALLOWED");
		assertThat((Map<String, Object>) allowed.get("payload")).containsOnlyKeys("orderId", "contactPhone", "address");
		assertThat((List<String>) allowed.get("removedFields")).containsExactly("imei");
		assertThat((String) allowed.get("userReference")).startsWith("ur_").doesNotContain(user);
		assertThat((Map<String, Object>) allowed.get("consentBasis")).containsEntry("scope",
				"sharing.service-providers");

		List<ConsumerRecord<String, Object>> published = TopicProbe.read(Topics.SHARING_DECISIONS.name(),
				(record) -> user.equals(record.key()), 1, WAIT);
		assertThat(published).hasSize(1);
		DataShared event = (DataShared) published.get(0).value();
		assertThat(event.getDecision()).isEqualTo(ShareDecision.ALLOWED);
		assertThat(event.getDecisionId()).isEqualTo(allowed.get("decisionId"));
		assertThat(event.getConsentBasis().getScope()).isEqualTo("sharing.service-providers");
		assertThat(event.getConsentBasis().getPolicyVersion()).isEqualTo(GatewayFixtures.POLICY);
		assertThat(event.getRemovedFields()).containsExactly("imei");
		assertThat(event.toString()).as("no payload value is published")
			.doesNotContain("13800138000", "O-1001", "490154203237518", "朝阳");

		GatewayFixtures.withdraw(user, "sharing.service-providers");
		Map<String, Object> denied = awaitStatus(user, "delivery", payload, 403);
		assertThat(denied).containsEntry("reason", "CONSENT_MISSING");
		assertThat((String) denied.get("detail")).contains("withdrew sharing.service-providers");
		assertThat(
				TopicProbe.read(Topics.SHARING_DECISIONS.name(),
						(record) -> user.equals(record.key())
								&& ((DataShared) record.value()).getDecision() == ShareDecision.DENIED,
						1, WAIT))
			.isNotEmpty();
	}

	/**
	 * A grant made before the user withdrew, but recorded after (a device that synced
	 * late): consent-service keeps the withdrawal as the current state, and so does the
	 * gateway, though the grant's sequence number is the higher.
	 */
	@Test
	void aGrantRecordedAfterANewerWithdrawalDoesNotUndoIt() {
		String user = GatewayFixtures.user();
		Instant now = Instant.now();
		TopicProbe.publish(Topics.CONSENT_CHANGED.name(), user, grantMadeAt(user, now.minusSeconds(600)));
		Map<String, Object> payload = Map.of("orderId", "O-7");
		awaitStatus(user, "delivery", payload, 200);
		GatewayFixtures.withdraw(user, "sharing.service-providers");
		awaitStatus(user, "delivery", payload, 403);

		TopicProbe.publish(Topics.CONSENT_CHANGED.name(), user, grantMadeAt(user, now.minusSeconds(300)));
		// A decision sees every change published before it was asked.
		Map<String, Object> denied = status(user, "delivery", payload, 403);
		assertThat(denied).containsEntry("reason", "CONSENT_MISSING");
		assertThat((String) denied.get("detail")).contains("withdrew");

		// A newer grant does count.
		GatewayFixtures.grant(user, "sharing.service-providers");
		status(user, "delivery", payload, 200);
	}

	private static ConsentChanged grantMadeAt(String user, Instant madeAt) {
		return ConsentChanged
			.newBuilder(GatewayFixtures.consent(user, "sharing.service-providers", true, GatewayFixtures.POLICY))
			.setOccurredAt(madeAt)
			.build();
	}

	@Test
	void aConsentMadeStaleByAMaterialPolicyChangeDeniesUntilTheUserConsentsAgain() {
		String user = GatewayFixtures.user();
		String v1 = "t1-" + UUID.randomUUID().toString().substring(0, 8);
		String v2 = "t2-" + UUID.randomUUID().toString().substring(0, 8);
		GatewayFixtures.publishPolicy(v1, null);
		GatewayFixtures.grant(user, "sharing.service-providers", "sharing.sensitive");
		TopicProbe.publish(Topics.CONSENT_CHANGED.name(), user,
				GatewayFixtures.consent(user, this.purposeScope, true, v1));
		Map<String, Object> payload = Map.of("deviceModel", "Mate 60", "preciseLocation", "39.9,116.4");
		awaitStatus(user, "location-insights", payload, 200);

		GatewayFixtures.publishPolicy(v2, v1, this.purposeScope);
		Map<String, Object> stale = awaitStatus(user, "location-insights", payload, 403);
		assertThat(stale).containsEntry("reason", "CONSENT_STALE");
		assertThat((String) stale.get("detail")).contains(v2);
		assertThat((Map<String, Object>) stale.get("consentBasis")).containsEntry("policyVersion", v1);

		TopicProbe.publish(Topics.CONSENT_CHANGED.name(), user,
				GatewayFixtures.consent(user, this.purposeScope, true, v2));
		awaitStatus(user, "location-insights", payload, 200);
	}

	@Test
	void sensitiveDataNeedsItsOwnConsentAndThePurposeItsScope() {
		String user = GatewayFixtures.user();
		GatewayFixtures.grant(user, "sharing.service-providers", this.purposeScope);
		Map<String, Object> sensitive = Map.of("deviceModel", "Mate 60", "preciseLocation", "39.9,116.4");
		Map<String, Object> denied = awaitStatus(user, "location-insights", sensitive, 403);
		assertThat(denied).containsEntry("reason", "SENSITIVE_CONSENT_MISSING");
		// Without the sensitive field the purpose's own consent is enough.
		Map<String, Object> plain = status(user, "location-insights", Map.of("deviceModel", "Mate 60"), 200);
		assertThat((Map<String, Object>) plain.get("payload")).containsOnlyKeys("deviceModel");
		assertThat(plain).containsEntry("sensitive", false);

		GatewayFixtures.grant(user, "sharing.sensitive");
		Map<String, Object> allowed = awaitStatus(user, "location-insights", sensitive, 200);
		assertThat(allowed).containsEntry("sensitive", true);

		String other = GatewayFixtures.user();
		GatewayFixtures.grant(other, "sharing.service-providers", "sharing.sensitive");
		Map<String, Object> noPurposeConsent = awaitStatus(other, "location-insights", sensitive, 403);
		assertThat(noPurposeConsent).containsEntry("reason", "CONSENT_MISSING");
		assertThat((String) noPurposeConsent.get("detail")).contains(this.purposeScope);
	}

	@Test
	void aPurposeOutsideTheContractAndAUserUnderErasureAreDenied() {
		String user = GatewayFixtures.user();
		GatewayFixtures.grant(user, "sharing.service-providers");
		Map<String, Object> payload = Map.of("orderId", "O-1");
		awaitStatus(user, "delivery", payload, 200);
		assertThat(status(user, "marketing", payload, 403)).containsEntry("reason", "PURPOSE_NOT_IN_CONTRACT");

		TopicProbe.publish(Topics.DELETION_REQUESTED.name(), user,
				GatewayFixtures.deletion(user, "dsr-" + UUID.randomUUID(), DeletionKind.DELETION));
		assertThat(awaitStatus(user, "delivery", payload, 403)).containsEntry("reason", "ERASURE_IN_PROGRESS");
	}

	@Test
	void badRequestsAreRefusedWithTheReasonAndNothingIsLogged() {
		String user = GatewayFixtures.user();
		ServiceChecks.assertProblem(this.web.post()
			.uri("/shares")
			.bodyValue(Map.of("partnerId", "no-such-partner", "userId", user, "purpose", "delivery", "payload",
					Map.of("orderId", "1")))
			.exchange(), HttpStatus.NOT_FOUND, "unknown-partner");
		ServiceChecks.assertProblem(this.web.post()
			.uri("/shares")
			.bodyValue(Map.of("partnerId", this.partnerId, "userId", user, "purpose", "delivery"))
			.exchange(), HttpStatus.BAD_REQUEST, "invalid-request");
		ServiceChecks.assertProblem(this.web.post()
			.uri("/shares")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"partnerId\":\"" + this.partnerId + "\",\"userId\":\"" + user
					+ "\",\"purpose\":\"delivery\",\"payload\":{},\"extra\":1}")
			.exchange(), HttpStatus.BAD_REQUEST, "unreadable-request");
		ServiceChecks.assertProblem(this.web.post()
			.uri("/shares")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"partnerId\":")
			.exchange(), HttpStatus.BAD_REQUEST, "unreadable-request");
		ServiceChecks.assertProblem(this.web.post()
			.uri("/shares")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"partnerId\":{\"$gt\":\"\"},\"userId\":\"" + user
					+ "\",\"purpose\":\"delivery\",\"payload\":{}}")
			.exchange(), HttpStatus.BAD_REQUEST, "unreadable-request");
		ServiceChecks.assertProblem(this.web.post()
			.uri("/shares")
			.bodyValue(Map.of("partnerId", this.partnerId, "userId", user, "purpose", "delivery", "payload",
					Map.of("address", "x".repeat(100_000))))
			.exchange(), HttpStatus.CONTENT_TOO_LARGE, "body-too-large");
		this.web.get().uri("/users/{user}/shares", user).exchange().expectStatus().isOk().expectBody().json("[]");
	}

	@Test
	void aLegalDisclosureIsJustifiedAndLoggedApart() {
		String user = GatewayFixtures.user();
		Map<String, Object> order = Map.of("userId", user, "recipient", "北京市公安局朝阳分局", "legalBasis",
				"CRIMINAL_INVESTIGATION", "reference", "京公(朝)调证字[2026]001号", "authorizedBy", "法务部 张三", "justification",
				"Evidence requested under a written order for a criminal investigation", "payload",
				Map.of("contactPhone", "13800138000"));
		this.web.post()
			.uri("/disclosures")
			.bodyValue(order)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.reason")
			.isEqualTo("LEGAL_ORDER")
			.jsonPath("$.legalOrder.reference")
			.isEqualTo("京公(朝)调证字[2026]001号");
		Map<String, Object> unjustified = new java.util.HashMap<>(order);
		unjustified.remove("justification");
		ServiceChecks.assertProblem(this.web.post().uri("/disclosures").bodyValue(unjustified).exchange(),
				HttpStatus.BAD_REQUEST, "invalid-request");

		List<ConsumerRecord<String, Object>> published = TopicProbe.read(Topics.SHARING_DECISIONS.name(),
				(record) -> user.equals(record.key()), 1, WAIT);
		assertThat(published).hasSize(1);
		DataShared event = (DataShared) published.get(0).value();
		assertThat(event.getReason()).isEqualTo("LEGAL_ORDER");
		assertThat(event.getLegalDisclosure().getLegalBasis()).isEqualTo("CRIMINAL_INVESTIGATION");
		assertThat(event.getLegalDisclosure().getReference()).isEqualTo("京公(朝)调证字[2026]001号");
		assertThat(event.getConsentBasis()).isNull();
		// The log is the projection of the published decisions.
		await().atMost(WAIT)
			.untilAsserted(() -> this.web.get()
				.uri("/users/{user}/shares", user)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$[0].legal.legalBasis")
				.isEqualTo("CRIMINAL_INVESTIGATION")
				.jsonPath("$[0].legal.justification")
				.isEqualTo("Evidence requested under a written order for a criminal investigation")
				.jsonPath("$[0].reason")
				.isEqualTo("LEGAL_ORDER"));
	}

	@Test
	void aPoisonDecisionRecordGoesToTheDeadLetterTopicAndTheLogGoesOn() {
		String poisoned = "poison-" + UUID.randomUUID();
		TopicProbe.publishRaw(Topics.SHARING_DECISIONS.name(), poisoned, new byte[] { 0, 0, 0, 0x7f, 0x7f, 9 });
		String user = GatewayFixtures.user();
		GatewayFixtures.grant(user, "sharing.service-providers");
		String decisionId = (String) awaitStatus(user, "delivery", Map.of("orderId", "O-5"), 200).get("decisionId");
		assertThat(TopicProbe.readRaw(Topics.SHARING_DECISIONS.deadLetterTopic(),
				(record) -> poisoned.equals(record.key()), 1, WAIT))
			.isNotEmpty();
		await().atMost(WAIT)
			.untilAsserted(() -> this.web.get()
				.uri("/shares/{id}", decisionId)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.userId")
				.isEqualTo(user)
				.jsonPath("$.sharedFields[0]")
				.isEqualTo("orderId"));
	}

	@Test
	void aDeadLetteredDecisionRecordDoesNotHoldBackTheWaitForTheShareLog() throws Exception {
		// The newest record of its partition: unless its offset is committed once it is
		// dead-lettered, access and deletion requests would wait for it until they time
		// out.
		String poisoned = "poison-" + UUID.randomUUID();
		TopicProbe.publishRaw(Topics.SHARING_DECISIONS.name(), poisoned, new byte[] { 0, 0, 0, 0x7f, 0x7f, 9 });
		List<ConsumerRecord<String, byte[]>> deadLetters = TopicProbe
			.readRaw(Topics.SHARING_DECISIONS.deadLetterTopic(), (record) -> poisoned.equals(record.key()), 1, WAIT);
		assertThat(deadLetters).hasSize(1);
		TopicPartition partition = new TopicPartition(Topics.SHARING_DECISIONS.name(),
				ByteBuffer.wrap(deadLetters.get(0).headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION).value())
					.getInt());
		long offset = ByteBuffer.wrap(deadLetters.get(0).headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET).value())
			.getLong();
		try (KafkaConsumer<String, byte[]> consumer = TopicProbe.rawConsumer()) {
			assertThat(consumer.endOffsets(List.of(partition))).containsEntry(partition, offset + 1);
		}
		this.shareLog.await(Duration.ofSeconds(10));
	}

	@Test
	void theProducerTheDecisionsAreSentWithTakesTheGatewaysMaxBlock() {
		// What DecisionRecordTests shows the effect of, read from the same file.
		assertThat(this.producers.getConfigurationProperties()).containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG,
				"1000");
	}

	@Test
	void theViewReportsThatItCaughtUp() {
		await().atMost(WAIT)
			.untilAsserted(() -> this.web.get()
				.uri("/consent-view")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.sharesAllowed")
				.isEqualTo(true)
				.jsonPath("$.maxStalenessMillis")
				.isEqualTo(0));
	}

	private Map<String, Object> awaitStatus(String user, String purpose, Map<String, Object> payload, int status) {
		@SuppressWarnings("unchecked")
		Map<String, Object>[] body = new Map[1];
		await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
			EntityExchangeResult<Map> result = post(user, purpose, payload);
			body[0] = result.getResponseBody();
			return result.getStatus().value() == status;
		});
		return body[0];
	}

	private Map<String, Object> status(String user, String purpose, Map<String, Object> payload, int status) {
		EntityExchangeResult<Map> result = post(user, purpose, payload);
		assertThat(result.getStatus().value()).as("status of %s", result.getResponseBody()).isEqualTo(status);
		return result.getResponseBody();
	}

	private EntityExchangeResult<Map> post(String user, String purpose, Map<String, Object> payload) {
		return this.web.post()
			.uri("/shares")
			.bodyValue(Map.of("partnerId", this.partnerId, "userId", user, "purpose", purpose, "payload", payload))
			.exchange()
			.expectBody(Map.class)
			.returnResult();
	}

}
