package com.onemusic.privacy.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.boot.Banner;
import org.springframework.context.ConfigurableApplicationContext;

import com.onemusic.privacy.anonymizer.AnonymizerServiceApplication;
import com.onemusic.privacy.consent.ConsentServiceApplication;
import com.onemusic.privacy.dsr.DsrServiceApplication;
import com.onemusic.privacy.local.FreePorts;
import com.onemusic.privacy.local.LocalInfrastructure;
import com.onemusic.privacy.platform.PrivacyService;
import com.onemusic.privacy.sharing.SharingGatewayApplication;

/**
 * Starts the whole system in this JVM: a Kafka broker whose log lives in a local folder
 * (so a restart keeps topics, events and schema ids), the in-memory MongoDB wire server,
 * the schema registry and the four services, each a Spring application of its own. Ctrl-C
 * stops the services first, then the infrastructure.
 */
public final class LocalSystem implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(LocalSystem.class);

	private final LocalInfrastructure infrastructure;

	private final Map<String, ConfigurableApplicationContext> services;

	private LocalSystem(LocalInfrastructure infrastructure, Map<String, ConfigurableApplicationContext> services) {
		this.infrastructure = infrastructure;
		this.services = services;
	}

	public static void main(String[] args) {
		long begin = System.nanoTime();
		LocalSystem system;
		try {
			system = start(LocalSystemSettings.fromEnvironment(System.getenv()));
		}
		catch (RuntimeException ex) {
			logger.error("The local system could not start: {}", ex.getMessage(), ex);
			System.exit(1);
			return;
		}
		Runtime.getRuntime().addShutdownHook(new Thread(system::close, "local-system-stop"));
		System.out.println(system.describe(Duration.ofNanos(System.nanoTime() - begin)));
	}

	/**
	 * Starts infrastructure and services.
	 * @param settings ports and folders
	 * @return the running system
	 */
	public static LocalSystem start(LocalSystemSettings settings) {
		// One logging setup for all four applications: Spring Boot must not reconfigure
		// it
		// per application while they start side by side.
		System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
		PrivacyService.trustEventsPackage();
		LocalInfrastructure infrastructure = LocalInfrastructure
			.start(new LocalInfrastructure.Settings(settings.dataDir().resolve("kafka"), settings.kafkaPort(),
					settings.kafkaControllerPort(), settings.mongoPort(), settings.registryPort(),
					settings.externalBootstrapServers(), settings.externalMongoUri(), settings.tokenIssuerPort()));
		Map<String, ConfigurableApplicationContext> services = new LinkedHashMap<>();
		ExecutorService starter = Executors.newFixedThreadPool(settings.servicePorts().size());
		try {
			Map<String, Future<ConfigurableApplicationContext>> starting = new LinkedHashMap<>();
			settings.servicePorts()
				.forEach((name, port) -> starting.put(name,
						starter.submit(() -> startService(name, port, infrastructure))));
			List<String> failures = new ArrayList<>();
			for (Map.Entry<String, Future<ConfigurableApplicationContext>> entry : starting.entrySet()) {
				try {
					services.put(entry.getKey(), entry.getValue().get());
				}
				catch (Exception ex) {
					failures.add(entry.getKey() + ": " + rootMessage(ex));
				}
			}
			if (!failures.isEmpty()) {
				new LocalSystem(infrastructure, services).close();
				throw new IllegalStateException("Services failed to start: " + failures);
			}
		}
		finally {
			starter.shutdown();
		}
		return new LocalSystem(infrastructure, services);
	}

	private static ConfigurableApplicationContext startService(String name, int requestedPort,
			LocalInfrastructure infrastructure) {
		MDC.put("service", name);
		try {
			// Port 0 (any) is chosen here, so that the gateway can tell partners where
			// its callback endpoint is.
			int port = (requestedPort != 0) ? requestedPort : FreePorts.find();
			List<String> arguments = serviceArguments(name, port, infrastructure);
			return PrivacyService.builder(applicationClass(name), name)
				.registerShutdownHook(false)
				.bannerMode(Banner.Mode.OFF)
				// As command-line arguments, so they win over every other source.
				.run(arguments.toArray(String[]::new));
		}
		finally {
			MDC.remove("service");
		}
	}

	/**
	 * The command-line arguments that bind a service to the infrastructure, whether it
	 * runs in this JVM or as a process of its own.
	 * @param name the service
	 * @param port its HTTP port (the gateway tells partners its callback URL on it)
	 * @param infrastructure the broker, MongoDB, registry and token issuer
	 * @return the arguments, a list that may be added to
	 */
	public static List<String> serviceArguments(String name, int port, LocalInfrastructure infrastructure) {
		List<String> arguments = new ArrayList<>(List.of("--server.port=" + port,
				"--spring.kafka.bootstrap-servers=" + infrastructure.bootstrapServers(),
				"--spring.kafka.properties.schema.registry.url=" + infrastructure.registryUrl(),
				"--spring.mongodb.uri=" + infrastructure.mongoUri(name),
				"--privacy.security.jwks-uri=" + infrastructure.tokenIssuer().jwksUri(),
				"--privacy.security.issuer=" + infrastructure.tokenIssuer().issuer()));
		if (SharingGatewayApplication.NAME.equals(name)) {
			arguments.add("--sharing.callback-base-url=http://127.0.0.1:" + port);
		}
		return arguments;
	}

	/**
	 * The application class of a service.
	 * @param name the service name
	 * @return its class
	 */
	public static Class<?> applicationClass(String name) {
		return switch (name) {
			case ConsentServiceApplication.NAME -> ConsentServiceApplication.class;
			case DsrServiceApplication.NAME -> DsrServiceApplication.class;
			case AnonymizerServiceApplication.NAME -> AnonymizerServiceApplication.class;
			case SharingGatewayApplication.NAME -> SharingGatewayApplication.class;
			default -> throw new IllegalArgumentException("No service named " + name);
		};
	}

	private static String rootMessage(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause.getClass().getSimpleName() + ": " + cause.getMessage();
	}

	/**
	 * The base URL of a running service.
	 * @param name the service name
	 * @return e.g. {@code http://127.0.0.1:8101}
	 */
	public String url(String name) {
		ConfigurableApplicationContext context = this.services.get(name);
		if (context == null) {
			throw new IllegalArgumentException("No service named " + name);
		}
		return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
	}

	public LocalInfrastructure infrastructure() {
		return this.infrastructure;
	}

	/**
	 * What runs where, for the console.
	 * @param startup how long start-up took
	 * @return a table of URLs
	 */
	public String describe(Duration startup) {
		StringBuilder out = new StringBuilder();
		out.append(String.format("%nOneMusic privacy backbone is up (%.1f s)%n%n", startup.toMillis() / 1000.0));
		out.append(String.format("  %-20s %s%n", "kafka", this.infrastructure.bootstrapServers()));
		out.append(String.format("  %-20s %s%n", "mongodb", this.infrastructure.mongoUri()));
		out.append(String.format("  %-20s %s%n", "schema-registry", this.infrastructure.registryUrl()));
		out.append(String.format("  %-20s %s   (development keys, made at this start)%n", "token-issuer",
				this.infrastructure.tokenIssuer().issuer()));
		for (String name : this.services.keySet()) {
			out.append(String.format("  %-20s %s   (health: %s/actuator/health)%n", name, url(name), url(name)));
		}
		out.append(String.format(
				"%nA token (kind user, operator or service; subject the user id or a name):%n"
						+ "  curl -s -X POST '%s/token?kind=user&subject=u-1'%n",
				this.infrastructure.tokenIssuer().issuer()));
		out.append(String.format("%nPress Ctrl-C to stop.%n"));
		return out.toString();
	}

	@Override
	public void close() {
		List<ConfigurableApplicationContext> running = new ArrayList<>(this.services.values());
		Collections.reverse(running);
		for (ConfigurableApplicationContext context : running) {
			try {
				context.close();
			}
			catch (RuntimeException ex) {
				logger.warn("Error while stopping a service: {}", ex.toString());
			}
		}
		this.infrastructure.close();
	}

	/**
	 * Ports and folders of the local system.
	 *
	 * @param dataDir where the broker's log lives
	 * @param kafkaPort the broker's port
	 * @param kafkaControllerPort the KRaft controller's port
	 * @param mongoPort the MongoDB wire server's port
	 * @param registryPort the registry's port
	 * @param servicePorts each service's HTTP port, by service name
	 * @param externalBootstrapServers an existing Kafka to use instead, or null
	 * @param externalMongoUri an existing MongoDB to use instead, or null
	 * @param tokenIssuerPort the development token issuer's port
	 */
	public record LocalSystemSettings(Path dataDir, int kafkaPort, int kafkaControllerPort, int mongoPort,
			int registryPort, Map<String, Integer> servicePorts, String externalBootstrapServers,
			String externalMongoUri, int tokenIssuerPort) {

		/**
		 * The documented defaults, each overridable by an environment variable.
		 * @param env the environment
		 * @return the settings
		 */
		public static LocalSystemSettings fromEnvironment(Map<String, String> env) {
			Map<String, Integer> services = new LinkedHashMap<>();
			services.put(ConsentServiceApplication.NAME, port(env, "CONSENT_SERVICE_PORT", 8101));
			services.put(DsrServiceApplication.NAME, port(env, "DSR_SERVICE_PORT", 8102));
			services.put(AnonymizerServiceApplication.NAME, port(env, "ANONYMIZER_SERVICE_PORT", 8103));
			services.put(SharingGatewayApplication.NAME, port(env, "SHARING_GATEWAY_PORT", 8104));
			return new LocalSystemSettings(Path.of(env.getOrDefault("PRIVACY_LOCAL_DATA", ".local")),
					port(env, "KAFKA_PORT", 9092), port(env, "KAFKA_CONTROLLER_PORT", 9093),
					port(env, "MONGODB_PORT", 27017), port(env, "SCHEMA_REGISTRY_PORT", 8081), services,
					blankToNull(env.get("KAFKA_BOOTSTRAP_SERVERS")), blankToNull(env.get("MONGODB_URI")),
					port(env, "TOKEN_ISSUER_PORT", 8090));
		}

		/**
		 * Every part on a free port, for tests: the broker's two ports are chosen now, so
		 * that a restart with the same settings finds its log again.
		 * @param dataDir where the broker's log lives
		 * @return the settings
		 */
		public static LocalSystemSettings onFreePorts(Path dataDir) {
			Map<String, Integer> services = new LinkedHashMap<>();
			fromEnvironment(Map.of()).servicePorts().keySet().forEach((name) -> services.put(name, 0));
			return new LocalSystemSettings(dataDir, FreePorts.find(), FreePorts.find(), 0, 0, services, null, null, 0);
		}

		private static int port(Map<String, String> env, String name, int defaultPort) {
			String value = env.get(name);
			if (value == null || value.isBlank()) {
				return defaultPort;
			}
			try {
				int port = Integer.parseInt(value.trim());
				if (port < 0 || port > 65535) {
					throw new IllegalArgumentException(name + " must be a port number, not " + value);
				}
				return port;
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException(name + " must be a port number, not " + value, ex);
			}
		}

		private static String blankToNull(String value) {
			return (value == null || value.isBlank()) ? null : value.trim();
		}

	}

}
