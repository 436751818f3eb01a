package com.onemusic.privacy.sharing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.events.DeletionKind;
import com.onemusic.privacy.events.ErasureStepReported;
import com.onemusic.privacy.events.ErasureStepStatus;
import com.onemusic.privacy.events.ParticipantKind;
import com.onemusic.privacy.events.PartnerCategory;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.platform.PrivacyService;
import com.onemusic.privacy.sharing.erasure.DeletionPropagation;
import com.onemusic.privacy.sharing.erasure.Delivery;
import com.onemusic.privacy.sharing.erasure.WebhookDispatcher;
import com.onemusic.privacy.sharing.share.ShareDecisions;
import com.onemusic.privacy.sharing.share.ShareLogEntry;
import com.onemusic.privacy.sharing.webhook.StandardWebhooks;
import com.onemusic.privacy.testsupport.ServiceChecks;
import com.onemusic.privacy.testsupport.TestInfrastructure;
import com.onemusic.privacy.testsupport.TopicProbe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deletion reaches every partner that received the user's data, over real HTTP, signed
 * per Standard Webhooks; partners confirm with signed callbacks; each partner is a step
 * of the request. Retries follow the persisted schedule, honour Retry-After, survive a
 * restart and never overlap; forged, stale and replayed callbacks are refused.
 */
@GatewayTest
class DeletionPropagationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	private WebTestClient web;

	@Autowired
	private WebhookDispatcher dispatcher;

	@Autowired
	private DeletionPropagation propagation;

	@Autowired
	private ReactiveMongoTemplate mongo;

	@Autowired
	private KafkaListenerEndpointRegistry listeners;

	@Value("${spring.mongodb.uri}")
	private String mongoUri;

	private final List<PartnerStub> stubs = new ArrayList<>();

	@BeforeAll
	static void trustEvents() {
		PrivacyService.trustEventsPackage();
	}

	@BeforeEach
	void dispatcherRuns() {
		if (!this.dispatcher.isRunning()) {
			this.dispatcher.start();
		}
	}

	@AfterEach
	void stopStubs() {
		this.stubs.forEach(PartnerStub::close);
	}

	@Test
	void deletionReachesEveryPartnerThatGotDataAndEachConfirmationIsAStep() throws Exception {
		Partner logistics = partner("SERVICE_PROVIDER");
		Partner metrics = partner("DATA_SERVICE_PROVIDER");
		Partner unused = partner("SERVICE_PROVIDER");
		String user = GatewayFixtures.user();
		GatewayFixtures.grant(user, "sharing.service-providers", "sharing.data-service-providers");
		String logisticsReference = share(logistics, user);
		share(metrics, user);
		String requestId = "dsr-" + UUID.randomUUID();
		TopicProbe.publish(Topics.DELETION_REQUESTED.name(), user,
				GatewayFixtures.deletion(user, requestId, DeletionKind.DELETION));

		List<ErasureStepReported> announced = steps(user, 3);
		assertThat(announced).filteredOn((step) -> step.getStatus() == ErasureStepStatus.PENDING)
			.extracting(ErasureStepReported::getParticipant)
			.containsExactlyInAnyOrder("partner:" + logistics.id(), "partner:" + metrics.id());
		assertThat(announced).filteredOn((step) -> step.getParticipantKind() == ParticipantKind.SERVICE)
			.singleElement()
			.satisfies((own) -> {
				assertThat(own.getParticipant()).isEqualTo(DeletionPropagation.PARTICIPANT);
				assertThat(own.getStatus()).isEqualTo(ErasureStepStatus.DONE);
				assertThat(own.getCounts()).containsEntry("partners", 2L);
			});

		PartnerStub.Received webhook = awaitWebhooks(logistics, 1).get(0);
		assertThat(webhook.verdict()).isEqualTo(StandardWebhooks.Verdict.VALID);
		assertThat(webhook.id()).isEqualTo(DeletionPropagation.webhookId(requestId, logistics.id()));
		JsonNode body = JSON.readTree(webhook.body());
		assertThat(body.at("/type").asString()).isEqualTo(DeletionPropagation.WEBHOOK_TYPE);
		assertThat(body.at("/data/requestId").asString()).isEqualTo(requestId);
		assertThat(body.at("/data/userReference").asString()).isEqualTo(logisticsReference);
		assertThat(webhook.body()).doesNotContain(user);
		assertThat(body.at("/data/dataCategories").values()).extracting(JsonNode::asString)
			.containsExactly("address", "orders", "phone");
		assertThat(body.at("/data/dueDate").asString()).isNotBlank();
		assertThat(body.at("/data/callbackUrl").asString()).endsWith("/partners/" + logistics.id() + "/callbacks");
		assertThat(awaitWebhooks(metrics, 1)).hasSize(1);
		assertThat(unused.stub().received()).as("a partner that got nothing is not asked").isEmpty();

		String confirmationId = "msg_" + UUID.randomUUID();
		byte[] done = confirmation(requestId, "DONE", null);
		callback(logistics, confirmationId, Instant.now(), done, logistics.callbackSecret()).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.duplicate")
			.isEqualTo(false);
		assertThat(steps(user, 4))
			.filteredOn((step) -> step.getStatus() == ErasureStepStatus.DONE
					&& step.getParticipant().equals("partner:" + logistics.id()))
			.hasSize(1);

		ServiceChecks.assertProblem(
				callback(logistics, confirmationId, Instant.now(), done, logistics.callbackSecret()),
				HttpStatus.CONFLICT, "webhook-id-replayed");
		callback(logistics, "msg_" + UUID.randomUUID(), Instant.now(), done, logistics.callbackSecret()).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.duplicate")
			.isEqualTo(true);
		ServiceChecks.assertProblem(
				callback(logistics, "msg_" + UUID.randomUUID(), Instant.now(),
						confirmation(requestId, "REFUSED", "legal hold"), logistics.callbackSecret()),
				HttpStatus.CONFLICT, "already-confirmed");

		callback(metrics, "msg_" + UUID.randomUUID(), Instant.now(), confirmation(requestId, "NOTHING_HELD", null),
				metrics.callbackSecret())
			.expectStatus()
			.isOk();
		assertThat(steps(user, 5)).filteredOn((step) -> step.getStatus() == ErasureStepStatus.NOTHING_HELD)
			.extracting(ErasureStepReported::getParticipant)
			.containsExactly("partner:" + metrics.id());
		this.web.get()
			.uri("/deliveries?requestId={id}", requestId)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.length()")
			.isEqualTo(2)
			.jsonPath("$[0].state")
			.isEqualTo("CONFIRMED")
			.jsonPath("$[1].state")
			.isEqualTo("CONFIRMED");
	}

	@Test
	void forgedStaleAndUnknownCallbacksAreRefused() throws Exception {
		Partner partner = partner("SERVICE_PROVIDER");
		String user = GatewayFixtures.user();
		String requestId = requestAfterShare(partner, user, DeletionKind.DELETION);
		awaitWebhooks(partner, 1);
		byte[] done = confirmation(requestId, "DONE", null);

		ServiceChecks.assertProblem(
				callback(partner, "msg_" + UUID.randomUUID(), Instant.now(), done, GatewayFixtures.secret()),
				HttpStatus.UNAUTHORIZED, "invalid-signature");
		ServiceChecks.assertProblem(callback(partner, "msg_" + UUID.randomUUID(),
				Instant.now().minus(Duration.ofMinutes(6)), done, partner.callbackSecret()), HttpStatus.UNAUTHORIZED,
				"timestamp-out-of-tolerance");
		ServiceChecks.assertProblem(this.web.post()
			.uri("/partners/{id}/callbacks", partner.id())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(done)
			.exchange(), HttpStatus.UNAUTHORIZED, "missing-webhook-headers");
		// Signed with the partner's secret, but the body was changed on the way.
		String id = "msg_" + UUID.randomUUID();
		long timestamp = Instant.now().getEpochSecond();
		String signature = StandardWebhooks.sign(partner.callbackSecret(), id, timestamp, done);
		ServiceChecks.assertProblem(this.web.post()
			.uri("/partners/{id}/callbacks", partner.id())
			.contentType(MediaType.APPLICATION_JSON)
			.header(StandardWebhooks.ID, id)
			.header(StandardWebhooks.TIMESTAMP, Long.toString(timestamp))
			.header(StandardWebhooks.SIGNATURE, signature)
			.bodyValue(confirmation(requestId, "NOTHING_HELD", null))
			.exchange(), HttpStatus.UNAUTHORIZED, "invalid-signature");
		ServiceChecks
			.assertProblem(
					callback(partner, "msg_" + UUID.randomUUID(), Instant.now(),
							confirmation("dsr-unknown", "DONE", null), partner.callbackSecret()),
					HttpStatus.NOT_FOUND, "unknown-deletion-request");
		ServiceChecks.assertProblem(callback(partner, "msg_" + UUID.randomUUID(), Instant.now(),
				"{\"type\":\"personal_data.deletion_confirmed\",\"data\":{\"requestId\":\"x\",\"status\":\"MAYBE\"}}"
					.getBytes(StandardCharsets.UTF_8),
				partner.callbackSecret()), HttpStatus.BAD_REQUEST, "invalid-callback");
		this.web.get()
			.uri("/deliveries/{id}", DeletionPropagation.webhookId(requestId, partner.id()))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.state")
			.isEqualTo("DELIVERED")
			.jsonPath("$.confirmation")
			.doesNotExist();

		// While a secret is rotated, a callback signed with either is taken.
		callback(partner, "msg_" + UUID.randomUUID(), Instant.now(), done, partner.nextCallbackSecret()).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("DONE");
	}

	@Test
	void whileTheWebhookSecretIsRotatedEitherSecretVerifiesTheWebhook() throws Exception {
		String oldSecret = GatewayFixtures.secret();
		String newSecret = GatewayFixtures.secret();
		// The partner still verifies with the old secret.
		PartnerStub stub = new PartnerStub(oldSecret);
		this.stubs.add(stub);
		String id = "p-" + UUID.randomUUID().toString().substring(0, 8);
		Map<String, Object> partner = new java.util.HashMap<>(GatewayFixtures.partner("SERVICE_PROVIDER", stub.url(),
				oldSecret, List.of(GatewayFixtures.secret()), "purpose.unused"));
		this.web.put().uri("/partners/{id}", id).bodyValue(partner).exchange().expectStatus().isCreated();
		partner.put("webhookSecret", newSecret);
		partner.put("previousWebhookSecret", oldSecret);
		this.web.put().uri("/partners/{id}", id).bodyValue(partner).exchange().expectStatus().isOk();
		Partner rotated = new Partner(id, stub, null, null);
		String user = GatewayFixtures.user();
		GatewayFixtures.grant(user, "sharing.service-providers");
		share(rotated, user);
		TopicProbe.publish(Topics.DELETION_REQUESTED.name(), user,
				GatewayFixtures.deletion(user, "dsr-" + UUID.randomUUID(), DeletionKind.DELETION));
		PartnerStub.Received webhook = awaitWebhooks(rotated, 1).get(0);
		assertThat(webhook.verdict()).as("verified with the old secret").isEqualTo(StandardWebhooks.Verdict.VALID);
		assertThat(webhook.signature().split(" ")).hasSize(2);
		assertThat(StandardWebhooks.verify(List.of(newSecret), webhook.id(), webhook.timestamp(), webhook.signature(),
				webhook.body().getBytes(StandardCharsets.UTF_8), Instant.now(), Duration.ofMinutes(5)))
			.as("and with the new one")
			.isEqualTo(StandardWebhooks.Verdict.VALID);
	}

	@Test
	void aShareAllowedWhileTheRequestWasHandledIsCarriedToo() throws Exception {
		Partner partner = partner("SERVICE_PROVIDER");
		String user = GatewayFixtures.user();
		String requestId = "dsr-" + UUID.randomUUID();
		TopicProbe.publish(Topics.DELETION_REQUESTED.name(), user,
				GatewayFixtures.deletion(user, requestId, DeletionKind.DELETION));
		assertThat(steps(user, 1)).extracting(ErasureStepReported::getStatus)
			.containsExactly(ErasureStepStatus.NOTHING_HELD);
		// An instance whose consent view had not seen the request yet allowed a share.
		String shareId = UUID.randomUUID().toString();
		lateShare(user, partner, shareId);
		PartnerStub.Received webhook = awaitWebhooks(partner, 1).get(0);
		assertThat(webhook.id()).isEqualTo(DeletionPropagation.webhookId(requestId, partner.id()));
		assertThat(steps(user, 2)).extracting(ErasureStepReported::getParticipant).contains("partner:" + partner.id());

		// The decision read again once that webhook went out is the one it carries.
		awaitDelivery(requestId, partner, Delivery.State.DELIVERED);
		lateShare(user, partner, shareId);
		assertOnlyDeliveriesAfterALateShare(requestId, user, partner);
	}

	/**
	 * A share that reaches a partner after its deletion webhook went out (allowed by an
	 * instance whose view had not seen the request) is carried in a follow-up: a webhook
	 * of its own, naming the first, which the partner confirms by its id.
	 */
	@Test
	void aShareAllowedAfterTheWebhookWentOutIsCarriedInAFollowUp() throws Exception {
		Partner partner = partner("SERVICE_PROVIDER");
		String user = GatewayFixtures.user();
		String requestId = requestAfterShare(partner, user, DeletionKind.DELETION);
		PartnerStub.Received first = awaitWebhooks(partner, 1).get(0);
		callback(partner, "msg_" + UUID.randomUUID(), Instant.now(), confirmation(requestId, "DONE", null),
				partner.callbackSecret())
			.expectStatus()
			.isOk();
		awaitDelivery(requestId, partner, Delivery.State.CONFIRMED);

		String shareId = UUID.randomUUID().toString();
		lateShare(user, partner, shareId);
		PartnerStub.Received followUp = awaitWebhooks(partner, 2).get(1);
		assertThat(followUp.verdict()).isEqualTo(StandardWebhooks.Verdict.VALID);
		assertThat(followUp.id()).isEqualTo(DeletionPropagation.followUpId(requestId, partner.id(), shareId))
			.isNotEqualTo(first.id());
		JsonNode body = JSON.readTree(followUp.body());
		assertThat(body.at("/data/requestId").asString()).isEqualTo(requestId);
		assertThat(body.at("/data/followUpOf").asString()).isEqualTo(first.id());
		assertThat(body.at("/data/dataCategories").values()).extracting(JsonNode::asString).containsExactly("orders");

		// The same decision again (a redelivery) asks nothing more; a late share to a
		// partner with no delivery yet, after it on the user's partition, shows that it
		// was read.
		lateShare(user, partner, shareId);
		Partner other = partner("SERVICE_PROVIDER");
		lateShare(user, other, UUID.randomUUID().toString());
		assertThat(awaitWebhooks(other, 1)).extracting(PartnerStub.Received::id)
			.containsExactly(DeletionPropagation.webhookId(requestId, other.id()));

		Map<String, Object> data = new java.util.LinkedHashMap<>();
		data.put("requestId", requestId);
		data.put("status", "NOTHING_HELD");
		data.put("webhookId", followUp.id());
		byte[] answer = JSON.writeValueAsBytes(Map.of("type", "personal_data.deletion_confirmed", "timestamp",
				Instant.now().toString(), "data", data));
		callback(partner, "msg_" + UUID.randomUUID(), Instant.now(), answer, partner.callbackSecret()).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.duplicate")
			.isEqualTo(false);
		await().atMost(WAIT)
			.until(() -> this.propagation.delivery(followUp.id()).block(WAIT).state() == Delivery.State.CONFIRMED);
		// The follow-up is a participant of its own: its outcome does not hide behind the
		// partner's first confirmation.
		String followUpParticipant = "partner:" + partner.id() + ":" + followUp.id();
		List<ErasureStepReported> reported = steps(user, 6);
		assertThat(reported).filteredOn((step) -> step.getParticipant().equals("partner:" + partner.id()))
			.extracting(ErasureStepReported::getStatus)
			.containsExactly(ErasureStepStatus.PENDING, ErasureStepStatus.DONE);
		assertThat(reported).filteredOn((step) -> step.getParticipant().equals(followUpParticipant))
			.allSatisfy((step) -> assertThat(step.getParticipantKind()).isEqualTo(ParticipantKind.PARTNER))
			.extracting(ErasureStepReported::getStatus)
			.containsExactly(ErasureStepStatus.PENDING, ErasureStepStatus.NOTHING_HELD);
		assertThat(partner.stub().received()).as("one follow-up for the share, however often it is read").hasSize(2);

		// A reminder to the follow-up publishes its steps again; confirmed, it is not
		// sent
		// again.
		TopicProbe.publish(Topics.DELETION_REQUESTED.name(), user,
				GatewayFixtures.deletion(user, requestId, DeletionKind.DELETION, followUpParticipant));
		assertThat(steps(user, 8)).filteredOn((step) -> step.getParticipant().equals(followUpParticipant))
			.extracting(ErasureStepReported::getStatus)
			.containsExactly(ErasureStepStatus.PENDING, ErasureStepStatus.NOTHING_HELD, ErasureStepStatus.PENDING,
					ErasureStepStatus.NOTHING_HELD);
		assertThat(partner.stub().received()).hasSize(2);
	}

	/**
	 * A decision read again after the webhook went out (by a projection that stopped
	 * before committing its offsets, or after a rebalance) is carried by that webhook:
	 * the request found it in the share log, so it is no late share and asks nothing
	 * more.
	 */
	@Test
	void aShareReadAgainAfterTheWebhookWentOutAsksNothingMore() throws Exception {
		Acknowledged request = acknowledgedRequest();
		Object decision = TopicProbe
			.read(Topics.SHARING_DECISIONS.name(),
					(ConsumerRecord<String, Object> record) -> request.user().equals(record.key()), 1, WAIT)
			.get(0)
			.value();
		TopicProbe.publish(Topics.SHARING_DECISIONS.name(), request.user(), decision);
		assertOnlyDeliveriesAfterALateShare(request.requestId(), request.user(), request.partner());
	}

	/**
	 * A partner that received a user's data, and a deletion request of the user whose
	 * webhook the partner acknowledged.
	 */
	private Acknowledged acknowledgedRequest() throws Exception {
		Partner partner = partner("SERVICE_PROVIDER");
		String user = GatewayFixtures.user();
		String requestId = requestAfterShare(partner, user, DeletionKind.DELETION);
		awaitDelivery(requestId, partner, Delivery.State.DELIVERED);
		return new Acknowledged(partner, user, requestId);
	}

	private record Acknowledged(Partner partner, String user, String requestId) {

	}

	/**
	 * Publishes a late share to another partner, after what was published before on the
	 * user's partition; once its delivery exists, the decisions before it were handled.
	 * Then the request has one delivery to each partner, no follow-up.
	 */
	private void assertOnlyDeliveriesAfterALateShare(String requestId, String user, Partner partner) throws Exception {
		Partner other = partner("SERVICE_PROVIDER");
		lateShare(user, other, UUID.randomUUID().toString());
		awaitWebhooks(other, 1);
		assertThat(this.propagation.deliveries(requestId, null, 10).collectList().block(WAIT)).extracting(Delivery::id)
			.containsExactlyInAnyOrder(DeletionPropagation.webhookId(requestId, partner.id()),
					DeletionPropagation.webhookId(requestId, other.id()));
	}

	/**
	 * A reminder handled while a late share is stored in the log but not yet claimed
	 * leaves that share to the late path: the first webhook went out without it.
	 */
	@Test
	void aReminderLeavesAShareStoredAfterTheWebhooksWereMadeToTheLatePath() throws Exception {
		Acknowledged request = acknowledgedRequest();
		Partner partner = request.partner();
		String user = request.user();
		assertThat(steps(user, 2)).hasSize(2);
		// As the projection does, between storing a decision and claiming it.
		ShareLogEntry late = lateEntry(user, partner, UUID.randomUUID().toString());
		this.mongo.insert(late, ShareLogEntry.COLLECTION).block(WAIT);
		TopicProbe.publish(Topics.DELETION_REQUESTED.name(), user,
				GatewayFixtures.deletion(user, request.requestId(), DeletionKind.DELETION, "partner:" + partner.id()));
		assertThat(steps(user, 3)).as("the reminder was handled: the partner's step published again")
			.extracting(ErasureStepReported::getStatus)
			.containsExactly(ErasureStepStatus.PENDING, ErasureStepStatus.DONE, ErasureStepStatus.PENDING);
		this.propagation.lateShares(List.of(late)).block(WAIT);
		assertThat(this.propagation.deliveries(request.requestId(), null, 10).collectList().block(WAIT))
			.extracting(Delivery::id)
			.contains(DeletionPropagation.followUpId(request.requestId(), partner.id(), late.id()));
	}

	/**
	 * A batch of the share log holding several late shares of a user (the projection
	 * reads the decisions a poll at a time) gives each its partner's delivery, not only
	 * the first.
	 */
	@Test
	void everyLateShareOfABatchReachesItsPartner() throws Exception {
		Acknowledged request = acknowledgedRequest();
		Partner second = partner("SERVICE_PROVIDER");
		Partner third = partner("SERVICE_PROVIDER");
		List<ShareLogEntry> late = List.of(lateEntry(request.user(), request.partner(), UUID.randomUUID().toString()),
				lateEntry(request.user(), second, UUID.randomUUID().toString()),
				lateEntry(request.user(), third, UUID.randomUUID().toString()));
		this.mongo.insertAll(late).collectList().block(WAIT);
		this.propagation.lateShares(late).block(WAIT);
		assertThat(this.propagation.deliveries(request.requestId(), null, 10).collectList().block(WAIT))
			.extracting(Delivery::id)
			.containsExactlyInAnyOrder(DeletionPropagation.webhookId(request.requestId(), request.partner().id()),
					DeletionPropagation.followUpId(request.requestId(), request.partner().id(), late.get(0).id()),
					DeletionPropagation.webhookId(request.requestId(), second.id()),
					DeletionPropagation.webhookId(request.requestId(), third.id()));
		assertThat(awaitWebhooks(second, 1)).singleElement()
			.extracting(PartnerStub.Received::verdict)
			.isEqualTo(StandardWebhooks.Verdict.VALID);
		assertThat(awaitWebhooks(third, 1)).singleElement()
			.extracting(PartnerStub.Received::verdict)
			.isEqualTo(StandardWebhooks.Verdict.VALID);
	}

	@Test
	void aPartnerThatIsDownGetsTheWebhookAfterRetriesHonouringRetryAfter() throws Exception {
		Partner partner = partner("SERVICE_PROVIDER");
		partner.stub().answerNext(503, "2");
		partner.stub().answerNext(500, null);
		String user = GatewayFixtures.user();
		String requestId = requestAfterShare(partner, user, DeletionKind.DELETION);

		List<PartnerStub.Received> received = awaitWebhooks(partner, 3);
		assertThat(received).extracting(PartnerStub.Received::answered).containsExactly(503, 500, 200);
		assertThat(received).extracting(PartnerStub.Received::id)
			.as("one webhook id on every attempt")
			.containsOnly(DeletionPropagation.webhookId(requestId, partner.id()));
		assertThat(received).extracting(PartnerStub.Received::verdict).containsOnly(StandardWebhooks.Verdict.VALID);
		assertThat(Duration.between(received.get(0).at(), received.get(1).at()))
			.as("Retry-After: 2 holds back the schedule's 300 ms")
			.isGreaterThanOrEqualTo(Duration.ofMillis(1900));
		Delivery delivery = awaitDelivery(requestId, partner, Delivery.State.DELIVERED);
		assertThat(delivery.attempts()).extracting(Delivery.Attempt::status).containsExactly(503, 500, 200);
		assertThat(delivery.attempts().get(0).retryAfter()).isEqualTo(2L);
	}

	@Test
	void aPartnerThatHasGoneIsEscalatedAndListedAsOverdue() throws Exception {
		Partner partner = partner("SERVICE_PROVIDER");
		partner.stub().answerNext(410, null);
		String user = GatewayFixtures.user();
		String requestId = requestAfterShare(partner, user, DeletionKind.ACCOUNT_CLOSURE);
		assertThat(steps(user, 3)).filteredOn((step) -> step.getStatus() == ErasureStepStatus.FAILED)
			.singleElement()
			.satisfies((failed) -> {
				assertThat(failed.getParticipant()).isEqualTo("partner:" + partner.id());
				assertThat(failed.getMessage()).contains("410");
			});
		awaitDelivery(requestId, partner, Delivery.State.GONE);
		this.web.get()
			.uri("/deliveries/overdue")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[?(@.requestId == '%s')].attempts[0].status".formatted(requestId))
			.isEqualTo(410);
		// A dispatch round now finds nothing due for this partner.
		this.dispatcher.dispatchDue().block(WAIT);
		assertThat(partner.stub().received()).as("no attempt after 410").hasSize(1);

		// The request asks that partner again (a reminder): the same webhook goes out
		// again.
		TopicProbe.publish(Topics.DELETION_REQUESTED.name(), user,
				GatewayFixtures.deletion(user, requestId, DeletionKind.ACCOUNT_CLOSURE, "partner:" + partner.id()));
		assertThat(awaitWebhooks(partner, 2).get(1).id())
			.isEqualTo(DeletionPropagation.webhookId(requestId, partner.id()));
		awaitDelivery(requestId, partner, Delivery.State.DELIVERED);
	}

	@Test
	void deliveryGoesOnAfterARestartAndTwoInstancesNeverSendItAtTheSameTime() throws Exception {
		Partner partner = partner("SERVICE_PROVIDER");
		for (int i = 0; i < 6; i++) {
			partner.stub().answerNext(500, null);
		}
		String user = GatewayFixtures.user();
		String requestId = requestAfterShare(partner, user, DeletionKind.DELETION);
		awaitWebhooks(partner, 2);
		// This instance stops sending, as one shutting down does.
		this.dispatcher.stop();
		int before = partner.stub().received().size();
		try (ConfigurableApplicationContext next = startAnotherInstance()) {
			// Both instances send from now on.
			this.dispatcher.start();
			Delivery delivered = awaitDelivery(requestId, partner, Delivery.State.DELIVERED);
			List<PartnerStub.Received> received = partner.stub().received();
			assertThat(received.size()).isGreaterThan(before);
			assertThat(received).extracting(PartnerStub.Received::id)
				.containsOnly(DeletionPropagation.webhookId(requestId, partner.id()));
			assertThat(delivered.attempts()).as("every attempt recorded once, none lost across the restart")
				.hasSameSizeAs(received);
			assertThat(partner.stub().maxInFlight()).as("never two attempts at once").isEqualTo(1);
		}
	}

	/**
	 * An instance shutting down lets the attempt under way end: it is recorded and its
	 * lease released, so another instance can go on with the delivery at once.
	 */
	@Test
	void anAttemptUnderWayWhenTheDispatcherStopsIsRecordedAndItsLeaseReleased() throws Exception {
		Partner partner = partner("SERVICE_PROVIDER");
		partner.stub().answerNext(500, null, Duration.ofSeconds(1));
		String user = GatewayFixtures.user();
		String requestId = requestAfterShare(partner, user, DeletionKind.DELETION);
		// Received: the partner holds its answer for a second.
		awaitWebhooks(partner, 1);
		this.dispatcher.stop();
		Delivery stopped = this.propagation.delivery(DeletionPropagation.webhookId(requestId, partner.id()))
			.block(WAIT);
		assertThat(stopped.attempts()).extracting(Delivery.Attempt::status).containsExactly(500);
		assertThat(stopped.leaseUntil()).isNull();
		this.dispatcher.start();
		assertThat(awaitDelivery(requestId, partner, Delivery.State.DELIVERED).attempts())
			.extracting(Delivery.Attempt::status)
			.containsExactly(500, 200);
	}

	/**
	 * Grants the user's consent, shares the user's data with the partner, then publishes
	 * a deletion request of the user.
	 * @return the request id
	 */
	private String requestAfterShare(Partner partner, String user, DeletionKind kind) {
		GatewayFixtures.grant(user, "sharing.service-providers");
		share(partner, user);
		String requestId = "dsr-" + UUID.randomUUID();
		TopicProbe.publish(Topics.DELETION_REQUESTED.name(), user, GatewayFixtures.deletion(user, requestId, kind));
		return requestId;
	}

	/**
	 * Publishes an allowed share of orders, as an instance whose consent view had not
	 * seen the deletion request yet would have decided it.
	 */
	private static void lateShare(String user, Partner partner, String shareId) {
		TopicProbe.publish(Topics.SHARING_DECISIONS.name(), user,
				SharingEvents.dataShared(lateEntry(user, partner, shareId)));
	}

	private static ShareLogEntry lateEntry(String user, Partner partner, String shareId) {
		return new ShareLogEntry(shareId, UUID.randomUUID(), Instant.now(), user, partner.id(),
				PartnerCategory.SERVICE_PROVIDER, "delivery", true, ShareDecisions.ALLOWED, "late", null,
				List.of("orderId"), List.of(), List.of("orders"), false, null);
	}

	private ConfigurableApplicationContext startAnotherInstance() {
		return PrivacyService.builder(SharingGatewayApplication.class, SharingGatewayApplication.NAME)
			.run(TestInfrastructure.instanceArguments(this.mongoUri, "--sharing.webhooks.retry-schedule=0s,300ms,600ms",
					"--sharing.webhooks.poll-interval=100ms", "--management.server.port=0"));
	}

	private record Partner(String id, PartnerStub stub, String callbackSecret, String nextCallbackSecret) {

	}

	private Partner partner(String category) throws Exception {
		String webhookSecret = GatewayFixtures.secret();
		String callbackSecret = GatewayFixtures.secret();
		String nextCallbackSecret = GatewayFixtures.secret();
		PartnerStub stub = new PartnerStub(webhookSecret);
		this.stubs.add(stub);
		String id = "p-" + UUID.randomUUID().toString().substring(0, 8);
		this.web.put()
			.uri("/partners/{id}", id)
			.bodyValue(GatewayFixtures.partner(category, stub.url(), webhookSecret,
					List.of(callbackSecret, nextCallbackSecret), "purpose.unused"))
			.exchange()
			.expectStatus()
			.isCreated();
		return new Partner(id, stub, callbackSecret, nextCallbackSecret);
	}

	/** Shares once the view has the user's consent, and answers the user reference. */
	/**
	 * A share answered just before the deletion request, not yet in the share log when
	 * the request comes: the request waits for the log, so that partner is announced with
	 * the others at once, and the gateway's own step counts it.
	 */
	@Test
	void aShareAnsweredJustBeforeTheRequestIsAnnouncedAtOnce() throws Exception {
		Partner logistics = partner("SERVICE_PROVIDER");
		String user = GatewayFixtures.user();
		GatewayFixtures.grant(user, "sharing.service-providers");
		GatewayFixtures.withShareLogPaused(this.listeners, () -> {
			share(logistics, user);
			TopicProbe.publish(Topics.DELETION_REQUESTED.name(), user,
					GatewayFixtures.deletion(user, "dsr-" + UUID.randomUUID(), DeletionKind.DELETION));
			assertThat(TopicProbe.read(Topics.ERASURE_PROGRESS.name(),
					(ConsumerRecord<String, Object> record) -> user.equals(record.key()), 1, Duration.ofSeconds(2)))
				.as("nothing announced while the share log does not hold the share")
				.isEmpty();
		});
		List<ErasureStepReported> announced = steps(user, 2);
		assertThat(announced).filteredOn((step) -> step.getStatus() == ErasureStepStatus.PENDING)
			.extracting(ErasureStepReported::getParticipant)
			.containsExactly("partner:" + logistics.id());
		assertThat(announced).filteredOn((step) -> step.getParticipantKind() == ParticipantKind.SERVICE)
			.singleElement()
			.satisfies((own) -> assertThat(own.getCounts()).containsEntry("partners", 1L));
	}

	private String share(Partner partner, String user) {
		String[] reference = new String[1];
		await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
			Map<?, ?> body = this.web.post()
				.uri("/shares")
				.bodyValue(Map.of("partnerId", partner.id(), "userId", user, "purpose", "delivery", "payload",
						Map.of("orderId", "O-7", "contactPhone", "13800138000", "address", "北京")))
				.exchange()
				.expectBody(Map.class)
				.returnResult()
				.getResponseBody();
			reference[0] = (body != null) ? (String) body.get("userReference") : null;
			return reference[0] != null;
		});
		return reference[0];
	}

	private List<PartnerStub.Received> awaitWebhooks(Partner partner, int count) {
		await().atMost(WAIT).until(() -> partner.stub().received().size() >= count);
		return partner.stub().received();
	}

	private Delivery awaitDelivery(String requestId, Partner partner, Delivery.State state) {
		Delivery[] found = new Delivery[1];
		await().atMost(WAIT).until(() -> {
			EntityExchangeResult<String> result = this.web.get()
				.uri("/deliveries/{id}", DeletionPropagation.webhookId(requestId, partner.id()))
				.exchange()
				.expectBody(String.class)
				.returnResult();
			if (result.getStatus() == HttpStatus.NOT_FOUND) {
				// Not made yet.
				return false;
			}
			assertThat(result.getStatus()).isEqualTo(HttpStatus.OK);
			found[0] = JSON.readValue(result.getResponseBody(), Delivery.class);
			return found[0].state() == state;
		});
		return found[0];
	}

	private static List<ErasureStepReported> steps(String user, int count) {
		return TopicProbe
			.read(Topics.ERASURE_PROGRESS.name(), (ConsumerRecord<String, Object> record) -> user.equals(record.key()),
					count, WAIT)
			.stream()
			.map((record) -> (ErasureStepReported) record.value())
			.toList();
	}

	private static byte[] confirmation(String requestId, String status, String reason) {
		Map<String, Object> data = new java.util.LinkedHashMap<>();
		data.put("requestId", requestId);
		data.put("status", status);
		if (reason != null) {
			data.put("reason", reason);
		}
		return JSON.writeValueAsBytes(Map.of("type", "personal_data.deletion_confirmed", "timestamp",
				Instant.now().toString(), "data", data));
	}

	private WebTestClient.ResponseSpec callback(Partner partner, String id, Instant at, byte[] body, String secret) {
		long timestamp = at.getEpochSecond();
		return this.web.post()
			.uri("/partners/{id}/callbacks", partner.id())
			.contentType(MediaType.APPLICATION_JSON)
			.header(StandardWebhooks.ID, id)
			.header(StandardWebhooks.TIMESTAMP, Long.toString(timestamp))
			.header(StandardWebhooks.SIGNATURE, StandardWebhooks.sign(secret, id, timestamp, body))
			.bodyValue(body)
			.exchange();
	}

}
