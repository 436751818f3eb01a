package com.onemusic.privacy.platform.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import com.onemusic.privacy.local.LocalInfrastructure;
import com.onemusic.privacy.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Writers that wait for admission are held back while a full batch waits for the relay,
 * let through as soon as the relay takes it, and refused as busy when it never does; a
 * writer waiting for its entry's acknowledgement is told of it. Over the real broker and
 * MongoDB wire server.
 */
class OutboxRelayAdmissionTests {

	private static final int BATCH = 4;

	private final String run = UUID.randomUUID().toString().substring(0, 8);

	private final String topic = "outbox-admission-" + this.run;

	private final String collection = "outbox_admission_" + this.run;

	private LocalInfrastructure infrastructure;

	private MongoClient client;

	private ReactiveMongoTemplate mongo;

	private KafkaTemplate<String, Object> kafka;

	private MongoOutboxSource<Document> source;

	@BeforeEach
	void connect() {
		this.infrastructure = TestInfrastructure.get();
		this.client = MongoClients.create(this.infrastructure.mongoUri());
		this.mongo = new ReactiveMongoTemplate(this.client, "outbox-admission");
		this.kafka = new KafkaTemplate<>(
				new DefaultKafkaProducerFactory<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
						this.infrastructure.bootstrapServers(), ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
						StringSerializer.class, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class)));
		this.source = new MongoOutboxSource<>("admission test", this.mongo, Document.class, this.collection,
				(document) -> document.getString("_id"), (document) -> List
					.of(new OutboxMessage(this.topic, document.getString("_id"), document.getString("payload"))));
	}

	@AfterEach
	void close() {
		this.kafka.destroy();
		this.client.close();
	}

	@Test
	void aWriterWaitsWhileAFullBatchWaitsAndGoesOnWhenTheRelayTakesIt() throws Exception {
		OutboxRelay relay = relay(Duration.ofSeconds(30));
		assertThat(relay.admission().toFuture()).isCompleted();
		List<String> written = writeAndOffer(relay, BATCH);
		CompletableFuture<Void> waiting = relay.admission().toFuture();
		TimeUnit.MILLISECONDS.sleep(300);
		assertThat(waiting).as("admitted while a full batch waits").isNotDone();
		relay.start();
		try {
			waiting.get(30, TimeUnit.SECONDS);
			assertThat(published(written)).containsExactlyInAnyOrderElementsOf(written);
			assertThat(
					this.mongo.count(Query.query(Criteria.where(MongoOutboxSource.PUBLISHED).is(true)), this.collection)
						.block(Duration.ofSeconds(10)))
				.isEqualTo(BATCH);
		}
		finally {
			relay.stop();
		}
	}

	@Test
	void aWriterIsToldTheServiceIsBusyWhenTheRelayNeverTakesTheBatch() {
		// Not started: like a relay stuck behind an unreachable broker.
		OutboxRelay relay = relay(Duration.ofMillis(300));
		writeAndOffer(relay, BATCH);
		assertThatThrownBy(() -> relay.admission().block(Duration.ofSeconds(10)))
			.isInstanceOf(OutboxBusyException.class)
			.hasMessageContaining("try again");
	}

	/**
	 * The relay tells a waiting writer from its own thread; what the writer does next
	 * (write its answer, say) must not hold up the next batch.
	 */
	@Test
	void aWriterToldOfTheAcknowledgementGoesOnOffTheRelaysThread() throws Exception {
		OutboxRelay relay = relay(Duration.ofSeconds(30));
		String id = writeAndOffer(relay, 1).get(0);
		CompletableFuture<String> goesOnIn = relay.sent(id)
			.then(Mono.fromCallable(() -> Thread.currentThread().getName()))
			.toFuture();
		relay.start();
		try {
			assertThat(goesOnIn.get(30, TimeUnit.SECONDS)).isNotEqualTo("outbox-relay");
			assertThat(relay.sent(id).toFuture()).as("asked after the acknowledgement")
				.succeedsWithin(Duration.ofSeconds(5));
		}
		finally {
			relay.stop();
		}
	}

	/**
	 * An entry written, then found by a sweep before its writer offers it, is published
	 * once: the offer that follows sends nothing more.
	 */
	@Test
	void anEntryTheSweepSentBeforeItWasOfferedIsPublishedOnce() throws Exception {
		OutboxRelay relay = relay(Duration.ofSeconds(30));
		Document swept = new Document("_id", this.run + "-swept").append("payload", "swept")
			.append(MongoOutboxSource.PUBLISHED, false);
		this.mongo.insert(swept, this.collection).block(Duration.ofSeconds(10));
		relay.start();
		try {
			relay.trigger();
			assertThat(relay.sent(swept.getString("_id")).toFuture()).succeedsWithin(Duration.ofSeconds(30));
			relay.offer(this.source, swept);
			// An entry offered after it, sent after the offer was taken.
			String after = writeAndOffer(relay, 1).get(0);
			assertThat(publishedKeys(List.of(swept.getString("_id"), after))).containsOnlyOnce(swept.getString("_id"));
		}
		finally {
			relay.stop();
		}
	}

	private OutboxRelay relay(Duration sendTimeout) {
		return new OutboxRelay(List.of(this.source), this.kafka,
				new MongoLease(this.mongo, "admission-test-" + this.run, Duration.ofSeconds(15)), Duration.ofHours(1),
				BATCH, sendTimeout);
	}

	private List<String> writeAndOffer(OutboxRelay relay, int count) {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Document document = new Document("_id", this.run + "-" + i).append("payload", "change " + i)
				.append(MongoOutboxSource.PUBLISHED, false);
			this.mongo.insert(document, this.collection).block(Duration.ofSeconds(10));
			relay.offer(this.source, document);
			ids.add(document.getString("_id"));
		}
		return ids;
	}

	private Set<String> published(List<String> expected) {
		return new HashSet<>(publishedKeys(expected));
	}

	/** The keys of the records on the topic, once every expected one is there. */
	private List<String> publishedKeys(List<String> expected) {
		List<String> keys = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.infrastructure.bootstrapServers(),
						ConsumerConfig.GROUP_ID_CONFIG, "admission-" + this.run,
						ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
				new StringDeserializer(), new StringDeserializer())) {
			consumer.subscribe(List.of(this.topic));
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (!keys.containsAll(expected) && System.nanoTime() < deadline) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
					keys.add(record.key());
				}
			}
		}
		return keys;
	}

}
