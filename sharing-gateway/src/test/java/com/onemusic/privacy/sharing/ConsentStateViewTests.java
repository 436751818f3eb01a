package com.onemusic.privacy.sharing;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

import com.onemusic.privacy.events.ConsentStateRecorded;
import com.onemusic.privacy.events.ScopeConsentState;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.platform.PrivacyService;
import com.onemusic.privacy.sharing.view.ConsentFeed;
import com.onemusic.privacy.sharing.view.ConsentView;
import com.onemusic.privacy.testsupport.TestInfrastructure;
import com.onemusic.privacy.testsupport.TopicProbe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The view and the compacted consent-state topic: a state counts like the changes of its
 * scopes (per scope the newer change wins, whatever comes first), a tombstone makes the
 * view forget the user, and a view started after the changes have left the changes topic
 * (its retention) has every consent from the states.
 */
@GatewayTest
class ConsentStateViewTests {

	/**
	 * The change of sequence number {@code n} in the states of these tests was made
	 * {@code n} seconds after this.
	 */
	private static final Instant STATES_MADE = Instant.now().minus(Duration.ofDays(1));

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final String SCOPE = "sharing.data-service-providers";

	@Autowired
	private ReactiveMongoTemplate mongo;

	@Autowired
	private ConsentView view;

	@Autowired
	private ConsentFeed feed;

	@Value("${spring.mongodb.uri}")
	private String mongoUri;

	@BeforeAll
	static void trustEvents() {
		PrivacyService.trustEventsPackage();
	}

	@Test
	void aStateCountsLikeItsChangesAndATombstoneForgetsTheUser() {
		String user = GatewayFixtures.user();
		long granted = GatewayFixtures.nextSequence();
		TopicProbe.publish(Topics.CONSENT_STATE.name(), user, state(user, granted, scope(SCOPE, true, granted)));
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.view.user(user).block(WAIT).consent(SCOPE))
				.hasValueSatisfying((consent) -> assertThat(consent.granted()).isTrue()));

		GatewayFixtures.withdraw(user, SCOPE);
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.view.user(user).block(WAIT).consent(SCOPE))
				.hasValueSatisfying((consent) -> assertThat(consent.granted()).isFalse()));

		// The older state again (a replay), then a newer one that adds a scope: once the
		// newer one is in, the older one was taken before it, and changed nothing.
		TopicProbe.publish(Topics.CONSENT_STATE.name(), user, state(user, granted, scope(SCOPE, true, granted)));
		long later = GatewayFixtures.nextSequence();
		TopicProbe.publish(Topics.CONSENT_STATE.name(), user,
				state(user, later, scope(SCOPE, true, granted), scope("sharing.merchants", true, later)));
		await().atMost(WAIT).until(() -> this.view.user(user).block(WAIT).consent("sharing.merchants").isPresent());
		assertThat(this.view.user(user).block(WAIT).consent(SCOPE)).as("the withdrawal is the newer change")
			.hasValueSatisfying((consent) -> assertThat(consent.granted()).isFalse());

		TopicProbe.publish(Topics.CONSENT_STATE.name(), user, null);
		await().atMost(WAIT)
			.until(() -> this.mongo.findById(user, Document.class, ConsentView.USERS).block(WAIT) == null);
		assertThat(this.view.user(user).block(WAIT).isEmpty()).as("forgotten by the cache too").isTrue();
	}

	/**
	 * A transaction another service left open on the changes topic (its records not
	 * published yet) does not hold the view back: it is complete once it holds what is
	 * published, and it never takes the records of a transaction that was aborted.
	 */
	@Test
	void aTransactionLeftOpenDoesNotHoldTheViewBackAndAnAbortedOneIsNeverTaken() throws Exception {
		String aborted = GatewayFixtures.user();
		try (KafkaProducer<String, Object> producer = TopicProbe.transactionalProducer()) {
			producer.beginTransaction();
			producer
				.send(new ProducerRecord<>(Topics.CONSENT_CHANGED.name(), aborted,
						GatewayFixtures.consent(aborted, SCOPE, true, GatewayFixtures.POLICY)))
				.get(30, TimeUnit.SECONDS);
			assertThat(this.feed.caughtUpSince(Instant.now(), Duration.ofSeconds(10)).block(WAIT))
				.as("complete while the transaction is open")
				.isTrue();
			producer.abortTransaction();
		}
		String after = GatewayFixtures.user();
		GatewayFixtures.grant(after, SCOPE);
		await().atMost(WAIT).until(() -> this.view.user(after).block(WAIT).consent(SCOPE).isPresent());
		assertThat(this.view.user(aborted).block(WAIT).consent(SCOPE)).as("the aborted grant").isEmpty();
	}

	/**
	 * The changes topic keeps a retention period; a view that starts afresh after a grant
	 * left it (here: the records deleted, as retention does) finds it in the states, and
	 * counts as complete only once it has read them: the user's state comes after
	 * thousands of others, and is in the view the first moment the view says it is
	 * complete.
	 */
	@Test
	void aViewStartedAfterTheChangesLeftTheTopicHasEveryConsentFromTheStates() throws Exception {
		String user = GatewayFixtures.user();
		long sequence = GatewayFixtures.nextSequence();
		TopicProbe.publish(Topics.CONSENT_CHANGED.name(), user,
				GatewayFixtures.consent(user, SCOPE, true, GatewayFixtures.POLICY));
		Map<String, ConsentStateRecorded> states = new LinkedHashMap<>();
		for (int i = 0; i < 3000; i++) {
			String other = GatewayFixtures.user();
			long otherSequence = GatewayFixtures.nextSequence();
			states.put(other, state(other, otherSequence, scope("sharing.merchants", true, otherSequence)));
		}
		states.put(user, state(user, sequence, scope(SCOPE, true, sequence)));
		// In a transaction, as consent-service publishes them: each partition ends with
		// its commit marker, which is no record.
		TopicProbe.publishAllInTransaction(Topics.CONSENT_STATE.name(), states);
		deleteEverythingOn(Topics.CONSENT_CHANGED.name());

		String database = "gateway-fresh-" + UUID.randomUUID().toString().substring(0, 8);
		String fresh = this.mongoUri.replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
		assertThat(fresh).as("another database").isNotEqualTo(this.mongoUri);
		try (ConfigurableApplicationContext next = PrivacyService
			.builder(SharingGatewayApplication.class, SharingGatewayApplication.NAME)
			.run(TestInfrastructure.instanceArguments(fresh))) {
			ConsentFeed feed = next.getBean(ConsentFeed.class);
			await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> feed.lag() != null);
			assertThat(next.getBean(ConsentView.class).user(user).block(WAIT).consent(SCOPE))
				.as("the grant, from the state topic alone")
				.hasValueSatisfying((consent) -> assertThat(consent.granted()).isTrue());
		}
	}

	private static void deleteEverythingOn(String topic) throws Exception {
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().bootstrapServers()))) {
			Set<TopicPartition> partitions = admin.describeTopics(List.of(topic))
				.allTopicNames()
				.get(30, TimeUnit.SECONDS)
				.get(topic)
				.partitions()
				.stream()
				.map((partition) -> new TopicPartition(topic, partition.partition()))
				.collect(Collectors.toSet());
			Map<TopicPartition, RecordsToDelete> ends = admin
				.listOffsets(partitions.stream()
					.collect(Collectors.toMap((partition) -> partition, (partition) -> OffsetSpec.latest())))
				.all()
				.get(30, TimeUnit.SECONDS)
				.entrySet()
				.stream()
				.collect(Collectors.toMap(Map.Entry::getKey,
						(end) -> RecordsToDelete.beforeOffset(end.getValue().offset())));
			admin.deleteRecords(ends).all().get(30, TimeUnit.SECONDS);
		}
	}

	private static ConsentStateRecorded state(String user, long sequence, ScopeConsentState... scopes) {
		return ConsentStateRecorded.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(Instant.now())
			.setUserId(user)
			.setSequence(sequence)
			.setScopes(List.of(scopes))
			.build();
	}

	/**
	 * A scope's state as the ledger set it: the same sequence number always with the same
	 * time (a state published again carries the time its change was made), and before the
	 * changes the tests publish now.
	 */
	private static ScopeConsentState scope(String scope, boolean granted, long sequence) {
		return new ScopeConsentState(scope, granted, GatewayFixtures.POLICY, sequence,
				STATES_MADE.plusSeconds(sequence));
	}

}
