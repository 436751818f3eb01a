package com.onemusic.privacy.serde;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One caching client per registry configuration in a JVM, so that the many serializers
 * and deserializers Kafka clients create share their caches.
 */
final class SchemaRegistryClients {

	private static final Map<AvroSerdeConfig, SchemaRegistryClient> CLIENTS = new ConcurrentHashMap<>();

	private SchemaRegistryClients() {
	}

	static SchemaRegistryClient forConfig(AvroSerdeConfig config) {
		AvroSerdeConfig connection = new AvroSerdeConfig(config.registryUrls(), false, false, false,
				SubjectNameStrategy.TOPIC_NAME, null, config.userInfo(), config.requestTimeout());
		return CLIENTS.computeIfAbsent(connection,
				(key) -> new RestSchemaRegistryClient(key.registryUrls(), key.userInfo(), key.requestTimeout()));
	}

}
