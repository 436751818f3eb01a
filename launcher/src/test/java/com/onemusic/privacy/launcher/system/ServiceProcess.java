package com.onemusic.privacy.launcher.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One service as its own operating-system process, as in production: started with the
 * classpath of this JVM and its own command-line settings, killed with SIGKILL (no
 * shutdown hook, no flush, no goodbye), and started again with the same settings. Its
 * output goes to a file.
 */
public final class ServiceProcess implements AutoCloseable {

	private final String name;

	private final String mainClass;

	private final int port;

	private final List<String> arguments;

	private final Path log;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private volatile Process process;

	private int starts;

	/**
	 * A service process, not started yet.
	 * @param name the service
	 * @param mainClass its main class
	 * @param port the HTTP port its arguments give it
	 * @param arguments its command-line arguments
	 * @param logDir where its output goes
	 */
	public ServiceProcess(String name, String mainClass, int port, List<String> arguments, Path logDir) {
		this.name = name;
		this.mainClass = mainClass;
		this.port = port;
		this.arguments = List.copyOf(arguments);
		this.log = logDir.resolve(name + ".log");
	}

	public String name() {
		return this.name;
	}

	public String url() {
		return "http://127.0.0.1:" + this.port;
	}

	/** Starts the process; {@link #awaitReady(Duration)} waits for it. */
	public synchronized void start() throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx384m");
		command.add("-XX:+UseSerialGC");
		command.add("-XX:TieredStopAtLevel=1");
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(this.mainClass);
		command.addAll(this.arguments);
		Files.createDirectories(this.log.getParent());
		this.starts++;
		Files.writeString(this.log, "\n===== start " + this.starts + " =====\n",
				java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
		this.process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()))
			.start();
	}

	/** Waits until the readiness probe answers UP. */
	public void awaitReady(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						this.name + " exited with " + this.process.exitValue() + ", see " + this.log);
			}
			if (ready()) {
				return;
			}
			Thread.sleep(250);
		}
		throw new IllegalStateException(this.name + " not ready within " + timeout + ", see " + this.log);
	}

	/** Whether the readiness probe answers 200 now. */
	public boolean ready() {
		try {
			HttpResponse<Void> response = this.http
				.send(HttpRequest.newBuilder(URI.create(url() + "/actuator/health/readiness"))
					.timeout(Duration.ofSeconds(2))
					.build(), HttpResponse.BodyHandlers.discarding());
			return response.statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** SIGKILL, and waits until the process is gone. */
	public void kill() throws InterruptedException {
		Process running = this.process;
		running.destroyForcibly();
		running.waitFor(30, TimeUnit.SECONDS);
	}

	public Path log() {
		return this.log;
	}

	@Override
	public void close() throws InterruptedException {
		Process running = this.process;
		if (running != null && running.isAlive()) {
			running.destroy();
			if (!running.waitFor(20, TimeUnit.SECONDS)) {
				running.destroyForcibly();
			}
		}
	}

}
