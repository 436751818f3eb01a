package com.onemusic.privacy.benchmarks;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.onemusic.privacy.local.FreePorts;
import com.onemusic.privacy.local.LocalKafkaBroker;
import com.onemusic.privacy.local.LocalMongoServer;

/**
 * The in-memory MongoDB wire server ({@code -Dmongo.separate=true}) or the Kafka broker
 * ({@code -Dkafka.separate=true}) in a JVM of its own. A real MongoDB or Kafka is a
 * process of its own, while in the benchmark's JVM their heaps are the load driver's: the
 * MongoDB server's grows with every write, and every pause of that JVM's collector stops
 * the load driver and the broker alike, so it shows in every latency measured. Each has
 * its heap from {@code -D<prefix>.heap} (4g for MongoDB, 1g for Kafka) and other options
 * from {@code -D<prefix>.jvm}, {@code -XX:MaxGCPauseMillis=20} by default: with G1's own
 * goal of 200 ms the MongoDB server's young pauses were 171 ms at the median under share
 * decisions, with this one 29 ms under consent changes; {@code -D<prefix>.cpus} keeps it
 * on some CPUs ({@link ServiceJvm}). {@link CpuShares} counts each JVM's CPU time as that
 * part's. The JVMs started are stopped when the benchmark's ends.
 */
public final class InfrastructureJvm {

	/** What a JVM of this kind runs. */
	enum Kind {

		MONGODB("MongoDB wire server", "mongo", "4g", CpuShares.Part.MONGODB),
		KAFKA("Kafka broker", "kafka", "1g", CpuShares.Part.BROKER);

		private final String label;

		private final String prefix;

		private final String heap;

		private final CpuShares.Part part;

		Kind(String label, String prefix, String heap, CpuShares.Part part) {
			this.label = label;
			this.prefix = prefix;
			this.heap = heap;
			this.part = part;
		}

	}

	private static final String READY = "ready on port ";

	private record Started(Kind kind, Process process) {

	}

	private static final List<Started> RUNNING = new CopyOnWriteArrayList<>();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(InfrastructureJvm::stopAll));
	}

	private InfrastructureJvm() {
	}

	/**
	 * Runs a MongoDB server ({@code MONGODB <port>}) or a Kafka broker
	 * ({@code KAFKA <port> <controller port> <log folder>}) until the process is stopped.
	 * @param args what to run and where
	 * @throws InterruptedException never, the process is stopped from outside
	 */
	public static void main(String[] args) throws InterruptedException {
		int port = Integer.parseInt(args[1]);
		if (Kind.valueOf(args[0]) == Kind.MONGODB) {
			LocalMongoServer.start(port);
		}
		else {
			LocalKafkaBroker.start(Path.of(args[3]), port, Integer.parseInt(args[2]), Map.of());
		}
		System.out.println(READY + port);
		Thread.currentThread().join();
	}

	/**
	 * Starts a MongoDB wire server in a JVM of its own.
	 * @param name a name for its output file
	 * @return its connection string (database {@code privacy})
	 * @throws Exception when it cannot be started or is not ready within two minutes
	 */
	static String startMongo(String name) throws Exception {
		int port = FreePorts.find();
		start(Kind.MONGODB, name, List.of(String.valueOf(port)));
		return "mongodb://127.0.0.1:" + port + "/privacy";
	}

	/**
	 * Starts a Kafka broker in a JVM of its own, its log in a new temporary folder.
	 * @param name a name for its output file and folder
	 * @return its bootstrap servers
	 * @throws Exception when it cannot be started or is not ready within two minutes
	 */
	static String startKafka(String name) throws Exception {
		int port = FreePorts.find();
		String folder = Files.createTempDirectory(name + "-kafka").toString();
		start(Kind.KAFKA, name, List.of(String.valueOf(port), String.valueOf(FreePorts.find()), folder));
		return "127.0.0.1:" + port;
	}

	private static void start(Kind kind, String name, List<String> arguments) throws Exception {
		List<String> main = new ArrayList<>(List.of(kind.name()));
		main.addAll(arguments);
		File log = File.createTempFile(name + "-" + kind.prefix, ".log");
		Process process = ServiceJvm.launch(kind.label, System.getProperty(kind.prefix + ".heap", kind.heap),
				System.getProperty(kind.prefix + ".jvm", "-XX:MaxGCPauseMillis=20"),
				System.getProperty(kind.prefix + ".cpus", ""), InfrastructureJvm.class, main, log);
		Started started = new Started(kind, process);
		RUNNING.add(started);
		try {
			ServiceJvm.awaitOutput(process, log, READY, Duration.ofMinutes(2), "The JVM of the " + kind.label);
		}
		catch (IllegalStateException ex) {
			ServiceJvm.stop(process);
			RUNNING.remove(started);
			throw ex;
		}
	}

	/** Stops every JVM started so far. */
	static void stopAll() {
		for (Started started : RUNNING) {
			ServiceJvm.stop(started.process());
			RUNNING.remove(started);
		}
	}

	/**
	 * Whether a JVM of a kind runs.
	 * @param kind the kind
	 * @return true if one was started
	 */
	static boolean any(Kind kind) {
		return RUNNING.stream().anyMatch((started) -> started.kind() == kind);
	}

	/**
	 * Whether any JVM runs.
	 * @return true if one was started
	 */
	static boolean any() {
		return !RUNNING.isEmpty();
	}

	/**
	 * The CPU time of the JVMs of a kind so far.
	 * @param kind the kind
	 * @return nanoseconds
	 */
	static long cpu(Kind kind) {
		long total = 0;
		for (Started started : RUNNING) {
			if (started.kind() == kind) {
				total += ServiceJvm.cpuOf(started.process());
			}
		}
		return total;
	}

	/**
	 * The CPU time of the JVMs so far, by the part of {@link CpuShares} each is.
	 * @return nanoseconds by part
	 */
	static Map<CpuShares.Part, Long> cpuByPart() {
		Map<CpuShares.Part, Long> parts = new EnumMap<>(CpuShares.Part.class);
		for (Kind kind : Kind.values()) {
			parts.put(kind.part, cpu(kind));
		}
		return parts;
	}

	/**
	 * Whether a part of {@link CpuShares} runs in a JVM of its own.
	 * @param part the part
	 * @return true if it does
	 */
	static boolean runsApart(CpuShares.Part part) {
		return Arrays.stream(Kind.values()).anyMatch((kind) -> kind.part == part && any(kind));
	}

}
