package com.onemusic.privacy.benchmarks;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceJvmTests {

	@Test
	void aJvmLaunchedWithCpusRunsOnThoseCpusOnlyAndSizesItselfForThem() throws Exception {
		File log = File.createTempFile("service-jvm-test", ".log");
		Process process = ServiceJvm.launch("a pinned JVM", "64m", "", "0", Idle.class, List.of(), log);
		try {
			awaitLine(log.toPath(), "processors ");
			// taskset starts the JVM in its own process (exec), so the pid is the JVM's.
			assertThat(allowedCpus(process.pid())).contains("0");
			assertThat(Files.readString(log.toPath(), StandardCharsets.UTF_8)).contains("processors 1");
		}
		finally {
			process.destroy();
			process.waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void aJvmLaunchedWithoutCpusKeepsTheCpusOfTheBenchmark() throws Exception {
		File log = File.createTempFile("service-jvm-test", ".log");
		Process process = ServiceJvm.launch("a JVM", "64m", "", "", Idle.class, List.of(), log);
		try {
			awaitLine(log.toPath(), "processors ");
			assertThat(allowedCpus(process.pid())).isEqualTo(allowedCpus(ProcessHandle.current().pid()));
			assertThat(Files.readString(log.toPath(), StandardCharsets.UTF_8))
				.contains("processors " + Runtime.getRuntime().availableProcessors());
		}
		finally {
			process.destroy();
			process.waitFor(10, TimeUnit.SECONDS);
		}
	}

	private static Optional<String> allowedCpus(long pid) throws Exception {
		return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))
			.stream()
			.filter((line) -> line.startsWith("Cpus_allowed_list:"))
			.map((line) -> line.substring(line.indexOf(':') + 1).strip())
			.findFirst();
	}

	private static void awaitLine(Path log, String text) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
			assertThat(System.nanoTime()).as("'%s' in %s", text, log).isLessThan(deadline);
			Thread.sleep(20);
		}
	}

	/** Prints the processors the JVM sees, then waits to be stopped. */
	static final class Idle {

		public static void main(String[] args) throws InterruptedException {
			System.out.println("processors " + Runtime.getRuntime().availableProcessors());
			Thread.sleep(60_000);
		}

	}

}
