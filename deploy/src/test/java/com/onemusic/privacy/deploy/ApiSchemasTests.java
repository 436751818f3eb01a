package com.onemusic.privacy.deploy;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schema checks find what is wrong: each broken object here is refused with a reason
 * that names the fault, and its correct twin passes.
 */
class ApiSchemasTests {

	/** The object is refused with a problem that names the fault. */
	private static void assertRefused(String yaml, String fault) {
		assertThat(problems(yaml)).anySatisfy((problem) -> assertThat(problem).contains(fault));
	}

	private static List<String> problems(String yaml) {
		List<K8sObject> objects = RenderedChart.parse(yaml);
		assertThat(objects).hasSize(1);
		return ApiSchemas.problems(objects.get(0));
	}

	private static final String DEPLOYMENT = """
			apiVersion: apps/v1
			kind: Deployment
			metadata: {name: web}
			spec:
			  selector: {matchLabels: {app: web}}
			  template:
			    metadata: {labels: {app: web}}
			    spec:
			      containers:
			        - name: web
			          image: example/web:1.0.0
			          ports: [{containerPort: 8080}]
			          %s
			""";

	@Test
	void aValidDeploymentPasses() {
		assertThat(problems(DEPLOYMENT.formatted("readinessProbe: {httpGet: {path: /, port: 8080}}"))).isEmpty();
	}

	@Test
	void anUnknownFieldOfAContainerIsFound() {
		assertRefused(DEPLOYMENT.formatted("readinessProbes: {httpGet: {path: /, port: 8080}}"), "readinessProbes");
	}

	@Test
	void aValueOfTheWrongTypeIsFound() {
		assertRefused(DEPLOYMENT.formatted("args: --verbose"), "args");
	}

	@Test
	void aMissingRequiredFieldIsFound() {
		assertThat(problems(DEPLOYMENT.formatted("").replace("- name: web\n", "- \n"))).isNotEmpty();
	}

	@Test
	void aKindUnderTheWrongGroupIsFound() {
		assertRefused(DEPLOYMENT.formatted("").replace("apps/v1", "v1"), "apps/v1");
		assertRefused("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n", "may render only");
	}

	private static final String TOPIC = """
			apiVersion: kafka.strimzi.io/v1
			kind: KafkaTopic
			metadata: {name: t, labels: {strimzi.io/cluster: k}}
			spec:
			  topicName: t
			  partitions: %s
			  replicas: 3
			  %s
			""";

	@Test
	void aValidKafkaTopicPasses() {
		assertThat(problems(TOPIC.formatted("12", "config: {retention.ms: -1}"))).isEmpty();
	}

	@Test
	void anUnknownFieldOfAStrimziResourceIsFound() {
		assertRefused(TOPIC.formatted("12", "retention: 7d"), "retention");
	}

	@Test
	void aStrimziValueOfTheWrongTypeIsFound() {
		assertRefused(TOPIC.formatted("twelve", ""), "twelve");
	}

	@Test
	void aStrimziVersionNotServedIsFound() {
		assertRefused(TOPIC.formatted("12", "").replace("kafka.strimzi.io/v1", "kafka.strimzi.io/v2"), "v2");
	}

	@Test
	void aNestedUnknownFieldOfAStrimziResourceIsFound() {
		String kafka = """
				apiVersion: kafka.strimzi.io/v1
				kind: Kafka
				metadata: {name: k}
				spec:
				  kafka:
				    version: 4.1.1
				    listeners:
				      - {name: plain, port: 9092, type: internal, tls: false, tlsEnabled: true}
				""";
		assertRefused(kafka, "tlsEnabled");
		assertRefused(kafka.replace(", tlsEnabled: true", "").replace("internal", "intranet"), "intranet");
	}

	@Test
	void anUnknownFieldOfAServiceMonitorIsFound() {
		String monitor = """
				apiVersion: monitoring.coreos.com/v1
				kind: ServiceMonitor
				metadata: {name: m}
				spec:
				  selector: {matchLabels: {app: web}}
				  endpoints: [{port: http, %s: /metrics}]
				""";
		assertThat(problems(monitor.formatted("path"))).isEmpty();
		assertRefused(monitor.formatted("paths"), "paths");
	}

}
