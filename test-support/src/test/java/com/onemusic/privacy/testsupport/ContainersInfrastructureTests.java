package com.onemusic.privacy.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mongodb.MongoDBContainer;

import com.onemusic.privacy.events.ConsentChanged;
import com.onemusic.privacy.events.ConsentMethod;
import com.onemusic.privacy.events.ConsentStatus;
import com.onemusic.privacy.local.LocalInfrastructure;
import com.onemusic.privacy.serde.AvroDeserializer;
import com.onemusic.privacy.serde.AvroSerdeConfig;
import com.onemusic.privacy.serde.AvroSerializer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same infrastructure on the real images where Docker runs: the registry stores its
 * schemas in a real Kafka, the serde round-trips through it, and the MongoDB driver talks
 * to a real MongoDB. The whole suite runs on these images with
 * {@code -Dprivacy.test.infrastructure=containers}.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainersInfrastructureTests {

	@Container
	static final KafkaContainer kafka = new KafkaContainer(TestInfrastructure.KAFKA_IMAGE);

	@Container
	static final MongoDBContainer mongo = new MongoDBContainer(TestInfrastructure.MONGO_IMAGE);

	@Test
	void registryAndSerdeWorkOnTheRealKafkaImageAndTheDriverOnTheRealMongoImage() throws Exception {
		try (LocalInfrastructure infrastructure = LocalInfrastructure.start(new LocalInfrastructure.Settings(null, 0, 0,
				0, 0, kafka.getBootstrapServers(), mongo.getReplicaSetUrl("privacy"), 0))) {
			String topic = "containers.consent-changed-" + UUID.randomUUID();
			ConsentChanged event = ConsentChanged.newBuilder()
				.setEventId(UUID.randomUUID())
				.setOccurredAt(Instant.parse("2026-05-01T00:00:00Z"))
				.setUserId("u-containers")
				.setScope("permission.camera")
				.setStatus(ConsentStatus.GRANTED)
				.setPolicyVersion("2026.05")
				.setMethod(ConsentMethod.OS_PERMISSION_PROMPT)
				.setSourceSystem("app-backend")
				.build();
			Map<String, Object> serde = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, infrastructure.registryUrl(),
					AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
			try (KafkaProducer<String, ConsentChanged> producer = new KafkaProducer<>(
					Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.bootstrapServers()),
					new StringSerializer(), new AvroSerializer<>(null, serde, false))) {
				producer.send(new ProducerRecord<>(topic, event.getUserId(), event)).get(60, TimeUnit.SECONDS);
			}
			try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(
					Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.bootstrapServers(),
							ConsumerConfig.GROUP_ID_CONFIG, "containers", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
							"earliest"),
					new StringDeserializer(), new AvroDeserializer<>(null, serde, false))) {
				consumer.subscribe(List.of(topic));
				ConsumerRecord<String, Object> record = null;
				long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
				while (record == null && System.nanoTime() < deadline) {
					for (ConsumerRecord<String, Object> polled : consumer.poll(Duration.ofMillis(500))) {
						record = polled;
					}
				}
				assertThat(record).isNotNull();
				assertThat(record.value()).isEqualTo(event);
			}
			try (MongoClient client = MongoClients.create(infrastructure.mongoUri("containers"))) {
				client.getDatabase("containers").getCollection("probe").insertOne(new Document("_id", "one"));
				assertThat(client.getDatabase("containers").getCollection("probe").countDocuments()).isEqualTo(1);
			}
		}
	}

}
