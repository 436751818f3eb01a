package com.onemusic.privacy.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.context.ConfigurableApplicationContext;

import com.onemusic.privacy.events.ConsentChanged;
import com.onemusic.privacy.events.ConsentMethod;
import com.onemusic.privacy.events.ConsentStatus;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.local.LocalInfrastructure;
import com.onemusic.privacy.platform.PrivacyService;
import com.onemusic.privacy.serde.AvroSerdeConfig;
import com.onemusic.privacy.serde.AvroSerializer;
import com.onemusic.privacy.sharing.SharingGatewayApplication;

/**
 * Share decisions under load, beside a trivial WebFlux endpoint in the same server (the
 * framework's ceiling on this machine: it reads the same JSON body and answers it), and
 * the time from a withdrawal's publication on the topic to the first denied share.
 *
 * <p>
 * Starts the local infrastructure and sharing-gateway in this JVM, publishes a grant of
 * {@code sharing.service-providers} for every user (as consent-service would), waits for
 * the view, then drives {@code POST /shares} (the configured partner swift-logistics,
 * purpose order-delivery, one field stripped) and the trivial endpoint with the same
 * number of clients over real HTTP. Everything shares the machine. Arguments: seconds per
 * measurement (default 20), the shortest warm-up in seconds (default 60; it goes on until
 * both endpoints' throughput settles, {@link InProcess#warmUp}), clients (default 16),
 * withdrawals to time (default 100). {@code -Dusers=N} sets how many users are granted
 * and shared about (10,000 by default); the time the view took to take their grants is
 * printed.
 *
 * <p>
 * Each level of clients runs {@code -Drounds=N} rounds (default 3) of both endpoints, in
 * alternating order, and reports the median of the rounds' throughput ratios: the
 * machine's other load moves both figures between runs far more than any change does.
 * Then, in an open loop (requests sent at a fixed rate, latency counted from when each
 * was due), both endpoints at fractions of the trivial endpoint's throughput at the last
 * level ({@code -Drates=0.1,0.3,0.6}): the latency a decision has at a given load rather
 * than at saturation, where a closed loop's latency is only the number of clients divided
 * by the throughput.
 *
 * <p>
 * With {@code -Dseparate=true} the gateway runs in a JVM of its own, as deployed
 * ({@link ServiceJvm}; {@code -Dgateway.heap}, 512m by default, {@code -Dgateway.jvm} for
 * other options, {@code -Dgateway.cpus} for the CPUs it may use), and that JVM's CPU time
 * per request is printed; the gateway's own timers and operation counts are not read
 * then. {@code taskset -c 1 ./mvnw ... -Dgateway.cpus=0} gives the gateway one CPU and
 * the broker, the MongoDB server and the load driver the other: the gateway's own
 * ceiling, as where the broker and MongoDB run on hosts of their own.
 */
public final class SharingDecisionBenchmark {

	private static final Pattern TAKEN = Pattern.compile("\"recordsTakenSinceStart\":(\\d+)");

	/** The users granted and shared about ({@code -Dusers}, 10,000 by default). */
	private static final int USERS = Integer.getInteger("users", 10_000);

	private static final String VIEW_WAIT = "sharing.decision.view.wait";

	private static final String RECORD_WAIT = "sharing.decision.record.wait";

	private static final String BODY = "{\"partnerId\":\"swift-logistics\",\"userId\":\"%s\",\"purpose\":\"order-delivery\","
			+ "\"payload\":{\"orderId\":\"O-20261129-0001\",\"contactPhone\":\"13800138000\","
			+ "\"address\":\"北京市朝阳区某路1号\",\"imei\":\"490154203237518\"}}";

	private final DriverHttp http;

	private final List<String> users = new ArrayList<>();

	private final AtomicLong sequences = new AtomicLong();

	private MeterRegistry meters;

	private Supplier<Operations> operations;

	/** The gateway's JVM, when it runs in one of its own; else null. */
	private ServiceJvm gateway;

	private SharingDecisionBenchmark(String baseUrl, int userCount) {
		this.http = DriverHttp.of(baseUrl);
		String run = UUID.randomUUID().toString().substring(0, 8);
		for (int i = 0; i < userCount; i++) {
			this.users.add("share-" + run + "-" + i);
		}
	}

	public static void main(String[] args) throws Exception {
		int seconds = (args.length > 0) ? Integer.parseInt(args[0]) : 20;
		int warmup = (args.length > 1) ? Integer.parseInt(args[1]) : 60;
		int[] clients = java.util.Arrays.stream(((args.length > 2) ? args[2] : "4,16").split(","))
			.mapToInt(Integer::parseInt)
			.toArray();
		int withdrawals = (args.length > 3) ? Integer.parseInt(args[3]) : 100;
		System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
		PrivacyService.trustEventsPackage();
		try (LocalInfrastructure infrastructure = InProcess.infrastructure("sharing-benchmark");
				KafkaProducer<String, Object> producer = new KafkaProducer<>(
						Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.bootstrapServers(),
								ProducerConfig.LINGER_MS_CONFIG, 1),
						new StringSerializer(), new AvroSerializer<>(null,
								Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, infrastructure.registryUrl()), false))) {
			if (Boolean.getBoolean("separate")) {
				separate(infrastructure, producer, seconds, warmup, clients, withdrawals);
				return;
			}
			try (ConfigurableApplicationContext service = InProcess.run(
					PrivacyService.builder(SharingGatewayApplication.class, SharingGatewayApplication.NAME)
						.sources(InProcess.TrivialEndpoint.class),
					infrastructure, infrastructure.mongoUri("sharing-benchmark"))) {
				SharingDecisionBenchmark benchmark = new SharingDecisionBenchmark(InProcess.url(service), USERS);
				benchmark.meters = service.getBean(MeterRegistry.class);
				benchmark.operations = () -> Operations.of(service, "sharing-gateway");
				benchmark.run(producer, seconds, warmup, clients, withdrawals);
			}
		}
	}

	/**
	 * Runs the benchmark against the gateway in a JVM of its own ({@link ServiceJvm}),
	 * the infrastructure and the load driver in this one. The gateway's own timers and
	 * operation counts are not read then; its process's CPU time is.
	 */
	private static void separate(LocalInfrastructure infrastructure, KafkaProducer<String, Object> producer,
			int seconds, int warmup, int[] clients, int withdrawals) throws Exception {
		try (ServiceJvm gateway = ServiceJvm.start("gateway", SharingGatewayApplication.class,
				SharingGatewayApplication.NAME, infrastructure, infrastructure.mongoUri("sharing-benchmark"))) {
			SharingDecisionBenchmark benchmark = new SharingDecisionBenchmark(gateway.url(), USERS);
			benchmark.gateway = gateway;
			benchmark.run(producer, seconds, warmup, clients, withdrawals);
		}
	}

	private void run(KafkaProducer<String, Object> producer, int seconds, int warmup, int[] levels, int withdrawals)
			throws Exception {
		long grantStart = System.nanoTime();
		CpuShares cpuBefore = CpuShares.now();
		ServiceJvm.Reading gatewayBeforeBuild = gatewayReading();
		for (String user : this.users) {
			producer.send(new ProducerRecord<>(Topics.CONSENT_CHANGED.name(), user, consent(user, true)));
		}
		producer.flush();
		// Built once the gateway's view has taken every grant (its own count, read every
		// 50 ms without asking for decisions meanwhile); then the last user's share must
		// be allowed.
		awaitViewTaken(this.users.size(), Duration.ofMinutes(2).plusSeconds(this.users.size() / 200));
		double built = (System.nanoTime() - grantStart) / 1e9;
		Map<CpuShares.Part, Long> buildCpu = CpuShares.now().since(cpuBefore, 0);
		String gatewayBuildCpu = gatewayCpuSince(gatewayBeforeBuild, this.users.size(), "user");
		awaitStatus(this.users.get(this.users.size() - 1), 200, Duration.ofSeconds(30));
		System.out.printf("%d users granted sharing.service-providers; view built in %.1f s (%.0f users/s)%n",
				this.users.size(), built, this.users.size() / built);
		System.out.println(CpuShares.perUnit(buildCpu, this.users.size(), "user", this.gateway == null));
		printLine(gatewayBuildCpu);
		int clients = levels[levels.length - 1];
		System.out.printf("warm-up at %d clients, each endpoint in turn, at least %d s, until the throughputs settle%n",
				clients, warmup);
		Map<String, InProcess.Window> loads = new LinkedHashMap<>();
		loads.put("trivial", (window) -> level("/benchmark/echo", clients, window).perSecond);
		loads.put("decisions", (window) -> level("/shares", clients, window).perSecond);
		InProcess.warmUp(warmup, loads);
		int rounds = Integer.getInteger("rounds", 3);
		double topTrivial = 0;
		for (int level : levels) {
			System.out.printf("%d clients, %d round(s), the endpoints' order alternating:%n", level, rounds);
			System.out.printf("%-22s %8s %10s %10s %8s %8s %8s%n", "endpoint", "clients", "requests", "req/s", "p50 ms",
					"p99 ms", "max ms");
			List<Double> ratios = new ArrayList<>();
			List<Double> trivials = new ArrayList<>();
			List<Double> p99s = new ArrayList<>();
			for (int round = 0; round < rounds; round++) {
				Result trivial = null;
				if (round % 2 == 0) {
					trivial = trivial(level, seconds);
				}
				Result decisions = decisions(level, seconds);
				if (trivial == null) {
					trivial = trivial(level, seconds);
				}
				ratios.add(decisions.perSecond / trivial.perSecond);
				trivials.add(trivial.perSecond);
				p99s.add(decisions.p99);
			}
			topTrivial = InProcess.median(trivials);
			System.out.printf(
					"  %d clients: decision throughput / trivial, median of %d round(s) %.0f %% (each: %s; target >= 60 %%);"
							+ " decision p99, median %.1f ms (target < 10 ms)%n",
					level, rounds, 100 * InProcess.median(ratios), percents(ratios), InProcess.median(p99s));
		}

		// Latency at a given load: an open loop at fractions of the trivial endpoint's
		// throughput, both endpoints at the same rate.
		for (String fraction : System.getProperty("rates", "0.1,0.3,0.6").split(",")) {
			double rate = Double.parseDouble(fraction) * topTrivial;
			ServiceJvm.Reading trivialBefore = gatewayReading();
			InProcess.Load trivial = InProcess.driveAtRate(rate, seconds, 64,
					() -> post("/benchmark/echo", body()).status());
			String gatewayTrivialCpu = gatewayCpuSince(trivialBefore, trivial.latencies().length, "trivial request");
			Map<String, CountAtBucket[]> waitsBefore = waitBuckets();
			BrokerRequests brokerBefore = BrokerRequests.now();
			ServiceJvm.Reading gatewayBefore = gatewayReading();
			InProcess.Load decisions = InProcess.driveAtRate(rate, seconds, 64, () -> post("/shares", body()).status());
			String gatewayCpu = gatewayCpuSince(gatewayBefore, decisions.latencies().length, "decision");
			BrokerRequests brokerAfter = BrokerRequests.now();
			Map<String, CountAtBucket[]> waitsAfter = waitBuckets();
			System.out.printf(
					"open loop at %.0f requests/s (%s of the trivial endpoint's %.0f): decisions answered %.0f/s, p50 %.2f ms,"
							+ " p99 %.2f ms, max %.1f ms%s; trivial answered %.0f/s, p50 %.2f ms, p99 %.2f ms%n",
					rate, fraction, topTrivial, decisions.perSecond(), decisions.percentile(50),
					decisions.percentile(99), decisions.percentile(100),
					(decisions.other() > 0) ? " (" + decisions.other() + " not 200)" : "", trivial.perSecond(),
					trivial.percentile(50), trivial.percentile(99));
			System.out.println("  " + CpuShares.perUnit(decisions.cpu(), decisions.latencies().length, "decision",
					this.gateway == null));
			printLine(gatewayCpu);
			printLine(gatewayTrivialCpu);
			printLine("  " + brokerAfter.perUnitSince(brokerBefore, decisions.latencies().length, "decision"));
			if (!waitsAfter.isEmpty()) {
				System.out.printf(
						"  waits inside the gateway: for the view p50 %s, p99 %s; for Kafka's ack p50 %s, p99 %s%n",
						quantileSince(waitsBefore, waitsAfter, VIEW_WAIT, 0.5),
						quantileSince(waitsBefore, waitsAfter, VIEW_WAIT, 0.99),
						quantileSince(waitsBefore, waitsAfter, RECORD_WAIT, 0.5),
						quantileSince(waitsBefore, waitsAfter, RECORD_WAIT, 0.99));
			}
		}

		// Withdrawal to denial, with decisions going on at the same time.
		AtomicBoolean loaded = new AtomicBoolean(true);
		ExecutorService background = Executors.newSingleThreadExecutor();
		background.submit(() -> {
			while (loaded.get()) {
				level("/shares", Math.max(1, clients / 2), 1);
			}
			return null;
		});
		long[] lags = new long[withdrawals];
		for (int i = 0; i < withdrawals; i++) {
			String user = this.users.get(i);
			long published = System.nanoTime();
			producer.send(new ProducerRecord<>(Topics.CONSENT_CHANGED.name(), user, consent(user, false))).get();
			lags[i] = awaitStatus(user, 403, Duration.ofSeconds(30)) - published;
		}
		loaded.set(false);
		background.shutdown();
		background.awaitTermination(30, TimeUnit.SECONDS);
		java.util.Arrays.sort(lags);
		System.out.printf(
				"withdrawal published -> first denied share, %d withdrawals under load: p50 %.1f ms,"
						+ " p99 %.1f ms, max %.1f ms (target p99 < 1000 ms)%n",
				withdrawals, InProcess.percentile(lags, 50), InProcess.percentile(lags, 99),
				InProcess.percentile(lags, 100));
	}

	private Result trivial(int level, int seconds) throws Exception {
		return measured("trivial (echo)", "/benchmark/echo", "request", level, seconds);
	}

	private Result decisions(int level, int seconds) throws Exception {
		if (this.meters == null) {
			return measured("share decision", "/shares", "decision", level, seconds);
		}
		Waits before = waits();
		Operations operationsBefore = this.operations.get();
		double probesBefore = probes();
		Result decisions = measured("share decision", "/shares", "decision", level, seconds);
		Operations operationsAfter = this.operations.get();
		double probesAfter = probes();
		Waits after = waits();
		System.out.printf("  of which, on average: waiting for the view %.2f ms, for Kafka's ack %.2f ms%n",
				after.viewMeanSince(before), after.recordMeanSince(before));
		System.out.println(operationsAfter.perUnitSince(operationsBefore, decisions.requests, "decision"));
		System.out.printf("  reads of the consent topics' end offsets (view probes) per decision: %.2f%n",
				(probesAfter - probesBefore) / Math.max(1, decisions.requests));
		return decisions;
	}

	/** Drives one endpoint and prints what it did and the CPU it took. */
	private Result measured(String name, String path, String unit, int level, int seconds) throws Exception {
		ServiceJvm.Reading gatewayBefore = gatewayReading();
		BrokerRequests brokerBefore = BrokerRequests.now();
		Result result = level(path, level, seconds);
		BrokerRequests brokerAfter = BrokerRequests.now();
		print(name, level, result);
		System.out.println(CpuShares.perUnit(result.cpu, result.requests, unit, this.gateway == null));
		printLine(gatewayCpuSince(gatewayBefore, result.requests, unit));
		printLine(brokerAfter.perUnitSince(brokerBefore, result.requests, unit));
		if (result.other > 0) {
			System.out.printf("  (%d %ss answered other than 200)%n", result.other, unit);
		}
		return result;
	}

	/** The CPU time of the gateway's JVM so far; null when it runs here. */
	private ServiceJvm.Reading gatewayReading() {
		return (this.gateway != null) ? this.gateway.reading() : null;
	}

	/**
	 * The gateway JVM's CPU time per unit since an earlier reading; empty when it runs
	 * here.
	 */
	private String gatewayCpuSince(ServiceJvm.Reading before, long requests, String unit) {
		return (this.gateway != null) ? this.gateway.perUnit(before, requests, unit) : "";
	}

	private static void printLine(String line) {
		if (!line.isBlank()) {
			System.out.println(line);
		}
	}

	private static String percents(List<Double> ratios) {
		return String.join(", ", ratios.stream().map((ratio) -> String.format("%.0f %%", 100 * ratio)).toList());
	}

	/**
	 * The cumulative histograms of the gateway's timers of a decision's two waits, by
	 * timer name; empty when the gateway runs in a JVM of its own.
	 */
	private Map<String, CountAtBucket[]> waitBuckets() {
		if (this.meters == null) {
			return Map.of();
		}
		return Map.of(VIEW_WAIT, this.meters.get(VIEW_WAIT).timer().takeSnapshot().histogramCounts(), RECORD_WAIT,
				this.meters.get(RECORD_WAIT).timer().takeSnapshot().histogramCounts());
	}

	/**
	 * A quantile of the waits timed between two histograms: the upper bound of the first
	 * bucket that holds it, so at most one bucket's width (about a tenth) above it.
	 */
	private static String quantileSince(Map<String, CountAtBucket[]> before, Map<String, CountAtBucket[]> after,
			String timer, double quantile) {
		CountAtBucket[] from = before.get(timer);
		CountAtBucket[] to = after.get(timer);
		double total = to[to.length - 1].count() - from[from.length - 1].count();
		for (int i = 0; i < to.length && total > 0; i++) {
			if (to[i].count() - from[i].count() >= quantile * total) {
				return String.format("<= %.2f ms", to[i].bucket(TimeUnit.MILLISECONDS));
			}
		}
		return "beyond the histogram";
	}

	/** The gateway's timers of a decision's two waits. */
	private Waits waits() {
		Timer view = this.meters.get(VIEW_WAIT).timer();
		Timer record = this.meters.get(RECORD_WAIT).timer();
		return new Waits(view.count(), view.totalTime(TimeUnit.MILLISECONDS), record.count(),
				record.totalTime(TimeUnit.MILLISECONDS));
	}

	private record Waits(long viewCount, double viewMillis, long recordCount, double recordMillis) {

		double viewMeanSince(Waits before) {
			return (this.viewMillis - before.viewMillis) / Math.max(1, this.viewCount - before.viewCount);
		}

		double recordMeanSince(Waits before) {
			return (this.recordMillis - before.recordMillis) / Math.max(1, this.recordCount - before.recordCount);
		}

	}

	private static void print(String name, int clients, Result result) {
		System.out.printf("%-22s %8d %10d %10.0f %8.2f %8.2f %8.1f%n", name, clients, result.requests, result.perSecond,
				result.p50, result.p99, result.max);
	}

	private ConsentChanged consent(String user, boolean granted) {
		return ConsentChanged.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(Instant.now())
			.setUserId(user)
			.setScope("sharing.service-providers")
			.setStatus(granted ? ConsentStatus.GRANTED : ConsentStatus.WITHDRAWN)
			.setPolicyVersion("2026.01")
			.setMethod(ConsentMethod.SETTINGS_TOGGLE)
			.setSourceSystem("consent-service")
			.setSequence(this.sequences.incrementAndGet())
			.build();
	}

	/** Asks until the share answers the status; returns when it did (nanoTime). */
	private long awaitStatus(String user, int status, Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			DriverHttp.Response response = post("/shares", BODY.formatted(user));
			if (response.status() == status) {
				return System.nanoTime();
			}
		}
		throw new IllegalStateException("No " + status + " for " + user + " within " + timeout);
	}

	/** Waits until the gateway's consent view has taken at least so many records. */
	private void awaitViewTaken(long records, Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		long taken = 0;
		while (System.nanoTime() < deadline) {
			DriverHttp.Response response = this.http.send("GET", "/consent-view", "");
			Matcher count = TAKEN.matcher(response.body());
			if (response.status() == 200 && count.find()) {
				taken = Long.parseLong(count.group(1));
				if (taken >= records) {
					return;
				}
			}
			Thread.sleep(50);
		}
		throw new IllegalStateException("The view took " + taken + " of " + records + " records within " + timeout);
	}

	private DriverHttp.Response post(String path, String body) throws Exception {
		return this.http.send("POST", path, body);
	}

	private double probes() {
		return this.meters.get("sharing.consent.view.probes").functionCounter().count();
	}

	private Result level(String path, int clients, int seconds) throws Exception {
		InProcess.Load load = InProcess.drive(clients, seconds, () -> post(path, body()).status());
		return new Result(load.latencies().length, load.perSecond(), load.percentile(50), load.percentile(99),
				load.percentile(100), load.other(), load.cpu());
	}

	/**
	 * A share request of a user past the first 1,000, who are never withdrawn: every
	 * decision is an allowed share.
	 */
	private String body() {
		return BODY.formatted(this.users.get(1000 + ThreadLocalRandom.current().nextInt(this.users.size() - 1000)));
	}

	private record Result(long requests, double perSecond, double p50, double p99, double max, long other,
			Map<CpuShares.Part, Long> cpu) {

	}

}
