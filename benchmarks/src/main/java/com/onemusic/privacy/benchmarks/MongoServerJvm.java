package com.onemusic.privacy.benchmarks;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.onemusic.privacy.local.FreePorts;
import com.onemusic.privacy.local.LocalMongoServer;

/**
 * The in-memory MongoDB wire server in a JVM of its own, what
 * {@code -Dmongo.separate=true} runs: a real MongoDB is a process of its own and keeps
 * its data off every Java heap, while this server keeps every document on its heap. In
 * the benchmark's JVM that heap grows with every write, and its garbage collector's
 * pauses stop the load driver and the broker too, so they show in every latency measured.
 * Its heap is {@code -Dmongo.heap} (4g by default), other options {@code -Dmongo.jvm}
 * ({@code -XX:MaxGCPauseMillis=20} by default: with G1's own goal of 200 ms its young
 * pauses were 171 ms at the median under share decisions, with this one 29 ms under
 * consent changes). {@link CpuShares} counts its CPU time as the MongoDB server's part.
 * The JVMs started are stopped when the benchmark's ends.
 */
public final class MongoServerJvm {

	private static final List<Process> RUNNING = new CopyOnWriteArrayList<>();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(MongoServerJvm::stopAll));
	}

	private MongoServerJvm() {
	}

	/**
	 * Runs the server on a port until the process is stopped.
	 * @param args the port
	 * @throws InterruptedException never, the process is stopped from outside
	 */
	public static void main(String[] args) throws InterruptedException {
		LocalMongoServer server = LocalMongoServer.start(Integer.parseInt(args[0]));
		System.out.println("MongoDB wire server on port " + server.port());
		Thread.currentThread().join();
	}

	/**
	 * Starts a server in a JVM of its own and waits until it accepts connections.
	 * @param name a name for its output file
	 * @return its connection string (database {@code privacy})
	 * @throws Exception when it cannot be started or does not listen within a minute
	 */
	static String start(String name) throws Exception {
		int port = FreePorts.find();
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		String heap = System.getProperty("mongo.heap", "4g");
		command.add("-Xmx" + heap);
		String options = System.getProperty("mongo.jvm", "-XX:MaxGCPauseMillis=20");
		if (!options.isBlank()) {
			command.addAll(List.of(options.trim().split("\\s+")));
		}
		command.addAll(List.of("-cp", ServiceJvm.classpath(), MongoServerJvm.class.getName(), String.valueOf(port)));
		File log = File.createTempFile(name + "-mongodb", ".log");
		System.out.printf("MongoDB wire server in a JVM of its own (-Xmx%s %s), its output in %s%n", heap, options,
				log);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
		RUNNING.add(process);
		long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				RUNNING.remove(process);
				throw new IllegalStateException("The MongoDB server's JVM ended with " + process.exitValue());
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
				return "mongodb://127.0.0.1:" + port + "/privacy";
			}
			catch (IOException notYet) {
				Thread.sleep(200);
			}
		}
		ServiceJvm.stop(process);
		RUNNING.remove(process);
		throw new IllegalStateException("The MongoDB server did not listen within a minute");
	}

	/** Stops every server's JVM started so far. */
	static void stopAll() {
		for (Process process : RUNNING) {
			ServiceJvm.stop(process);
			RUNNING.remove(process);
		}
	}

	/**
	 * Whether any server runs in a JVM of its own.
	 * @return true if one was started
	 */
	static boolean any() {
		return !RUNNING.isEmpty();
	}

	/**
	 * The CPU time of the servers' JVMs so far.
	 * @return nanoseconds
	 */
	static long cpu() {
		long total = 0;
		for (Process process : RUNNING) {
			total += process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
		}
		return total;
	}

}
