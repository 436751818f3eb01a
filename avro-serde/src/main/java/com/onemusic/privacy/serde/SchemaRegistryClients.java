package com.onemusic.privacy.serde;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One caching client per registry connection in a JVM, so that the many serializers and
 * deserializers Kafka clients create share their caches.
 */
final class SchemaRegistryClients {

	private static final Map<Connection, SchemaRegistryClient> CLIENTS = new ConcurrentHashMap<>();

	private SchemaRegistryClients() {
	}

	static SchemaRegistryClient forConfig(AvroSerdeConfig config) {
		return CLIENTS.computeIfAbsent(
				new Connection(config.registryUrls(), config.userInfo(), config.requestTimeout()),
				(connection) -> new RestSchemaRegistryClient(connection.urls(), connection.userInfo(),
						connection.timeout()));
	}

	private record Connection(String urls, String userInfo, Duration timeout) {

	}

}
