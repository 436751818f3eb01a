package com.onemusic.privacy.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import com.onemusic.privacy.registry.CompatibilityLevel;
import com.onemusic.privacy.registry.SchemaRegistry;
import com.onemusic.privacy.registry.SchemaRegistryServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry keeps its state in a compacted Kafka topic, as Confluent's does: a
 * restarted registry serves the same ids, and two registries on one topic agree.
 */
class SchemaRegistryStoreTests {

	private final String topic = "_schemas-" + UUID.randomUUID();

	@Test
	void aRestartedRegistryServesTheSameIdsVersionsConfigAndDeletions() throws Exception {
		Map<String, Integer> ids = new HashMap<>();
		String deleted = "deleted-value";
		try (Instance first = new Instance(this.topic)) {
			for (int i = 0; i < 5; i++) {
				ids.put("subject-" + i, first.http.register("subject-" + i, schema("R" + i, 1)).id());
			}
			ids.put("subject-0-v2", first.http.register("subject-0", schema("R0", 2)).id());
			first.http.put("/config/subject-1", "{\"compatibility\":\"FULL\"}");
			first.http.put("/config", "{\"compatibility\":\"BACKWARD_TRANSITIVE\"}");
			first.http.register(deleted, schema("D", 1));
			first.http.delete("/subjects/" + deleted);
		}
		try (Instance second = new Instance(this.topic)) {
			for (int i = 0; i < 5; i++) {
				assertThat(second.http.get("/subjects/subject-" + i + "/versions/1").id())
					.isEqualTo(ids.get("subject-" + i));
			}
			assertThat(second.http.get("/subjects/subject-0/versions/2").id()).isEqualTo(ids.get("subject-0-v2"));
			assertThat(second.http.get("/schemas/ids/" + ids.get("subject-3")).json().path("schema").asText())
				.isEqualTo(schema("R3", 1));
			assertThat(second.http.get("/config/subject-1").json().path("compatibilityLevel").asText())
				.isEqualTo("FULL");
			assertThat(second.http.get("/config").json().path("compatibilityLevel").asText())
				.isEqualTo("BACKWARD_TRANSITIVE");
			assertThat(second.http.get("/subjects/" + deleted + "/versions").errorCode()).isEqualTo(40401);
			assertThat(second.http.get("/subjects/" + deleted + "/versions?deleted=true").body()).isEqualTo("[1]");
			int next = second.http.register("subject-new", schema("New", 1)).id();
			assertThat(next).isGreaterThan(ids.values().stream().mapToInt(Integer::intValue).max().orElseThrow());
		}
	}

	@Test
	void twoRegistriesOnOneTopicAgreeUnderConcurrentRegistrations() throws Exception {
		try (Instance a = new Instance(this.topic); Instance b = new Instance(this.topic)) {
			// Agreement is the point here, not compatibility: several record types share
			// subjects.
			assertThat(a.http.put("/config", "{\"compatibility\":\"NONE\"}").status()).isEqualTo(200);
			ExecutorService pool = Executors.newFixedThreadPool(4);
			List<Future<Integer>> results = new ArrayList<>();
			List<String> registered = new ArrayList<>();
			for (int i = 0; i < 12; i++) {
				String subject = "shared-" + (i % 3);
				String schema = schema("S" + (i % 6), 1 + (i / 6));
				registered.add(subject + "|" + schema);
				Instance via = (i % 2 == 0) ? a : b;
				Callable<Integer> call = () -> {
					RegistryHttp.Answer answer = via.http.register(subject, schema);
					assertThat(answer.status()).as(answer.body()).isEqualTo(200);
					return answer.id();
				};
				results.add(pool.submit(call));
			}
			Map<String, Integer> idBySchema = new HashMap<>();
			for (int i = 0; i < results.size(); i++) {
				int id = results.get(i).get();
				String schema = registered.get(i).split("\\|", 2)[1];
				Integer earlier = idBySchema.putIfAbsent(schema, id);
				assertThat(earlier == null || earlier == id).as("one id per schema").isTrue();
			}
			pool.shutdown();
			assertThat(idBySchema.values()).doesNotHaveDuplicates();
			for (int subject = 0; subject < 3; subject++) {
				String path = "/subjects/shared-" + subject + "/versions";
				assertThat(a.http.get(path).body()).isEqualTo(b.http.get(path).body());
				List<Integer> versions = versions(a.http.get(path).body());
				assertThat(versions).isNotEmpty();
				for (int version : versions) {
					assertThat(a.http.get(path + "/" + version).body())
						.isEqualTo(b.http.get(path + "/" + version).body());
				}
			}
			for (Map.Entry<String, Integer> entry : idBySchema.entrySet()) {
				assertThat(a.http.get("/schemas/ids/" + entry.getValue()).json().path("schema").asText())
					.isEqualTo(entry.getKey());
				assertThat(b.http.get("/schemas/ids/" + entry.getValue()).json().path("schema").asText())
					.isEqualTo(entry.getKey());
			}
		}
	}

	private static List<Integer> versions(String json) {
		String inner = json.substring(1, json.length() - 1);
		List<Integer> versions = new ArrayList<>();
		for (String part : inner.split(",")) {
			versions.add(Integer.parseInt(part.trim()));
		}
		return versions;
	}

	/**
	 * A record schema; versions add optional fields, so each is compatible with the last.
	 */
	private static String schema(String name, int version) {
		StringBuilder fields = new StringBuilder("{\"name\":\"a\",\"type\":\"int\"}");
		for (int i = 2; i <= version; i++) {
			fields.append(",{\"name\":\"f").append(i).append("\",\"type\":\"int\",\"default\":0}");
		}
		return "{\"type\":\"record\",\"name\":\"" + name + "\",\"namespace\":\"store\",\"fields\":[" + fields + "]}";
	}

	private static final class Instance implements AutoCloseable {

		private final SchemaRegistry registry;

		private final SchemaRegistryServer server;

		private final RegistryHttp http;

		Instance(String topic) throws Exception {
			this.registry = SchemaRegistry.start(TestInfrastructure.get().bootstrapServers(), topic,
					CompatibilityLevel.BACKWARD, Duration.ofSeconds(20), Map.of());
			this.server = SchemaRegistryServer.start(this.registry, "127.0.0.1", 0);
			this.http = new RegistryHttp(this.server.url());
		}

		@Override
		public void close() {
			this.server.close();
			this.registry.close();
		}

	}

}
