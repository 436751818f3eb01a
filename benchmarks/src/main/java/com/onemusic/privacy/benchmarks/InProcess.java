package com.onemusic.privacy.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import com.onemusic.privacy.local.LocalInfrastructure;

/**
 * What the benchmarks that run everything in their own JVM share: a fresh broker, MongoDB
 * wire server and registry, and a service pointed at them on a random port.
 */
final class InProcess {

	private InProcess() {
	}

	/**
	 * Starts the infrastructure with its Kafka log in a new temporary directory; with
	 * {@code -Dmongo.separate=true} its MongoDB wire server, with
	 * {@code -Dkafka.separate=true} its broker in a JVM of its own
	 * ({@link InfrastructureJvm}).
	 * @param name a name for the directory
	 * @return the running infrastructure
	 * @throws Exception if the directory cannot be made or a JVM not started
	 */
	static LocalInfrastructure infrastructure(String name) throws Exception {
		String mongoUri = Boolean.getBoolean("mongo.separate") ? InfrastructureJvm.startMongo(name) : null;
		String kafka = Boolean.getBoolean("kafka.separate") ? InfrastructureJvm.startKafka(name) : null;
		return LocalInfrastructure
			.start(new LocalInfrastructure.Settings(Files.createTempDirectory(name), 0, 0, 0, 0, kafka, mongoUri, 0));
	}

	/**
	 * Runs a service against the infrastructure.
	 * @param service the service's builder ({@code PrivacyService.builder(...)})
	 * @param infrastructure the infrastructure
	 * @param mongoUri the service's database
	 * @return the running service
	 */
	static ConfigurableApplicationContext run(SpringApplicationBuilder service, LocalInfrastructure infrastructure,
			String mongoUri) {
		return service.run(arguments(infrastructure, mongoUri, 0));
	}

	/**
	 * The arguments that point a service at the infrastructure, and the token the load
	 * drivers send ({@link #authorization()}).
	 * @param infrastructure the infrastructure
	 * @param mongoUri the service's database
	 * @param port the HTTP port, 0 for any free one
	 * @return the arguments
	 */
	static String[] arguments(LocalInfrastructure infrastructure, String mongoUri, int port) {
		authorization = "Bearer " + infrastructure.tokenIssuer()
			.token("benchmark", java.util.List.of("consent:read", "consent:write", "dsr:submit", "dsr:operate",
					"share:request", "share:read", "stats:read", "masking:use", "users:any"),
					java.time.Duration.ofHours(12));
		return new String[] { "--server.port=" + port, "--spring.main.banner-mode=off",
				"--spring.kafka.bootstrap-servers=" + infrastructure.bootstrapServers(),
				"--spring.kafka.properties.schema.registry.url=" + infrastructure.registryUrl(),
				"--spring.mongodb.uri=" + mongoUri,
				"--privacy.security.jwks-uri=" + infrastructure.tokenIssuer().jwksUri(),
				"--privacy.security.issuer=" + infrastructure.tokenIssuer().issuer() };
	}

	private static String authorization = "";

	/**
	 * The {@code Authorization} header the load drivers send: a token of the
	 * infrastructure's issuer with the scopes of a backend service and an operator, or,
	 * against a system already running, {@code -Dtoken=...}.
	 * @return the header value
	 */
	static String authorization() {
		String given = System.getProperty("token");
		return (given != null) ? "Bearer " + given : authorization;
	}

	/**
	 * The local port of a running service.
	 * @param service the service
	 * @return its base URL
	 */
	static String url(ConfigurableApplicationContext service) {
		return "http://127.0.0.1:" + service.getEnvironment().getProperty("local.server.port");
	}

	/**
	 * A percentile of sorted nanosecond latencies.
	 * @param sorted the latencies in nanoseconds, sorted
	 * @param percentile the percentile, 1 to 100
	 * @return it in milliseconds, NaN when there are none
	 */
	static double percentile(long[] sorted, int percentile) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
	}

	/** One request of a client. */
	@FunctionalInterface
	interface Request {

		/**
		 * Sends the request and waits for its answer.
		 * @return the HTTP status of the answer
		 * @throws Exception when it could not be sent or answered
		 */
		int send() throws Exception;

	}

	/**
	 * What a load measured.
	 *
	 * @param latencies the latencies of the answered requests, in nanoseconds, sorted
	 * @param seconds how long the load ran
	 * @param other requests answered other than 200, or not answered
	 */
	record Load(long[] latencies, double seconds, long other, Map<CpuShares.Part, Long> cpu) {

		double perSecond() {
			return this.latencies.length / this.seconds;
		}

		double percentile(int percentile) {
			return InProcess.percentile(this.latencies, percentile);
		}

	}

	/**
	 * Drives a number of clients, each sending one request after the other, for a time.
	 * @param clients the clients
	 * @param seconds how long
	 * @param request what each client sends
	 * @return what was measured
	 * @throws InterruptedException when interrupted
	 */
	static Load drive(int clients, int seconds, Request request) throws InterruptedException {
		List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
		AtomicLong other = new AtomicLong();
		AtomicLong driverCpu = new AtomicLong();
		AtomicInteger threads = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(clients,
				(task) -> new Thread(task, CpuShares.DRIVER_THREAD + threads.incrementAndGet()));
		CpuShares before = CpuShares.now();
		long start = System.nanoTime();
		long end = start + TimeUnit.SECONDS.toNanos(seconds);
		for (int c = 0; c < clients; c++) {
			pool.submit(() -> {
				while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
					send(request, System.nanoTime(), latencies, other);
				}
				// These threads end with the level: what they used is counted here.
				driverCpu.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
			});
		}
		pool.shutdown();
		pool.awaitTermination(seconds + 60, TimeUnit.SECONDS);
		double elapsed = (System.nanoTime() - start) / 1e9;
		// The pool's threads may still be alive here: counted once, by what they
		// reported.
		CpuShares after = CpuShares.now().without(CpuShares.DRIVER_THREAD);
		return new Load(latencies.stream().mapToLong(Long::longValue).sorted().toArray(), elapsed, other.get(),
				after.since(before, driverCpu.get()));
	}

	/** A load driven for a number of seconds; gives the requests answered per second. */
	@FunctionalInterface
	interface Window {

		double run(int seconds) throws Exception;

	}

	/** How long each warm-up window of a load runs. */
	static final int WARM_UP_WINDOW = 10;

	/**
	 * Warms the processes up until their throughput settles. A freshly started JVM keeps
	 * compiling for minutes under load (the JIT compiler threads took a quarter of the
	 * gateway's CPU after a minute of it), so figures taken before that measure the
	 * compiler as much as the code. Drives each load in turn in windows of
	 * {@value #WARM_UP_WINDOW} s, for at least {@code minSeconds} in all, then until the
	 * last three windows of every load are within {@code -DsteadyWithin} (default 0.1) of
	 * each other, or {@code -DwarmUpMax} seconds (default 420) have passed. Prints each
	 * window's throughput, so that the curve shows.
	 * @param minSeconds the shortest warm-up, all loads together
	 * @param loads the loads, by name
	 * @throws Exception when a load fails
	 */
	static void warmUp(int minSeconds, Map<String, Window> loads) throws Exception {
		double within = Double.parseDouble(System.getProperty("steadyWithin", "0.1"));
		int maxSeconds = Math.max(minSeconds, Integer.getInteger("warmUpMax", 420));
		Map<String, List<Double>> windows = new LinkedHashMap<>();
		loads.keySet().forEach((name) -> windows.put(name, new ArrayList<>()));
		long start = System.nanoTime();
		while (true) {
			StringBuilder line = new StringBuilder();
			for (Map.Entry<String, Window> load : loads.entrySet()) {
				double perSecond = load.getValue().run(WARM_UP_WINDOW);
				windows.get(load.getKey()).add(perSecond);
				line.append((line.length() > 0) ? ", " : "")
					.append(String.format("%s %.0f/s", load.getKey(), perSecond));
			}
			long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
			System.out.printf("  warm-up %4d s: %s%n", elapsed, line);
			boolean steady = windows.values().stream().allMatch((values) -> steady(values, within));
			if (elapsed >= minSeconds && steady) {
				System.out.printf("  steady after %d s (the last three windows of each load within %.0f %%)%n", elapsed,
						within * 100);
				return;
			}
			if (elapsed >= maxSeconds) {
				System.out.printf("  NOT steady after %d s (-DwarmUpMax): the figures below may include compilation%n",
						elapsed);
				return;
			}
		}
	}

	/** Whether the last three values are within a fraction of their largest. */
	static boolean steady(List<Double> values, double within) {
		if (values.size() < 3) {
			return false;
		}
		List<Double> last = values.subList(values.size() - 3, values.size());
		double max = Collections.max(last);
		return max > 0 && Collections.min(last) >= max * (1 - within);
	}

	/**
	 * Sends one request and counts it: its latency from {@code from}, and whether it was
	 * answered other than 200 or not at all.
	 */
	private static void send(Request request, long from, List<Long> latencies, AtomicLong other) {
		try {
			int status = request.send();
			latencies.add(System.nanoTime() - from);
			if (status != 200) {
				other.incrementAndGet();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			other.incrementAndGet();
		}
	}

	/**
	 * Sends requests at a fixed rate, whatever the answers take (an open loop): request
	 * {@code i} is due at {@code start + i / rate}, and its latency is counted from when
	 * it was due, not from when a thread was free to send it, so a server that falls
	 * behind shows in the latencies instead of slowing the load down (no coordinated
	 * omission).
	 * @param perSecond requests per second
	 * @param seconds how long to send
	 * @param connections how many requests may be in flight at once; requests due while
	 * all are busy wait, and the wait counts
	 * @param request what is sent
	 * @return what was measured; its rate is the answers per second achieved
	 * @throws InterruptedException when interrupted
	 */
	static Load driveAtRate(double perSecond, int seconds, int connections, Request request)
			throws InterruptedException {
		List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
		AtomicLong other = new AtomicLong();
		AtomicLong driverCpu = new AtomicLong();
		List<Thread> workers = Collections.synchronizedList(new ArrayList<>());
		ThreadPoolExecutor pool = new ThreadPoolExecutor(connections, connections, 0, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), (task) -> {
					Thread worker = new Thread(() -> {
						try {
							task.run();
						}
						finally {
							driverCpu.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
						}
					}, CpuShares.DRIVER_THREAD + (workers.size() + 1));
					workers.add(worker);
					return worker;
				});
		CpuShares before = CpuShares.now();
		long start = System.nanoTime();
		long total = (long) (perSecond * seconds);
		Thread dispatcher = new Thread(() -> {
			for (long i = 0; i < total; i++) {
				long due = start + (long) (i * 1e9 / perSecond);
				long wait = due - System.nanoTime();
				if (wait > 0) {
					LockSupport.parkNanos(wait);
				}
				pool.execute(() -> send(request, due, latencies, other));
			}
			driverCpu.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
		}, CpuShares.DRIVER_THREAD + "dispatcher");
		dispatcher.start();
		dispatcher.join();
		pool.shutdown();
		pool.awaitTermination(seconds + 60, TimeUnit.SECONDS);
		double elapsed = (System.nanoTime() - start) / 1e9;
		// Each worker adds what it used as it ends.
		for (Thread worker : List.copyOf(workers)) {
			worker.join();
		}
		CpuShares after = CpuShares.now().without(CpuShares.DRIVER_THREAD);
		return new Load(latencies.stream().mapToLong(Long::longValue).sorted().toArray(), elapsed, other.get(),
				after.since(before, driverCpu.get()));
	}

	/**
	 * The median of some values.
	 * @param values the values
	 * @return the median
	 */
	static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	/**
	 * The framework's ceiling on this machine, measured beside a service in the same
	 * server: reads a JSON body and answers it, behind the same token check.
	 */
	@RestController
	public static class TrivialEndpoint {

		@PostMapping("/benchmark/echo")
		Mono<Map<String, Object>> echo(@RequestBody Map<String, Object> body) {
			return Mono.just(body);
		}

	}

}
