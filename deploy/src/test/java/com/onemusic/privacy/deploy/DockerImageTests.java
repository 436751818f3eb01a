package com.onemusic.privacy.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image build of {@code deploy/docker/Dockerfile}: pinned base images, an
 * unprivileged user the manifests agree with, and the Spring Boot layers it copies
 * exactly those an executable jar of the services has.
 */
class DockerImageTests {

	static final Path DOCKERFILE = Path.of("docker", "Dockerfile");

	private static final Pattern ARG = Pattern.compile("(?m)^ARG ([A-Z_]+)=(\\S+)$");

	private static final Pattern FROM = Pattern.compile("(?m)^FROM (\\S+)");

	private static final Pattern COPY_LAYER = Pattern.compile("(?m)^COPY --from=build /layers/([a-z-]+)/ \\./$");

	@Test
	void baseImagesArePinnedByVersion() throws IOException {
		String dockerfile = Files.readString(DOCKERFILE);
		Map<String, String> arguments = new HashMap<>();
		Matcher argument = ARG.matcher(dockerfile);
		while (argument.find()) {
			arguments.put(argument.group(1), argument.group(2));
		}
		List<String> images = new ArrayList<>();
		Matcher from = FROM.matcher(dockerfile);
		while (from.find()) {
			String image = from.group(1);
			Matcher reference = Pattern.compile("\\$\\{([A-Z_]+)}").matcher(image);
			images.add(reference.matches() ? arguments.get(reference.group(1)) : image);
		}
		assertThat(images).hasSize(2)
			.allSatisfy((image) -> assertThat(image).matches("[a-z0-9./-]+:\\d+\\.\\d+\\.\\d+[A-Za-z0-9_.-]*"));
		assertThat(images.get(1)).as("the runtime stage holds a JRE, not a JDK").contains("-jre");
	}

	@Test
	void theImageNamesItsGarbageCollectorInAVariableADeploymentCanReplace() throws IOException {
		String dockerfile = Files.readString(DOCKERFILE);
		String runtime = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
		assertThat(runtime).containsPattern("(?m)^ENV JDK_JAVA_OPTIONS=\"-XX:\\+UseSerialGC\"$");
		String entrypoint = runtime.substring(runtime.indexOf("\nENTRYPOINT"));
		assertThat(entrypoint).as("a collector named on the command line could not be replaced").doesNotContain("GC");
	}

	@Test
	void theImageRunsAsTheUnprivilegedUserTheManifestsExpect() throws IOException {
		String dockerfile = Files.readString(DOCKERFILE);
		String runtime = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
		assertThat(runtime).containsPattern("(?m)^USER 10001:10001$").containsPattern("(?m)^STOPSIGNAL SIGTERM$");
		assertThat(runtime).contains("\"org.springframework.boot.loader.launch.JarLauncher\"]")
			.containsPattern("(?m)^ENTRYPOINT \\[\"java\"");
		for (String overlay : List.of("dev", "prod")) {
			for (K8sObject deployment : RenderedChart.of(overlay).ofKind("Deployment")) {
				if (ServiceConfiguration.SERVICES
					.contains(deployment.string("metadata", "labels", "app.kubernetes.io/name"))) {
					assertThat(K8sObject.at(deployment.podSpec(), "securityContext", "runAsUser")).isEqualTo(10001);
				}
			}
		}
		assertThat(Files.readString(Path.of("..", ".dockerignore"))).contains("**/target/").contains(".local/");
	}

	@Test
	void theImageCopiesEveryLayerOfAServicesExecutableJarAndItsLauncher(@TempDir Path extracted) throws Exception {
		Path jar = Path.of("target", "executable-jars", "consent-service-exec.jar");
		assertThat(jar).isRegularFile();
		Process extract = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Djarmode=tools", "-jar", jar.toString(), "extract", "--layers", "--launcher", "--destination",
				extracted.toString())
			.redirectErrorStream(true)
			.start();
		String output = new String(extract.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(extract.waitFor(2, TimeUnit.MINUTES)).isTrue();
		assertThat(extract.exitValue()).as(output).isZero();
		List<String> copied = new ArrayList<>();
		Matcher copy = COPY_LAYER.matcher(Files.readString(DOCKERFILE));
		while (copy.find()) {
			copied.add(copy.group(1));
		}
		try (Stream<Path> layers = Files.list(extracted)) {
			assertThat(copied).containsExactlyInAnyOrderElementsOf(
					layers.filter(Files::isDirectory).map((layer) -> layer.getFileName().toString()).toList());
		}
		assertThat(copied).as("dependencies first, the application last")
			.startsWith("dependencies")
			.endsWith("application");
		assertThat(extracted.resolve("spring-boot-loader/org/springframework/boot/loader/launch/JarLauncher.class"))
			.isRegularFile();
	}

}
