package com.onemusic.privacy.testsupport;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import com.onemusic.privacy.local.LocalInfrastructure;

/**
 * Points a Spring application context at the shared {@link TestInfrastructure}: Kafka,
 * the registry, the token issuer, and a MongoDB database of its own, so that test classes
 * never see each other's documents.
 */
public class InfrastructureInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	private static final AtomicInteger databases = new AtomicInteger();

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		LocalInfrastructure infrastructure = TestInfrastructure.get();
		String database = "test-" + databases.incrementAndGet();
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("testInfrastructure",
					Map.of("spring.kafka.bootstrap-servers", infrastructure.bootstrapServers(),
							"spring.kafka.properties.schema.registry.url", infrastructure.registryUrl(),
							"spring.mongodb.uri", infrastructure.mongoUri(database), "privacy.security.jwks-uri",
							infrastructure.tokenIssuer().jwksUri(), "privacy.security.issuer",
							infrastructure.tokenIssuer().issuer())));
	}

}
