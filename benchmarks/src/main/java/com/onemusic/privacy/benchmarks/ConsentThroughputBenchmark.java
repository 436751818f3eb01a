package com.onemusic.privacy.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import org.springframework.context.ConfigurableApplicationContext;

import com.onemusic.privacy.consent.ConsentServiceApplication;
import com.onemusic.privacy.events.ConsentChanged;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.local.LocalInfrastructure;
import com.onemusic.privacy.platform.PrivacyService;
import com.onemusic.privacy.serde.AvroDeserializer;
import com.onemusic.privacy.serde.AvroSerdeConfig;

/**
 * Consent changes end to end: from the HTTP request of a change until its ConsentChanged
 * event can be read from Kafka. Starts the local infrastructure and consent-service in
 * this JVM, drives it with 1, 8 and 64 concurrent clients over real HTTP, reads the topic
 * with a real consumer, and prints throughput and latency percentiles per level.
 *
 * <p>
 * Everything shares the machine: broker, MongoDB wire server, service, load driver and
 * consumer. Arguments: seconds per level (default 20), the shortest warm-up in seconds
 * (default 60; it goes on until the throughput settles, {@link InProcess#warmUp}), scopes
 * changed per request (default 1; 4 is a consent dialog answered at once: one ledger
 * entry, one event per scope); {@code -Dclients=8} runs only the levels named (default
 * 1,8,64). A change is one scope of one user granted or withdrawn, and counts once its
 * own event was read.
 */
public final class ConsentThroughputBenchmark {

	private static final Pattern SEQUENCE = Pattern.compile("\"sequence\":(\\d+)");

	private static final String[] SCOPES = { "purpose.marketing-push", "permission.location", "permission.camera",
			"purpose.personalized-recommendation" };

	private final DriverHttp http;

	private final Map<String, Long> sentAt = new ConcurrentHashMap<>();

	private final Map<String, Long> seenAt = new ConcurrentHashMap<>();

	/**
	 * What the driver last asked for, per user and scope: each request asks for the
	 * opposite.
	 */
	private final Map<String, Boolean> granted = new ConcurrentHashMap<>();

	private final List<String> users;

	private final AtomicBoolean consuming = new AtomicBoolean(true);

	/** Released once the consumer has its partitions and reads from their ends. */
	private final CountDownLatch reading = new CountDownLatch(1);

	private Thread consumer;

	private final int scopesPerRequest;

	private ConsentThroughputBenchmark(String baseUrl, int userCount, int scopesPerRequest) {
		if (scopesPerRequest < 1 || scopesPerRequest > SCOPES.length) {
			throw new IllegalArgumentException("scopes per request must be 1 to " + SCOPES.length);
		}
		this.http = DriverHttp.of(baseUrl);
		this.scopesPerRequest = scopesPerRequest;
		this.users = new ArrayList<>();
		String run = UUID.randomUUID().toString().substring(0, 8);
		for (int i = 0; i < userCount; i++) {
			this.users.add("bench-" + run + "-" + i);
		}
	}

	public static void main(String[] args) throws Exception {
		int seconds = (args.length > 0) ? Integer.parseInt(args[0]) : 20;
		int warmup = (args.length > 1) ? Integer.parseInt(args[1]) : 60;
		int scopesPerRequest = (args.length > 2) ? Integer.parseInt(args[2]) : 1;
		String target = System.getProperty("target");
		if (target != null) {
			// Drive a system that is already running (./run-local), from this separate
			// process.
			run(target, System.getProperty("bootstrap", "127.0.0.1:9092"),
					System.getProperty("registry", "http://127.0.0.1:8081"), seconds, warmup, scopesPerRequest, null,
					null);
			return;
		}
		System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
		PrivacyService.trustEventsPackage();
		String mongoOptions = System.getProperty("mongoOptions", "");
		if (System.getProperty("compare") != null) {
			compare(seconds, warmup, scopesPerRequest, mongoOptions);
			return;
		}
		if (Boolean.getBoolean("separate")) {
			try (LocalInfrastructure infrastructure = InProcess.infrastructure("consent-benchmark");
					ServiceJvm service = ServiceJvm.start("consent", ConsentServiceApplication.class,
							ConsentServiceApplication.NAME, infrastructure,
							infrastructure.mongoUri("consent-benchmark") + mongoOptions)) {
				run(service.url(), infrastructure.bootstrapServers(), infrastructure.registryUrl(), seconds, warmup,
						scopesPerRequest, null, service);
			}
			return;
		}
		try (LocalInfrastructure infrastructure = InProcess.infrastructure("consent-benchmark");
				ConfigurableApplicationContext service = InProcess.run(
						PrivacyService.builder(ConsentServiceApplication.class, ConsentServiceApplication.NAME)
							.sources(InProcess.TrivialEndpoint.class),
						infrastructure, infrastructure.mongoUri("consent-benchmark") + mongoOptions)) {
			run(InProcess.url(service), infrastructure.bootstrapServers(), infrastructure.registryUrl(), seconds,
					warmup, scopesPerRequest, () -> Operations.of(service, ConsentServiceApplication.NAME), null);
		}
	}

	private static int[] levels(String clients) {
		return java.util.Arrays.stream(clients.split(","))
			.mapToInt((level) -> Integer.parseInt(level.trim()))
			.toArray();
	}

	/**
	 * Runs the levels. For a service in this JVM ({@code operations} not null), each
	 * level also counts the service's operations on MongoDB and Kafka per change; for a
	 * service in this JVM or one this benchmark started ({@code jvm} not null, whose CPU
	 * time per change is printed), each level also drives the trivial endpoint served
	 * beside consent-service with the same clients, the same body and the same token
	 * check: the framework's ceiling on this machine at that moment.
	 */
	private static void run(String url, String bootstrapServers, String registryUrl, int seconds, int warmup,
			int scopesPerRequest, Supplier<Operations> operations, ServiceJvm jvm) throws Exception {
		boolean started = operations != null || jvm != null;
		ConsentThroughputBenchmark benchmark = start(url, bootstrapServers, registryUrl, scopesPerRequest);
		System.out.printf("warm-up at 8 clients, at least %d s, until the throughput settles%n", warmup);
		Map<String, InProcess.Window> loads = new LinkedHashMap<>();
		benchmark.addLoads("", started, loads);
		InProcess.warmUp(warmup, loads);
		if (started) {
			System.out.println(CpuShares.idle(Integer.getInteger("idleSeconds", 5)));
		}
		for (int clients : levels(System.getProperty("clients", "1,8,64"))) {
			benchmark.measure(clients, seconds, started, operations, jvm);
		}
		benchmark.stop();
	}

	/**
	 * Two consent-services side by side, each in a JVM of its own with a broker, a
	 * MongoDB server and a registry of its own in this JVM: A with the options of
	 * {@code -Dconsent.jvm}, B with those of {@code -Dcompare}. Their warm-ups and
	 * measured levels alternate ({@code -Drounds} rounds of each level, 2 by default), so
	 * that the machine's drift, which moves the figures of runs minutes apart by 20-30 %,
	 * falls on both alike. The CPU of this JVM's parts counts both infrastructures (the
	 * idle one costs what the idle line says); each service's JVM is measured alone.
	 */
	private static void compare(int seconds, int warmup, int scopesPerRequest, String mongoOptions) throws Exception {
		String optionsA = System.getProperty("consent.jvm", "");
		String optionsB = System.getProperty("compare");
		try (LocalInfrastructure infrastructureA = InProcess.infrastructure("consent-benchmark-a");
				LocalInfrastructure infrastructureB = InProcess.infrastructure("consent-benchmark-b");
				ServiceJvm jvmA = ServiceJvm.start("consent", optionsA, ConsentServiceApplication.class,
						ConsentServiceApplication.NAME, infrastructureA,
						infrastructureA.mongoUri("consent-benchmark") + mongoOptions)) {
			// Its driver takes the token of the service started last: A's before B
			// starts.
			ConsentThroughputBenchmark a = start(jvmA.url(), infrastructureA.bootstrapServers(),
					infrastructureA.registryUrl(), scopesPerRequest);
			try (ServiceJvm jvmB = ServiceJvm.start("consent", optionsB, ConsentServiceApplication.class,
					ConsentServiceApplication.NAME, infrastructureB,
					infrastructureB.mongoUri("consent-benchmark") + mongoOptions)) {
				ConsentThroughputBenchmark b = start(jvmB.url(), infrastructureB.bootstrapServers(),
						infrastructureB.registryUrl(), scopesPerRequest);
				System.out.printf(
						"A: %s%nB: %s%nwarm-up of each at 8 clients, in turn, at least %d s, until the"
								+ " throughput settles%n",
						optionsA.isBlank() ? "(no options)" : optionsA, optionsB.isBlank() ? "(no options)" : optionsB,
						warmup);
				Map<String, InProcess.Window> loads = new LinkedHashMap<>();
				a.addLoads("A ", true, loads);
				b.addLoads("B ", true, loads);
				InProcess.warmUp(warmup, loads);
				System.out.println(CpuShares.idle(Integer.getInteger("idleSeconds", 5)));
				int rounds = Integer.getInteger("rounds", 2);
				for (int round = 1; round <= rounds; round++) {
					for (int clients : levels(System.getProperty("clients", "8"))) {
						System.out.printf("round %d, A%n", round);
						a.measure(clients, seconds, true, null, jvmA);
						System.out.printf("round %d, B%n", round);
						b.measure(clients, seconds, true, null, jvmB);
					}
				}
				b.stop();
			}
			a.stop();
		}
	}

	/** A driver of a service, its consumer of the changes topic running. */
	private static ConsentThroughputBenchmark start(String url, String bootstrapServers, String registryUrl,
			int scopesPerRequest) {
		PrivacyService.trustEventsPackage();
		ConsentThroughputBenchmark benchmark = new ConsentThroughputBenchmark(url, Integer.getInteger("users", 20_000),
				scopesPerRequest);
		benchmark.consumer = new Thread(() -> benchmark.consume(bootstrapServers, registryUrl), "benchmark-consumer");
		// Does not keep the JVM alive when a run fails before stopping it.
		benchmark.consumer.setDaemon(true);
		benchmark.consumer.start();
		// It reads from the end: a change published before it has its partitions would
		// never be seen, and counted as missing.
		try {
			if (!benchmark.reading.await(60, TimeUnit.SECONDS)) {
				throw new IllegalStateException(
						"The consumer of " + Topics.CONSENT_CHANGED.name() + " was given no partitions within 60 s");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		System.out.printf("consent changes end to end (HTTP accepted -> event readable on %s) against %s,"
				+ " %d scope(s) per request%n", Topics.CONSENT_CHANGED.name(), url, scopesPerRequest);
		return benchmark;
	}

	private void addLoads(String prefix, boolean trivialToo, Map<String, InProcess.Window> loads) {
		loads.put(prefix + "changes", (window) -> level(8, window).perSecond);
		if (trivialToo) {
			loads.put(prefix + "trivial", (window) -> trivial(8, window).perSecond());
		}
	}

	private void stop() throws InterruptedException {
		this.http.close();
		this.consuming.set(false);
		this.consumer.join(10_000);
	}

	/** Measures a level and prints it, and the trivial endpoint with the same clients. */
	private void measure(int clients, int seconds, boolean trivialToo, Supplier<Operations> operations, ServiceJvm jvm)
			throws Exception {
		System.out.printf("%8s %10s %12s %10s %10s %10s %10s %10s%n", "clients", "changes", "changes/s", "p50 ms",
				"p99 ms", "max ms", "http p50", "http p99");
		Operations before = (operations != null) ? operations.get() : null;
		ServiceJvm.Reading jvmBefore = (jvm != null) ? jvm.reading() : null;
		Result result = level(clients, seconds);
		System.out.printf("%8d %10d %12.0f %10.1f %10.1f %10.1f %10.1f %10.1f%n", clients, result.changes,
				result.perSecond, result.p50, result.p99, result.max, result.httpP50, result.httpP99);
		System.out.printf(
				"%8s http p50 / p99 of requests that grant only %.1f / %.1f ms, that withdraw %.1f / %.1f ms"
						+ " (answered once published)%n",
				"", result.grants[0], result.grants[1], result.withdrawals[0], result.withdrawals[1]);
		System.out.println(CpuShares.perUnit(result.cpu, result.changes, "change", operations != null));
		if (jvm != null) {
			System.out.println(jvm.perUnit(jvmBefore, result.changes, "change"));
		}
		if (operations != null) {
			System.out.println(operations.get().perUnitSince(before, result.changes, "change"));
		}
		if (this.scopesPerRequest > 1) {
			System.out.printf("%8s (%.0f requests/s, %d changes each)%n", "", result.perSecond / this.scopesPerRequest,
					this.scopesPerRequest);
		}
		if (trivialToo) {
			ServiceJvm.Reading jvmBeforeTrivial = (jvm != null) ? jvm.reading() : null;
			InProcess.Load trivial = trivial(clients, seconds);
			System.out.printf(
					"%8s trivial endpoint, same clients and body: %.0f req/s, http p50 %.1f ms, p99 %.1f ms"
							+ " (requests/s are %.0f %% of it)%n",
					"", trivial.perSecond(), trivial.percentile(50), trivial.percentile(99),
					100 * result.perSecond / this.scopesPerRequest / trivial.perSecond());
			System.out
				.println(CpuShares.perUnit(trivial.cpu(), trivial.latencies().length, "request", operations != null));
			if (jvm != null) {
				System.out.println(jvm.perUnit(jvmBeforeTrivial, trivial.latencies().length, "request"));
			}
		}
	}

	/** The trivial endpoint with the same load. */
	private InProcess.Load trivial(int clients, int seconds) throws Exception {
		StringBuilder changes = new StringBuilder();
		for (int i = 0; i < this.scopesPerRequest; i++) {
			changes.append((i > 0) ? "," : "")
				.append("{\"scope\":\"")
				.append(SCOPES[i])
				.append("\",\"status\":\"GRANTED\"}");
		}
		String body = "{\"policyVersion\":\"2026.01\",\"method\":\"SETTINGS_TOGGLE\",\"sourceSystem\":\"benchmark\","
				+ "\"changes\":[" + changes + "]}";
		return InProcess.drive(clients, seconds, () -> this.http.send("POST", "/benchmark/echo", body).status());
	}

	private Result level(int clients, int seconds) throws Exception {
		this.sentAt.clear();
		this.seenAt.clear();
		AtomicLong accepted = new AtomicLong();
		List<Long> grants = Collections.synchronizedList(new ArrayList<>());
		List<Long> withdrawals = Collections.synchronizedList(new ArrayList<>());
		InProcess.Load http = InProcess.drive(clients, seconds, () -> {
			String user = this.users.get(ThreadLocalRandom.current().nextInt(this.users.size()));
			int first = ThreadLocalRandom.current().nextInt(SCOPES.length);
			List<String> scopes = new ArrayList<>();
			boolean withdraws = false;
			StringBuilder changes = new StringBuilder();
			for (int i = 0; i < this.scopesPerRequest; i++) {
				String scope = SCOPES[(first + i) % SCOPES.length];
				// Every scope changes, unless two clients pick the same user at once.
				boolean grant = this.granted.merge(user + "|" + scope, true, (was, ignored) -> !was);
				withdraws |= !grant;
				changes.append((i > 0) ? "," : "")
					.append("{\"scope\":\"")
					.append(scope)
					.append("\",\"status\":\"")
					.append(grant ? "GRANTED" : "WITHDRAWN")
					.append("\"}");
				scopes.add(scope);
			}
			String body = "{\"policyVersion\":\"2026.01\",\"method\":\"SETTINGS_TOGGLE\",\"sourceSystem\":\"benchmark\","
					+ "\"changes\":[" + changes + "]}";
			long sent = System.nanoTime();
			DriverHttp.Response response = this.http.send("PUT", "/users/" + user + "/consents", body);
			(withdraws ? withdrawals : grants).add(System.nanoTime() - sent);
			if (response.status() == 200 && response.body().contains("\"changed\":true")) {
				Matcher matcher = SEQUENCE.matcher(response.body());
				if (matcher.find()) {
					for (String scope : scopes) {
						this.sentAt.put(user + ":" + matcher.group(1) + ":" + scope, sent);
					}
					accepted.incrementAndGet();
				}
			}
			return response.status();
		});
		long requests = http.latencies().length + http.other();
		double elapsed = http.seconds();
		// Wait for the last events to arrive.
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() < deadline && !this.seenAt.keySet().containsAll(this.sentAt.keySet())) {
			TimeUnit.MILLISECONDS.sleep(50);
		}
		long[] latencies = this.sentAt.entrySet()
			.stream()
			.filter((entry) -> this.seenAt.containsKey(entry.getKey()))
			.mapToLong((entry) -> this.seenAt.get(entry.getKey()) - entry.getValue())
			.sorted()
			.toArray();
		long missing = this.sentAt.size() - latencies.length;
		if (requests > accepted.get()) {
			System.out.printf("  (%d of %d requests changed nothing or failed)%n", requests - accepted.get(), requests);
		}
		if (missing > 0) {
			System.out.printf("  (%d accepted changes not seen on the topic within 30 s)%n", missing);
		}
		return new Result(latencies.length, latencies.length / elapsed, InProcess.percentile(latencies, 50),
				InProcess.percentile(latencies, 99), InProcess.percentile(latencies, 100), http.percentile(50),
				http.percentile(99), percentiles(grants), percentiles(withdrawals), http.cpu());
	}

	/** The p50 and p99 of some latencies, in ms. */
	private static double[] percentiles(List<Long> latencies) {
		long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
		return new double[] { InProcess.percentile(sorted, 50), InProcess.percentile(sorted, 99) };
	}

	private void consume(String bootstrapServers, String registryUrl) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.GROUP_ID_CONFIG, "benchmark-" + UUID.randomUUID(),
				ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
		Map<String, Object> serde = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl,
				AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
		try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new AvroDeserializer<>(null, serde, false))) {
			consumer.subscribe(List.of(Topics.CONSENT_CHANGED.name()), new ConsumerRebalanceListener() {

				@Override
				public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
					// Resolves each starting offset (the end) now rather than at the
					// next fetch.
					partitions.forEach(consumer::position);
					ConsentThroughputBenchmark.this.reading.countDown();
				}

				@Override
				public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
				}

			});
			while (this.consuming.get()) {
				for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(50))) {
					long now = System.nanoTime();
					if (record.value() instanceof ConsentChanged event && event.getSequence() != null) {
						this.seenAt.putIfAbsent(event.getUserId() + ":" + event.getSequence() + ":" + event.getScope(),
								now);
					}
				}
			}
		}
	}

	private record Result(long changes, double perSecond, double p50, double p99, double max, double httpP50,
			double httpP99, double[] grants, double[] withdrawals, Map<CpuShares.Part, Long> cpu) {

	}

}
