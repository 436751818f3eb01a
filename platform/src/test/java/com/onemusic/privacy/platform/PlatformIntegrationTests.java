package com.onemusic.privacy.platform;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.events.ConsentChanged;
import com.onemusic.privacy.events.ConsentMethod;
import com.onemusic.privacy.events.ConsentStatus;
import com.onemusic.privacy.events.DeletionGround;
import com.onemusic.privacy.events.DeletionKind;
import com.onemusic.privacy.events.DeletionRequested;
import com.onemusic.privacy.events.Topic;
import com.onemusic.privacy.platform.sample.SampleApplication;
import com.onemusic.privacy.serde.AvroSerdeConfig;
import com.onemusic.privacy.serde.AvroSerializer;
import com.onemusic.privacy.testsupport.ServiceChecks;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;
import com.onemusic.privacy.testsupport.TestInfrastructure;
import com.onemusic.privacy.testsupport.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The platform over the real broker, MongoDB server and registry: health reports every
 * dependency, and poison records go to the dead-letter topic with their cause while the
 * consumer keeps going.
 */
@ServiceIntegrationTest(classes = SampleApplication.class, properties = { "spring.application.name=sample",
		"sample.topic=" + PlatformIntegrationTests.TOPIC, "privacy.kafka.retry-interval=50ms" })
class PlatformIntegrationTests {

	static final String TOPIC = "sample.consent-changed.v1";

	private static final String DLT = TOPIC + "-dlt";

	@Autowired
	private WebTestClient web;

	@Autowired
	private SampleApplication.SampleListener listener;

	@Autowired
	private ObservationRegistry observations;

	@BeforeAll
	static void trustEvents() {
		PrivacyService.trustEventsPackage();
	}

	@Test
	void readinessReportsKafkaMongoAndTheRegistryUp() {
		ServiceChecks.assertLiveAndReady(this.web);
	}

	/**
	 * The health probes answer anyone, with the status alone; what each dependency
	 * reports is for callers with a token.
	 */
	@Test
	void healthShowsItsDetailsOnlyToCallersWithAToken() {
		this.web.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.components.kafka.details.clusterId")
			.exists();
		WebTestClient anonymous = this.web.mutate()
			.defaultHeaders((headers) -> headers.remove(HttpHeaders.AUTHORIZATION))
			.build();
		ServiceChecks.assertProbesShowTheStatusAlone(anonymous);
	}

	/**
	 * Every request is observed, refused ones too; Spring Security's own observations
	 * (its filter chain, each authentication and authorization) are off unless asked for
	 * ({@code privacy.security.observations}).
	 */
	@Test
	void requestsAreObservedButNotEachStepOfTheSecurityChain() {
		List<String> stopped = new CopyOnWriteArrayList<>();
		this.observations.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

			@Override
			public void onStop(Observation.Context context) {
				stopped.add(context.getName());
			}

		});
		TestTokens.as(this.web, TestTokens.all()).get().uri("/actuator/metrics").exchange().expectStatus().isOk();
		TestTokens.as(this.web, TestTokens.expired())
			.get()
			.uri("/actuator/metrics")
			.exchange()
			.expectStatus()
			.isUnauthorized();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(stopped).filteredOn("http.server.requests"::equals)
				.hasSizeGreaterThanOrEqualTo(2));
		assertThat(stopped).noneMatch((name) -> name.startsWith("spring.security"));
	}

	@Test
	void poisonRecordsGoToTheDeadLetterTopicWithTheirCauseAndTheConsumerKeepsGoing() throws Exception {
		String run = UUID.randomUUID().toString();
		byte[] good = serialize(consentChanged("good-" + run));
		byte[] badMagic = good.clone();
		badMagic[0] = 0x7;
		byte[] unknownId = good.clone();
		ByteBuffer.wrap(unknownId).putInt(1, 999_999);
		byte[] corrupt = Arrays.copyOf(good, 12);
		byte[] wrongType = serialize(deletionRequested("wrong-type-" + run));
		send("bad-magic-" + run, badMagic);
		send("unknown-id-" + run, unknownId);
		send("corrupt-" + run, corrupt);
		send("wrong-type-" + run, wrongType);
		send("explode", serialize(consentChanged("explode")));
		send("good-" + run, good);

		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(this.listener.received).extracting(ConsentChanged::getUserId)
				.contains("good-" + run));
		List<ConsumerRecord<String, byte[]>> dead = readDeadLetters(run, 4);
		assertThat(dead).extracting(ConsumerRecord::key)
			.containsExactly("bad-magic-" + run, "unknown-id-" + run, "corrupt-" + run, "wrong-type-" + run);
		assertThat(cause(dead.get(0))).contains("Unknown magic byte 0x07");
		assertThat(cause(dead.get(1))).contains("Unknown schema id 999999");
		assertThat(cause(dead.get(2))).contains("Could not decode the Avro value");
		assertThat(cause(dead.get(3))).contains("DeletionRequested");
		assertThat(dead.get(0).value()).isEqualTo(badMagic);
		assertThat(dead.get(2).value()).isEqualTo(corrupt);
		assertThat(header(dead.get(0), KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(TOPIC);
		assertThat(this.listener.received).extracting(ConsentChanged::getUserId).doesNotContain("explode");
		ConsumerRecord<String, byte[]> refused = readDeadLetters("explode", 1).get(0);
		assertThat(cause(refused)).contains("boom: the listener refused");
	}

	/**
	 * A topic whose partitions were raised before its dead-letter topic's: a poison
	 * record on a partition the dead-letter topic lacks still has somewhere to go.
	 */
	@Test
	void aDeadLetterGoesToItsPartitionOrWhereTheProducerPicksWhenTheDeadLetterTopicLacksIt() throws Exception {
		String topic = "sample.raised-" + UUID.randomUUID();
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().bootstrapServers()))) {
			admin
				.createTopics(List.of(new NewTopic(topic, 4, (short) 1),
						new NewTopic(topic + Topic.DEAD_LETTER_SUFFIX, 2, (short) 1)))
				.all()
				.get(30, TimeUnit.SECONDS);
		}
		KafkaTemplate<String, byte[]> template = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().bootstrapServers()),
				new StringSerializer(), new ByteArraySerializer()));
		try {
			assertThat(PlatformAutoConfiguration.deadLetterPartition(template,
					new ConsumerRecord<>(topic, 1, 0L, "k", new byte[0])))
				.isEqualTo(new TopicPartition(topic + Topic.DEAD_LETTER_SUFFIX, 1));
			assertThat(PlatformAutoConfiguration.deadLetterPartition(template,
					new ConsumerRecord<>(topic, 3, 0L, "k", new byte[0])))
				.isEqualTo(new TopicPartition(topic + Topic.DEAD_LETTER_SUFFIX, -1));
		}
		finally {
			template.destroy();
		}
	}

	private static String cause(ConsumerRecord<String, byte[]> record) {
		return header(record, PlatformAutoConfiguration.ROOT_CAUSE_HEADER);
	}

	private static String header(ConsumerRecord<String, byte[]> record, String name) {
		Header header = record.headers().lastHeader(name);
		return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : "";
	}

	private List<ConsumerRecord<String, byte[]>> readDeadLetters(String keyPart, int expected) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				TestInfrastructure.get().bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG,
				"dlt-reader-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(DLT));
			await().atMost(Duration.ofSeconds(60)).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach((record) -> {
					if (record.key() != null && record.key().contains(keyPart)) {
						found.add(record);
					}
				});
				return found.size() >= expected;
			});
		}
		return found;
	}

	private static void send(String key, byte[] value) throws Exception {
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				TestInfrastructure.get().bootstrapServers());
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
				new ByteArraySerializer())) {
			// One partition for all, so the dead letters keep the order sent.
			producer.send(new ProducerRecord<>(TOPIC, 0, key, value)).get(30, TimeUnit.SECONDS);
		}
	}

	private static byte[] serialize(Object event) {
		AvroSerializer<Object> serializer = new AvroSerializer<>();
		serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, TestInfrastructure.get().registryUrl(),
				AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "TopicRecordNameStrategy"), false);
		return serializer.serialize(TOPIC, event);
	}

	private static ConsentChanged consentChanged(String userId) {
		return ConsentChanged.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(Instant.now())
			.setUserId(userId)
			.setScope("purpose.marketing-push")
			.setStatus(ConsentStatus.GRANTED)
			.setPolicyVersion("2026.01")
			.setMethod(ConsentMethod.EXPLICIT_TICK)
			.setSourceSystem("platform-test")
			.build();
	}

	private static DeletionRequested deletionRequested(String userId) {
		return DeletionRequested.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(Instant.now())
			.setUserId(userId)
			.setRequestId("request-1")
			.setKind(DeletionKind.DELETION)
			.setGround(DeletionGround.UNLAWFUL_PROCESSING)
			.setVerifiedAt(Instant.now())
			.setDueDate(LocalDate.of(2026, 3, 9))
			.build();
	}

}
