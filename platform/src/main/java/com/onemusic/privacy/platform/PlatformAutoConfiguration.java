package com.onemusic.privacy.platform;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.StringOrBytesSerializer;
import org.springframework.util.backoff.FixedBackOff;

import com.onemusic.privacy.events.Topic;
import com.onemusic.privacy.platform.messaging.RejectedRecord;
import com.onemusic.privacy.platform.outbox.MongoLease;
import com.onemusic.privacy.platform.outbox.OutboxProperties;
import com.onemusic.privacy.platform.outbox.OutboxRelay;
import com.onemusic.privacy.platform.outbox.OutboxSource;
import com.onemusic.privacy.platform.security.AuditController;
import com.onemusic.privacy.platform.security.AuditTrail;
import com.onemusic.privacy.platform.security.EndpointRules;
import com.onemusic.privacy.platform.web.KeepAliveReadGuard;
import com.onemusic.privacy.platform.web.ProblemAdvice;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.serde.AvroSerdeConfig;
import com.onemusic.privacy.serde.SubjectNameStrategy;

/**
 * Kafka plumbing of every service: the contract's topics and their dead-letter topics, an
 * error handler that retries a failing record a few times and then publishes it to
 * {@code <topic>-dlt} with the cause in its headers (a record that cannot even be
 * deserialized goes there at once, byte for byte), and health indicators for Kafka and
 * the schema registry.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class,
		beforeName = "org.springframework.boot.mongodb.autoconfigure.health.MongoReactiveHealthContributorAutoConfiguration")
@EnableConfigurationProperties({ PlatformProperties.class, OutboxProperties.class })
public class PlatformAutoConfiguration {

	/** Header of a dead letter that holds the chain of causes of its failure. */
	public static final String ROOT_CAUSE_HEADER = "privacy_dlt-root-cause";

	@Bean
	@ConditionalOnProperty(name = "privacy.kafka.create-topics", havingValue = "true", matchIfMissing = true)
	KafkaAdmin.NewTopics contractTopics(PlatformProperties properties) {
		List<NewTopic> topics = new ArrayList<>();
		for (Topic<String, ?> topic : Topics.all()) {
			NewTopic created = new NewTopic(topic.name(), properties.partitions(), properties.replicationFactor());
			if (topic.compacted()) {
				// As the chart declares them: tombstones kept 30 days (a consumer behind
				// by
				// less sees them), replaced records compacted away within 7 days.
				created.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
						TopicConfig.DELETE_RETENTION_MS_CONFIG, String.valueOf(Duration.ofDays(30).toMillis()),
						TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, String.valueOf(Duration.ofDays(7).toMillis())));
			}
			topics.add(created);
			topics.add(new NewTopic(topic.deadLetterTopic(), properties.partitions(), properties.replicationFactor()));
		}
		return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
	}

	@Bean
	@ConditionalOnMissingBean(CommonErrorHandler.class)
	DefaultErrorHandler kafkaErrorHandler(DeadLetterPublishingRecoverer deadLetterPublishingRecoverer,
			PlatformProperties properties) {
		DefaultErrorHandler handler = new DefaultErrorHandler(deadLetterPublishingRecoverer,
				new FixedBackOff(properties.retryInterval().toMillis(), properties.retryAttempts()));
		handler.addNotRetryableExceptions(RejectedRecord.class);
		// A record tried again is a warning; the dead letter it may become is reported
		// by the recoverer.
		handler.setLogLevel(KafkaException.Level.WARN);
		return handler;
	}

	@Bean
	@ConditionalOnMissingBean
	DeadLetterPublishingRecoverer deadLetterPublishingRecoverer(ProducerFactory<Object, Object> producerFactory) {
		Map<String, Object> rawConfig = new HashMap<>(producerFactory.getConfigurationProperties());
		rawConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringOrBytesSerializer.class);
		rawConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		Map<String, Object> avroConfig = new HashMap<>(producerFactory.getConfigurationProperties());
		avroConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringOrBytesSerializer.class);
		// A dead-letter topic holds whatever failed, of any record type: one subject per
		// type.
		avroConfig.put(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, SubjectNameStrategy.TOPIC_RECORD_NAME.name());
		Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
		// A record that failed deserialization is republished as the bytes it arrived
		// with.
		KafkaTemplate<Object, Object> raw = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(rawConfig));
		templates.put(byte[].class, raw);
		templates.put(Object.class, new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(avroConfig)));
		DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(templates,
				(record, exception) -> deadLetterPartition(raw, record));
		recoverer.setHeadersFunction((record, exception) -> new RecordHeaders().add(ROOT_CAUSE_HEADER,
				causeChain(exception).getBytes(StandardCharsets.UTF_8)));
		return recoverer;
	}

	/**
	 * Where a record's dead letter goes: the same partition of the dead-letter topic, so
	 * that one key's dead letters stay in order; where the dead-letter topic has fewer
	 * partitions (its topic's were raised and its own not yet), a partition the producer
	 * picks, since a send to a partition that does not exist fails and the consumer would
	 * stop at that record.
	 * @param template a template whose producer knows the topics' partitions
	 * @param record the record that failed
	 * @return the dead-letter topic and partition (negative: the producer picks)
	 */
	static TopicPartition deadLetterPartition(KafkaOperations<?, ?> template, ConsumerRecord<?, ?> record) {
		String topic = record.topic() + Topic.DEAD_LETTER_SUFFIX;
		int partitions;
		try {
			partitions = template.partitionsFor(topic).size();
		}
		catch (RuntimeException ex) {
			partitions = 0;
		}
		return new TopicPartition(topic, (record.partition() < partitions) ? record.partition() : -1);
	}

	/**
	 * The chain of causes, outermost first, which says what was wrong with the record
	 * (Spring's own {@code kafka_dlt-exception-message} holds only the outermost, often
	 * "failed to deserialize").
	 */
	static String causeChain(Throwable exception) {
		StringBuilder chain = new StringBuilder();
		Throwable cause = exception;
		for (int depth = 0; cause != null && depth < 8; depth++) {
			if (!chain.isEmpty()) {
				chain.append(" | caused by ");
			}
			chain.append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
			cause = (cause.getCause() != cause) ? cause.getCause() : null;
		}
		return chain.toString();
	}

	@Bean
	@ConditionalOnMissingBean(name = "mongoHealthIndicator")
	MongoPingHealthIndicator mongoHealthIndicator(ReactiveMongoTemplate mongoTemplate) {
		return new MongoPingHealthIndicator(mongoTemplate);
	}

	@Bean
	@ConditionalOnProperty(name = "privacy.outbox.enabled", havingValue = "true", matchIfMissing = true)
	@ConditionalOnBean(OutboxSource.class)
	OutboxRelay outboxRelay(List<OutboxSource> sources, KafkaTemplate<?, ?> kafkaTemplate,
			ReactiveMongoTemplate mongoTemplate, OutboxProperties properties,
			@Value("${spring.application.name:privacy}") String applicationName) {
		@SuppressWarnings("unchecked")
		KafkaTemplate<String, Object> template = (KafkaTemplate<String, Object>) kafkaTemplate;
		return new OutboxRelay(sources, template,
				new MongoLease(mongoTemplate, applicationName + "-outbox-relay", properties.leaseTtl()),
				properties.pollInterval(), properties.batchSize(), properties.sendTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	AuditTrail auditTrail(ReactiveMongoTemplate mongoTemplate) {
		return new AuditTrail(mongoTemplate, java.time.Clock.systemUTC());
	}

	@Bean
	@ConditionalOnProperty(name = "privacy.security.audit-endpoint", havingValue = "true", matchIfMissing = true)
	AuditController auditController(AuditTrail auditTrail) {
		return new AuditController(auditTrail);
	}

	/** Reading the audit trail needs {@code audit:read}. */
	@Bean
	EndpointRules auditEndpointRules() {
		return (exchanges) -> exchanges.pathMatchers(org.springframework.http.HttpMethod.GET, "/audit")
			.hasAuthority(EndpointRules.scope("audit:read"));
	}

	@Bean
	org.springframework.beans.factory.SmartInitializingSingleton auditTrailIndexes(AuditTrail auditTrail) {
		return () -> auditTrail.createIndexes().block(java.time.Duration.ofSeconds(60));
	}

	@Bean
	ProblemAdvice problemAdvice() {
		return new ProblemAdvice();
	}

	@Bean
	@ConditionalOnClass(name = "reactor.netty.http.server.HttpServer")
	@ConditionalOnProperty(name = "privacy.http.keep-alive-read-guard", havingValue = "true", matchIfMissing = true)
	KeepAliveReadGuard keepAliveReadGuard() {
		return new KeepAliveReadGuard();
	}

	@Bean(destroyMethod = "close")
	Admin healthAdmin(KafkaAdmin kafkaAdmin) {
		return Admin.create(kafkaAdmin.getConfigurationProperties());
	}

	@Bean
	KafkaHealthIndicator kafkaHealthIndicator(Admin healthAdmin, PlatformProperties properties) {
		return new KafkaHealthIndicator(healthAdmin, properties.healthTimeout());
	}

	@Bean
	SchemaRegistryHealthIndicator schemaRegistryHealthIndicator(
			@Value("${spring.kafka.properties.schema.registry.url}") String registryUrls,
			PlatformProperties properties) {
		return new SchemaRegistryHealthIndicator(registryUrls, properties.healthTimeout());
	}

}
