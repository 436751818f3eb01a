package com.onemusic.privacy.deploy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.anonymizer.AnonymizerServiceApplication;
import com.onemusic.privacy.consent.ConsentServiceApplication;
import com.onemusic.privacy.dsr.DsrServiceApplication;
import com.onemusic.privacy.local.LocalInfrastructure;
import com.onemusic.privacy.platform.PrivacyService;
import com.onemusic.privacy.sharing.SharingGatewayApplication;
import com.onemusic.privacy.testsupport.ServiceChecks;
import com.onemusic.privacy.testsupport.TestInfrastructure;
import com.onemusic.privacy.testsupport.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each service starts, and becomes ready, with exactly the environment the production
 * manifests give its container: the {@code prod} profile, the ConfigMap, fresh values for
 * its Secrets, topics as the chart's {@code KafkaTopic} resources declare them (the
 * services create none in production). Only the addresses of what the cluster provides
 * (Kafka, MongoDB, the registry, the authorization server) are this test's, and the port
 * is a free one. Each must be live and ready (Kafka, MongoDB and the registry up), refuse
 * a call without a token and let Prometheus scrape with one.
 */
class ManifestStartTests {

	static final List<String> SERVICES = ServiceConfiguration.SERVICES;

	private static final Map<String, Class<?>> APPLICATIONS = Map.of("consent-service", ConsentServiceApplication.class,
			"dsr-service", DsrServiceApplication.class, "anonymizer-service", AnonymizerServiceApplication.class,
			"sharing-gateway", SharingGatewayApplication.class);

	@BeforeAll
	static void createTheChartsTopics() throws Exception {
		LocalInfrastructure infrastructure = TestInfrastructure.get();
		List<NewTopic> topics = new ArrayList<>();
		for (K8sObject topic : RenderedChart.of("prod").ofKind("KafkaTopic")) {
			Map<String, String> config = new HashMap<>();
			topic.map("spec", "config").forEach((key, value) -> config.put(key, String.valueOf(value)));
			// One broker here: the replication the chart asks for cannot be had.
			config.remove("min.insync.replicas");
			topics.add(new NewTopic(topic.string("spec", "topicName"),
					((Number) topic.map("spec").get("partitions")).intValue(), (short) 1)
				.configs(config));
		}
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.bootstrapServers()))) {
			for (KafkaFuture<Void> created : admin.createTopics(topics).values().values()) {
				try {
					created.get(30, TimeUnit.SECONDS);
				}
				catch (ExecutionException ex) {
					// Another test of this JVM may have created it already.
					if (!(ex.getCause() instanceof TopicExistsException)) {
						throw ex;
					}
				}
			}
		}
	}

	@ParameterizedTest
	@FieldSource("SERVICES")
	void startsAndIsReadyWithTheProductionManifestsEnvironment(String service) throws Exception {
		K8sObject deployment = RenderedChart.of("prod").get("Deployment", RenderedChart.RELEASE + "-" + service);
		Map<String, Object> variables = new LinkedHashMap<>(
				ContainerEnvironment.of(RenderedChart.of("prod"), deployment.containers().get(0)).variables());
		assertThat(variables).containsEntry("SPRING_PROFILES_ACTIVE", "prod");
		LocalInfrastructure infrastructure = TestInfrastructure.get();
		String issuerHost = InetAddress.getLocalHost().getHostName();
		assertThat(issuerHost).as("a name for this machine that is not 'localhost'").isNotEqualTo("localhost");
		variables.put("KAFKA_BOOTSTRAP_SERVERS", infrastructure.bootstrapServers());
		variables.put("SCHEMA_REGISTRY_URL", infrastructure.registryUrl());
		variables.put("MONGODB_URI", infrastructure.mongoUri("manifest-" + service));
		variables.put("PRIVACY_SECURITY_JWKS_URI",
				infrastructure.tokenIssuer().jwksUri().replace("127.0.0.1", issuerHost));
		variables.put("PRIVACY_SECURITY_ISSUER", infrastructure.tokenIssuer().issuer());
		variables.put("SERVER_PORT", "0");
		SpringApplication application = PrivacyService.builder(APPLICATIONS.get(service), service).build();
		application.setEnvironment(new ContainerVariables(variables));
		try (ConfigurableApplicationContext context = application.run()) {
			assertThat(context.getEnvironment().getActiveProfiles()).containsExactly("prod");
			WebTestClient web = WebTestClient.bindToServer()
				.baseUrl("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"))
				.build();
			// The kubelet's probes carry no token.
			ServiceChecks.assertProbesShowTheStatusAlone(web);
			web.get().uri("/v3/api-docs").exchange().expectStatus().isUnauthorized();
			String prometheus = infrastructure.tokenIssuer().token("prometheus", List.of(), Duration.ofMinutes(5));
			ServiceChecks.assertLiveAndReady(TestTokens.as(web, prometheus));
			TestTokens.as(web, prometheus).get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
		}
	}

	/**
	 * A Spring environment whose environment variables are a container's, not this JVM's;
	 * no system properties either, as in a container started with none.
	 */
	static final class ContainerVariables extends StandardEnvironment {

		ContainerVariables(Map<String, Object> variables) {
			super(new MutablePropertySources());
			getPropertySources()
				.addLast(new SystemEnvironmentPropertySource(SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
		}

		@Override
		protected void customizePropertySources(MutablePropertySources propertySources) {
		}

	}

}
