package com.onemusic.privacy.launcher.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import com.onemusic.privacy.consent.ConsentServiceApplication;
import com.onemusic.privacy.dsr.DsrServiceApplication;
import com.onemusic.privacy.events.ConsentChanged;
import com.onemusic.privacy.events.ConsentStateRecorded;
import com.onemusic.privacy.events.Topic;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.launcher.LocalSystem;
import com.onemusic.privacy.launcher.LocalSystem.LocalSystemSettings;
import com.onemusic.privacy.local.FreePorts;
import com.onemusic.privacy.local.LocalInfrastructure;
import com.onemusic.privacy.local.LocalKafkaBroker;
import com.onemusic.privacy.local.LocalMongoServer;
import com.onemusic.privacy.serde.AvroDeserializer;
import com.onemusic.privacy.serde.AvroSerdeConfig;
import com.onemusic.privacy.sharing.SharingGatewayApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The long fault run (not part of {@code ./mvnw verify}; see the README): the four
 * services as their own processes over a real broker and the MongoDB wire server (behind
 * a proxy that can cut it off), under a steady load of consent changes, shares and
 * deletion requests, while each service is killed with SIGKILL and restarted, the broker
 * is stopped and started again, MongoDB is unreachable for 30 s, a partner is down for a
 * while, and poison records land on every consumed topic. Then it checks that nothing was
 * lost or doubled and prints a table of the faults and the invariants.
 */
@Tag("fault-run")
class FaultRunTests {

	private static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L, 36);

	private static final int USERS = Integer.getInteger("faults.users", 1000);

	private static final int CHANGES = Integer.getInteger("faults.changes", 10_000);

	private static final int DELETIONS = Integer.getInteger("faults.deletions", 200);

	private static final int WATCHED = 100;

	private static final List<String> WRITER_SCOPES = List.of("purpose.personalized-recommendation",
			"purpose.marketing-push", "purpose.user-profiling", "permission.location", "permission.camera",
			"permission.notifications");

	/** Topics the services consume, each of which gets the four kinds of poison. */
	private static final List<Topic<String, ?>> CONSUMED = List.of(Topics.CONSENT_CHANGED, Topics.CONSENT_STATE,
			Topics.POLICY_PUBLISHED, Topics.DELETION_REQUESTED, Topics.ERASURE_PROGRESS, Topics.DSR_REQUESTS,
			Topics.CONSENT_WITHDRAWAL_REQUESTED, Topics.EXPORT_REQUESTED, Topics.EXPORT_FRAGMENTS,
			Topics.SHARING_DECISIONS, Topics.ANALYTICS_EVENTS_RAW);

	@TempDir
	Path dir;

	private final List<String[]> faults = Collections.synchronizedList(new ArrayList<>());

	private final List<String[]> invariants = new ArrayList<>();

	private final Random random = new Random();

	private LocalKafkaBroker broker;

	private int kafkaPort;

	private int controllerPort;

	private TcpProxy mongoProxy;

	private SystemApi api;

	private String backend;

	private final Map<String, ServiceProcess> services = new LinkedHashMap<>();

	/** Idempotency key of every accepted change: user and sequence. */
	private final Map<String, Accepted> acceptedChanges = new ConcurrentHashMap<>();

	private final AtomicLong changeRetries = new AtomicLong();

	private final AtomicLong changesSent = new AtomicLong();

	/** When each watched user's withdrawal was acknowledged (nanoTime). */
	private final Map<String, Long> withdrawalAcknowledged = new ConcurrentHashMap<>();

	private final ConcurrentLinkedQueue<Share> shares = new ConcurrentLinkedQueue<>();

	private final Map<String, String> deletionRequests = new ConcurrentHashMap<>();

	@Test
	void nothingLostNothingDoubledUnderFaults() throws Exception {
		Path logs = Path.of("target", "fault-run");
		this.kafkaPort = FreePorts.find();
		this.controllerPort = FreePorts.find();
		this.broker = LocalKafkaBroker.start(this.dir.resolve("kafka"), this.kafkaPort, this.controllerPort, Map.of());
		LocalMongoServer mongo = LocalMongoServer.start(0);
		this.mongoProxy = new TcpProxy(mongo.port());
		LocalInfrastructure infrastructure = LocalInfrastructure
			.start(new LocalInfrastructure.Settings(this.dir.resolve("unused"), 0, 0, 0, 0,
					this.broker.bootstrapServers(), "mongodb://127.0.0.1:" + this.mongoProxy.port() + "/privacy", 0));
		PartnerStub logistics = new PartnerStub("fr-logistics-" + RUN);
		ExecutorService load = Executors.newFixedThreadPool(8);
		AtomicBoolean running = new AtomicBoolean(true);
		try {
			startServices(infrastructure, logs);
			this.api = new SystemApi(infrastructure.tokenIssuer().issuer());
			this.backend = this.api.token("service", "fault-run-backend");
			registerPartner(logistics);
			String policy = currentPolicy();

			// Watched users consent to sharing; deletion users consent and share.
			List<String> watched = new ArrayList<>();
			for (int i = 0; i < WATCHED; i++) {
				watched.add("fr-" + RUN + "-w" + i);
				change(watched.get(i), policy, "sharing.service-providers", "GRANTED", UUID.randomUUID().toString());
			}
			List<String> deleting = new ArrayList<>();
			for (int i = 0; i < DELETIONS; i++) {
				deleting.add("fr-" + RUN + "-d" + i);
				change(deleting.get(i), policy, "sharing.service-providers", "GRANTED", UUID.randomUUID().toString());
			}
			System.out.printf("%nFault run %s: %d users, %d changes, %d deletions; services up%n", RUN, USERS, CHANGES,
					DELETIONS);

			// The steady load.
			AtomicInteger changesLeft = new AtomicInteger(CHANGES);
			List<java.util.concurrent.Future<?>> writers = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				writers.add(load.submit(() -> writeChanges(policy, changesLeft)));
			}
			load.submit(() -> shareContinuously(running, watched, logistics.id()));
			load.submit(() -> {
				for (String user : deleting) {
					shareUntilAllowed(user, logistics.id());
					submitDeletion(user);
				}
				return null;
			});
			load.submit(() -> {
				for (String user : watched) {
					sleep(100 + this.random.nextInt(200));
					change(user, policy, "sharing.service-providers", "WITHDRAWN", UUID.randomUUID().toString());
					this.withdrawalAcknowledged.put(user, System.nanoTime());
				}
				return null;
			});

			// The faults, one after another.
			for (ServiceProcess service : this.services.values()) {
				sleep(3000 + this.random.nextInt(4000));
				long begin = System.nanoTime();
				service.kill();
				service.start();
				service.awaitReady(Duration.ofMinutes(3));
				fault("kill -9 " + service.name() + ", restart", begin);
			}
			sleep(2000);
			long begin = System.nanoTime();
			this.broker.close();
			sleep(10_000);
			this.broker = LocalKafkaBroker.start(this.dir.resolve("kafka"), this.kafkaPort, this.controllerPort,
					Map.of());
			fault("Kafka broker stopped 10 s, started again", begin);
			sleep(3000);
			begin = System.nanoTime();
			this.mongoProxy.cut();
			sleep(30_000);
			this.mongoProxy.restore();
			fault("MongoDB unreachable 30 s", begin);
			begin = System.nanoTime();
			logistics.down(true);
			sleep(20_000);
			logistics.down(false);
			fault("partner " + logistics.id() + " down 20 s (503)", begin);
			begin = System.nanoTime();
			List<String[]> poison = PoisonRecords.send(this.broker.bootstrapServers(), infrastructure.registryUrl(),
					CONSUMED, RUN);
			fault(poison.size() + " poison records on " + CONSUMED.size() + " topics", begin);

			for (java.util.concurrent.Future<?> writer : writers) {
				writer.get(20, TimeUnit.MINUTES);
			}
			running.set(false);
			load.shutdown();
			assertThat(load.awaitTermination(20, TimeUnit.MINUTES)).as("load finished").isTrue();

			checkInvariants(logistics, poison, infrastructure);
		}
		finally {
			running.set(false);
			load.shutdownNow();
			printTable();
			for (ServiceProcess service : this.services.values()) {
				service.close();
			}
			logistics.close();
			infrastructure.close();
			this.mongoProxy.close();
			mongo.close();
			this.broker.close();
		}
		assertThat(this.invariants).as("invariants")
			.allSatisfy((row) -> assertThat(row[2]).as(row[0]).isEqualTo("held"));
	}

	private void startServices(LocalInfrastructure infrastructure, Path logs) throws Exception {
		for (String name : LocalSystemSettings.fromEnvironment(Map.of()).servicePorts().keySet()) {
			int port = FreePorts.find();
			List<String> arguments = LocalSystem.serviceArguments(name, port, infrastructure);
			if (SharingGatewayApplication.NAME.equals(name)) {
				arguments.add("--sharing.webhooks.retry-schedule=0s,1s,2s,5s,10s");
			}
			ServiceProcess service = new ServiceProcess(name, LocalSystem.applicationClass(name).getName(), port,
					arguments, logs);
			this.services.put(name, service);
			service.start();
		}
		for (ServiceProcess service : this.services.values()) {
			service.awaitReady(Duration.ofMinutes(5));
		}
	}

	// --- the load ---------------------------------------------------------------

	private Void writeChanges(String policy, AtomicInteger left) {
		Map<String, Boolean> lastAsked = new HashMap<>();
		Random random = new Random();
		while (left.getAndDecrement() > 0) {
			String user = "fr-" + RUN + "-u" + random.nextInt(USERS);
			String scope = WRITER_SCOPES.get(random.nextInt(WRITER_SCOPES.size()));
			boolean grant = !lastAsked.getOrDefault(user + scope, false);
			lastAsked.put(user + scope, grant);
			String key = UUID.randomUUID().toString();
			JsonNode answer = change(user, policy, scope, grant ? "GRANTED" : "WITHDRAWN", key);
			this.changesSent.incrementAndGet();
			if (answer.path("changed").asBoolean()) {
				this.acceptedChanges.put(key, new Accepted(user, answer.path("sequence").asLong()));
			}
		}
		return null;
	}

	/** A change, sent again with the same idempotency key until it is answered. */
	private JsonNode change(String user, String policy, String scope, String status, String key) {
		Map<String, Object> body = Map.of("policyVersion", policy, "method", "SETTINGS_TOGGLE", "sourceSystem",
				"fault-run", "changes", List.of(Map.of("scope", scope, "status", status)));
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
		while (true) {
			try {
				SystemApi.Answer answer = this.api.put(
						url(ConsentServiceApplication.NAME, "/users/" + user + "/consents"), this.backend, body,
						"Idempotency-Key", key);
				if (answer.status() == 200) {
					return answer.json();
				}
				if (answer.status() < 500) {
					throw new IllegalStateException("Refused: " + answer);
				}
			}
			catch (IllegalStateException ex) {
				if (ex.getMessage().startsWith("Refused")) {
					throw ex;
				}
			}
			this.changeRetries.incrementAndGet();
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("A change of " + user + " not accepted within 10 minutes");
			}
			sleep(200);
		}
	}

	private Void shareContinuously(AtomicBoolean running, List<String> watched, String partner) {
		Random random = new Random();
		while (running.get()) {
			String user = watched.get(random.nextInt(watched.size()));
			long sent = System.nanoTime();
			try {
				SystemApi.Answer answer = share(user, partner);
				this.shares.add(new Share(user, sent, answer.status(), answer.json().path("reason").asString()));
			}
			catch (IllegalStateException ex) {
				this.shares.add(new Share(user, sent, -1, ex.getMessage()));
			}
			sleep(20);
		}
		return null;
	}

	private SystemApi.Answer share(String user, String partner) {
		return this.api.post(url(SharingGatewayApplication.NAME, "/shares"), this.backend,
				Map.of("partnerId", partner, "userId", user, "purpose", "order-delivery", "payload",
						Map.of("orderId", "o-1", "address", "浙江省杭州市西湖区")));
	}

	private void shareUntilAllowed(String user, String partner) {
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
		while (System.nanoTime() < deadline) {
			try {
				if (share(user, partner).status() == 200) {
					return;
				}
			}
			catch (IllegalStateException ex) {
				// Down for the moment: again.
			}
			sleep(200);
		}
		throw new IllegalStateException("No share for " + user + " allowed within 10 minutes");
	}

	private void submitDeletion(String user) {
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
		while (System.nanoTime() < deadline) {
			try {
				SystemApi.Answer answer = this.api.post(url(DsrServiceApplication.NAME, "/requests"), this.backend,
						Map.of("userId", user, "type", "DELETION", "channel", "APP", "ground", "UNLAWFUL_PROCESSING",
								"identityAssertion", AccountSystem.sessionAssertion(user)));
				if (answer.status() == 201 || answer.status() == 200) {
					this.deletionRequests.put(user, answer.json().path("id").asString());
					return;
				}
				if (answer.status() < 500) {
					throw new IllegalStateException("Refused: " + answer);
				}
			}
			catch (IllegalStateException ex) {
				if (ex.getMessage().startsWith("Refused")) {
					throw ex;
				}
			}
			sleep(500);
		}
		throw new IllegalStateException("The deletion of " + user + " not accepted within 10 minutes");
	}

	// --- the invariants -----------------------------------------------------------

	private void checkInvariants(PartnerStub logistics, List<String[]> poison, LocalInfrastructure infrastructure)
			throws Exception {
		// Every service answers.
		List<String> wedged = new ArrayList<>();
		for (ServiceProcess service : this.services.values()) {
			if (!service.ready()) {
				wedged.add(service.name());
			}
		}
		invariant("no service wedged (all ready at the end)", wedged.isEmpty(),
				wedged.isEmpty() ? "4 of 4 ready" : "not ready: " + wedged);

		// Every deletion request finishes.
		String operator = this.api.token("operator", "fault-run-operator");
		Map<String, String> unfinished = new LinkedHashMap<>();
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
		Map<String, Integer> outcomes = new HashMap<>();
		for (Map.Entry<String, String> request : this.deletionRequests.entrySet()) {
			String status = null;
			while (System.nanoTime() < deadline) {
				SystemApi.Answer answer = this.api.get(
						url(DsrServiceApplication.NAME, "/requests/" + request.getValue()), operator, "X-Access-Reason",
						"fault run check");
				status = answer.json().path("status").asString();
				if ("PARTIALLY_COMPLETED".equals(status) && answer.json().path("retained").isEmpty()) {
					// Partially, then only with what is kept and why.
					status = "PARTIALLY_COMPLETED without reasons";
					break;
				}
				if (Set.of("COMPLETED", "PARTIALLY_COMPLETED").contains(status)) {
					break;
				}
				sleep(500);
			}
			outcomes.merge(status, 1, Integer::sum);
			if (!Set.of("COMPLETED", "PARTIALLY_COMPLETED").contains(status)) {
				unfinished.put(request.getValue(), status);
			}
		}
		invariant("every deletion request finished (partially: with what is kept and why)",
				unfinished.isEmpty() && this.deletionRequests.size() == DELETIONS,
				this.deletionRequests.size() + " submitted; " + outcomes + (unfinished.isEmpty() ? ""
						: "; unfinished: " + unfinished.entrySet().stream().limit(5).toList()));

		// Every partner got each webhook, signed, and its confirmation was taken.
		Set<String> webhooked = new HashSet<>();
		Set<String> confirmed = new HashSet<>();
		long badSignatures = 0;
		for (PartnerStub.Webhook webhook : logistics.webhooks()) {
			if (webhook.validSignature()) {
				webhooked.add(webhook.requestId());
			}
			else {
				badSignatures++;
			}
		}
		for (PartnerStub.Callback callback : logistics.confirmations()) {
			if (callback.answered() == 200) {
				confirmed.add(callback.requestId());
			}
		}
		Set<String> missing = new HashSet<>(this.deletionRequests.values());
		missing.removeAll(webhooked);
		Set<String> unconfirmed = new HashSet<>(this.deletionRequests.values());
		unconfirmed.removeAll(confirmed);
		invariant("the partner got every deletion webhook, signed, and confirmed it",
				missing.isEmpty() && unconfirmed.isEmpty() && badSignatures == 0,
				webhooked.size() + " requests webhooked (" + logistics.webhooks().size() + " deliveries), "
						+ confirmed.size() + " confirmed, " + badSignatures + " bad signatures"
						+ (missing.isEmpty() ? "" : ", missing " + missing.size()));

		// Every accepted change is in the ledger once, and on the topic once in effect.
		Map<String, Set<Long>> ledger = new HashMap<>();
		Set<String> users = new HashSet<>();
		this.acceptedChanges.values().forEach((change) -> users.add(change.user()));
		for (String user : users) {
			SystemApi.Answer history = this.api.get(
					url(ConsentServiceApplication.NAME, "/users/" + user + "/consents/history"), operator,
					"X-Access-Reason", "fault run check");
			Set<Long> sequences = new HashSet<>();
			history.json().forEach((entry) -> {
				if ("fault-run".equals(entry.path("sourceSystem").asString())) {
					sequences.add(entry.path("sequence").asLong());
				}
			});
			ledger.put(user, sequences);
		}
		long lost = 0;
		Map<String, Set<Long>> accepted = new HashMap<>();
		for (Accepted change : this.acceptedChanges.values()) {
			accepted.computeIfAbsent(change.user(), (u) -> new HashSet<>()).add(change.sequence());
			if (!ledger.getOrDefault(change.user(), Set.of()).contains(change.sequence())) {
				lost++;
			}
		}
		long extra = 0;
		for (Map.Entry<String, Set<Long>> entries : ledger.entrySet()) {
			Set<Long> unexpected = new HashSet<>(entries.getValue());
			unexpected.removeAll(accepted.getOrDefault(entries.getKey(), Set.of()));
			extra += unexpected.size();
		}
		invariant("every accepted consent change in the ledger, once", lost == 0 && extra == 0,
				this.changesSent.get() + " answered (" + this.changeRetries.get() + " retries with the same key), "
						+ this.acceptedChanges.size() + " of them changes, " + lost + " missing, " + extra
						+ " entries no request accounts for");

		Map<String, Set<String>> eventIds = new HashMap<>();
		long records = 0;
		for (Object value : readAll(Topics.CONSENT_CHANGED.name(), infrastructure)) {
			if (value instanceof ConsentChanged changed && changed.getSequence() != null
					&& "fault-run".equals(changed.getSourceSystem())) {
				records++;
				eventIds
					.computeIfAbsent(changed.getUserId() + "/" + changed.getSequence() + "/" + changed.getScope(),
							(k) -> new HashSet<>())
					.add(changed.getEventId().toString());
			}
		}
		long notPublished = 0;
		for (Map.Entry<String, Set<Long>> entries : ledger.entrySet()) {
			for (Long sequence : entries.getValue()) {
				boolean found = eventIds.keySet()
					.stream()
					.anyMatch((k) -> k.startsWith(entries.getKey() + "/" + sequence + "/"));
				if (!found) {
					notPublished++;
				}
			}
		}
		long doubled = eventIds.values().stream().filter((ids) -> ids.size() > 1).count();
		long ledgerEntries = ledger.values().stream().mapToLong(Set::size).sum();
		invariant("every ledger entry on the topic, once in effect (one event id)", notPublished == 0 && doubled == 0,
				ledgerEntries + " entries, " + records + " records (" + (records - eventIds.size())
						+ " redelivered with the same event id), " + notPublished + " unpublished, " + doubled
						+ " with two event ids");

		// Every user's last state on the compacted state topic is the ledger's state
		// (once
		// the state publisher has caught up: it may still be behind after the faults).
		Map<String, Set<String>> current = new HashMap<>();
		for (String user : users) {
			Set<String> scopes = new HashSet<>();
			this.api
				.get(url(ConsentServiceApplication.NAME, "/users/" + user + "/consents"), operator, "X-Access-Reason",
						"fault run check")
				.json()
				.path("consents")
				.forEach((consent) -> scopes.add(consent.path("scope").asString() + "/"
						+ consent.path("status").asString() + "/" + consent.path("sequence").asLong()));
			current.put(user, scopes);
		}
		long stale;
		long statesRead;
		long stateDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
		while (true) {
			Map<String, Set<String>> lastStates = new HashMap<>();
			statesRead = 0;
			for (Object value : readAll(Topics.CONSENT_STATE.name(), infrastructure)) {
				if (value instanceof ConsentStateRecorded state && users.contains(state.getUserId())) {
					statesRead++;
					lastStates.put(state.getUserId(),
							state.getScopes()
								.stream()
								.map((scope) -> scope.getScope() + "/" + (scope.getGranted() ? "GRANTED" : "WITHDRAWN")
										+ "/" + scope.getSequence())
								.collect(java.util.stream.Collectors.toSet()));
				}
			}
			stale = current.entrySet()
				.stream()
				.filter((user) -> !user.getValue().isEmpty() && !user.getValue().equals(lastStates.get(user.getKey())))
				.count();
			if (stale == 0 || System.nanoTime() > stateDeadline) {
				break;
			}
			sleep(1000);
		}
		invariant("every user's last state on the compacted state topic is the ledger's", stale == 0,
				users.size() + " users, " + statesRead + " states of theirs on the topic, " + stale
						+ " users whose last state is not the ledger's");

		// No share allowed after its withdrawal was acknowledged.
		long late = 0;
		long worstMillis = 0;
		long allowed = 0;
		for (Share share : this.shares) {
			Long withdrawn = this.withdrawalAcknowledged.get(share.user());
			if (share.status() == 200) {
				allowed++;
				if (withdrawn != null && share.sentAt() > withdrawn) {
					late++;
					worstMillis = Math.max(worstMillis, TimeUnit.NANOSECONDS.toMillis(share.sentAt() - withdrawn));
				}
			}
		}
		invariant("no share allowed after its withdrawal was acknowledged", late == 0,
				this.shares.size() + " share requests, " + allowed + " allowed, " + this.withdrawalAcknowledged.size()
						+ " withdrawals, " + late + " allowed after the withdrawal (latest " + worstMillis
						+ " ms after)");

		// Poison records in the dead-letter topics, with their cause.
		long parked = 0;
		List<String> notParked = new ArrayList<>();
		for (String[] sent : poison) {
			boolean found = false;
			for (ConsumerRecord<String, byte[]> dead : readRaw(sent[0] + "-dlt")) {
				if (sent[1].equals(dead.key()) && hasCause(dead)) {
					found = true;
					break;
				}
			}
			if (found) {
				parked++;
			}
			else {
				notParked.add(sent[0] + "/" + sent[2]);
			}
		}
		invariant("every poison record in its dead-letter topic with its cause", notParked.isEmpty(),
				parked + " of " + poison.size() + (notParked.isEmpty() ? "" : "; not: " + notParked));
	}

	private static boolean hasCause(ConsumerRecord<String, byte[]> record) {
		for (Header header : record.headers()) {
			if (header.key().contains("exception") || header.key().contains("cause")) {
				return true;
			}
		}
		return false;
	}

	/** Every record of a topic that decodes (poison records do not, and are skipped). */
	private List<Object> readAll(String topic, LocalInfrastructure infrastructure) {
		List<Object> values = new ArrayList<>();
		try (AvroDeserializer<Object> deserializer = new AvroDeserializer<>(null,
				Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, infrastructure.registryUrl(),
						AvroSerdeConfig.SPECIFIC_AVRO_READER, true),
				false)) {
			for (ConsumerRecord<String, byte[]> record : readRaw(topic)) {
				try {
					values.add(deserializer.deserialize(topic, record.value()));
				}
				catch (RuntimeException ex) {
					// A poison record: counted with the dead letters.
				}
			}
		}
		return values;
	}

	private List<ConsumerRecord<String, byte[]>> readRaw(String topic) {
		List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(),
				new ByteArrayDeserializer())) {
			drain(consumer, topic, records);
		}
		return records;
	}

	private <V> void drain(KafkaConsumer<String, V> consumer, String topic, List<ConsumerRecord<String, V>> into) {
		List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30))
			.stream()
			.map((info) -> new TopicPartition(topic, info.partition()))
			.toList();
		consumer.assign(partitions);
		consumer.seekToBeginning(partitions);
		Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
		while (System.nanoTime() < deadline
				&& partitions.stream().anyMatch((partition) -> consumer.position(partition) < end.get(partition))) {
			for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(500))) {
				into.add(record);
			}
		}
	}

	private Map<String, Object> consumerConfig() {
		Map<String, Object> config = new HashMap<>();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.bootstrapServers());
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
		// As the services read: states of aborted transactions are none of a user's.
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		return config;
	}

	// --- the table ----------------------------------------------------------------

	private void fault(String what, long beginNanos) {
		this.faults.add(new String[] { what, String.format("%.1f s", (System.nanoTime() - beginNanos) / 1e9) });
		System.out.printf("  fault: %s (%.1f s)%n", what, (System.nanoTime() - beginNanos) / 1e9);
	}

	private void invariant(String what, boolean held, String figures) {
		this.invariants.add(new String[] { what, figures, held ? "held" : "BROKEN" });
	}

	private void printTable() {
		StringBuilder out = new StringBuilder(
				String.format("%nFault run %s%n%n| fault injected | took |%n|---|---|%n", RUN));
		for (String[] fault : this.faults) {
			out.append("| ").append(fault[0]).append(" | ").append(fault[1]).append(" |\n");
		}
		out.append("\n| invariant | figures | result |\n|---|---|---|\n");
		for (String[] invariant : this.invariants) {
			out.append("| ")
				.append(invariant[0])
				.append(" | ")
				.append(invariant[1])
				.append(" | ")
				.append(invariant[2])
				.append(" |\n");
		}
		System.out.println(out);
	}

	// --- helpers ------------------------------------------------------------------

	private void registerPartner(PartnerStub partner) {
		SystemApi.Answer answer = this.api.put(url(SharingGatewayApplication.NAME, "/partners/" + partner.id()),
				this.api.token("operator", "fault-run-operator"), partner.registration("SERVICE_PROVIDER",
						Map.of("order-delivery", Map.of("fields", Map.of("orderId", "orders", "address", "address")))));
		assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
	}

	private String currentPolicy() {
		return this.api
			.get(url(ConsentServiceApplication.NAME, "/users/nobody/consents"), this.backend, "X-Access-Reason",
					"fault run setup")
			.json()
			.path("currentPolicyVersion")
			.asString();
	}

	private String url(String service, String path) {
		return this.services.get(service).url() + path;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	/** A share request as the load driver saw it. */
	record Share(String user, long sentAt, int status, String reason) {

	}

	/** A change the consent API accepted: whose, and the sequence number it got. */
	record Accepted(String user, long sequence) {

	}

}
