package com.onemusic.privacy.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mongodb.MongoDBContainer;

import org.springframework.boot.SpringApplication;

import com.onemusic.privacy.local.LocalInfrastructure;

/**
 * The one Kafka broker, MongoDB server and schema registry of a test JVM, started on
 * first use and stopped when the JVM exits, after Spring Boot closed the application
 * contexts.
 *
 * <p>
 * By default all three run in this JVM ({@code embedded}). With the system property or
 * environment variable {@code privacy.test.infrastructure=containers} (or
 * {@code PRIVACY_TEST_INFRASTRUCTURE}), Kafka and MongoDB are the real images, started by
 * Testcontainers, and the same tests run against them.
 */
public final class TestInfrastructure {

	/** The Kafka image used in containers mode. */
	public static final String KAFKA_IMAGE = "apache/kafka:4.1.2";

	/** The MongoDB image used in containers mode. */
	public static final String MONGO_IMAGE = "mongo:8.0.4";

	private static final Logger logger = LoggerFactory.getLogger(TestInfrastructure.class);

	private static volatile LocalInfrastructure instance;

	private static RuntimeException startFailure;

	private TestInfrastructure() {
	}

	/**
	 * The shared infrastructure, started on first call.
	 * @return the running infrastructure
	 */
	public static LocalInfrastructure get() {
		LocalInfrastructure current = instance;
		if (current == null) {
			synchronized (TestInfrastructure.class) {
				current = instance;
				if (current == null) {
					if (startFailure != null) {
						throw new IllegalStateException("The test infrastructure failed to start", startFailure);
					}
					try {
						current = start();
					}
					catch (RuntimeException ex) {
						startFailure = ex;
						throw ex;
					}
					instance = current;
				}
			}
		}
		return current;
	}

	/**
	 * Stops the infrastructure when the JVM exits, after Spring Boot closed every
	 * application context: JVM shutdown hooks run at the same time, and a context still
	 * closing (an outbox relay finishing a batch, a consumer committing) would wait for a
	 * broker or database that is already gone.
	 */
	private static void stopAtExit(Runnable stop) {
		SpringApplication.getShutdownHandlers().add(stop);
	}

	/**
	 * The command-line arguments of another instance of a service, started by a test next
	 * to its own (a process that takes over, a second replica): on a random port, on this
	 * JVM's infrastructure and token issuer, on the given database.
	 * @param mongoUri the database the instance shares
	 * @param extra more arguments, {@code --name=value}
	 * @return the arguments
	 */
	public static String[] instanceArguments(String mongoUri, String... extra) {
		LocalInfrastructure infrastructure = get();
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--spring.mongodb.uri=" + mongoUri,
				"--spring.kafka.bootstrap-servers=" + infrastructure.bootstrapServers(),
				"--spring.kafka.properties.schema.registry.url=" + infrastructure.registryUrl(),
				"--privacy.security.jwks-uri=" + infrastructure.tokenIssuer().jwksUri(),
				"--privacy.security.issuer=" + infrastructure.tokenIssuer().issuer()));
		arguments.addAll(List.of(extra));
		return arguments.toArray(String[]::new);
	}

	/**
	 * Whether this JVM's tests run on Testcontainers.
	 * @return true in containers mode
	 */
	public static boolean containersMode() {
		String mode = System.getProperty("privacy.test.infrastructure", System.getenv("PRIVACY_TEST_INFRASTRUCTURE"));
		return mode != null && mode.toLowerCase(Locale.ROOT).equals("containers");
	}

	private static LocalInfrastructure start() {
		long begin = System.nanoTime();
		LocalInfrastructure infrastructure;
		if (containersMode()) {
			KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE);
			MongoDBContainer mongo = new MongoDBContainer(MONGO_IMAGE);
			kafka.start();
			mongo.start();
			infrastructure = LocalInfrastructure.start(new LocalInfrastructure.Settings(null, 0, 0, 0, 0,
					kafka.getBootstrapServers(), mongo.getReplicaSetUrl("privacy"), 0));
			stopAtExit(() -> {
				infrastructure.close();
				kafka.stop();
				mongo.stop();
			});
		}
		else {
			Path dataDir = temporaryFolder();
			infrastructure = LocalInfrastructure.start(LocalInfrastructure.Settings.ephemeral(dataDir));
			stopAtExit(() -> {
				infrastructure.close();
				delete(dataDir);
			});
		}
		logger.info("Test infrastructure ({}) up in {} ms: kafka {}, mongodb {}, registry {}",
				containersMode() ? "containers" : "embedded", (System.nanoTime() - begin) / 1_000_000,
				infrastructure.bootstrapServers(), infrastructure.mongoUri(), infrastructure.registryUrl());
		return infrastructure;
	}

	private static Path temporaryFolder() {
		try {
			return Files.createTempDirectory("privacy-test-kafka");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void delete(Path folder) {
		try (Stream<Path> paths = Files.walk(folder)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// Left for the operating system's temporary-file cleaning.
		}
	}

}
