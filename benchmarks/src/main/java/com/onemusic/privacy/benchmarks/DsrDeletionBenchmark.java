package com.onemusic.privacy.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.context.ConfigurableApplicationContext;

import com.onemusic.privacy.dsr.DsrServiceApplication;
import com.onemusic.privacy.dsr.verification.VerificationCodeSender;
import com.onemusic.privacy.events.DeletionRequested;
import com.onemusic.privacy.events.DsrStatus;
import com.onemusic.privacy.events.DsrStatusChanged;
import com.onemusic.privacy.events.ErasureStepReported;
import com.onemusic.privacy.events.ErasureStepStatus;
import com.onemusic.privacy.events.ParticipantKind;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.local.LocalInfrastructure;
import com.onemusic.privacy.platform.PrivacyService;
import com.onemusic.privacy.serde.AvroDeserializer;
import com.onemusic.privacy.serde.AvroSerdeConfig;
import com.onemusic.privacy.serde.AvroSerializer;

/**
 * Deletions end to end: a burst of concurrent deletion requests is submitted and verified
 * by one-time code over HTTP; simulated participants answer every DeletionRequested at
 * once with ErasureStepReported DONE; the time from each verification's answer to its
 * DsrStatusChanged COMPLETED on the topic is measured. Starts the local infrastructure
 * and dsr-service in this JVM (the codes go to the driver instead of an SMS gateway).
 * Arguments: concurrent deletions (default 1000), rounds (default 2; the first warms the
 * JVM up and is not reported).
 */
public final class DsrDeletionBenchmark {

	private static final Pattern ID = Pattern.compile("\"id\":\"(dsr-[^\"]+)\"");

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final Map<String, String> codes = new ConcurrentHashMap<>();

	private final Map<String, Long> verifiedAt = new ConcurrentHashMap<>();

	private final Map<String, Long> completedAt = new ConcurrentHashMap<>();

	private String baseUrl;

	public static void main(String[] args) throws Exception {
		int deletions = (args.length > 0) ? Integer.parseInt(args[0]) : 1000;
		int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 2;
		System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
		PrivacyService.trustEventsPackage();
		DsrDeletionBenchmark benchmark = new DsrDeletionBenchmark();
		VerificationCodeSender sender = (requestId, contact, code) -> benchmark.codes.put(requestId, code);
		try (LocalInfrastructure infrastructure = InProcess.infrastructure("dsr-benchmark");
				ConfigurableApplicationContext service = InProcess.run(
						PrivacyService.builder(DsrServiceApplication.class, DsrServiceApplication.NAME)
							.initializers((context) -> context.getBeanFactory()
								.registerSingleton("benchmarkCodeSender", sender)),
						infrastructure, infrastructure.mongoUri("dsr-benchmark"))) {
			benchmark.baseUrl = InProcess.url(service);
			AtomicBoolean running = new AtomicBoolean(true);
			Thread participants = new Thread(() -> benchmark.participate(infrastructure, running), "participants");
			Thread watcher = new Thread(() -> benchmark.watch(infrastructure, running), "watcher");
			participants.start();
			watcher.start();
			System.out.printf("deletions: %d at once, submitted and verified by one-time code over HTTP;"
					+ " participants answer at once%n", deletions);
			System.out.printf("%6s %10s %16s %14s %14s %14s %10s%n", "round", "deletions", "submit+verify/s",
					"to COMPLETED p50", "p99", "max", "missing");
			for (int round = 1; round <= rounds; round++) {
				benchmark.round(round, deletions, round == 1 && rounds > 1);
			}
			running.set(false);
			participants.join(10_000);
			watcher.join(10_000);
		}
	}

	private void round(int round, int deletions, boolean warmUp) throws Exception {
		this.verifiedAt.clear();
		this.completedAt.clear();
		String run = UUID.randomUUID().toString().substring(0, 8);
		AtomicLong failures = new AtomicLong();
		long start = System.nanoTime();
		List<CompletableFuture<Void>> flows = new ArrayList<>();
		for (int i = 0; i < deletions; i++) {
			String user = "bench-" + run + "-" + i;
			String phone = String.format("139%08d", i);
			String body = "{\"userId\":\"" + user + "\",\"type\":\"DELETION\",\"channel\":\"APP\","
					+ "\"ground\":\"BREACH_OF_AGREEMENT\",\"contact\":{\"kind\":\"SMS\",\"address\":\"" + phone
					+ "\"}}";
			flows.add(post("/requests", body).thenCompose((submitted) -> {
				Matcher id = ID.matcher(submitted.body());
				if (submitted.statusCode() != 201 || !id.find()) {
					throw new IllegalStateException("submission answered " + submitted.statusCode());
				}
				String requestId = id.group(1);
				return post("/requests/" + requestId + "/verification",
						"{\"code\":\"" + this.codes.get(requestId) + "\"}")
					.thenAccept((verified) -> {
						if (verified.statusCode() != 200) {
							throw new IllegalStateException("verification answered " + verified.statusCode());
						}
						this.verifiedAt.put(requestId, System.nanoTime());
					});
			}).exceptionally((ex) -> {
				failures.incrementAndGet();
				return null;
			}));
		}
		CompletableFuture.allOf(flows.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
		double submitSeconds = (System.nanoTime() - start) / 1e9;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (System.nanoTime() < deadline && !this.completedAt.keySet().containsAll(this.verifiedAt.keySet())) {
			TimeUnit.MILLISECONDS.sleep(50);
		}
		long[] latencies = this.verifiedAt.entrySet()
			.stream()
			.filter((entry) -> this.completedAt.containsKey(entry.getKey()))
			.mapToLong((entry) -> Math.max(0, this.completedAt.get(entry.getKey()) - entry.getValue()))
			.sorted()
			.toArray();
		long missing = this.verifiedAt.size() - latencies.length;
		System.out.printf("%6s %10d %16.0f %14.0f ms %11.0f ms %11.0f ms %10d%s%n", warmUp ? round + "*" : round,
				deletions, this.verifiedAt.size() / submitSeconds, InProcess.percentile(latencies, 50),
				InProcess.percentile(latencies, 99), InProcess.percentile(latencies, 100), missing,
				(failures.get() > 0) ? "  (" + failures.get() + " flows failed)" : "");
		if (warmUp) {
			System.out.println("       (* warm-up round)");
		}
	}

	private CompletableFuture<HttpResponse<String>> post(String path, String body) {
		return this.http.sendAsync(HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.header("Content-Type", "application/json")
			.header("Authorization", InProcess.authorization())
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** Answers every deletion request at once, for each required participant. */
	private void participate(LocalInfrastructure infrastructure, AtomicBoolean running) {
		Map<String, Object> serde = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, infrastructure.registryUrl(),
				AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
		try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(
				consumerConfig(infrastructure, "participants"), new StringDeserializer(),
				new AvroDeserializer<>(null, serde, false));
				KafkaProducer<String, Object> producer = new KafkaProducer<>(
						Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.bootstrapServers(),
								ProducerConfig.LINGER_MS_CONFIG, 1),
						new StringSerializer(), new AvroSerializer<>(null, serde, false))) {
			consumer.subscribe(List.of(Topics.DELETION_REQUESTED.name()));
			while (running.get()) {
				for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(50))) {
					if (record.value() instanceof DeletionRequested asked) {
						for (String participant : asked.getRequiredParticipants()) {
							producer.send(new ProducerRecord<>(Topics.ERASURE_PROGRESS.name(), asked.getUserId(),
									ErasureStepReported.newBuilder()
										.setEventId(UUID.randomUUID())
										.setOccurredAt(Instant.now())
										.setUserId(asked.getUserId())
										.setRequestId(asked.getRequestId())
										.setParticipant(participant)
										.setParticipantKind(ParticipantKind.SERVICE)
										.setStatus(ErasureStepStatus.DONE)
										.build()));
						}
					}
				}
			}
		}
	}

	/** Notes when each request is seen COMPLETED on the status topic. */
	private void watch(LocalInfrastructure infrastructure, AtomicBoolean running) {
		Map<String, Object> serde = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, infrastructure.registryUrl(),
				AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
		try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(consumerConfig(infrastructure, "watcher"),
				new StringDeserializer(), new AvroDeserializer<>(null, serde, false))) {
			consumer.subscribe(List.of(Topics.DSR_STATUS.name()));
			while (running.get()) {
				for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(50))) {
					if (record.value() instanceof DsrStatusChanged changed
							&& changed.getStatus() == DsrStatus.COMPLETED) {
						this.completedAt.putIfAbsent(changed.getRequestId(), System.nanoTime());
					}
				}
			}
		}
	}

	private static Map<String, Object> consumerConfig(LocalInfrastructure infrastructure, String role) {
		return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.bootstrapServers(),
				ConsumerConfig.GROUP_ID_CONFIG, "dsr-benchmark-" + role + "-" + UUID.randomUUID(),
				ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
	}

}
