package com.onemusic.privacy.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.onemusic.privacy.registry.CompatibilityLevel;
import com.onemusic.privacy.registry.SchemaRegistry;
import com.onemusic.privacy.registry.SchemaRegistryServer;

/**
 * Everything the services need from outside, started in this JVM: a Kafka broker, a
 * MongoDB wire-protocol server, the schema registry (stored in the broker's
 * {@code _schemas} topic) and a development token issuer. The local launcher and the
 * integration tests both start it through this class, so they run on the same setup.
 */
public final class LocalInfrastructure implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(LocalInfrastructure.class);

	private final List<AutoCloseable> started;

	private final String bootstrapServers;

	private final LocalMongoServer mongo;

	private final String mongoUri;

	private final String registryUrl;

	private final DevTokenIssuer tokenIssuer;

	private LocalInfrastructure(List<AutoCloseable> started, String bootstrapServers, LocalMongoServer mongo,
			String mongoUri, String registryUrl, DevTokenIssuer tokenIssuer) {
		this.started = started;
		this.bootstrapServers = bootstrapServers;
		this.mongo = mongo;
		this.mongoUri = mongoUri;
		this.registryUrl = registryUrl;
		this.tokenIssuer = tokenIssuer;
	}

	/**
	 * Starts what the settings ask for: each part either in this JVM or, where the
	 * settings name an external one, not at all.
	 * @param settings where and on which ports
	 * @return the running infrastructure
	 */
	public static LocalInfrastructure start(Settings settings) {
		List<AutoCloseable> started = new ArrayList<>();
		try {
			String bootstrapServers = settings.externalBootstrapServers();
			if (bootstrapServers == null) {
				long begin = System.nanoTime();
				LocalKafkaBroker broker = LocalKafkaBroker.start(settings.kafkaDataDir(), settings.kafkaPort(),
						settings.kafkaControllerPort(), Map.of());
				started.add(broker);
				bootstrapServers = broker.bootstrapServers();
				logger.info("Kafka broker up at {} in {} ms", bootstrapServers, millisSince(begin));
			}
			LocalMongoServer mongo = null;
			String mongoUri = settings.externalMongoUri();
			if (mongoUri == null) {
				mongo = LocalMongoServer.start(settings.mongoPort());
				started.add(mongo);
				mongoUri = mongo.uri("privacy");
			}
			long begin = System.nanoTime();
			SchemaRegistry registry = SchemaRegistry.start(bootstrapServers, "_schemas", CompatibilityLevel.BACKWARD,
					Duration.ofSeconds(30), Map.of());
			started.add(registry);
			SchemaRegistryServer server = SchemaRegistryServer.start(registry, "127.0.0.1", settings.registryPort());
			started.add(server);
			logger.info("Schema registry up at {} in {} ms", server.url(), millisSince(begin));
			DevTokenIssuer issuer = DevTokenIssuer.start(settings.tokenIssuerPort());
			started.add(issuer);
			logger.info("Development token issuer up at {} (a key generated now, trusted by nothing else)",
					issuer.issuer());
			return new LocalInfrastructure(started, bootstrapServers, mongo, mongoUri, server.url(), issuer);
		}
		catch (IOException ex) {
			closeAll(started);
			throw new UncheckedIOException(ex);
		}
		catch (RuntimeException ex) {
			closeAll(started);
			throw ex;
		}
	}

	private static long millisSince(long begin) {
		return Duration.ofNanos(System.nanoTime() - begin).toMillis();
	}

	public String bootstrapServers() {
		return this.bootstrapServers;
	}

	/**
	 * The MongoDB connection string of the default database.
	 * @return the URI
	 */
	public String mongoUri() {
		return this.mongoUri;
	}

	/**
	 * A connection string for another database on the same server, so that tests stay
	 * apart from each other.
	 * @param database the database name
	 * @return the URI
	 */
	public String mongoUri(String database) {
		if (this.mongo != null) {
			return this.mongo.uri(database);
		}
		int slash = this.mongoUri.indexOf('/', "mongodb://".length());
		int query = this.mongoUri.indexOf('?');
		String base = (slash < 0) ? this.mongoUri : this.mongoUri.substring(0, slash);
		return base + "/" + database + ((query < 0) ? "" : this.mongoUri.substring(query));
	}

	public String registryUrl() {
		return this.registryUrl;
	}

	/**
	 * The development token issuer the services trust here.
	 * @return the issuer
	 */
	public DevTokenIssuer tokenIssuer() {
		return this.tokenIssuer;
	}

	@Override
	public void close() {
		closeAll(this.started);
	}

	/** Stops what was started, in reverse order. */
	private static void closeAll(List<AutoCloseable> resources) {
		List<AutoCloseable> reversed = new ArrayList<>(resources);
		Collections.reverse(reversed);
		for (AutoCloseable resource : reversed) {
			try {
				resource.close();
			}
			catch (Exception ex) {
				logger.warn("Error while stopping {}: {}", resource.getClass().getSimpleName(), ex.toString());
			}
		}
	}

	/**
	 * Where the infrastructure runs.
	 *
	 * @param kafkaDataDir the broker's log folder
	 * @param kafkaPort the broker's client port, 0 for any
	 * @param kafkaControllerPort the controller port, 0 for any
	 * @param mongoPort the MongoDB port, 0 for any
	 * @param registryPort the registry port, 0 for any
	 * @param externalBootstrapServers an existing Kafka to use instead of starting one
	 * @param externalMongoUri an existing MongoDB to use instead of starting one
	 * @param tokenIssuerPort the development token issuer's port, 0 for any
	 */
	public record Settings(Path kafkaDataDir, int kafkaPort, int kafkaControllerPort, int mongoPort, int registryPort,
			String externalBootstrapServers, String externalMongoUri, int tokenIssuerPort) {

		/**
		 * Everything in this JVM on free ports, the broker's log in a folder.
		 * @param kafkaDataDir the log folder
		 * @return the settings
		 */
		public static Settings ephemeral(Path kafkaDataDir) {
			return new Settings(kafkaDataDir, 0, 0, 0, 0, null, null, 0);
		}

	}

}
