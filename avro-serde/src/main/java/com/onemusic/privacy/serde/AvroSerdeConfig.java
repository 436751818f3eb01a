package com.onemusic.privacy.serde;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration of {@link AvroSerializer} and {@link AvroDeserializer}, read from the
 * Kafka client properties under Confluent's names and with Confluent's defaults, so that
 * a configuration written for Confluent's serializers works unchanged.
 *
 * @param registryUrls {@code schema.registry.url}, comma-separated
 * @param autoRegisterSchemas {@code auto.register.schemas}, default true
 * @param useLatestVersion {@code use.latest.version}, default false
 * @param specificAvroReader {@code specific.avro.reader}, default false
 * @param subjectNameStrategy {@code key.subject.name.strategy} or
 * {@code value.subject.name.strategy}, default TopicNameStrategy
 * @param specificType {@code specific.avro.key.type} or {@code specific.avro.value.type}:
 * the generated class to read into whatever the writer's record name, or null
 * @param userInfo {@code basic.auth.user.info} when
 * {@code basic.auth.credentials.source=USER_INFO}, else null
 * @param requestTimeout {@code schema.registry.request.timeout.ms}, default 10 s
 */
public record AvroSerdeConfig(String registryUrls, boolean autoRegisterSchemas, boolean useLatestVersion,
		boolean specificAvroReader, SubjectNameStrategy subjectNameStrategy, Class<?> specificType, String userInfo,
		Duration requestTimeout) {

	public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";

	public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";

	public static final String USE_LATEST_VERSION = "use.latest.version";

	public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

	public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";

	public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";

	public static final String SPECIFIC_AVRO_KEY_TYPE = "specific.avro.key.type";

	public static final String SPECIFIC_AVRO_VALUE_TYPE = "specific.avro.value.type";

	public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";

	public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

	public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";

	/**
	 * Reads the configuration from Kafka client properties; properties this serde does
	 * not know are ignored, as Kafka passes every client property to it.
	 * @param configs the client properties
	 * @param isKey whether the serde is for keys
	 * @return the configuration
	 * @throws ConfigException when a value is missing or malformed
	 */
	public static AvroSerdeConfig from(Map<String, ?> configs, boolean isKey) {
		Object urls = configs.get(SCHEMA_REGISTRY_URL);
		if (urls == null || urls.toString().isBlank()) {
			throw new ConfigException(SCHEMA_REGISTRY_URL, urls, "Missing required configuration");
		}
		String strategyKey = isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY;
		SubjectNameStrategy strategy = SubjectNameStrategy.TOPIC_NAME;
		Object configuredStrategy = configs.get(strategyKey);
		if (configuredStrategy != null) {
			String name = (configuredStrategy instanceof Class<?> type) ? type.getName()
					: configuredStrategy.toString();
			try {
				strategy = SubjectNameStrategy.parse(name);
			}
			catch (IllegalArgumentException ex) {
				throw new ConfigException(strategyKey, configuredStrategy, ex.getMessage());
			}
		}
		String userInfo = null;
		Object source = configs.get(BASIC_AUTH_CREDENTIALS_SOURCE);
		if (source != null && "USER_INFO".equals(source.toString())) {
			Object info = configs.get(BASIC_AUTH_USER_INFO);
			if (info == null || !info.toString().contains(":")) {
				throw new ConfigException(BASIC_AUTH_USER_INFO, "(hidden)", "Expected user:password");
			}
			userInfo = info.toString();
		}
		else if (source != null && !"URL".equals(source.toString())) {
			throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE, source, "Supported sources are USER_INFO and URL");
		}
		String typeKey = isKey ? SPECIFIC_AVRO_KEY_TYPE : SPECIFIC_AVRO_VALUE_TYPE;
		return new AvroSerdeConfig(urls.toString(), bool(configs, AUTO_REGISTER_SCHEMAS, true),
				bool(configs, USE_LATEST_VERSION, false), bool(configs, SPECIFIC_AVRO_READER, false), strategy,
				type(configs, typeKey), userInfo, Duration.ofMillis(longValue(configs, REQUEST_TIMEOUT_MS, 10_000)));
	}

	private static boolean bool(Map<String, ?> configs, String key, boolean defaultValue) {
		Object value = configs.get(key);
		if (value == null) {
			return defaultValue;
		}
		if (value instanceof Boolean flag) {
			return flag;
		}
		String text = value.toString().trim();
		if ("true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text)) {
			return Boolean.parseBoolean(text);
		}
		throw new ConfigException(key, value, "Expected true or false");
	}

	private static long longValue(Map<String, ?> configs, String key, long defaultValue) {
		Object value = configs.get(key);
		if (value == null) {
			return defaultValue;
		}
		try {
			long parsed = (value instanceof Number number) ? number.longValue()
					: Long.parseLong(value.toString().trim());
			if (parsed <= 0) {
				throw new ConfigException(key, value, "Expected a positive number of milliseconds");
			}
			return parsed;
		}
		catch (NumberFormatException ex) {
			throw new ConfigException(key, value, "Expected a number of milliseconds");
		}
	}

	private static Class<?> type(Map<String, ?> configs, String key) {
		Object value = configs.get(key);
		if (value == null) {
			return null;
		}
		if (value instanceof Class<?> type) {
			return type;
		}
		try {
			return Class.forName(value.toString().trim(), true, AvroSerdeConfig.class.getClassLoader());
		}
		catch (ClassNotFoundException ex) {
			throw new ConfigException(key, value, "No such class");
		}
	}

}
