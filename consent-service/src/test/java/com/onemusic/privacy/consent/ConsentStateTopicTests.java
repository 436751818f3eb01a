package com.onemusic.privacy.consent;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.consent.messaging.ConsentStatePublisher;
import com.onemusic.privacy.events.ConsentChanged;
import com.onemusic.privacy.events.ConsentMethod;
import com.onemusic.privacy.events.ConsentStateRecorded;
import com.onemusic.privacy.events.ConsentStatus;
import com.onemusic.privacy.events.ScopeConsentState;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;
import com.onemusic.privacy.testsupport.TestInfrastructure;
import com.onemusic.privacy.testsupport.TopicProbe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The compacted state topic, from which consent views start: after every change the
 * ledger publishes, the user's whole state (every scope, not only the changed one) is the
 * user's last record there, with the sequence number it reflects.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + ConsentServiceApplication.NAME)
class ConsentStateTopicTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Autowired
	private WebTestClient web;

	@Test
	void theStateTopicIsCompactedAndTheChangesTopicIsNot() throws Exception {
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().bootstrapServers()))) {
			ConfigResource state = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CONSENT_STATE.name());
			ConfigResource changes = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CONSENT_CHANGED.name());
			Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(state, changes)).all().get();
			assertThat(configs.get(state).get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
				.isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
			assertThat(configs.get(state).get(TopicConfig.DELETE_RETENTION_MS_CONFIG).value()).isEqualTo("2592000000");
			assertThat(configs.get(state).get(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG).value()).isEqualTo("604800000");
			assertThat(configs.get(changes).get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
				.isEqualTo(TopicConfig.CLEANUP_POLICY_DELETE);
		}
	}

	@Test
	void afterEveryChangeTheUsersWholeStateIsTheirLastRecordOnTheStateTopic() {
		String user = ConsentApiTests.user();
		ConsentApiTests.put(this.web, user,
				ConsentApiTests.body("EXPLICIT_TICK", ConsentApiTests.change("purpose.marketing-push", "GRANTED"),
						ConsentApiTests.change("permission.location", "GRANTED")));
		ConsentApiTests.put(this.web, user,
				ConsentApiTests.body("SETTINGS_TOGGLE", ConsentApiTests.change("permission.location", "WITHDRAWN")));

		await().atMost(WAIT).untilAsserted(() -> assertThat(last(user).getSequence()).isEqualTo(2L));
		List<ConsumerRecord<String, Object>> states = states(user);
		assertThat(states).extracting((record) -> ((ConsentStateRecorded) record.value()).getSequence())
			.as("never an older state after a newer one")
			.isSorted();
		ConsentStateRecorded last = (ConsentStateRecorded) states.get(states.size() - 1).value();
		assertThat(last.getUserId()).isEqualTo(user);
		Map<String, ScopeConsentState> scopes = last.getScopes()
			.stream()
			.collect(Collectors.toMap(ScopeConsentState::getScope, (scope) -> scope));
		assertThat(scopes).containsOnlyKeys("purpose.marketing-push", "permission.location");
		ScopeConsentState marketing = scopes.get("purpose.marketing-push");
		assertThat(marketing.getGranted()).as("a scope the last change did not touch").isTrue();
		assertThat(marketing.getSequence()).isEqualTo(1L);
		assertThat(marketing.getPolicyVersion()).isEqualTo("2026.01");
		ScopeConsentState location = scopes.get("permission.location");
		assertThat(location.getGranted()).isFalse();
		assertThat(location.getSequence()).isEqualTo(2L);

		ConsentChanged withdrawal = TopicProbe.read(Topics.CONSENT_CHANGED.name(),
				(record) -> user.equals(record.key()) && ((ConsentChanged) record.value()).getSequence() == 2L, 1, WAIT)
			.stream()
			.map((record) -> (ConsentChanged) record.value())
			.findFirst()
			.orElseThrow();
		assertThat(location.getChangedAt()).as("the time of the change, as on its ConsentChanged")
			.isEqualTo(withdrawal.getOccurredAt());
	}

	@Test
	void aSubmissionOfAnotherServiceReachesTheStateTopicOnceRecordedAndPoisonDoesNotStopIt() {
		String user = ConsentApiTests.user();
		TopicProbe.publishRaw(Topics.CONSENT_CHANGED.name(), user, new byte[] { 9, 9, 9, 9, 9, 9 });
		TopicProbe.publish(Topics.CONSENT_CHANGED.name(), user,
				cameraGranted(user, ConsentMethod.OS_PERMISSION_PROMPT, "app-backend", null));

		await().atMost(WAIT).untilAsserted(() -> assertThat(last(user).getSequence()).isEqualTo(1L));
		assertThat(last(user).getScopes()).singleElement().satisfies((scope) -> {
			assertThat(scope.getScope()).isEqualTo("permission.camera");
			assertThat(scope.getGranted()).isTrue();
		});
	}

	/**
	 * A change with a sequence number that the ledger does not hold (another system
	 * publishing as if it were the ledger) publishes nothing: above all no tombstone,
	 * which would make consent views forget the user. States come only from the ledger.
	 */
	@Test
	void aSequencedChangeTheLedgerDoesNotHoldPublishesNoState() throws Exception {
		String user = ConsentApiTests.user();
		TopicProbe.publish(Topics.CONSENT_CHANGED.name(), user,
				cameraGranted(user, ConsentMethod.EXPLICIT_TICK, "consent-service", 7L));
		awaitStatePublisherPast(endOffsets(Topics.CONSENT_CHANGED.name()));
		assertThat(TopicProbe.read(Topics.CONSENT_STATE.name(), (record) -> user.equals(record.key()), 1,
				Duration.ofSeconds(2)))
			.as("nothing published for a user without a ledger")
			.isEmpty();

		ConsentApiTests.put(this.web, user,
				ConsentApiTests.body("EXPLICIT_TICK", ConsentApiTests.change("purpose.marketing-push", "GRANTED")));
		await().atMost(WAIT).untilAsserted(() -> assertThat(last(user).getSequence()).isEqualTo(1L));
		assertThat(states(user)).extracting(ConsumerRecord::value).allSatisfy((value) -> {
			assertThat(value).as("no tombstone").isNotNull();
			assertThat(((ConsentStateRecorded) value).getScopes()).extracting(ScopeConsentState::getScope)
				.as("the ledger's state, without the change it does not hold")
				.containsExactly("purpose.marketing-push");
		});
	}

	private static Map<TopicPartition, Long> endOffsets(String topic) {
		try (KafkaConsumer<String, byte[]> consumer = TopicProbe.rawConsumer()) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map((partition) -> new TopicPartition(topic, partition.partition()))
				.toList();
			return consumer.endOffsets(partitions);
		}
	}

	/**
	 * Waits until the state publisher's group has committed every record up to the
	 * offsets.
	 */
	private static void awaitStatePublisherPast(Map<TopicPartition, Long> ends) throws Exception {
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().bootstrapServers()))) {
			await().atMost(WAIT).until(() -> {
				Map<TopicPartition, OffsetAndMetadata> committed = admin
					.listConsumerGroupOffsets(ConsentStatePublisher.GROUP)
					.partitionsToOffsetAndMetadata()
					.get();
				return ends.entrySet()
					.stream()
					.allMatch((end) -> end.getValue() == 0 || (committed.get(end.getKey()) != null
							&& committed.get(end.getKey()).offset() >= end.getValue()));
			});
		}
	}

	/** The camera permission granted, as another system publishes it. */
	private static ConsentChanged cameraGranted(String user, ConsentMethod method, String sourceSystem, Long sequence) {
		return ConsentChanged.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(Instant.now())
			.setUserId(user)
			.setScope("permission.camera")
			.setStatus(ConsentStatus.GRANTED)
			.setPolicyVersion("2026.01")
			.setMethod(method)
			.setSourceSystem(sourceSystem)
			.setSequence(sequence)
			.build();
	}

	private static List<ConsumerRecord<String, Object>> states(String user) {
		return TopicProbe.read(Topics.CONSENT_STATE.name(), (record) -> user.equals(record.key()), 1, WAIT);
	}

	private static ConsentStateRecorded last(String user) {
		List<ConsumerRecord<String, Object>> states = states(user);
		assertThat(states).as("states of " + user).isNotEmpty();
		return (ConsentStateRecorded) states.get(states.size() - 1).value();
	}

}
