package com.onemusic.privacy.sharing;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.events.ExportFragmentReported;
import com.onemusic.privacy.events.ExportFragmentStatus;
import com.onemusic.privacy.events.PartnerCategory;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.platform.PlatformAutoConfiguration;
import com.onemusic.privacy.platform.PrivacyService;
import com.onemusic.privacy.platform.messaging.Listeners;
import com.onemusic.privacy.sharing.partner.PartnerRegistry;
import com.onemusic.privacy.sharing.share.ShareDecisions;
import com.onemusic.privacy.sharing.share.ShareLogProjection;
import com.onemusic.privacy.sharing.view.ConsentFeed;
import com.onemusic.privacy.sharing.view.ConsentView;
import com.onemusic.privacy.testsupport.TestEvents;
import com.onemusic.privacy.testsupport.TestInfrastructure;
import com.onemusic.privacy.testsupport.TopicProbe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The consent view: fails closed for sensitive data when behind, sends a poison record to
 * the dead-letter topic and goes on, and a new instance starts from the stored position
 * instead of reading all history again. Also the gateway's part of a data export.
 */
@GatewayTest
class ConsentViewTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final Duration STALENESS = Duration.ofMillis(250);

	/**
	 * The gateway's rules for partners of insight-metrics' category, with a staleness.
	 */
	private static final ShareDecisions.Rules RULES = new ShareDecisions.Rules(
			Map.of(PartnerCategory.DATA_SERVICE_PROVIDER, "sharing.data-service-providers"), "sharing.sensitive",
			Set.of("precise-location"), Duration.ofSeconds(2), STALENESS);

	@Autowired
	private WebTestClient web;

	@Value(ShareLogProjection.GROUP)
	private String shareLogGroup;

	@Autowired
	private ReactiveMongoTemplate mongo;

	@Autowired
	private PartnerRegistry partners;

	@Autowired
	private ConsentView view;

	@Autowired
	private ConsentFeed feed;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private KafkaListenerEndpointRegistry listeners;

	@Value("${spring.mongodb.uri}")
	private String mongoUri;

	@BeforeAll
	static void trustEvents() {
		PrivacyService.trustEventsPackage();
	}

	@Test
	void everyShareFailsClosedWhileTheViewCannotShowItHoldsEveryEarlierChange() {
		String user = GatewayFixtures.user();
		GatewayFixtures.grant(user, "sharing.data-service-providers", "sharing.sensitive");
		await().atMost(WAIT).until(() -> this.view.user(user).block(WAIT).consent("sharing.sensitive").isPresent());
		Map<String, Object> payload = Map.of("deviceModel", "Mate 60", "preciseLocation", "39.9,116.4");

		ShareDecisions behind = new ShareDecisions(this.mongo, this.partners, this.view,
				(since, within) -> Mono.just(false), RULES, (entry) -> Mono.empty(), Clock.systemUTC());
		ShareDecisions.Decision denied = behind.decide("insight-metrics", user, "nearby-statistics", payload)
			.block(WAIT);
		assertThat(denied.entry().allowed()).isFalse();
		assertThat(denied.entry().reason()).isEqualTo("CONSENT_VIEW_BEHIND");
		assertThat(behind.decide("insight-metrics", user, "nearby-statistics", Map.of("deviceModel", "Mate 60"))
			.block(WAIT)
			.entry()
			.reason()).as("data that is not sensitive does not go either").isEqualTo("CONSENT_VIEW_BEHIND");

		ShareDecisions current = new ShareDecisions(this.mongo, this.partners, this.view, this.feed, RULES,
				(entry) -> Mono.empty(), Clock.systemUTC());
		assertThat(current.decide("insight-metrics", user, "nearby-statistics", payload).block(WAIT).entry().allowed())
			.isTrue();
	}

	/**
	 * A share of sensitive data needs the view shown to hold every change made before the
	 * request; a share of other data every change made more than max-staleness before it,
	 * which the view's scheduled probes show, so it need not wait for a read of its own.
	 */
	@Test
	void onlyASensitiveShareNeedsTheViewShownCompleteAfterTheRequestCame() {
		String user = GatewayFixtures.user();
		GatewayFixtures.grant(user, "sharing.data-service-providers", "sharing.sensitive");
		await().atMost(WAIT).until(() -> this.view.user(user).block(WAIT).consent("sharing.sensitive").isPresent());
		Instant now = Instant.parse("2026-11-30T08:00:00Z");
		List<Instant> asked = new CopyOnWriteArrayList<>();
		ShareDecisions decisions = new ShareDecisions(this.mongo, this.partners, this.view, (since, within) -> {
			asked.add(since);
			return Mono.just(false);
		}, RULES, (entry) -> Mono.empty(), Clock.fixed(now, ZoneOffset.UTC));

		ShareDecisions.Decision sensitive = decisions
			.decide("insight-metrics", user, "nearby-statistics",
					Map.of("deviceModel", "Mate 60", "preciseLocation", "39.9,116.4"))
			.block(WAIT);
		ShareDecisions.Decision other = decisions
			.decide("insight-metrics", user, "nearby-statistics", Map.of("deviceModel", "Mate 60"))
			.block(WAIT);

		assertThat(asked).containsExactly(now, now.minus(STALENESS));
		assertThat(sensitive.entry().detail()).contains("every consent change made before this request");
		assertThat(other.entry().detail()).contains("every consent change made more than 250 ms before this request");
	}

	/**
	 * With the real feed: a withdrawal acknowledged max-staleness before a share of data
	 * that is not sensitive is in the view the share is decided on.
	 */
	@Test
	void aWithdrawalAcknowledgedMaxStalenessBeforeAShareIsAlwaysSeen() {
		// The decisions' clock runs max-staleness ahead: each share is decided as if it
		// came max-staleness after the withdrawal was acknowledged, without the wait.
		ShareDecisions decisions = new ShareDecisions(this.mongo, this.partners, this.view, this.feed, RULES,
				(entry) -> Mono.empty(), Clock.offset(Clock.systemUTC(), STALENESS));
		for (int i = 0; i < 10; i++) {
			String user = GatewayFixtures.user();
			GatewayFixtures.grant(user, "sharing.data-service-providers");
			GatewayFixtures.withdraw(user, "sharing.data-service-providers");
			ShareDecisions.Decision decision = decisions
				.decide("insight-metrics", user, "nearby-statistics", Map.of("deviceModel", "Mate 60"))
				.block(WAIT);
			assertThat(decision.entry().reason()).isEqualTo("CONSENT_MISSING");
			assertThat(decision.entry().detail()).as("the withdrawal, not only the grant, is in the view")
				.contains("withdrew sharing.data-service-providers");
		}
	}

	/**
	 * A decision's two waits end on threads that serve every decision: the view's probe
	 * and the Kafka producer's I/O thread. The decision goes on elsewhere, so that
	 * neither is held up by it.
	 */
	@Test
	void aDecisionGoesOnOffTheThreadsThatEndItsWaits() {
		String user = GatewayFixtures.user();
		GatewayFixtures.grant(user, "sharing.data-service-providers");
		await().atMost(WAIT)
			.until(() -> this.view.user(user).block(WAIT).consent("sharing.data-service-providers").isPresent());
		ExecutorService probe = Executors.newSingleThreadExecutor((task) -> new Thread(task, "test-view-probe"));
		ExecutorService producer = Executors
			.newSingleThreadExecutor((task) -> new Thread(task, "test-producer-network-thread"));
		try {
			AtomicReference<String> recordedIn = new AtomicReference<>();
			ShareDecisions decisions = new ShareDecisions(this.mongo, this.partners, this.view,
					(since, within) -> Mono.fromCallable(() -> true).subscribeOn(Schedulers.fromExecutor(probe)), RULES,
					(entry) -> {
						recordedIn.set(Thread.currentThread().getName());
						return Mono.<Void>fromRunnable(() -> {
						}).subscribeOn(Schedulers.fromExecutor(producer));
					}, Clock.systemUTC());
			String answeredIn = decisions
				.decide("insight-metrics", user, "nearby-statistics", Map.of("deviceModel", "P70"))
				.map((decision) -> Thread.currentThread().getName())
				.block(WAIT);
			assertThat(recordedIn.get()).isNotEqualTo("test-view-probe");
			assertThat(answeredIn).isNotEqualTo("test-producer-network-thread");
		}
		finally {
			probe.shutdownNow();
			producer.shutdownNow();
		}
	}

	/**
	 * The feed answers "caught up since" only with a read of the topics' end offsets made
	 * after the instant asked about, and only once the view has taken everything up to
	 * them: a withdrawal published before the instant is in the view when it says yes.
	 */
	@Test
	void aDecisionSeesEveryChangePublishedBeforeItWasAsked() {
		double probes = this.meters.get("sharing.consent.view.probes").functionCounter().count();
		for (int i = 0; i < 30; i++) {
			String user = GatewayFixtures.user();
			GatewayFixtures.grant(user, "sharing.data-service-providers");
			GatewayFixtures.withdraw(user, "sharing.data-service-providers");
			// Published (acknowledged by Kafka) before this instant.
			Instant since = Instant.now();
			assertThat(this.feed.caughtUpSince(since, Duration.ofSeconds(10)).block(WAIT)).isTrue();
			assertThat(this.view.user(user).block(WAIT).consent("sharing.data-service-providers"))
				.as("the withdrawal is in the view")
				.hasValueSatisfying((consent) -> assertThat(consent.granted()).isFalse());
		}
		assertThat(this.meters.get("sharing.consent.view.probes").functionCounter().count() - probes)
			.as("a read of the end offsets started after each wait began")
			.isGreaterThanOrEqualTo(30);
		assertThat(this.feed.caughtUpSince(Instant.now().plusSeconds(3600), Duration.ofMillis(300)).block(WAIT))
			.as("not caught up since an instant no probe has passed")
			.isFalse();
	}

	@Test
	void aPoisonRecordGoesToTheDeadLetterTopicAndTheViewGoesOn() {
		String poisoned = "poison-" + UUID.randomUUID();
		TopicProbe.publishRaw(Topics.CONSENT_CHANGED.name(), poisoned, new byte[] { 0, 0, 0, 0x7f, 0x7f, 1, 2 });
		String user = GatewayFixtures.user();
		GatewayFixtures.grant(user, "sharing.merchants");
		await().atMost(WAIT).until(() -> this.view.user(user).block(WAIT).consent("sharing.merchants").isPresent());
		List<ConsumerRecord<String, byte[]>> dead = TopicProbe.readRaw(Topics.CONSENT_CHANGED.deadLetterTopic(),
				(record) -> poisoned.equals(record.key()), 1, WAIT);
		assertThat(dead).isNotEmpty();
		assertThat(new String(dead.get(0).headers().lastHeader(PlatformAutoConfiguration.ROOT_CAUSE_HEADER).value(),
				java.nio.charset.StandardCharsets.UTF_8))
			.isNotBlank();
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.feed.lag()).isLessThan(Duration.ofSeconds(2)));
	}

	/**
	 * A partition added to the consent topic while the gateway runs: the view reads it,
	 * and counts as complete only with it, so a withdrawal that lands there is in the
	 * view when the feed says it has caught up.
	 */
	@Test
	void aPartitionAddedWhileRunningIsReadAndCountsForCompleteness() throws Exception {
		String user = GatewayFixtures.user();
		String scope = "sharing.business-partners";
		GatewayFixtures.grant(user, scope);
		await().atMost(WAIT).until(() -> this.view.user(user).block(WAIT).consent(scope).isPresent());
		String topic = Topics.CONSENT_CHANGED.name();
		TopicPartition added;
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().bootstrapServers()))) {
			int partitions = admin.describeTopics(List.of(topic))
				.allTopicNames()
				.get(30, TimeUnit.SECONDS)
				.get(topic)
				.partitions()
				.size();
			added = new TopicPartition(topic, partitions);
			admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions + 1)))
				.all()
				.get(30, TimeUnit.SECONDS);
		}
		// A producer that learnt of the new partition at once puts the withdrawal there.
		TopicProbe.publish(topic, added.partition(), user,
				GatewayFixtures.consent(user, scope, false, GatewayFixtures.POLICY));
		await().atMost(WAIT).until(() -> this.feed.positions().containsKey(added));
		assertThat(this.feed.caughtUpSince(Instant.now(), Duration.ofSeconds(10)).block(WAIT)).isTrue();
		assertThat(this.view.user(user).block(WAIT).consent(scope))
			.as("the withdrawal on the new partition is in the view")
			.hasValueSatisfying((consent) -> assertThat(consent.granted()).isFalse());
	}

	@Test
	void aNewInstanceStartsFromTheStoredPositionWithTheStoredView() {
		String user = GatewayFixtures.user();
		GatewayFixtures.grant(user, "sharing.affiliates");
		await().atMost(WAIT).until(() -> this.view.user(user).block(WAIT).consent("sharing.affiliates").isPresent());
		long taken = this.feed.taken();
		// Positions are stored every second.
		await().atMost(WAIT)
			.until(() -> this.mongo.findAll(Document.class, ConsentFeed.POSITIONS)
				.map((document) -> document.get("offset", Number.class).longValue())
				.reduce(0L, Long::sum)
				.block(WAIT) >= this.feed.positions().values().stream().mapToLong(Long::longValue).sum());
		try (ConfigurableApplicationContext next = PrivacyService
			.builder(SharingGatewayApplication.class, SharingGatewayApplication.NAME)
			.run(TestInfrastructure.instanceArguments(this.mongoUri))) {
			ConsentFeed restarted = next.getBean(ConsentFeed.class);
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(restarted.lag()).isNotNull().isLessThan(Duration.ofSeconds(2)));
			assertThat(restarted.taken()).as("records read again after the stored position")
				.isLessThan(Math.max(1, taken / 2));
			assertThat(next.getBean(ConsentView.class).user(user).block(WAIT).consent("sharing.affiliates"))
				.as("the stored view answers for the user")
				.isPresent();
		}
	}

	@Test
	void anExportListsThePartnersThatReceivedTheUsersData() throws Exception {
		String user = GatewayFixtures.user();
		GatewayFixtures.grant(user, "sharing.service-providers");
		await().atMost(WAIT)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.web.post()
				.uri("/shares")
				.bodyValue(Map.of("partnerId", "swift-logistics", "userId", user, "purpose", "order-delivery",
						"payload", Map.of("orderId", "O-9", "contactPhone", "13800138000")))
				.exchange()
				.returnResult(String.class)
				.getStatus()
				.value() == 200);
		TopicProbe.publish(Topics.EXPORT_REQUESTED.name(), user,
				TestEvents.exportRequested(user, "dsr-" + UUID.randomUUID(), "sharing-gateway"));
		ExportFragmentReported fragment = (ExportFragmentReported) TopicProbe
			.read(Topics.EXPORT_FRAGMENTS.name(), (record) -> user.equals(record.key()), 1, WAIT)
			.get(0)
			.value();
		assertThat(fragment.getStatus()).isEqualTo(ExportFragmentStatus.DONE);
		assertThat(fragment.getParticipant()).isEqualTo("sharing-gateway");
		var content = tools.jackson.databind.json.JsonMapper.builder().build().readTree(fragment.getContent());
		assertThat(content.at("/recipients/0/partnerId").asString()).isEqualTo("swift-logistics");
		assertThat(content.at("/recipients/0/partnerName").asString()).isEqualTo("Swift Logistics (example)");
		assertThat(content.at("/recipients/0/shares").asLong()).isEqualTo(1);
		assertThat(fragment.getContent()).contains("contactPhone").doesNotContain("13800138000");

		String nobody = GatewayFixtures.user();
		TopicProbe.publish(Topics.EXPORT_REQUESTED.name(), nobody,
				TestEvents.exportRequested(nobody, "dsr-" + UUID.randomUUID(), "sharing-gateway"));
		assertThat(((ExportFragmentReported) TopicProbe
			.read(Topics.EXPORT_FRAGMENTS.name(), (record) -> nobody.equals(record.key()), 1, WAIT)
			.get(0)
			.value()).getStatus()).isEqualTo(ExportFragmentStatus.NOTHING_HELD);
	}

	/**
	 * An export asked for right after a share lists it, though the share log's projection
	 * has not stored it yet: the export waits until the log holds every decision recorded
	 * before it.
	 */
	@Test
	void anExportWaitsForTheShareLogToHoldEveryEarlierDecision() throws Exception {
		String user = GatewayFixtures.user();
		GatewayFixtures.grant(user, "sharing.service-providers");
		await().atMost(WAIT)
			.until(() -> this.view.user(user).block(WAIT).consent("sharing.service-providers").isPresent());
		GatewayFixtures.withShareLogPaused(this.listeners, () -> {
			shareOrder(user);
			requestExportUnansweredFor2Seconds(user, "no answer while the share log does not hold the share");
		});
		assertExportListsOneShare(user, WAIT);
	}

	/**
	 * A member of the share log's consumer group that stops without leaving it (a crashed
	 * or hung instance) holds its partitions until the group takes them from it: an
	 * export of a user on such a partition waits, and once the projection owns the
	 * partition again and has stored the decision, the export lists it.
	 */
	@Test
	void anExportWaitsForAPartitionOfTheShareLogHeldByAMemberThatStopped() throws Exception {
		String topic = Topics.SHARING_DECISIONS.name();
		// A user on each partition, granted beforehand: once the member stops, the share
		// and the request come at once, well within its poll interval.
		Map<Integer, String> users = grantedUserOnEachPartition(topic);
		try (KafkaConsumer<String, byte[]> stopped = shareLogMember(Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
				6000, ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 6000))) {
			awaitPartitions(stopped, topic);
			// Nothing is read, nothing committed: from here on it does not poll, and the
			// group takes its partitions away when its poll interval ends.
			String sharer = users.get(stopped.assignment().iterator().next().partition());
			assertExportWaitsThenListsTheShareInItsFirstTry(sharer, "a member that stopped",
					"the group gave the partition to the projection while the request waited");
		}
	}

	@Test
	void anExportWaitsForAPartitionOfTheShareLogHeldByAMemberThatDiedNoLongerThanItsFirstTry() throws Exception {
		String topic = Topics.SHARING_DECISIONS.name();
		Map<Integer, String> users = grantedUserOnEachPartition(topic);
		Object sessionTimeout = this.listeners.getListenerContainer(ShareLogProjection.LISTENER)
			.getContainerProperties()
			.getKafkaConsumerProperties()
			.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
		assertThat(sessionTimeout).as("the projection's consumers' session timeout").isNotNull();
		// A member configured as the projection's consumers are, its process killed: its
		// heartbeats stop and it never says it leaves, so the group waits out its session
		// timeout.
		String clientId = "died-" + UUID.randomUUID();
		KafkaConsumer<String, byte[]> died = shareLogMember(Map.of(ConsumerConfig.CLIENT_ID_CONFIG, clientId,
				ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, sessionTimeout));
		String sharer;
		try {
			awaitPartitions(died, topic);
			sharer = users.get(died.assignment().iterator().next().partition());
		}
		finally {
			died.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP));
		}
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().bootstrapServers()))) {
			assertThat(admin.describeConsumerGroups(List.of(this.shareLogGroup))
				.describedGroups()
				.get(this.shareLogGroup)
				.get(10, TimeUnit.SECONDS)
				.members()).as("the member that died is still one of the group")
				.anyMatch((member) -> clientId.equals(member.clientId()));
		}
		assertExportWaitsThenListsTheShareInItsFirstTry(sharer, "a member that died",
				"the group's session timeout for the member that died ended while the request waited");
	}

	/**
	 * A consumer in the share log's group, committing nothing, with the settings given.
	 */
	private KafkaConsumer<String, byte[]> shareLogMember(Map<String, Object> settings) {
		Map<String, Object> config = new HashMap<>(settings);
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().bootstrapServers());
		config.put(ConsumerConfig.GROUP_ID_CONFIG, this.shareLogGroup);
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
	}

	/**
	 * The user is shared with, on a partition another member of the share log's group
	 * holds; an export asked for at once is not answered while it holds it, and lists the
	 * share within the request's first try.
	 */
	private void assertExportWaitsThenListsTheShareInItsFirstTry(String sharer, String holder, String because) {
		shareOrder(sharer);
		long requested = System.nanoTime();
		requestExportUnansweredFor2Seconds(sharer, "no answer while " + holder + " holds the share's partition");
		assertExportListsOneShare(sharer, WAIT.multipliedBy(2));
		assertThat(Duration.ofNanos(System.nanoTime() - requested))
			.as("answered in the request's first try: " + because)
			.isLessThan(Listeners.TIMEOUT);
	}

	/**
	 * A user on each partition of the topic (by the producer's default partitioner),
	 * granted sharing with service providers, once the view holds each grant.
	 */
	private Map<Integer, String> grantedUserOnEachPartition(String topic) {
		Map<Integer, String> users = new HashMap<>();
		try (KafkaConsumer<String, byte[]> consumer = TopicProbe.rawConsumer()) {
			int partitions = consumer.partitionsFor(topic).size();
			while (users.size() < partitions) {
				String user = GatewayFixtures.user();
				users.putIfAbsent(Utils.toPositive(Utils.murmur2(user.getBytes(StandardCharsets.UTF_8))) % partitions,
						user);
			}
		}
		users.values().forEach((user) -> GatewayFixtures.grant(user, "sharing.service-providers"));
		await().atMost(WAIT)
			.until(() -> users.values()
				.stream()
				.allMatch((user) -> this.view.user(user).block(WAIT).consent("sharing.service-providers").isPresent()));
		return users;
	}

	/**
	 * Subscribes the consumer to the topic and polls until the group gave it partitions.
	 */
	private static void awaitPartitions(KafkaConsumer<String, byte[]> consumer, String topic) {
		consumer.subscribe(List.of(topic));
		await().atMost(WAIT).until(() -> {
			consumer.poll(Duration.ofMillis(100));
			return !consumer.assignment().isEmpty();
		});
	}

	/** An allowed share of an order of the user to swift-logistics. */
	private void shareOrder(String user) {
		assertThat(this.web.post()
			.uri("/shares")
			.bodyValue(Map.of("partnerId", "swift-logistics", "userId", user, "purpose", "order-delivery", "payload",
					Map.of("orderId", "O-10")))
			.exchange()
			.returnResult(String.class)
			.getStatus()
			.value()).isEqualTo(200);
	}

	private static void requestExportUnansweredFor2Seconds(String user, String why) {
		TopicProbe.publish(Topics.EXPORT_REQUESTED.name(), user,
				TestEvents.exportRequested(user, "dsr-" + UUID.randomUUID(), "sharing-gateway"));
		assertThat(TopicProbe.read(Topics.EXPORT_FRAGMENTS.name(), (record) -> user.equals(record.key()), 1,
				Duration.ofSeconds(2)))
			.as(why)
			.isEmpty();
	}

	/** The gateway's part of the user's export lists the one share to swift-logistics. */
	private static void assertExportListsOneShare(String user, Duration within) {
		ExportFragmentReported fragment = (ExportFragmentReported) TopicProbe
			.read(Topics.EXPORT_FRAGMENTS.name(), (record) -> user.equals(record.key()), 1, within)
			.get(0)
			.value();
		assertThat(fragment.getStatus()).isEqualTo(ExportFragmentStatus.DONE);
		var content = tools.jackson.databind.json.JsonMapper.builder().build().readTree(fragment.getContent());
		assertThat(content.at("/recipients/0/partnerId").asString()).isEqualTo("swift-logistics");
		assertThat(content.at("/recipients/0/shares").asLong()).isEqualTo(1);
	}

}
