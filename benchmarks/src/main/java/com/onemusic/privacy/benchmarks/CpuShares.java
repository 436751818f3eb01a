package com.onemusic.privacy.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where the CPU time of this JVM went between two moments, by part: the service, the
 * broker, the MongoDB wire server, the registry and token issuer, the load driver, and
 * what no Java thread accounts for (JIT compiler, garbage collector, threads that ended).
 * A MongoDB server or broker in a JVM of its own ({@link InfrastructureJvm}) counts as
 * that part, its whole process. Everything runs on the same cores, so the time a request
 * costs the service alone says more about the service than the throughput of the whole
 * does.
 *
 * <p>
 * Threads are told apart by name: the broker's, the in-memory MongoDB server's and the
 * HTTP servers of the registry and token issuer have names of their own; the load driver
 * runs on threads the benchmark names (and the JDK's HTTP client); every other thread
 * (WebFlux event loops, the MongoDB driver's, Kafka clients', Reactor's) is the
 * service's.
 */
final class CpuShares {

	enum Part {

		SERVICE("service"), BROKER("broker"), MONGODB("MongoDB server"), REGISTRY("registry and issuer"),
		DRIVER("load driver"), UNACCOUNTED("JIT, GC, other");

		private final String label;

		Part(String label) {
			this.label = label;
		}

	}

	/** The load driver's own threads are named so. */
	static final String DRIVER_THREAD = "load-driver-";

	private static final Pattern BROKER = Pattern.compile("^(data-plane-kafka|kafka-scheduler|kafka-log-cleaner"
			+ "|kafka-\\d+-|group-coordinator|share-|quorum-controller|ExpirationReaper|executor-|controller-\\d"
			+ "|broker-\\d|raft-|persister-|client-metrics-reaper|transaction-log-manager|metrics-meter-tick-thread"
			+ "|LogDirFailureHandler|TxnMarker).*");

	private static final Pattern REGISTRY = Pattern
		.compile("^(schema-registry-|dev-token-issuer|HTTP-Dispatcher|server$|idle-timeout-task).*");

	private static final Pattern DRIVER = Pattern.compile(
			"^(" + DRIVER_THREAD + "|HttpClient-|benchmark-consumer|kafka-coordinator-heartbeat-thread \\| benchmark"
					+ "|com\\.onemusic\\.privacy\\.benchmarks\\.).*");

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private final long process;

	private final Map<Long, Long> byThread;

	private final Map<Long, String> names;

	/** The CPU time of the parts that run in JVMs of their own. */
	private final Map<Part, Long> apart;

	private CpuShares(long process, Map<Long, Long> byThread, Map<Long, String> names, Map<Part, Long> apart) {
		this.process = process;
		this.byThread = byThread;
		this.names = names;
		this.apart = apart;
	}

	/**
	 * The CPU time used so far, per live thread and by the process.
	 * @return the snapshot
	 */
	static CpuShares now() {
		Map<Long, Long> byThread = new HashMap<>();
		Map<Long, String> names = new HashMap<>();
		for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
			if (info == null) {
				continue;
			}
			long cpu = THREADS.getThreadCpuTime(info.getThreadId());
			if (cpu >= 0) {
				byThread.put(info.getThreadId(), cpu);
				names.put(info.getThreadId(), info.getThreadName());
			}
		}
		return new CpuShares(processCpu(), byThread, names, InfrastructureJvm.cpuByPart());
	}

	/**
	 * The same snapshot without the threads whose names start so.
	 * @param prefix the name prefix
	 * @return the snapshot
	 */
	CpuShares without(String prefix) {
		Map<Long, Long> byThread = new HashMap<>(this.byThread);
		this.names.forEach((id, name) -> {
			if (name.startsWith(prefix)) {
				byThread.remove(id);
			}
		});
		return new CpuShares(this.process, byThread, this.names, this.apart);
	}

	private static long processCpu() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	/**
	 * The CPU time each part used since an earlier snapshot.
	 * @param before the earlier snapshot
	 * @param endedDriverThreads CPU time of load-driver threads that ended in between
	 * @return nanoseconds by part
	 */
	Map<Part, Long> since(CpuShares before, long endedDriverThreads) {
		Map<Part, Long> parts = new EnumMap<>(Part.class);
		for (Part part : Part.values()) {
			parts.put(part, 0L);
		}
		long accounted = 0;
		for (Map.Entry<Long, Long> thread : this.byThread.entrySet()) {
			long used = thread.getValue() - before.byThread.getOrDefault(thread.getKey(), 0L);
			parts.merge(partOf(this.names.get(thread.getKey())), used, Long::sum);
			accounted += used;
		}
		parts.merge(Part.DRIVER, endedDriverThreads, Long::sum);
		accounted += endedDriverThreads;
		parts.put(Part.UNACCOUNTED, Math.max(0, (this.process - before.process) - accounted));
		// Their whole JVMs: their threads, collectors and compilers.
		this.apart.forEach((part, used) -> parts.merge(part, used - before.apart.getOrDefault(part, 0L), Long::sum));
		return parts;
	}

	private static String label(Part part) {
		return InfrastructureJvm.runsApart(part) ? part.label + " (its own JVM)" : part.label;
	}

	static Part partOf(String thread) {
		if (BROKER.matcher(thread).matches()) {
			return Part.BROKER;
		}
		if (thread.startsWith("mongo-server-")) {
			return Part.MONGODB;
		}
		if (REGISTRY.matcher(thread).matches()) {
			return Part.REGISTRY;
		}
		if (DRIVER.matcher(thread).matches()) {
			return Part.DRIVER;
		}
		return Part.SERVICE;
	}

	/**
	 * What each part costs with nothing to do: the CPU time per second of a quiet
	 * interval (consumers polling, schedulers ticking, leases renewed). A large figure
	 * here is paid at any load and shows as a cost per unit at a low one.
	 * @param seconds how long to stay quiet
	 * @return one line
	 * @throws InterruptedException if interrupted while waiting
	 */
	static String idle(int seconds) throws InterruptedException {
		CpuShares before = now();
		Thread.sleep(seconds * 1000L);
		Map<Part, Long> parts = now().since(before, 0);
		StringBuilder line = new StringBuilder("  idle, CPU per second:");
		parts.forEach((part, used) -> line.append(String.format(" %s %.1f ms,", label(part), used / 1e6 / seconds)));
		line.setLength(line.length() - 1);
		return line.toString();
	}

	/**
	 * One line: milliseconds of CPU per unit of work, by part, and, when the service runs
	 * here, what its share would allow on two cores of its own.
	 * @param parts nanoseconds by part
	 * @param units how many units of work (requests, changes) were done
	 * @param unit the unit's name
	 * @param serviceHere whether the service runs in this JVM (else its share here is
	 * only stray threads, and the estimate is left out)
	 * @return the line
	 */
	static String perUnit(Map<Part, Long> parts, long units, String unit, boolean serviceHere) {
		if (units == 0) {
			return "  CPU: nothing done";
		}
		StringBuilder line = new StringBuilder("  CPU per " + unit + ":");
		long total = 0;
		for (Map.Entry<Part, Long> part : parts.entrySet()) {
			line.append(String.format(" %s %.2f ms,", label(part.getKey()), part.getValue() / 1e6 / units));
			total += part.getValue();
		}
		double service = parts.get(Part.SERVICE) / 1e6 / units;
		line.append(String.format(" all %.2f ms", total / 1e6 / units));
		if (serviceHere) {
			line.append(
					String.format("; the service's share alone would allow at most %.0f %ss/s on two cores of its own",
							2000 / service, unit));
		}
		else {
			line.append(
					InfrastructureJvm.any() ? " in this JVM and the infrastructure's own (the service runs in another)"
							: " in this JVM (the service runs in another)");
		}
		return line.toString();
	}

}
