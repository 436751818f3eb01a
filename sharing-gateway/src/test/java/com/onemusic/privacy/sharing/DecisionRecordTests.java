package com.onemusic.privacy.sharing;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import com.onemusic.privacy.events.PartnerCategory;
import com.onemusic.privacy.local.FreePorts;
import com.onemusic.privacy.platform.web.ApiProblem;
import com.onemusic.privacy.serde.AvroSerializer;
import com.onemusic.privacy.sharing.share.ShareDecisions;
import com.onemusic.privacy.sharing.share.ShareLogEntry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A decision's record when Kafka cannot be reached: the decision fails with
 * {@code 503 decision-not-recorded}, and the thread that sends it is held no longer than
 * the gateway's producer setting {@code max.block.ms}, well within the record's timeout.
 * That thread is one of the reactive scheduler's few: held for the producer's default
 * minute, it would hold back every other decision and the timers that answer them.
 */
class DecisionRecordTests {

	@Test
	void aDecisionThatCannotBeRecordedIsAnswered503WithoutHoldingItsThread() {
		Map<String, Object> config = new HashMap<>(gatewayProducerProperties());
		assertThat(config).containsKey(ProducerConfig.MAX_BLOCK_MS_CONFIG);
		config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + FreePorts.find());
		config.put("schema.registry.url", "http://127.0.0.1:1");
		DefaultKafkaProducerFactory<String, Object> producers = new DefaultKafkaProducerFactory<>(config,
				new StringSerializer(), new AvroSerializer<>());
		try {
			KafkaTemplate<String, Object> kafka = new KafkaTemplate<>(producers);
			Mono<Void> recorded = SharingConfiguration.record(kafka, entry(), SharingConfiguration.RECORD_TIMEOUT);
			long start = System.nanoTime();
			ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> recorded.block(Duration.ofSeconds(30)));
			Duration held = Duration.ofNanos(System.nanoTime() - start);
			assertThat(problem).isNotNull();
			assertThat(problem.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(problem.typeName()).isEqualTo("decision-not-recorded");
			assertThat(held).as("answered after the producer's max.block.ms, before the record timeout")
				.isLessThan(SharingConfiguration.RECORD_TIMEOUT)
				.isGreaterThanOrEqualTo(
						Duration.ofMillis(Long.parseLong(config.get(ProducerConfig.MAX_BLOCK_MS_CONFIG).toString())));
		}
		finally {
			producers.destroy();
		}
	}

	/** The producer properties the gateway sets in its configuration file. */
	private static Map<String, Object> gatewayProducerProperties() {
		YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
		yaml.setResources(new ClassPathResource(SharingGatewayApplication.NAME + ".yml"));
		Properties properties = yaml.getObject();
		String prefix = "spring.kafka.producer.properties.";
		Map<String, Object> config = new HashMap<>();
		properties.forEach((name, value) -> {
			if (name.toString().startsWith(prefix)) {
				config.put(name.toString().substring(prefix.length()), value.toString());
			}
		});
		return config;
	}

	private static ShareLogEntry entry() {
		return new ShareLogEntry(UUID.randomUUID().toString(), UUID.randomUUID(), Instant.now(), "user-1",
				"swift-logistics", PartnerCategory.SERVICE_PROVIDER, "order-delivery", true, ShareDecisions.ALLOWED,
				"Consent covers the share", null, List.of("orderId"), List.of(), List.of("orders"), false, null);
	}

}
