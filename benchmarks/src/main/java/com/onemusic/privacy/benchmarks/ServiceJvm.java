package com.onemusic.privacy.benchmarks;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.onemusic.privacy.local.FreePorts;
import com.onemusic.privacy.local.LocalInfrastructure;

/**
 * A service under load in a JVM of its own ({@link ServiceProcess}), the infrastructure
 * and the load driver staying in the benchmark's: what {@code -Dseparate=true} runs. Its
 * heap is {@code -D<prefix>.heap} (512m by default) and other JVM options come from
 * {@code -D<prefix>.jvm}; {@code -D<prefix>.cpus} (a {@code taskset} CPU list, Linux)
 * keeps it on those CPUs, so that it does not share them with the broker, the MongoDB
 * server and the load driver (start the benchmark itself under {@code taskset} on the
 * others). Its output goes to a file named on the console. The service's own meters
 * cannot be read from here, the CPU time of its process can.
 */
final class ServiceJvm implements AutoCloseable {

	private final Process process;

	private final String url;

	private final String name;

	private ServiceJvm(Process process, String url, String name) {
		this.process = process;
		this.url = url;
		this.name = name;
	}

	/**
	 * Starts a service and waits until it answers.
	 * @param prefix the prefix of the system properties that set its heap and options
	 * @param application the service's application class
	 * @param name the service's name
	 * @param infrastructure the infrastructure it uses
	 * @param mongoUri its MongoDB connection string
	 * @return the running service
	 * @throws Exception when it cannot be started or does not answer within two minutes
	 */
	static ServiceJvm start(String prefix, Class<?> application, String name, LocalInfrastructure infrastructure,
			String mongoUri) throws Exception {
		return start(prefix, System.getProperty(prefix + ".jvm", ""), application, name, infrastructure, mongoUri);
	}

	/**
	 * Starts a service with JVM options of its own and waits until it answers.
	 * @param prefix the prefix of the system property that sets its heap
	 * @param options its JVM options, separated by spaces
	 * @param application the service's application class
	 * @param name the service's name
	 * @param infrastructure the infrastructure it uses
	 * @param mongoUri its MongoDB connection string
	 * @return the running service
	 * @throws Exception when it cannot be started or does not answer within two minutes
	 */
	static ServiceJvm start(String prefix, String options, Class<?> application, String name,
			LocalInfrastructure infrastructure, String mongoUri) throws Exception {
		int port = FreePorts.find();
		List<String> arguments = new ArrayList<>(List.of(application.getName(), name));
		arguments.addAll(List.of(InProcess.arguments(infrastructure, mongoUri, port)));
		Process process = launch(name, System.getProperty(prefix + ".heap", "512m"), options,
				System.getProperty(prefix + ".cpus", ""), ServiceProcess.class, arguments,
				File.createTempFile(name + "-process", ".log"));
		ServiceJvm jvm = new ServiceJvm(process, "http://127.0.0.1:" + port, name);
		try {
			jvm.awaitUp(Duration.ofMinutes(2));
			return jvm;
		}
		catch (Exception ex) {
			jvm.close();
			throw ex;
		}
	}

	/**
	 * Starts a JVM with this benchmark's class path, its output going to a file.
	 * @param name what it runs, for the console
	 * @param heap its maximum heap
	 * @param options further JVM options, separated by spaces
	 * @param cpus the CPUs it may run on, as {@code taskset -c} takes them; blank for any
	 * @param main the class whose main method it runs
	 * @param arguments that method's arguments
	 * @param log the file its output goes to
	 * @return the process
	 * @throws IOException when it cannot be started
	 */
	static Process launch(String name, String heap, String options, String cpus, Class<?> main, List<String> arguments,
			File log) throws IOException {
		List<String> command = new ArrayList<>();
		if (!cpus.isBlank()) {
			// The JVM started this way also sizes its thread pools for those CPUs, as it
			// does for a container's CPU limit.
			command.addAll(List.of("taskset", "-c", cpus.trim()));
		}
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.add("-Xmx" + heap);
		if (!options.isBlank()) {
			command.addAll(List.of(options.trim().split("\\s+")));
		}
		command.addAll(List.of("-cp", classpath(), main.getName()));
		command.addAll(arguments);
		System.out.printf("%s in a JVM of its own (-Xmx%s %s)%s, its output in %s%n", name, heap, options,
				cpus.isBlank() ? "" : " on CPUs " + cpus.trim(), log);
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
	}

	/**
	 * The CPU time a process has used so far.
	 * @param process the process
	 * @return nanoseconds, 0 where the system does not tell
	 */
	static long cpuOf(Process process) {
		return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
	}

	/**
	 * Where the service listens.
	 * @return its base URL
	 */
	String url() {
		return this.url;
	}

	/**
	 * The CPU time of the service's JVM so far, in all and by thread.
	 * @return the reading
	 */
	Reading reading() {
		return new Reading(cpuOf(this.process), ThreadTimes.of(this.process.pid()));
	}

	/**
	 * The CPU time the service's JVM used since an earlier reading, per unit of work: in
	 * all, and (where the system tells) user and system apart, its context switches and
	 * the threads that spent it ({@link ThreadTimes}).
	 * @param before the earlier {@link #reading()}
	 * @param units the work done since
	 * @param unit what a unit is called
	 * @return the lines to print
	 */
	String perUnit(Reading before, long units, String unit) {
		String threads = ThreadTimes.of(this.process.pid()).perUnitSince(before.threads(), units, unit);
		String all = String.format("  the JVM of %s: %.2f ms CPU per %s", this.name,
				(cpuOf(this.process) - before.cpu()) / 1e6 / Math.max(1, units), unit);
		return threads.isEmpty() ? all : all + System.lineSeparator() + threads;
	}

	/**
	 * What {@link #reading()} read.
	 *
	 * @param cpu the process's CPU time, in nanoseconds
	 * @param threads its threads' times
	 */
	record Reading(long cpu, ThreadTimes threads) {

	}

	private void awaitUp(Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		try (DriverHttp http = DriverHttp.of(this.url)) {
			while (System.nanoTime() < deadline) {
				if (!this.process.isAlive()) {
					throw new IllegalStateException(
							"The JVM of " + this.name + " ended with " + this.process.exitValue());
				}
				try {
					if (http.send("POST", "/benchmark/echo", "{}").status() == 200) {
						return;
					}
				}
				catch (IOException notYet) {
					// Not listening yet.
				}
				Thread.sleep(500);
			}
		}
		throw new IllegalStateException(this.name + " did not answer within " + timeout);
	}

	/** The class path this benchmark runs with, for the JVMs it starts. */
	private static String classpath() {
		if (ServiceJvm.class.getClassLoader() instanceof URLClassLoader loader) {
			List<String> entries = new ArrayList<>();
			for (URL url : loader.getURLs()) {
				entries.add(Path.of(URI.create(url.toString())).toString());
			}
			return String.join(File.pathSeparator, entries);
		}
		return System.getProperty("java.class.path");
	}

	/** Stops the service's JVM. */
	@Override
	public void close() {
		stop(this.process);
	}

	/**
	 * Waits until a JVM started by {@link #launch} has written a text to its output.
	 * @param process the JVM
	 * @param log the file its output goes to
	 * @param text what to wait for
	 * @param within how long at most
	 * @param what the JVM, for the errors
	 * @throws IllegalStateException when the JVM ended first or the time ran out
	 * @throws IOException when the file cannot be read
	 * @throws InterruptedException when interrupted while waiting
	 */
	static void awaitOutput(Process process, File log, String text, Duration within, String what)
			throws IOException, InterruptedException {
		long deadline = System.nanoTime() + within.toNanos();
		while (!Files.readString(log.toPath(), StandardCharsets.UTF_8).contains(text)) {
			if (!process.isAlive()) {
				throw new IllegalStateException(what + " ended with " + process.exitValue() + ", its output in " + log);
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(what + " did not write '" + text + "' within " + within.toSeconds()
						+ " s, its output in " + log);
			}
			// Another process writes the file: nothing to wait on but the file itself.
			Thread.sleep(50);
		}
	}

	/**
	 * Stops a JVM this benchmark started: asks it to end, and ends it if it has not
	 * within 30 s.
	 * @param process the JVM
	 */
	static void stop(Process process) {
		process.destroy();
		try {
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

}
