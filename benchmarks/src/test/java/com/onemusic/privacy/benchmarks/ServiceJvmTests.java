package com.onemusic.privacy.benchmarks;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceJvmTests {

	@Test
	void aJvmLaunchedWithCpusRunsOnThoseCpusOnlyAndSizesItselfForThem() throws Exception {
		try (Launched jvm = Launched.idle("0")) {
			// taskset starts the JVM in its own process (exec), so the pid is the JVM's.
			assertThat(Launched.allowedCpus(jvm.process().pid())).contains("0");
			assertThat(jvm.output()).contains("processors 1");
		}
	}

	@Test
	void aJvmLaunchedWithoutCpusKeepsTheCpusOfTheBenchmark() throws Exception {
		try (Launched jvm = Launched.idle("")) {
			assertThat(Launched.allowedCpus(jvm.process().pid()))
				.isEqualTo(Launched.allowedCpus(ProcessHandle.current().pid()));
			assertThat(jvm.output()).contains("processors " + Runtime.getRuntime().availableProcessors());
		}
	}

	/**
	 * A JVM launched like a service's, running {@link Idle}, once it printed what it
	 * sees.
	 */
	private record Launched(Process process, File log) implements AutoCloseable {

		static Launched idle(String cpus) throws Exception {
			File log = File.createTempFile("service-jvm-test", ".log");
			Launched launched = new Launched(
					ServiceJvm.launch("an idle JVM", "64m", "", cpus, Idle.class, List.of(), log), log);
			ServiceJvm.awaitOutput(launched.process(), log, "processors ", Duration.ofSeconds(30), "The idle JVM");
			return launched;
		}

		String output() throws IOException {
			return Files.readString(this.log.toPath(), StandardCharsets.UTF_8);
		}

		static Optional<String> allowedCpus(long pid) throws IOException {
			return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))
				.stream()
				.filter((line) -> line.startsWith("Cpus_allowed_list:"))
				.map((line) -> line.substring(line.indexOf(':') + 1).strip())
				.findFirst();
		}

		@Override
		public void close() {
			ServiceJvm.stop(this.process);
		}

	}

	/**
	 * Prints the processors the JVM sees, then waits until its standard input closes: it
	 * is stopped, or the test's JVM ended.
	 */
	static final class Idle {

		public static void main(String[] args) throws IOException {
			System.out.println("processors " + Runtime.getRuntime().availableProcessors());
			while (System.in.read() != -1) {
				// Nothing is sent; only the end of the input counts.
			}
		}

	}

}
