package com.onemusic.privacy.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;

import com.onemusic.privacy.anonymizer.AnonymizerServiceApplication;
import com.onemusic.privacy.anonymizer.ingest.AnalyticsIngestion;
import com.onemusic.privacy.events.DeviceIdentifiers;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.events.UserActivityRecorded;
import com.onemusic.privacy.local.LocalInfrastructure;
import com.onemusic.privacy.platform.PrivacyService;
import com.onemusic.privacy.serde.AvroSerdeConfig;
import com.onemusic.privacy.serde.AvroSerializer;

/**
 * Raw analytics events end to end: published to {@code analytics.events-raw.v1} in
 * Confluent Avro as an app backend does, consumed by anonymizer-service, de-identified
 * and stored in the MongoDB wire server. Prints events de-identified and stored per
 * second. Starts the local infrastructure and the service in this JVM. Arguments: events
 * (default 20000), users (default 1000).
 */
public final class AnalyticsIngestionBenchmark {

	private AnalyticsIngestionBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int events = (args.length > 0) ? Integer.parseInt(args[0]) : 20_000;
		int users = (args.length > 1) ? Integer.parseInt(args[1]) : 1_000;
		System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
		PrivacyService.trustEventsPackage();
		try (LocalInfrastructure infrastructure = InProcess.infrastructure("ingestion-benchmark");
				ConfigurableApplicationContext service = InProcess.run(
						PrivacyService.builder(AnonymizerServiceApplication.class, AnonymizerServiceApplication.NAME),
						infrastructure, infrastructure.mongoUri("ingestion-benchmark"));
				KafkaProducer<String, Object> producer = new KafkaProducer<>(
						Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.bootstrapServers(),
								ProducerConfig.LINGER_MS_CONFIG, 5),
						new StringSerializer(), new AvroSerializer<>(null,
								Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, infrastructure.registryUrl()), false))) {
			ReactiveMongoTemplate mongo = service.getBean(ReactiveMongoTemplate.class);
			for (int round = 1; round <= 2; round++) {
				long before = count(mongo);
				long start = System.nanoTime();
				for (int i = 0; i < events; i++) {
					String user = "bench-" + round + "-" + (i % users);
					producer.send(new ProducerRecord<>(Topics.ANALYTICS_EVENTS_RAW.name(), user,
							UserActivityRecorded.newBuilder()
								.setEventId(UUID.randomUUID())
								.setOccurredAt(Instant.now())
								.setUserId(user)
								.setEventType("search")
								.setSearchKeywords("周杰伦 晴天 13812345678")
								.setDevice(DeviceIdentifiers.newBuilder()
									.setImei("490154203237518")
									.setIdfa("6D92078A-8246-4BA4-AE5B-76104861E7DC")
									.build())
								.setIp("203.0.113.77")
								.setCity("北京")
								.build()));
				}
				producer.flush();
				double published = (System.nanoTime() - start) / 1e9;
				long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
				while (count(mongo) - before < events && System.nanoTime() < deadline) {
					TimeUnit.MILLISECONDS.sleep(100);
				}
				double seconds = (System.nanoTime() - start) / 1e9;
				long stored = count(mongo) - before;
				System.out.printf(
						"round %d%s: %d events from %d users published in %.1f s; %d stored de-identified"
								+ " after %.1f s: %.0f events/s end to end%n",
						round, (round == 1) ? " (warm-up)" : "", events, users, published, stored, seconds,
						stored / seconds);
			}
		}
	}

	private static long count(ReactiveMongoTemplate mongo) {
		Long count = mongo.count(new Query(), AnalyticsIngestion.COLLECTION).block(Duration.ofSeconds(30));
		return (count != null) ? count : 0;
	}

}
