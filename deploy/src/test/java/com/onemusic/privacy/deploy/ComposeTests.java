package com.onemusic.privacy.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The Docker Compose file of {@code deploy/compose}: valid for the Compose specification
 * and consistent in itself and with the services' configuration.
 */
class ComposeTests {

	static final Path COMPOSE = Path.of("compose", "compose.yaml");

	/** Docker Compose's own validator (Debian package docker-compose). */
	private static final Path DOCKER_COMPOSE = Path.of("/usr/bin/docker-compose");

	/** Variables the JVM itself reads. */
	private static final Set<String> JVM_VARIABLES = Set.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS");

	private static final Pattern HOST_PORT = Pattern.compile("(?:[a-z]+://)?([a-z0-9.-]+):(\\d+)(?:[/?].*)?");

	@Test
	void composeValidatesItsOwnFile() throws Exception {
		assumeThat(DOCKER_COMPOSE).as("docker-compose (Debian package docker-compose; .ci/run installs it)").exists();
		String compose = forValidator(Files.readString(COMPOSE));
		assertThat(config(compose)).as("docker-compose config").isEqualTo(0);
		// and the validator does refuse what the specification does not allow
		String broken = compose.replace("  read_only: true\n", "  read_only: true\n  readonly: true\n");
		assertThat(broken).isNotEqualTo(compose);
		assertThat(config(broken)).as("an unknown service key").isNotEqualTo(0);
	}

	@Test
	void everyReferenceResolvesAndEveryServiceIsHardened() throws IOException {
		Map<String, Object> compose = load();
		Map<String, Object> services = K8sObject.asMap(compose.get("services"));
		Map<String, Object> volumes = K8sObject.asMap(compose.get("volumes"));
		assertThat(services).containsKeys("kafka", "schema-registry", "mongodb")
			.containsKeys(ServiceConfiguration.SERVICES.toArray(String[]::new));
		List<String> problems = new ArrayList<>();
		services.forEach((name, definition) -> {
			Map<String, Object> service = K8sObject.asMap(definition);
			K8sObject.asMap(service.get("depends_on")).keySet().forEach((dependency) -> {
				if (!services.containsKey(dependency)) {
					problems.add(name + " depends on unknown " + dependency);
				}
			});
			for (Object mount : (List<?>) service.getOrDefault("volumes", List.of())) {
				String volume = mount.toString().split(":")[0];
				if (!volume.startsWith(".") && !volume.startsWith("/") && !volumes.containsKey(volume)) {
					problems.add(name + " mounts undeclared volume " + volume);
				}
			}
			String image = String.valueOf(service.get("image"));
			if (!image.matches("[^:]+:[^:]*\\d[^:]*") || image.endsWith(":latest")) {
				problems.add(name + ": image " + image + " not pinned by version");
			}
			for (Object published : (List<?>) service.getOrDefault("ports", List.of())) {
				if (!published.toString().startsWith("127.0.0.1:")) {
					problems.add(name + " publishes " + published + " beyond this machine");
				}
			}
			if (service.get("healthcheck") == null) {
				problems.add(name + " has no health check");
			}
		});
		assertThat(problems).isEmpty();
		for (String name : ServiceConfiguration.SERVICES) {
			Map<String, Object> service = K8sObject.asMap(services.get(name));
			assertThat(service).as(name)
				.containsEntry("read_only", true)
				.containsEntry("user", "10001:10001")
				.containsEntry("cap_drop", List.of("ALL"));
			assertThat(K8sObject.at(service, "build", "dockerfile")).isEqualTo("deploy/docker/Dockerfile");
			assertThat(K8sObject.at(service, "build", "args", "SERVICE")).isEqualTo(name);
			assertThat(Path.of("..").resolve(String.valueOf(K8sObject.at(service, "build", "dockerfile"))))
				.isRegularFile();
		}
	}

	@Test
	void everyServiceGetsWhatItReadsAndReachesWhatItNames() throws IOException {
		Map<String, Object> services = K8sObject.asMap(load().get("services"));
		for (String name : ServiceConfiguration.SERVICES) {
			Map<String, Object> service = K8sObject.asMap(services.get(name));
			Map<String, Object> environment = K8sObject.asMap(service.get("environment"));
			ServiceConfiguration configuration = ServiceConfiguration.of(name);
			Set<String> unread = new TreeSet<>();
			for (String variable : environment.keySet()) {
				if (!JVM_VARIABLES.contains(variable) && !configuration.reads(variable)) {
					unread.add(variable);
				}
			}
			assertThat(unread).as(name + ": variables no Spring configuration of the service reads").isEmpty();
			assertThat(environment.keySet()).as(name).containsAll(configuration.variables());
			for (String variable : List.of("KAFKA_BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL", "MONGODB_URI")) {
				Matcher address = HOST_PORT.matcher(String.valueOf(environment.get(variable)));
				assertThat(address.matches()).as(name + " " + variable).isTrue();
				Map<String, Object> target = K8sObject.asMap(services.get(address.group(1)));
				assertThat(target).as(name + " " + variable + " names a service").isNotEmpty();
				assertThat(listeningPorts(address.group(1), target))
					.as(name + " " + variable + " names a port it listens on")
					.contains(address.group(2));
			}
			String port = String.valueOf(environment.get("SERVER_PORT"));
			assertThat((List<?>) service.get("ports")).as(name + " publishes its port")
				.anyMatch((published) -> published.toString().endsWith(":" + port));
			String server = configuration.environment(stringValues(environment)).getProperty("server.port");
			assertThat(server).as(name + " listens on SERVER_PORT").isEqualTo(port);
		}
	}

	/**
	 * Ports other containers reach a service of the file on: Kafka's advertised listeners
	 * under its own name, the registry's listeners, MongoDB's port.
	 */
	private static Set<String> listeningPorts(String name, Map<String, Object> service) {
		Map<String, Object> environment = K8sObject.asMap(service.get("environment"));
		Set<String> ports = new TreeSet<>();
		for (String listeners : List.of("KAFKA_ADVERTISED_LISTENERS", "SCHEMA_REGISTRY_LISTENERS")) {
			for (String listener : String.valueOf(environment.getOrDefault(listeners, "")).split(",")) {
				Matcher address = Pattern.compile("[A-Za-z_]+://([^:]*):(\\d+)").matcher(listener.trim());
				if (address.matches() && (address.group(1).equals(name) || address.group(1).equals("0.0.0.0"))) {
					ports.add(address.group(2));
				}
			}
		}
		if (String.valueOf(service.get("image")).startsWith("mongo:")) {
			ports.add("27017");
		}
		return ports;
	}

	private static Map<String, Object> stringValues(Map<String, Object> environment) {
		Map<String, Object> values = new java.util.LinkedHashMap<>();
		environment.forEach((key, value) -> values.put(key, String.valueOf(value)));
		return values;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> load() throws IOException {
		LoaderOptions options = new LoaderOptions();
		options.setAllowDuplicateKeys(false);
		return (Map<String, Object>) new Yaml(options).load(Files.readString(COMPOSE));
	}

	/**
	 * The file as the packaged validator reads it: its schema (2021) predates the
	 * top-level {@code name}, which is checked here instead.
	 */
	private static String forValidator(String compose) {
		assertThat(compose).containsPattern("(?m)^name: onemusic-privacy$");
		return compose.replaceFirst("(?m)^name: onemusic-privacy\n", "");
	}

	private static int config(String compose) throws Exception {
		Process process = new ProcessBuilder(DOCKER_COMPOSE.toString(), "--project-directory",
				COMPOSE.getParent().toString(), "-f", "-", "config", "-q")
			.redirectErrorStream(true)
			.start();
		process.getOutputStream().write(compose.getBytes(StandardCharsets.UTF_8));
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		if (process.exitValue() != 0) {
			System.out.println(output);
		}
		return process.exitValue();
	}

}
