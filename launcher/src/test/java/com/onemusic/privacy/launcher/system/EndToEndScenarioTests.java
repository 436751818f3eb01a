package com.onemusic.privacy.launcher.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

import com.onemusic.privacy.anonymizer.AnonymizerServiceApplication;
import com.onemusic.privacy.consent.ConsentServiceApplication;
import com.onemusic.privacy.dsr.DsrServiceApplication;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.events.UserActivityRecorded;
import com.onemusic.privacy.launcher.LocalSystem.LocalSystemSettings;
import com.onemusic.privacy.launcher.LocalSystem;
import com.onemusic.privacy.serde.AvroSerdeConfig;
import com.onemusic.privacy.serde.AvroSerializer;
import com.onemusic.privacy.sharing.SharingGatewayApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole promise, end to end: the system started as the local launcher starts it (a
 * real broker, the MongoDB wire server, the registry, the token issuer and the four
 * services) and two partners over real HTTP, driven only through the public APIs and
 * topics, the way the app, other backend services, operators and partners use them. Every
 * assertion is on what one of those parties can observe.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndScenarioTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

	private static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L, 36);

	private static final String BIG_CITY = "杭州市";

	private static final String SMALL_CITY = "拉萨市";

	@TempDir
	static Path dataDir;

	static LocalSystem system;

	static SystemApi api;

	static PartnerStub logistics;

	static PartnerStub insights;

	static String operator;

	static String backend;

	/** Twelve users of the big city; the first three are also the scenario's people. */
	static final List<String> cityUsers = new ArrayList<>();

	static String alice;

	static String dora;

	static String carl;

	/** Everything the system writes to the console while the scenario runs. */
	static final ByteArrayOutputStream console = new ByteArrayOutputStream();

	static PrintStream stdout;

	static PrintStream stderr;

	@BeforeAll
	static void startTheSystem() throws Exception {
		stdout = System.out;
		stderr = System.err;
		System.setOut(new PrintStream(new Tee(stdout, console), true, StandardCharsets.UTF_8));
		System.setErr(new PrintStream(new Tee(stderr, console), true, StandardCharsets.UTF_8));
		system = LocalSystem.start(LocalSystemSettings.onFreePorts(dataDir));
		api = new SystemApi(system.infrastructure().tokenIssuer().issuer());
		operator = api.token("operator", "op-scenario");
		backend = api.token("service", "app-backend");
		logistics = new PartnerStub("e2e-logistics-" + RUN);
		insights = new PartnerStub("e2e-insights-" + RUN);
		register(logistics, "SERVICE_PROVIDER", Map.of("order-delivery",
				Map.of("fields", Map.of("orderId", "orders", "contactPhone", "phone", "address", "address"))));
		register(insights, "DATA_SERVICE_PROVIDER",
				Map.of("ad-measurement", Map.of("requires", List.of("purpose.third-party-advertising"), "fields",
						Map.of("deviceModel", "device-model", "babyAge", "baby-age"))));
		for (int i = 0; i < 12; i++) {
			cityUsers.add("e2e-" + RUN + "-city-" + i);
		}
		alice = cityUsers.get(0);
		dora = cityUsers.get(1);
		carl = cityUsers.get(2);
	}

	@AfterAll
	static void stopTheSystem() throws Exception {
		if (stdout != null) {
			System.setOut(stdout);
			System.setErr(stderr);
		}
		if (logistics != null) {
			logistics.close();
		}
		if (insights != null) {
			insights.close();
		}
		if (system != null) {
			system.close();
		}
	}

	@Test
	@Order(1)
	void analyticsArriveDeidentifiedAndStatisticsIdentifyNobody() throws Exception {
		List<String> smallCityUsers = List.of("e2e-" + RUN + "-town-0", "e2e-" + RUN + "-town-1",
				"e2e-" + RUN + "-town-2");
		try (KafkaProducer<String, Object> appBackend = appBackendProducer()) {
			for (String user : cityUsers) {
				for (int i = 0; i < 2; i++) {
					publish(appBackend, activity(user, BIG_CITY));
				}
			}
			for (String user : smallCityUsers) {
				publish(appBackend, activity(user, SMALL_CITY));
			}
		}
		// Users are keyed to partitions, so the small city's events may be counted after
		// the big
		// city's: wait for both, the small city's as a suppressed cell.
		JsonNode statistics = eventually(
				"12 users of " + BIG_CITY + " counted and " + SMALL_CITY + "'s cell suppressed", () -> cityStatistics(),
				(stats) -> usersIn(stats, BIG_CITY) == 12 && stats.path("suppressedCells").asInt() >= 1);
		assertThat(usersIn(statistics, SMALL_CITY)).as("a city of 3 users is below k = 10").isEqualTo(-1);
		assertThat(statistics.toString()).doesNotContain(alice).doesNotContain("13812345678");
	}

	@Test
	@Order(2)
	void consentsLetMinimizedDataReachPartners() {
		grant(alice, "purpose.personalized-recommendation", "purpose.third-party-advertising", "permission.location",
				"sharing.service-providers", "sharing.data-service-providers");
		JsonNode consents = api.get(consent("/users/" + alice + "/consents"), api.token("user", alice)).json();
		assertThat(granted(consents)).contains("permission.location", "sharing.service-providers",
				"sharing.data-service-providers");

		JsonNode delivery = eventuallyAllowed(alice, logistics, "order-delivery", orderPayload());
		assertThat(fieldNames(delivery.path("payload"))).containsExactlyInAnyOrder("orderId", "contactPhone",
				"address");
		assertThat(delivery.path("removedFields").toString()).contains("imei");
		assertThat(delivery.path("userReference").asString()).isNotBlank().doesNotContain(alice);

		JsonNode measurement = eventuallyAllowed(alice, insights, "ad-measurement", adPayload());
		assertThat(fieldNames(measurement.path("payload"))).containsExactlyInAnyOrder("deviceModel", "babyAge");
		assertThat(measurement.path("removedFields").toString()).contains("contactPhone");
	}

	@Test
	@Order(3)
	void aWithdrawalStopsTheNextShare() {
		SystemApi.Answer withdrawn = api.put(consent("/users/" + alice + "/consents"), api.token("user", alice),
				change(currentPolicy(), "SETTINGS_TOGGLE", Map.of(), "sharing.data-service-providers", "WITHDRAWN"));
		assertThat(withdrawn.status()).as(withdrawn.toString()).isEqualTo(200);
		// Once the user is told the consent is withdrawn, the very next share is denied.
		SystemApi.Answer denied = share(alice, insights, "ad-measurement", adPayload());
		assertThat(denied.status()).as(denied.toString()).isEqualTo(403);
		assertThat(denied.json().path("reason").asString()).isEqualTo("CONSENT_MISSING");
		assertThat(share(alice, insights, "ad-measurement", adPayload()).status()).as("and every share after")
			.isEqualTo(403);
		assertThat(share(alice, logistics, "order-delivery", orderPayload()).status())
			.as("the logistics consent is untouched")
			.isEqualTo(200);
	}

	@Test
	@Order(4)
	void aMaterialPolicyChangeHoldsSharesUntilTheUserConsentsAgain() {
		String version = "e2e-" + RUN;
		SystemApi.Answer published = api.post(consent("/policies"), operator,
				Map.of("version", version, "url", "https://www.onemusic.example/privacy/" + version, "materialChanges",
						List.of(Map.of("kind", "SHARING_RECIPIENTS", "scopes", List.of("sharing.service-providers"),
								"summary", "A new logistics provider receives the delivery address"))));
		assertThat(published.status()).as(published.toString()).isEqualTo(201);
		SystemApi.Answer stale = eventually("a share relying on the stale consent denied",
				() -> share(alice, logistics, "order-delivery", orderPayload()), (answer) -> answer.status() == 403);
		assertThat(stale.json().path("reason").asString()).isEqualTo("CONSENT_STALE");
		JsonNode reconsent = api.get(consent("/policies/" + version + "/reconsent?limit=500"), operator).json();
		assertThat(reconsent.toString()).as("alice must consent again").contains(alice);

		grant(alice, "sharing.service-providers");
		eventuallyAllowed(alice, logistics, "order-delivery", orderPayload());
		JsonNode consents = api.get(consent("/users/" + alice + "/consents"), api.token("user", alice)).json();
		assertThat(consents.path("currentPolicyVersion").asString()).isEqualTo(version);
	}

	@Test
	@Order(5)
	void aMinorConsentsOnlyWithAGuardian() {
		String minor = "e2e-" + RUN + "-minor";
		String token = api.token("user", minor);
		Map<String, Object> body = change(currentPolicy(), "EXPLICIT_TICK",
				Map.of("birthDate", LocalDate.now(BEIJING).minusYears(10).toString()),
				"purpose.personalized-recommendation", "GRANTED");
		SystemApi.Answer refused = api.put(consent("/users/" + minor + "/consents"), token, body);
		assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
		assertThat(refused.json().path("type").asString()).endsWith("/guardian-required");
		assertThat(api.get(consent("/users/" + minor + "/consents/history"), token).json().size()).as("nothing written")
			.isZero();

		Map<String, Object> withGuardian = new LinkedHashMap<>(body);
		withGuardian.put("method", "GUARDIAN");
		withGuardian.put("guardian", Map.of("guardianId", "e2e-" + RUN + "-parent", "relationship", "PARENT"));
		SystemApi.Answer recorded = api.put(consent("/users/" + minor + "/consents"), token, withGuardian);
		assertThat(recorded.status()).as(recorded.toString()).isEqualTo(200);
		assertThat(granted(api.get(consent("/users/" + minor + "/consents"), token).json()))
			.containsExactly("purpose.personalized-recommendation");
	}

	@Test
	@Order(6)
	void aDeletionReachesTheAnonymizerAndEveryPartnerAndCompletes() {
		grant(dora, "purpose.third-party-advertising", "sharing.service-providers", "sharing.data-service-providers");
		eventuallyAllowed(dora, logistics, "order-delivery", orderPayload());
		eventuallyAllowed(dora, insights, "ad-measurement", adPayload());
		// The share log is a projection of the decisions' topic: what the gateway will
		// search when the deletion comes.
		eventually("dora's two shares in her share log",
				() -> api.get(gateway("/users/" + dora + "/shares"), api.token("user", dora)).json(),
				(log) -> log.size() >= 2);

		JsonNode request = submit(dora, "DELETION", Map.of("ground", "UNLAWFUL_PROCESSING"));
		assertDeadline(request);
		JsonNode done = finished(dora, request.path("id").asString());
		assertThat(done.path("status").asString()).as(done.toString()).isEqualTo("PARTIALLY_COMPLETED");
		Map<String, JsonNode> steps = steps(done);
		assertThat(steps.keySet()).containsExactlyInAnyOrder("anonymizer-service", "consent-service", "sharing-gateway",
				"partner:" + logistics.id(), "partner:" + insights.id());
		JsonNode anonymizer = steps.get("anonymizer-service");
		assertThat(anonymizer.path("status").asString()).isEqualTo("DONE");
		assertThat(anonymizer.path("verified").asBoolean()).as("erasure verified").isTrue();
		assertThat(anonymizer.path("counts").path("keysDestroyed").asLong()).isEqualTo(1);
		assertThat(anonymizer.path("counts").path("eventsUnlinked").asLong()).isEqualTo(2);
		assertThat(steps.get("consent-service").path("status").asString()).as("the ledger is kept as proof")
			.isEqualTo("PARTIALLY_RETAINED");
		assertThat(steps.get("sharing-gateway").path("status").asString()).isEqualTo("DONE");
		assertThat(steps.get("partner:" + logistics.id()).path("status").asString()).isEqualTo("DONE");
		assertThat(steps.get("partner:" + insights.id()).path("status").asString()).isEqualTo("DONE");
		assertThat(done.path("retained").toString()).contains("consent");

		String requestId = request.path("id").asString();
		for (PartnerStub partner : List.of(logistics, insights)) {
			List<PartnerStub.Webhook> webhooks = partner.webhooks()
				.stream()
				.filter((webhook) -> requestId.equals(webhook.requestId()))
				.toList();
			assertThat(webhooks).as(partner.id() + " webhooks").isNotEmpty().allSatisfy((webhook) -> {
				assertThat(webhook.validSignature()).isTrue();
				assertThat(webhook.kind()).isEqualTo("DELETION");
			});
			assertThat(partner.confirmations()).as(partner.id() + " confirmation taken")
				.anySatisfy((callback) -> assertThat(callback)
					.extracting(PartnerStub.Callback::requestId, PartnerStub.Callback::answered)
					.containsExactly(requestId, 200));
		}
		assertThat(logistics.webhooks().get(logistics.webhooks().size() - 1).dataCategories())
			.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
			.contains("orders", "phone", "address");

		SystemApi.Answer afterwards = share(dora, logistics, "order-delivery", orderPayload());
		assertThat(afterwards.status()).isEqualTo(403);
		assertThat(afterwards.json().path("reason").asString()).isEqualTo("ERASURE_IN_PROGRESS");
		eventually("dora counts for no one in the statistics", () -> cityStatistics(),
				(stats) -> usersIn(stats, BIG_CITY) == 11);
	}

	@Test
	@Order(7)
	void anAccountClosureWithdrawsEveryConsentAndErasesTheSameWay() {
		grant(carl, "purpose.marketing-push", "permission.location", "sharing.service-providers");
		eventuallyAllowed(carl, logistics, "order-delivery", orderPayload());
		eventually("carl's share in his share log",
				() -> api.get(gateway("/users/" + carl + "/shares"), api.token("user", carl)).json(),
				(log) -> log.size() >= 1);

		JsonNode request = submit(carl, "ACCOUNT_CLOSURE", Map.of());
		String requestId = request.path("id").asString();
		JsonNode done = finished(carl, requestId);
		assertThat(done.path("status").asString()).as(done.toString()).isEqualTo("PARTIALLY_COMPLETED");
		Map<String, JsonNode> steps = steps(done);
		assertThat(steps.keySet()).containsExactlyInAnyOrder("anonymizer-service", "consent-service", "sharing-gateway",
				"partner:" + logistics.id());
		assertThat(steps.values()).allSatisfy((step) -> assertThat(step.path("status").asString()).isIn("DONE",
				"NOTHING_HELD", "PARTIALLY_RETAINED"));

		JsonNode consents = api
			.get(consent("/users/" + carl + "/consents"), operator, "X-Access-Reason", "scenario: closure check")
			.json();
		assertThat(granted(consents)).as("every consent withdrawn").isEmpty();
		assertThat(consents.path("consents").size()).isGreaterThanOrEqualTo(3);
		assertThat(logistics.webhooks()).filteredOn((webhook) -> requestId.equals(webhook.requestId()))
			.isNotEmpty()
			.allSatisfy((webhook) -> assertThat(webhook.kind()).isEqualTo("ACCOUNT_CLOSURE"));
		assertThat(insights.webhooks()).as("carl shared nothing with the data service provider")
			.noneMatch((webhook) -> requestId.equals(webhook.requestId()));
		eventually("carl counts for no one in the statistics", () -> cityStatistics(),
				(stats) -> usersIn(stats, BIG_CITY) == 10);
	}

	@Test
	@Order(8)
	void anAccessRequestListsThePartnersThatReceivedTheData() {
		JsonNode request = submit(alice, "ACCESS", Map.of());
		String requestId = request.path("id").asString();
		JsonNode done = finished(alice, requestId);
		assertThat(done.path("status").asString()).as(done.toString()).isEqualTo("COMPLETED");
		SystemApi.Answer export = api.get(dsr("/requests/" + requestId + "/export"), api.token("user", alice));
		assertThat(export.status()).as(export.toString()).isEqualTo(200);
		Set<String> recipients = new HashSet<>();
		for (JsonNode list : export.json().findValues("recipients")) {
			list.forEach((recipient) -> recipients.add(recipient.path("partnerId").asString()));
		}
		assertThat(recipients).containsExactlyInAnyOrder(logistics.id(), insights.id());
		assertThat(export.body()).contains("sharing.data-service-providers");
	}

	@Test
	@Order(9)
	void theLogsOfTheWholeScenarioHoldNoRawPersonalDataOrCredential() {
		String log = console.toString(StandardCharsets.UTF_8);
		assertThat(log).as("the capture sees every service's log")
			.contains("[consent-service]", "[dsr-service]", "[anonymizer-service]", "[sharing-gateway]");
		List<String> raw = new ArrayList<>(List.of("13812345678", "490154203237518", operator, backend,
				logistics.webhookSecret(), logistics.callbackSecret(), insights.webhookSecret(),
				insights.callbackSecret(), AccountSystem.sessionAssertion(alice).substring(0, 40)));
		raw.add(operator.substring(operator.indexOf('.') + 1, operator.indexOf('.') + 41));
		for (String value : raw) {
			assertThat(log).as("the log holds no raw %s…", value.substring(0, 8)).doesNotContain(value);
		}
	}

	/** Writes to the console and to the capture. */
	private static final class Tee extends OutputStream {

		private final OutputStream first;

		private final OutputStream second;

		Tee(OutputStream first, OutputStream second) {
			this.first = first;
			this.second = second;
		}

		@Override
		public void write(int b) throws IOException {
			this.first.write(b);
			synchronized (this.second) {
				this.second.write(b);
			}
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			this.first.write(bytes, offset, length);
			synchronized (this.second) {
				this.second.write(bytes, offset, length);
			}
		}

	}

	// --- the parties' moves -------------------------------------------------------

	private static void register(PartnerStub partner, String category, Map<String, Object> purposes) {
		SystemApi.Answer answer = api.put(gateway("/partners/" + partner.id()), operator,
				partner.registration(category, purposes));
		assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
	}

	private static String currentPolicy() {
		return api.get(consent("/users/nobody-" + RUN + "/consents"), operator, "X-Access-Reason", "scenario setup")
			.json()
			.path("currentPolicyVersion")
			.asString();
	}

	private static Map<String, Object> change(String policy, String method, Map<String, Object> extra,
			String... scopesAndStatuses) {
		List<Map<String, String>> changes = new ArrayList<>();
		for (int i = 0; i + 1 < scopesAndStatuses.length; i += 2) {
			changes.add(Map.of("scope", scopesAndStatuses[i], "status", scopesAndStatuses[i + 1]));
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("policyVersion", policy);
		body.put("method", method);
		body.put("sourceSystem", "app-backend");
		body.put("changes", changes);
		body.putAll(extra);
		return body;
	}

	/** The user ticks the scopes in the app, under the policy the app shows now. */
	private static void grant(String user, String... scopes) {
		List<String> changes = new ArrayList<>();
		for (String scope : scopes) {
			changes.add(scope);
			changes.add("GRANTED");
		}
		SystemApi.Answer answer = api.put(consent("/users/" + user + "/consents"), api.token("user", user),
				change(currentPolicy(), "EXPLICIT_TICK", Map.of(), changes.toArray(String[]::new)));
		assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
		assertThat(answer.json().path("receiptId").asString()).isNotBlank();
	}

	private static SystemApi.Answer share(String user, PartnerStub partner, String purpose,
			Map<String, Object> payload) {
		return api.post(gateway("/shares"), backend,
				Map.of("partnerId", partner.id(), "userId", user, "purpose", purpose, "payload", payload));
	}

	/** A share as soon as the gateway's consent view has the consent it needs. */
	private static JsonNode eventuallyAllowed(String user, PartnerStub partner, String purpose,
			Map<String, Object> payload) {
		return eventually(user + " shares with " + partner.id(), () -> share(user, partner, purpose, payload),
				(answer) -> answer.status() == 200)
			.json();
	}

	private static Map<String, Object> orderPayload() {
		return Map.of("orderId", "o-" + UUID.randomUUID(), "contactPhone", "13812345678", "address",
				"浙江省杭州市西湖区文三路 90 号", "imei", "490154203237518");
	}

	private static Map<String, Object> adPayload() {
		return Map.of("deviceModel", "Mate 60", "babyAge", "2", "contactPhone", "13812345678");
	}

	/**
	 * The user asks in the app, in a logged-in session the account system vouches for.
	 */
	private static JsonNode submit(String user, String type, Map<String, Object> extra) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("userId", user);
		body.put("type", type);
		body.put("channel", "APP");
		body.put("identityAssertion", AccountSystem.sessionAssertion(user));
		body.putAll(extra);
		SystemApi.Answer answer = api.post(dsr("/requests"), api.token("user", user), body);
		assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
		assertThat(answer.json().path("verifiedAt").isMissingNode() || answer.json().path("verifiedAt").isNull())
			.as("verified at submission")
			.isFalse();
		return answer.json();
	}

	private static JsonNode finished(String user, String requestId) {
		String token = api.token("user", user);
		return eventually("request " + requestId + " finished", () -> api.get(dsr("/requests/" + requestId), token),
				(answer) -> answer.status() == 200 && Set.of("COMPLETED", "PARTIALLY_COMPLETED", "REJECTED", "EXPIRED")
					.contains(answer.json().path("status").asString()))
			.json();
	}

	private static Map<String, JsonNode> steps(JsonNode request) {
		Map<String, JsonNode> steps = new LinkedHashMap<>();
		request.path("steps").forEach((step) -> steps.put(step.path("participant").asString(), step));
		return steps;
	}

	/**
	 * The due date is the 15th mainland-China working day after the day of verification
	 * (Beijing time), counted here from the State Council's calendar files the service
	 * ships, with code of this test's own.
	 */
	private static void assertDeadline(JsonNode request) {
		LocalDate verified = Instant.parse(request.path("verifiedAt").asString()).atZone(BEIJING).toLocalDate();
		LocalDate day = verified;
		int counted = 0;
		boolean provisional = false;
		while (counted < 15) {
			day = day.plusDays(1);
			Calendar calendar = Calendar.of(day.getYear());
			provisional |= calendar == null;
			if ((calendar != null) ? calendar.isWorkingDay(day) : day.getDayOfWeek().getValue() <= 5) {
				counted++;
			}
		}
		assertThat(request.path("dueDate").asString()).as("due date of a request verified " + verified)
			.isEqualTo(day.toString());
		assertThat(request.path("dueDateProvisional").asBoolean()).isEqualTo(provisional);
	}

	private static JsonNode cityStatistics() {
		Instant now = Instant.now();
		SystemApi.Answer answer = api.get(anonymizer("/statistics/daily-active-users-by-city?from="
				+ now.minus(1, ChronoUnit.DAYS) + "&to=" + now.plus(1, ChronoUnit.DAYS) + "&k=10"), backend);
		assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
		return answer.json();
	}

	/** Users counted in a city over all days, or -1 when the city is not shown. */
	private static long usersIn(JsonNode statistics, String city) {
		long users = -1;
		for (JsonNode cell : statistics.path("cells")) {
			if (city.equals(cell.path("city").asString())) {
				users = Math.max(users, 0) + cell.path("users").asLong();
			}
		}
		return users;
	}

	private static List<String> granted(JsonNode consents) {
		List<String> granted = new ArrayList<>();
		consents.path("consents").forEach((consent) -> {
			if ("GRANTED".equals(consent.path("status").asString())) {
				granted.add(consent.path("scope").asString());
			}
		});
		return granted;
	}

	private static List<String> fieldNames(JsonNode object) {
		List<String> names = new ArrayList<>();
		object.propertyNames().forEach(names::add);
		return names;
	}

	private static KafkaProducer<String, Object> appBackendProducer() {
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				system.infrastructure().bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all");
		return new KafkaProducer<>(config, new StringSerializer(), new AvroSerializer<>(null,
				Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, system.infrastructure().registryUrl()), false));
	}

	private static void publish(KafkaProducer<String, Object> producer, UserActivityRecorded event) throws Exception {
		producer.send(new ProducerRecord<>(Topics.ANALYTICS_EVENTS_RAW.name(), event.getUserId(), event))
			.get(30, TimeUnit.SECONDS);
	}

	private static UserActivityRecorded activity(String user, String city) {
		return UserActivityRecorded.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(Instant.now())
			.setUserId(user)
			.setEventType("play")
			.setSearchKeywords("周杰伦 13812345678")
			.setCity(city)
			.setProperties(Map.of("trackId", "t-" + UUID.randomUUID()))
			.build();
	}

	private static String consent(String path) {
		return system.url(ConsentServiceApplication.NAME) + path;
	}

	private static String dsr(String path) {
		return system.url(DsrServiceApplication.NAME) + path;
	}

	private static String anonymizer(String path) {
		return system.url(AnonymizerServiceApplication.NAME) + path;
	}

	private static String gateway(String path) {
		return system.url(SharingGatewayApplication.NAME) + path;
	}

	private static <T> T eventually(String what, Supplier<T> probe, Predicate<T> done) {
		long deadline = System.nanoTime() + WAIT.toNanos();
		T last = probe.get();
		while (!done.test(last)) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Not within " + WAIT.toSeconds() + " s: " + what + "; last seen: " + last);
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted waiting for " + what, ex);
			}
			last = probe.get();
		}
		return last;
	}

	/** A year of the mainland-China calendar, as the service ships it. */
	private record Calendar(Set<LocalDate> holidays, Set<LocalDate> workingWeekendDays) {

		@SuppressWarnings("unchecked")
		static Calendar of(int year) {
			InputStream in = EndToEndScenarioTests.class.getResourceAsStream("/calendar/cn/" + year + ".yml");
			if (in == null) {
				return null;
			}
			Map<String, Object> file = new Yaml().load(in);
			Set<LocalDate> holidays = new HashSet<>();
			for (Map<String, Object> holiday : (List<Map<String, Object>>) file.get("holidays")) {
				LocalDate from = LocalDate.parse(holiday.get("from").toString());
				LocalDate to = LocalDate.parse(holiday.get("to").toString());
				from.datesUntil(to.plusDays(1)).forEach(holidays::add);
			}
			Set<LocalDate> working = new HashSet<>();
			for (Object day : (List<Object>) file.get("working-weekend-days")) {
				working.add(LocalDate.parse(day.toString()));
			}
			return new Calendar(holidays, working);
		}

		boolean isWorkingDay(LocalDate day) {
			if (this.workingWeekendDays.contains(day)) {
				return true;
			}
			return day.getDayOfWeek().getValue() <= 5 && !this.holidays.contains(day);
		}

	}

}
