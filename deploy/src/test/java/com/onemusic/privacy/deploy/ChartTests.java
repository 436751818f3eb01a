package com.onemusic.privacy.deploy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.onemusic.privacy.events.Topic;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.platform.security.ProductionGuard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Helm chart of {@code deploy/k8s}, rendered with each values file, checked against
 * the Kubernetes and operator APIs and held to the rules of deploy/README.md.
 */
class ChartTests {

	private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet");

	@ParameterizedTest
	@ValueSource(strings = { "dev", "prod" })
	void everyObjectIsValidForTheApisItTargets(String overlay) {
		RenderedChart chart = RenderedChart.of(overlay);
		List<String> problems = chart.objects()
			.stream()
			.flatMap((object) -> ApiSchemas.problems(object).stream())
			.toList();
		assertThat(problems).isEmpty();
		assertThat(chart.objects()).extracting(K8sObject::kind)
			.contains("Deployment", "StatefulSet", "Service", "ConfigMap", "PodDisruptionBudget", "NetworkPolicy",
					"Ingress", "Kafka", "KafkaNodePool", "KafkaTopic", "ServiceMonitor");
		assertThat(chart.objects().stream().map(K8sObject::toString).distinct().count()).as("no object twice")
			.isEqualTo(chart.objects().size());
	}

	@ParameterizedTest
	@ValueSource(strings = { "dev", "prod" })
	void everyContainerHasProbesLimitsAndAnUnprivilegedReadOnlySecurityContext(String overlay) {
		List<String> problems = new ArrayList<>();
		for (K8sObject workload : workloads(overlay)) {
			boolean podNonRoot = Boolean.TRUE
				.equals(K8sObject.at(workload.podSpec(), "securityContext", "runAsNonRoot"));
			for (Map<String, Object> container : workload.allContainers()) {
				String where = workload + "/" + container.get("name");
				for (String resource : List.of("cpu", "memory")) {
					if (K8sObject.at(container, "resources", "limits", resource) == null
							|| K8sObject.at(container, "resources", "requests", resource) == null) {
						problems.add(where + ": no " + resource + " request and limit");
					}
				}
				Map<String, Object> security = K8sObject.asMap(container.get("securityContext"));
				if (!podNonRoot && !Boolean.TRUE.equals(security.get("runAsNonRoot"))) {
					problems.add(where + ": may run as root");
				}
				if (!Boolean.FALSE.equals(security.get("allowPrivilegeEscalation"))) {
					problems.add(where + ": privilege escalation not forbidden");
				}
				if (!Boolean.TRUE.equals(security.get("readOnlyRootFilesystem"))) {
					problems.add(where + ": root filesystem writable");
				}
				if (!List.of("ALL").equals(K8sObject.at(security, "capabilities", "drop"))) {
					problems.add(where + ": capabilities not all dropped");
				}
				if (Boolean.TRUE.equals(security.get("privileged"))) {
					problems.add(where + ": privileged");
				}
			}
			for (Map<String, Object> container : workload.containers()) {
				for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
					if (container.get(probe) == null) {
						problems.add(workload + "/" + container.get("name") + ": no " + probe);
					}
				}
			}
		}
		assertThat(problems).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "dev", "prod" })
	void everyServiceProbesItsActuatorEndpoints(String overlay) {
		for (K8sObject deployment : serviceDeployments(overlay)) {
			Map<String, Object> container = deployment.containers().get(0);
			assertThat(K8sObject.at(container, "livenessProbe", "httpGet", "path")).as(deployment.toString())
				.isEqualTo("/actuator/health/liveness");
			assertThat(K8sObject.at(container, "startupProbe", "httpGet", "path")).as(deployment.toString())
				.isEqualTo("/actuator/health/liveness");
			assertThat(K8sObject.at(container, "readinessProbe", "httpGet", "path")).as(deployment.toString())
				.isEqualTo("/actuator/health/readiness");
			// Spring's graceful shutdown phase (20 s) and the pause before it fit in the
			// grace period.
			Object grace = K8sObject.at(deployment.podSpec(), "terminationGracePeriodSeconds");
			Object pause = K8sObject.at(container, "lifecycle", "preStop", "sleep", "seconds");
			assertThat(((Number) grace).intValue()).as(deployment.toString())
				.isGreaterThan(20 + ((Number) pause).intValue());
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "dev", "prod" })
	void everyImageIsPinnedByVersion(String overlay) {
		Pattern pinned = Pattern.compile("[^:@\\s]+(:[A-Za-z0-9_.-]*[0-9][A-Za-z0-9_.-]*)?(@sha256:[0-9a-f]{64})?");
		for (K8sObject workload : workloads(overlay)) {
			for (Map<String, Object> container : workload.allContainers()) {
				String image = (String) container.get("image");
				assertThat(image).as(workload + "/" + container.get("name"))
					.matches(pinned)
					.matches(".*(:[^/]*[0-9][^/]*|@sha256:.*)$")
					.doesNotContain(":latest");
			}
		}
		String kafkaVersion = RenderedChart.of(overlay).ofKind("Kafka").get(0).string("spec", "kafka", "version");
		assertThat(kafkaVersion).matches("\\d+\\.\\d+\\.\\d+");
	}

	@ParameterizedTest
	@ValueSource(strings = { "dev", "prod" })
	void portsMatchBetweenServicesWorkloadsAndProbes(String overlay) {
		RenderedChart chart = RenderedChart.of(overlay);
		for (K8sObject service : chart.ofKind("Service")) {
			Map<String, Object> selector = service.map("spec", "selector");
			List<K8sObject> backends = workloads(overlay).stream()
				.filter((workload) -> workload.map("spec", "template", "metadata", "labels")
					.entrySet()
					.containsAll(selector.entrySet()))
				.toList();
			assertThat(backends).as(service + " selects one workload").hasSize(1);
			List<Map<String, Object>> containerPorts = backends.get(0)
				.containers()
				.stream()
				.flatMap((container) -> K8sObject.list(container, "ports").stream())
				.toList();
			for (Map<String, Object> port : K8sObject.list(service.content(), "spec", "ports")) {
				Object target = Objects.requireNonNullElse(port.get("targetPort"), port.get("port"));
				assertThat(containerPorts).as(service + " port " + port)
					.anyMatch((declared) -> target.equals(declared.get("name"))
							|| target.equals(declared.get("containerPort")));
			}
		}
		for (K8sObject workload : workloads(overlay)) {
			for (Map<String, Object> container : workload.containers()) {
				List<Map<String, Object>> ports = K8sObject.list(container, "ports");
				for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
					Object port = Stream
						.of(K8sObject.at(container, probe, "httpGet", "port"),
								K8sObject.at(container, probe, "tcpSocket", "port"))
						.filter(Objects::nonNull)
						.findFirst()
						.orElse(null);
					if (port != null) {
						assertThat(ports).as(workload + " " + probe + " port " + port)
							.anyMatch((declared) -> port.equals(declared.get("name"))
									|| port.equals(declared.get("containerPort")));
					}
				}
			}
		}
		for (K8sObject deployment : serviceDeployments(overlay)) {
			String service = serviceName(deployment);
			Object containerPort = K8sObject.list(deployment.containers().get(0), "ports").get(0).get("containerPort");
			ContainerEnvironment environment = ContainerEnvironment.of(chart, deployment.containers().get(0));
			String port = ServiceConfiguration.of(service)
				.environment(environment.variables())
				.getProperty("server.port");
			assertThat(port).as(service + " listens where its container port is").isEqualTo(containerPort.toString());
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "dev", "prod" })
	void everyTopicTheCodeUsesIsAKafkaTopic(String overlay) {
		RenderedChart chart = RenderedChart.of(overlay);
		K8sObject kafka = chart.ofKind("Kafka").get(0);
		int replicas = ((Number) kafka.map("spec", "kafka", "config").get("default.replication.factor")).intValue();
		int minInsync = ((Number) kafka.map("spec", "kafka", "config").get("min.insync.replicas")).intValue();
		if (overlay.equals("prod")) {
			assertThat(replicas).isEqualTo(3);
			assertThat(minInsync).isEqualTo(2);
			int nodes = chart.ofKind("KafkaNodePool")
				.stream()
				.mapToInt((pool) -> ((Number) pool.map("spec").get("replicas")).intValue())
				.sum();
			assertThat(nodes).as("brokers for 3 replicas").isGreaterThanOrEqualTo(3);
		}
		Set<String> expected = new TreeSet<>();
		for (Topic<String, ?> topic : Topics.all()) {
			expected.add(topic.name());
			expected.add(topic.deadLetterTopic());
			K8sObject declared = topic(chart, topic.name());
			K8sObject deadLetters = topic(chart, topic.deadLetterTopic());
			assertThat(deadLetters.map("spec").get("partitions")).as("a dead-letter record keeps its partition")
				.isEqualTo(declared.map("spec").get("partitions"));
			if (topic.compacted()) {
				assertThat(declared.map("spec", "config")).as(topic.name())
					.containsEntry("cleanup.policy", "compact")
					.containsEntry("retention.ms", -1)
					.containsEntry("delete.retention.ms", 2592000000L)
					.containsEntry("max.compaction.lag.ms", 604800000);
				assertThat(deadLetters.map("spec", "config")).as(topic.deadLetterTopic())
					.doesNotContainKey("cleanup.policy");
			}
			else {
				assertThat(declared.map("spec", "config")).as(topic.name()).doesNotContainKey("cleanup.policy");
			}
		}
		expected.add("_schemas");
		Set<String> declared = new TreeSet<>();
		for (K8sObject topic : chart.ofKind("KafkaTopic")) {
			declared.add(topic.string("spec", "topicName"));
			assertThat(topic.map("metadata", "labels")).as(topic.toString())
				.containsEntry("strimzi.io/cluster", kafka.name());
			assertThat(topic.map("spec").get("replicas")).as(topic.toString()).isEqualTo(replicas);
			assertThat(topic.map("spec", "config").get("min.insync.replicas")).as(topic.toString())
				.isEqualTo(minInsync);
		}
		assertThat(declared).isEqualTo(expected);
		assertThat(topic(chart, "_schemas").map("spec", "config")).containsEntry("cleanup.policy", "compact");
		assertThat(topic(chart, "privacy.consent-changed.v1").map("spec", "config"))
			.as("consent changes carry personal data: kept for a retention period, not forever")
			.containsEntry("retention.ms", 2592000000L);
	}

	@ParameterizedTest
	@ValueSource(strings = { "dev", "prod" })
	void everyVariableAServiceGetsIsOneItReadsAndItGetsAllItNeeds(String overlay) {
		RenderedChart chart = RenderedChart.of(overlay);
		for (K8sObject deployment : serviceDeployments(overlay)) {
			ServiceConfiguration configuration = ServiceConfiguration.of(serviceName(deployment));
			ContainerEnvironment environment = ContainerEnvironment.of(chart, deployment.containers().get(0));
			Set<String> unread = new TreeSet<>();
			for (String variable : environment.variables().keySet()) {
				if (!configuration.reads(variable) && !environment.referenced().contains(variable)) {
					unread.add(variable);
				}
			}
			assertThat(unread).as(deployment + ": variables no Spring configuration of the service reads").isEmpty();
			assertThat(environment.variables().keySet()).as(deployment + ": variables the service's defaults name")
				.containsAll(configuration.variables());
			if (overlay.equals("prod")) {
				assertThat(environment.variables()).containsEntry("SPRING_PROFILES_ACTIVE", "prod");
				assertThat(ProductionGuard.problems(configuration.environment(environment.variables())))
					.as(deployment + " would be refused by the prod profile")
					.isEmpty();
			}
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "dev", "prod" })
	void noSecretIsInAConfigMapOrAPlainVariable(String overlay) {
		RenderedChart chart = RenderedChart.of(overlay);
		Pattern secretName = Pattern.compile("(?i).*(secret|password|passwd|key|token|credential).*");
		List<String> problems = new ArrayList<>();
		for (K8sObject configMap : chart.ofKind("ConfigMap")) {
			configMap.map("data").forEach((key, value) -> {
				if (secretName.matcher(key).matches() || Secrets.looksSecret(String.valueOf(value))) {
					problems.add(configMap + ": " + key);
				}
			});
		}
		for (K8sObject workload : workloads(overlay)) {
			for (Map<String, Object> container : workload.allContainers()) {
				for (Map<String, Object> variable : K8sObject.list(container, "env")) {
					String name = (String) variable.get("name");
					Object value = variable.get("value");
					boolean secretLike = secretName.matcher(name).matches()
							|| name.equals("MONGODB_URI") && value != null && !value.toString().contains("$(");
					if (value != null && (secretLike || Secrets.looksSecret(value.toString()))) {
						problems.add(workload + "/" + container.get("name") + ": " + name + " is given in clear");
					}
				}
			}
		}
		assertThat(problems).isEmpty();
		// The properties whose shipped values are development secrets come from Secrets.
		for (K8sObject deployment : serviceDeployments(overlay)) {
			ContainerEnvironment environment = ContainerEnvironment.of(chart, deployment.containers().get(0));
			assertThat(environment.fromSecrets()).as(deployment.toString())
				.containsAll(ServiceConfiguration.of(serviceName(deployment)).developmentSecretVariables())
				.contains("MONGODB_PASSWORD");
		}
		List<K8sObject> secrets = chart.ofKind("Secret");
		if (overlay.equals("prod")) {
			assertThat(secrets).as("production Secrets are created beforehand, never by the chart").isEmpty();
		}
		else {
			assertThat(secrets).allSatisfy((secret) -> assertThat(secret.map("metadata", "annotations"))
				.containsEntry("helm.sh/resource-policy", "keep"));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "dev", "prod" })
	void everyServiceHasAServiceAPodDisruptionBudgetAndAutoscalingInProduction(String overlay) {
		RenderedChart chart = RenderedChart.of(overlay);
		List<K8sObject> deployments = serviceDeployments(overlay);
		assertThat(deployments).extracting(ChartTests::serviceName)
			.containsExactlyInAnyOrderElementsOf(ServiceConfiguration.SERVICES);
		for (K8sObject deployment : deployments) {
			Map<String, Object> labels = deployment.map("spec", "template", "metadata", "labels");
			assertThat(chart.ofKind("PodDisruptionBudget")).as(deployment + " has a PodDisruptionBudget")
				.anyMatch(
						(pdb) -> labels.entrySet().containsAll(pdb.map("spec", "selector", "matchLabels").entrySet()));
			assertThat(chart.ofKind("Service")).as(deployment + " has a Service")
				.anyMatch((service) -> labels.entrySet().containsAll(service.map("spec", "selector").entrySet()));
			List<K8sObject> autoscalers = chart.where((object) -> object.kind().equals("HorizontalPodAutoscaler")
					&& deployment.name().equals(object.string("spec", "scaleTargetRef", "name")));
			if (overlay.equals("prod")) {
				assertThat(autoscalers).as(deployment + " scales").hasSize(1);
				assertThat(deployment.map("spec")).as("the autoscaler owns the replica count")
					.doesNotContainKey("replicas");
				assertThat(((Number) autoscalers.get(0).map("spec").get("minReplicas")).intValue()).isGreaterThan(1);
			}
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "dev", "prod" })
	void onlyTheSharingGatewayReachesTheInternet(String overlay) {
		RenderedChart chart = RenderedChart.of(overlay);
		List<K8sObject> policies = chart.ofKind("NetworkPolicy");
		for (K8sObject deployment : serviceDeployments(overlay)) {
			Map<String, Object> labels = deployment.map("spec", "template", "metadata", "labels");
			List<K8sObject> egress = policies.stream()
				.filter((policy) -> labels.entrySet()
					.containsAll(policy.map("spec", "podSelector", "matchLabels").entrySet()))
				.filter((policy) -> String.valueOf(policy.map("spec").get("policyTypes")).contains("Egress"))
				.toList();
			assertThat(egress).as(deployment + " is held by an egress policy").isNotEmpty();
			List<Map<String, Object>> ipBlocks = egress.stream()
				.flatMap((policy) -> K8sObject.list(policy.content(), "spec", "egress").stream())
				.flatMap((rule) -> K8sObject.list(rule, "to").stream())
				.map((peer) -> K8sObject.asMap(peer.get("ipBlock")))
				.filter((block) -> !block.isEmpty())
				.toList();
			if (serviceName(deployment).equals("sharing-gateway")) {
				assertThat(ipBlocks).as("the gateway calls partners").isNotEmpty();
				assertThat(ipBlocks).allSatisfy((block) -> assertThat(String.valueOf(block.get("except")))
					.as("never private, link-local (metadata) or loopback addresses")
					.contains("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "127.0.0.0/8"));
			}
			else {
				assertThat(ipBlocks).as(deployment + " reaches addresses outside the cluster").isEmpty();
			}
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "dev", "prod" })
	void partnersReachOnlyTheirCallbacksAndOnlyOverTls(String overlay) {
		RenderedChart chart = RenderedChart.of(overlay);
		List<K8sObject> ingresses = chart.ofKind("Ingress");
		assertThat(ingresses).hasSize(1);
		K8sObject ingress = ingresses.get(0);
		List<Map<String, Object>> rules = K8sObject.list(ingress.content(), "spec", "rules");
		Set<String> tlsHosts = new HashSet<>();
		K8sObject.list(ingress.content(), "spec", "tls")
			.forEach((tls) -> tlsHosts.addAll((List<String>) tls.get("hosts")));
		for (Map<String, Object> rule : rules) {
			assertThat(tlsHosts).as("TLS for " + rule.get("host")).contains((String) rule.get("host"));
			for (Map<String, Object> path : K8sObject.list(rule, "http", "paths")) {
				assertThat(K8sObject.at(path, "backend", "service", "name")).isEqualTo("privacy-sharing-gateway");
				// The controller matches a path as a regular expression from the start of
				// the
				// request path (a prefix unless anchored at the end).
				Pattern route = Pattern.compile((String) path.get("path"));
				assertThat(route.matcher("/partners/swift-logistics/callbacks").lookingAt()).isTrue();
				for (String inside : List.of("/partners/swift-logistics", "/partners", "/shares", "/actuator/health",
						"/partners/swift-logistics/callbacks/x", "/users/u-1/shares", "/partners/a/b/callbacks")) {
					assertThat(route.matcher(inside).lookingAt()).as(inside + " stays inside").isFalse();
				}
			}
		}
		String callbackBase = (String) chart.get("ConfigMap", "privacy-sharing-gateway")
			.map("data")
			.get("SHARING_CALLBACK_BASE_URL");
		assertThat(callbackBase).as("the address partners are told to call back on")
			.isEqualTo("https://" + rules.get(0).get("host"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "dev", "prod" })
	void prometheusScrapesEveryServiceWithATokenOfItsOwn(String overlay) {
		RenderedChart chart = RenderedChart.of(overlay);
		K8sObject monitor = chart.ofKind("ServiceMonitor").get(0);
		Map<String, Object> selector = monitor.map("spec", "selector", "matchLabels");
		List<K8sObject> scraped = chart.ofKind("Service")
			.stream()
			.filter((service) -> service.map("metadata", "labels").entrySet().containsAll(selector.entrySet()))
			.toList();
		assertThat(scraped).extracting((service) -> service.name().replace("privacy-", ""))
			.containsExactlyInAnyOrderElementsOf(ServiceConfiguration.SERVICES);
		Map<String, Object> endpoint = K8sObject.list(monitor.content(), "spec", "endpoints").get(0);
		assertThat(endpoint).containsEntry("path", "/actuator/prometheus").containsEntry("port", "http");
		assertThat(K8sObject.asMap(endpoint.get("oauth2"))).containsKeys("tokenUrl", "clientId", "clientSecret");
	}

	@Test
	void valuesTheSchemaDoesNotKnowAreRefusedBeforeAnythingIsRendered() {
		assertThat(RenderedChart.render("prod", Map.of("image.tag", "0.1.1"))).contains("/consent-service:0.1.1\"");
		for (Map<String, Object> wrong : List.<Map<String, Object>>of(Map.of("image.tag", "latest"),
				Map.of("services.consent-service.autoscalling.enabled", false), Map.of("kafka.partitions", 0),
				Map.of("mongodb.image", "mongo"), Map.of("security.jwksUri", "auth.onemusic.example/jwks"))) {
			assertThatThrownBy(() -> RenderedChart.render("prod", wrong)).as(wrong.toString())
				.hasMessageContaining("values don't meet the specifications of the schema");
		}
	}

	private static K8sObject topic(RenderedChart chart, String name) {
		return chart.ofKind("KafkaTopic")
			.stream()
			.filter((topic) -> name.equals(topic.string("spec", "topicName")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No KafkaTopic for " + name + " in the " + chart + " chart"));
	}

	private static List<K8sObject> workloads(String overlay) {
		return RenderedChart.of(overlay).where((object) -> WORKLOADS.contains(object.kind()));
	}

	private static List<K8sObject> serviceDeployments(String overlay) {
		return RenderedChart.of(overlay)
			.ofKind("Deployment")
			.stream()
			.filter((deployment) -> ServiceConfiguration.SERVICES.contains(serviceName(deployment)))
			.toList();
	}

	private static String serviceName(K8sObject workload) {
		return workload.string("metadata", "labels", "app.kubernetes.io/name");
	}

}
