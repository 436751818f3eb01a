package com.onemusic.privacy.consent;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.consent.ledger.ConsentHead;
import com.onemusic.privacy.consent.ledger.LedgerEntry;
import com.onemusic.privacy.events.ConsentChanged;
import com.onemusic.privacy.events.ConsentStatus;
import com.onemusic.privacy.events.PolicyVersionPublished;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.testsupport.ServiceChecks;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;
import com.onemusic.privacy.testsupport.TopicProbe;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consent API over the real broker, MongoDB wire server and registry: a change is
 * recorded in the ledger and published as ConsentChanged; bad input is refused with a
 * problem document and writes nothing.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + ConsentServiceApplication.NAME)
class ConsentApiTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Autowired
	private WebTestClient web;

	@Autowired
	private ReactiveMongoTemplate mongo;

	@Test
	void aChangeIsRecordedAndPublishedAsConsentChangedInOrder() {
		String user = user();
		Map<?, ?> granted = put(user, body("EXPLICIT_TICK", change("purpose.marketing-push", "GRANTED"),
				change("permission.location", "GRANTED")));
		assertThat(granted.get("changed")).isEqualTo(true);
		assertThat(granted.get("sequence")).isEqualTo(1);
		assertThat((String) granted.get("receiptId")).startsWith("cr-");
		put(user, body("SETTINGS_TOGGLE", change("permission.location", "WITHDRAWN")));

		List<ConsumerRecord<String, Object>> events = TopicProbe.read(Topics.CONSENT_CHANGED.name(),
				(record) -> user.equals(record.key()), 3, WAIT);
		assertThat(events).hasSize(3);
		List<ConsentChanged> changes = events.stream().map((record) -> (ConsentChanged) record.value()).toList();
		assertThat(changes).extracting(ConsentChanged::getSequence).containsExactly(1L, 1L, 2L);
		assertThat(changes).extracting(ConsentChanged::getScope)
			.containsExactlyInAnyOrder("purpose.marketing-push", "permission.location", "permission.location");
		assertThat(changes.get(2).getStatus()).isEqualTo(ConsentStatus.WITHDRAWN);
		assertThat(changes.get(2).getMethod().name()).isEqualTo("SETTINGS_TOGGLE");
		assertThat(changes.get(0).getReceiptId()).isEqualTo(granted.get("receiptId"));
		assertThat(changes).extracting(ConsentChanged::getEventId).doesNotHaveDuplicates();

		consents(user, "").jsonPath("$.currentPolicyVersion")
			.isEqualTo("2026.01")
			.jsonPath("$.consents[?(@.scope=='permission.location')].status")
			.isEqualTo("WITHDRAWN")
			.jsonPath("$.consents[?(@.scope=='purpose.marketing-push')].effective")
			.isEqualTo(true);
	}

	@Test
	void repeatingAChangeRecordsNothingAndAnIdempotencyKeyReplaysTheFirstAnswer() {
		String user = user();
		put(user, body("EXPLICIT_TICK", change("purpose.marketing-push", "GRANTED")));
		Map<?, ?> again = put(user, body("EXPLICIT_TICK", change("purpose.marketing-push", "GRANTED")));
		assertThat(again.get("changed")).isEqualTo(false);
		assertThat(again.get("sequence")).isEqualTo(1);
		Map<String, Object> withdraw = body("SETTINGS_TOGGLE", change("purpose.marketing-push", "WITHDRAWN"));
		Map<?, ?> first = putWithKey(user, withdraw, "retry-1");
		Map<?, ?> retried = putWithKey(user, withdraw, "retry-1");
		assertThat(first.get("sequence")).isEqualTo(2);
		assertThat(first.get("replayed")).isEqualTo(false);
		assertThat(retried.get("sequence")).isEqualTo(2);
		assertThat(history(user)).hasSize(2);
		// A retry answers what the first recorded, even after other changes, and even
		// though its own change now looks like a repeat of the current state.
		Map<String, Object> grant = body("EXPLICIT_TICK", change("permission.location", "GRANTED"));
		Map<?, ?> granted = putWithKey(user, grant, "retry-2");
		put(user, body("SETTINGS_TOGGLE", change("permission.camera", "GRANTED")));
		Map<?, ?> lateRetry = putWithKey(user, grant, "retry-2");
		assertThat(lateRetry.get("changed")).isEqualTo(true);
		assertThat(lateRetry.get("replayed")).isEqualTo(true);
		assertThat(lateRetry.get("sequence")).isEqualTo(granted.get("sequence")).isEqualTo(3);
		assertThat(lateRetry.get("receiptId")).isNotNull().isEqualTo(granted.get("receiptId"));
		assertThat(history(user)).hasSize(4);
	}

	@Test
	void concurrentChangesOfOneUserAreAllRecordedWithGaplessSequenceNumbers() {
		String user = user();
		List<String> scopes = List.of("purpose.marketing-push", "permission.location", "permission.camera",
				"permission.photos", "permission.calendar", "purpose.user-profiling", "sharing.merchants",
				"permission.notifications");
		List<Map> answers = Flux.fromIterable(scopes)
			.flatMap((scope) -> this.web.put()
				.uri("/users/{user}/consents", user)
				.bodyValue(body("EXPLICIT_TICK", change(scope, "GRANTED")))
				.exchange()
				.returnResult(Map.class)
				.getResponseBody(), 8)
			.collectList()
			.block(WAIT);
		assertThat(answers).hasSize(8).allSatisfy((answer) -> assertThat(answer.get("changed")).isEqualTo(true));
		List<Map<?, ?>> history = history(user);
		assertThat(history).extracting((entry) -> ((Number) entry.get("sequence")).longValue())
			.containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
		this.web.get()
			.uri("/users/{user}/ledger/verification", user)
			.exchange()
			.expectBody()
			.jsonPath("$.valid")
			.isEqualTo(true)
			.jsonPath("$.entries")
			.isEqualTo(8);
	}

	@Test
	void aStoredHeadLeftBehindNeverHidesTheEntriesAfterIt() {
		String user = user();
		put(user, body("EXPLICIT_TICK", change("permission.camera", "GRANTED")));
		org.bson.Document headAtOne = storedHead(user, 1);
		put(user, body("SETTINGS_TOGGLE", change("permission.camera", "WITHDRAWN")));
		storedHead(user, 2);
		// As if the head write after entry 2 had been lost: the stored head still says
		// the
		// camera is granted.
		this.mongo.save(headAtOne, ConsentHead.COLLECTION).block(WAIT);
		consents(user, "").jsonPath("$.consents[?(@.scope=='permission.camera')].status").isEqualTo("WITHDRAWN");
		Map<?, ?> regrant = put(user, body("EXPLICIT_TICK", change("permission.camera", "GRANTED")));
		assertThat(regrant.get("sequence")).isEqualTo(3);
		assertThat(history(user)).extracting((entry) -> ((Number) entry.get("sequence")).longValue())
			.containsExactly(1L, 2L, 3L);
	}

	/** The head as stored once the write behind the request reached a sequence number. */
	private org.bson.Document storedHead(String user, long sequence) {
		return Awaitility.await()
			.atMost(WAIT)
			.until(() -> this.mongo.findById(user, org.bson.Document.class, ConsentHead.COLLECTION).block(WAIT),
					(head) -> head != null && ((Number) head.get("sequence")).longValue() == sequence);
	}

	@Test
	void theStateAsOfAPastInstantShowsWhatWasConsentedThen() {
		String user = user();
		Map<String, Object> grant = body("EXPLICIT_TICK", change("purpose.user-profiling", "GRANTED"));
		grant.put("occurredAt", "2026-03-01T08:00:00Z");
		put(user, grant);
		Map<String, Object> withdraw = body("SETTINGS_TOGGLE", change("purpose.user-profiling", "WITHDRAWN"));
		withdraw.put("occurredAt", "2026-03-05T08:00:00Z");
		put(user, withdraw);
		consents(user, "?at=2026-03-03T00:00:00Z").jsonPath("$.consents[0].status").isEqualTo("GRANTED");
		consents(user, "?at=2026-03-06T00:00:00Z").jsonPath("$.consents[0].status").isEqualTo("WITHDRAWN");
		consents(user, "?at=2026-02-01T00:00:00Z").jsonPath("$.consents.length()").isEqualTo(0);
	}

	@Test
	void aReceiptIsRetrievableByIdWithTheConsentReceiptFields() {
		String user = user();
		String receiptId = (String) put(user, body("EXPLICIT_TICK", change("sharing.service-providers", "GRANTED"),
				change("permission.health", "GRANTED")))
			.get("receiptId");
		this.web.get()
			.uri("/receipts/{id}", receiptId)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.consentReceiptID")
			.isEqualTo(receiptId)
			.jsonPath("$.version")
			.isEqualTo("KI-CR-v1.1.0")
			.jsonPath("$.jurisdiction")
			.isEqualTo("CN")
			.jsonPath("$.piiPrincipalId")
			.isEqualTo(user)
			.jsonPath("$.piiControllers[0].piiController")
			.isEqualTo("北京好个科技有限公司")
			.jsonPath("$.policyVersion")
			.isEqualTo("2026.01")
			.jsonPath("$.collectionMethod")
			.isEqualTo("EXPLICIT_TICK")
			.jsonPath("$.services[0].purposes.length()")
			.isEqualTo(2)
			.jsonPath("$.services[0].purposes[?(@.thirdPartyDisclosure==true)].thirdPartyName")
			.isEqualTo("SERVICE_PROVIDER")
			.jsonPath("$.sensitive")
			.isEqualTo(true);
		this.web.get()
			.uri("/receipts/cr-nothing")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void badInputIsRefusedWithAProblemAndWritesNothing() {
		String user = user();
		refused(user, body("EXPLICIT_TICK", change("purpose.mind-reading", "GRANTED")), HttpStatus.BAD_REQUEST,
				"unknown-scope");
		Map<String, Object> unknownPolicy = body("EXPLICIT_TICK", change("purpose.marketing-push", "GRANTED"));
		unknownPolicy.put("policyVersion", "1999.01");
		refused(user, unknownPolicy, HttpStatus.BAD_REQUEST, "unknown-policy-version");
		refused(user, body("EXPLICIT_TICK", change("necessary.account", "WITHDRAWN")), HttpStatus.BAD_REQUEST,
				"consent-not-applicable");
		refused(user, body("ACCOUNT_CLOSURE", change("purpose.marketing-push", "WITHDRAWN")), HttpStatus.BAD_REQUEST,
				"method-not-allowed");
		Map<String, Object> minor = body("EXPLICIT_TICK", change("permission.location", "GRANTED"));
		minor.put("birthDate", "2016-05-01");
		refused(user, minor, HttpStatus.UNPROCESSABLE_CONTENT, "guardian-required");
		Object[] many = new Object[51];
		for (int i = 0; i < many.length; i++) {
			many[i] = change("purpose.marketing-push", "GRANTED");
		}
		refused(user, body("EXPLICIT_TICK", (Map<?, ?>[]) java.util.Arrays.copyOf(many, many.length, Map[].class)),
				HttpStatus.BAD_REQUEST, "invalid-batch");
		Map<String, Object> unknownField = body("EXPLICIT_TICK", change("purpose.marketing-push", "GRANTED"));
		unknownField.put("isAdmin", true);
		refused(user, unknownField, HttpStatus.BAD_REQUEST, "unreadable-request");
		Map<String, Object> missingMethod = body("EXPLICIT_TICK", change("purpose.marketing-push", "GRANTED"));
		missingMethod.remove("method");
		refused(user, missingMethod, HttpStatus.BAD_REQUEST, "invalid-request");
		this.web.put()
			.uri("/users/{user}/consents", user)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"policyVersion\": \"2026.01\", \"changes\": [")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.web.put()
			.uri("/users/{user}/consents", "bad$user")
			.bodyValue(body("EXPLICIT_TICK", change("purpose.marketing-push", "GRANTED")))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("https://privacy.onemusic.example/problems/invalid-user-id");
		this.web.get().uri("/users/{user}/consents?at=yesterday", user).exchange().expectStatus().isBadRequest();
		assertThat(history(user)).isEmpty();
	}

	@Test
	void aMinorsConsentIsRecordedWithTheGuardian() {
		String user = user();
		Map<String, Object> minor = body("GUARDIAN", change("permission.location", "GRANTED"));
		minor.put("birthDate", "2016-05-01");
		minor.put("guardian", Map.of("guardianId", "parent-7", "relationship", "PARENT"));
		put(user, minor);
		assertThat(history(user)).singleElement()
			.satisfies((entry) -> assertThat(entry.get("guardian"))
				.isEqualTo(Map.of("guardianId", "parent-7", "relationship", "PARENT")));
		// The birth date is remembered: a later grant without a guardian is refused.
		refused(user, body("EXPLICIT_TICK", change("purpose.marketing-push", "GRANTED")),
				HttpStatus.UNPROCESSABLE_CONTENT, "guardian-required");
	}

	@Test
	void aMaterialPolicyChangeMakesOlderConsentsStaleAndListsWhoMustReconsent() {
		String prefix = "reconsent-" + UUID.randomUUID().toString().substring(0, 8) + "-";
		for (int i = 0; i < 5; i++) {
			put(prefix + i, body("EXPLICIT_TICK", change("sharing.data-service-providers", "GRANTED")));
		}
		String version = "2026.06-" + UUID.randomUUID().toString().substring(0, 6);
		this.web.post()
			.uri("/policies")
			.bodyValue(Map.of("version", version, "url", "https://www.onemusic.example/privacy/" + version,
					"materialChanges",
					List.of(Map.of("kind", "SHARING_RECIPIENTS", "scopes", List.of("sharing.data-service-providers"),
							"summary", "A new statistics provider receives device model and baby age"))))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.current")
			.isEqualTo(true);
		this.web.post()
			.uri("/policies")
			.bodyValue(Map.of("version", version, "url", "https://x", "materialChanges", List.of()))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CONFLICT);

		List<ConsumerRecord<String, Object>> published = TopicProbe.read(Topics.POLICY_PUBLISHED.name(),
				(record) -> version.equals(record.key()), 1, WAIT);
		assertThat(published).singleElement().satisfies((record) -> {
			PolicyVersionPublished event = (PolicyVersionPublished) record.value();
			assertThat(event.getMaterialChanges().get(0).getScopes()).containsExactly("sharing.data-service-providers");
		});
		consents(prefix + 0, "").jsonPath("$.consents[0].effective")
			.isEqualTo(false)
			.jsonPath("$.consents[0].staleSince")
			.isEqualTo(version);

		AtomicInteger pages = new AtomicInteger();
		java.util.Set<String> listed = new java.util.TreeSet<>();
		String cursor = null;
		do {
			String uri = "/policies/" + version + "/reconsent?limit=2" + ((cursor != null) ? "&after=" + cursor : "");
			Map<?, ?> page = this.web.get()
				.uri(uri)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(Map.class)
				.returnResult()
				.getResponseBody();
			pages.incrementAndGet();
			for (Object item : (List<?>) page.get("items")) {
				listed.add((String) ((Map<?, ?>) item).get("userId"));
			}
			cursor = (String) page.get("next");
		}
		while (cursor != null && pages.get() < 100);
		assertThat(listed).filteredOn((userId) -> userId.startsWith(prefix)).hasSize(5);

		// Consenting again under the new version makes it current again.
		Map<String, Object> again = body("EXPLICIT_TICK", change("sharing.data-service-providers", "GRANTED"));
		again.put("policyVersion", version);
		put(prefix + 0, again);
		consents(prefix + 0, "").jsonPath("$.consents[0].effective").isEqualTo(true);
	}

	@Test
	void verificationNamesTheFirstEntryThatWasTamperedWith() {
		String user = user();
		put(user, body("EXPLICIT_TICK", change("purpose.marketing-push", "GRANTED")));
		put(user, body("SETTINGS_TOGGLE", change("purpose.marketing-push", "WITHDRAWN")));
		put(user, body("EXPLICIT_TICK", change("permission.camera", "GRANTED")));
		// Someone with database access turns the withdrawal back into a grant.
		this.mongo
			.updateFirst(Query.query(Criteria.where("_id").is(LedgerEntry.idOf(user, 2))),
					new Update().set("changes.0.status", "GRANTED"), LedgerEntry.COLLECTION)
			.block(WAIT);
		this.web.get()
			.uri("/users/{user}/ledger/verification", user)
			.exchange()
			.expectBody()
			.jsonPath("$.valid")
			.isEqualTo(false)
			.jsonPath("$.firstBrokenLink.sequence")
			.isEqualTo(2)
			.jsonPath("$.firstBrokenLink.problem")
			.isEqualTo("content does not match its hash");
	}

	@Test
	void theScopeCatalogIsReadable() {
		this.web.get()
			.uri("/scopes")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[?(@.code=='permission.location')].sensitive")
			.isEqualTo(true)
			.jsonPath("$[?(@.code=='necessary.account')].requiresConsent")
			.isEqualTo(false);
		this.web.get().uri("/scopes/purpose.unknown").exchange().expectStatus().isNotFound();
	}

	/** The user's consents, now or with a query such as {@code ?at=...}, answered 200. */
	private WebTestClient.BodyContentSpec consents(String user, String query) {
		return this.web.get().uri("/users/{user}/consents" + query, user).exchange().expectStatus().isOk().expectBody();
	}

	private Map<?, ?> put(String user, Map<String, Object> body) {
		return put(this.web, user, body);
	}

	/** {@code PUT /users/{user}/consents}, expecting 200; the answer. */
	static Map<?, ?> put(WebTestClient web, String user, Map<String, Object> body) {
		return web.put()
			.uri("/users/{user}/consents", user)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

	private Map<?, ?> putWithKey(String user, Map<String, Object> body, String key) {
		return this.web.put()
			.uri("/users/{user}/consents", user)
			.header("Idempotency-Key", key)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

	private void refused(String user, Map<String, Object> body, HttpStatus status, String type) {
		ServiceChecks.assertProblem(this.web.put().uri("/users/{user}/consents", user).bodyValue(body).exchange(),
				status, type);
	}

	@SuppressWarnings("unchecked")
	private List<Map<?, ?>> history(String user) {
		return (List<Map<?, ?>>) (List<?>) this.web.get()
			.uri("/users/{user}/consents/history", user)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBodyList(Map.class)
			.returnResult()
			.getResponseBody();
	}

	static Map<String, Object> body(String method, Map<?, ?>... changes) {
		Map<String, Object> body = new java.util.HashMap<>();
		body.put("policyVersion", "2026.01");
		body.put("method", method);
		body.put("sourceSystem", "app-backend");
		body.put("changes", List.of(changes));
		return body;
	}

	static Map<String, String> change(String scope, String status) {
		return Map.of("scope", scope, "status", status);
	}

	static String user() {
		return "u-" + UUID.randomUUID();
	}

}
