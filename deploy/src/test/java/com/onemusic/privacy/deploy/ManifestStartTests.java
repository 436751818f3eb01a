package com.onemusic.privacy.deploy;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import com.onemusic.privacy.anonymizer.AnonymizerServiceApplication;
import com.onemusic.privacy.consent.ConsentServiceApplication;
import com.onemusic.privacy.dsr.DsrServiceApplication;
import com.onemusic.privacy.local.LocalInfrastructure;
import com.onemusic.privacy.platform.PrivacyService;
import com.onemusic.privacy.sharing.SharingGatewayApplication;
import com.onemusic.privacy.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each service starts, and becomes ready, with exactly the environment the production
 * manifests give its container: the {@code prod} profile, the ConfigMap, fresh values for
 * its Secrets, topics as the chart's {@code KafkaTopic} resources declare them (the
 * services create none in production). Only the addresses of what the cluster provides
 * (Kafka, MongoDB, the registry, the authorization server) are this test's, and the port
 * is a free one.
 */
class ManifestStartTests {

	static final List<String> SERVICES = ServiceConfiguration.SERVICES;

	private static final Map<String, Class<?>> APPLICATIONS = Map.of("consent-service", ConsentServiceApplication.class,
			"dsr-service", DsrServiceApplication.class, "anonymizer-service", AnonymizerServiceApplication.class,
			"sharing-gateway", SharingGatewayApplication.class);

	private static final HttpClient HTTP = HttpClient.newHttpClient();

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
			for (NewTopic topic : topics) {
				try {
					admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
				}
				catch (java.util.concurrent.ExecutionException ex) {
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
			String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
			HttpResponse<String> ready = awaitReady(base + "/actuator/health/readiness");
			assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
			HttpResponse<String> anonymous = HTTP.send(
					HttpRequest.newBuilder(URI.create(base + "/v3/api-docs")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(anonymous.statusCode()).as("security is on").isEqualTo(401);
			HttpResponse<String> withToken = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus"))
				.header("Authorization",
						"Bearer " + infrastructure.tokenIssuer().token("prometheus", List.of(), Duration.ofMinutes(5)))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(withToken.statusCode()).as("Prometheus scrapes with a token of its own").isEqualTo(200);
		}
	}

	private static HttpResponse<String> awaitReady(String url) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		HttpResponse<String> response;
		do {
			response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() == 200) {
				return response;
			}
			Thread.sleep(200);
		}
		while (System.nanoTime() < deadline);
		return response;
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
