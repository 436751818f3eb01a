package com.onemusic.privacy.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real Apache Kafka broker running in this JVM in KRaft mode, as one combined broker
 * and controller. Its log lives in a folder that a restart reuses (the folder is
 * formatted only once), so topics and records survive a restart when the ports stay the
 * same.
 */
public final class LocalKafkaBroker implements AutoCloseable {

	private final KafkaRaftServer server;

	private final int port;

	private LocalKafkaBroker(KafkaRaftServer server, int port) {
		this.server = server;
		this.port = port;
	}

	/**
	 * Formats the folder if it is new and starts the broker.
	 * @param dataDir where the log lives
	 * @param port the client port, 0 for any free one
	 * @param controllerPort the controller port, 0 for any free one
	 * @param overrides further broker properties
	 * @return the started broker
	 */
	public static LocalKafkaBroker start(Path dataDir, int port, int controllerPort, Map<String, String> overrides) {
		int clientPort = (port != 0) ? port : FreePorts.find();
		int quorumPort = (controllerPort != 0) ? controllerPort : FreePorts.find();
		Map<String, String> properties = new TreeMap<>();
		properties.put("process.roles", "broker,controller");
		properties.put("node.id", "1");
		properties.put("controller.quorum.voters", "1@127.0.0.1:" + quorumPort);
		properties.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + quorumPort);
		properties.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
		properties.put("controller.listener.names", "CONTROLLER");
		properties.put("inter.broker.listener.name", "PLAINTEXT");
		properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
		properties.put("log.dirs", dataDir.toAbsolutePath().toString());
		properties.put("num.partitions", "3");
		properties.put("offsets.topic.replication.factor", "1");
		properties.put("offsets.topic.num.partitions", "5");
		properties.put("transaction.state.log.replication.factor", "1");
		properties.put("transaction.state.log.min.isr", "1");
		properties.put("transaction.state.log.num.partitions", "5");
		properties.put("share.coordinator.state.topic.replication.factor", "1");
		properties.put("share.coordinator.state.topic.min.isr", "1");
		properties.put("group.initial.rebalance.delay.ms", "0");
		properties.put("auto.create.topics.enable", "true");
		properties.put("log.cleaner.backoff.ms", "1000");
		properties.putAll(overrides);
		try {
			Files.createDirectories(dataDir);
			format(dataDir, properties);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot prepare the Kafka log folder " + dataDir, ex);
		}
		Properties config = new Properties();
		config.putAll(properties);
		KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
		server.startup();
		return new LocalKafkaBroker(server, clientPort);
	}

	private static void format(Path dataDir, Map<String, String> properties) throws IOException {
		if (Files.exists(dataDir.resolve("meta.properties"))) {
			// Formatted before: the log, and the cluster id it was written with, are
			// kept.
			return;
		}
		Path configFile = dataDir.resolve("server.properties");
		try (Writer writer = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
			Properties config = new Properties();
			config.putAll(properties);
			config.store(writer, "Written by the local system");
		}
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		int exitCode = StorageTool.execute(new String[] { "format", "--cluster-id", Uuid.randomUuid().toString(),
				"--config", configFile.toString() }, new PrintStream(output, true, StandardCharsets.UTF_8));
		if (exitCode != 0) {
			throw new IllegalStateException(
					"Formatting the Kafka log folder failed: " + output.toString(StandardCharsets.UTF_8));
		}
	}

	/**
	 * The bootstrap servers of the broker.
	 * @return {@code 127.0.0.1:<port>}
	 */
	public String bootstrapServers() {
		return "127.0.0.1:" + this.port;
	}

	@Override
	public void close() {
		this.server.shutdown();
		this.server.awaitShutdown();
	}

}
