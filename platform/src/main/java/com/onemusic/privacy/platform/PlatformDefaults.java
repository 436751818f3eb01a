package com.onemusic.privacy.platform;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The defaults every service shares, added with the lowest precedence so that a service's
 * own configuration, profile files, environment variables and tests override them.
 *
 * <p>
 * Connections come from three environment variables, the same for every service:
 * {@code KAFKA_BOOTSTRAP_SERVERS}, {@code MONGODB_URI} and {@code SCHEMA_REGISTRY_URL}.
 * Values are Avro in the Confluent wire format; keys are strings; consumers deserialize
 * behind {@code ErrorHandlingDeserializer}, so a poison record reaches the error handler
 * (and the dead-letter topic) instead of failing the poll loop.
 */
public class PlatformDefaults implements EnvironmentPostProcessor, Ordered {

	/** Name of the property source that holds the defaults. */
	public static final String SOURCE_NAME = "privacyPlatformDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String name = environment.getProperty("spring.application.name", "privacy");
		Map<String, Object> defaults = new LinkedHashMap<>();
		defaults.put("spring.kafka.bootstrap-servers", "${KAFKA_BOOTSTRAP_SERVERS:localhost:9092}");
		defaults.put("spring.kafka.properties.schema.registry.url", "${SCHEMA_REGISTRY_URL:http://localhost:8081}");
		defaults.put("spring.kafka.properties.specific.avro.reader", "true");
		defaults.put("spring.kafka.producer.key-serializer", "org.apache.kafka.common.serialization.StringSerializer");
		defaults.put("spring.kafka.producer.value-serializer", "com.onemusic.privacy.serde.AvroSerializer");
		defaults.put("spring.kafka.producer.acks", "all");
		defaults.put("spring.kafka.producer.properties.enable.idempotence", "true");
		// Kafka 4 clients wait 5 ms to fill a batch by default. Answers here wait for
		// acknowledgements (a share decision's record, a withdrawal's event), and the
		// outbox relay sends in batches of its own, so each record goes at once; under
		// load, records that come while requests are in flight still travel together.
		// On the in-process broker an acknowledged send took 0.2 ms at 0, 1.6 ms at 1.
		defaults.put("spring.kafka.producer.properties.linger.ms", "0");
		defaults.put("spring.kafka.consumer.group-id", name);
		defaults.put("spring.kafka.consumer.auto-offset-reset", "earliest");
		defaults.put("spring.kafka.consumer.enable-auto-commit", "false");
		// Records of aborted transactions (the consent states an instance sent after it
		// lost its partitions) are never read.
		defaults.put("spring.kafka.consumer.isolation-level", "read-committed");
		defaults.put("spring.kafka.consumer.key-deserializer",
				"org.springframework.kafka.support.serializer.ErrorHandlingDeserializer");
		defaults.put("spring.kafka.consumer.value-deserializer",
				"org.springframework.kafka.support.serializer.ErrorHandlingDeserializer");
		defaults.put("spring.kafka.consumer.properties.spring.deserializer.key.delegate.class",
				"org.apache.kafka.common.serialization.StringDeserializer");
		defaults.put("spring.kafka.consumer.properties.spring.deserializer.value.delegate.class",
				"com.onemusic.privacy.serde.AvroDeserializer");
		defaults.put("spring.mongodb.uri", "${MONGODB_URI:mongodb://localhost:27017/" + name + "}");
		defaults.put("spring.mongodb.representation.uuid", "standard");
		defaults.put("spring.jmx.enabled", "false");
		defaults.put("spring.jackson.deserialization.fail-on-unknown-properties", "true");
		defaults.put("spring.webflux.problemdetails.enabled", "true");
		// No request body of these APIs comes near this; a larger one is refused with 413
		// before it is read into memory.
		defaults.put("spring.http.codecs.max-in-memory-size", "64KB");
		// Prometheus scrapes /actuator/prometheus with a token of its own, like any
		// caller.
		defaults.put("management.endpoints.web.exposure.include", "health,info,metrics,prometheus");
		defaults.put("management.endpoint.health.probes.enabled", "true");
		// The probes answer anyone; what each dependency reports (the Kafka cluster, the
		// database, the registry's address, disk paths) only a caller with a valid token
		// sees.
		defaults.put("management.endpoint.health.show-details", "when-authorized");
		defaults.put("management.endpoint.health.group.readiness.include", "readinessState,mongo,kafka,schemaRegistry");
		defaults.put("management.endpoint.health.group.liveness.include", "livenessState");
		defaults.put("server.shutdown", "graceful");
		defaults.put("spring.lifecycle.timeout-per-shutdown-phase", "20s");
		environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, defaults));
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
