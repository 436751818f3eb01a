package com.onemusic.privacy.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.onemusic.privacy.events.ConsentChanged;
import com.onemusic.privacy.events.ConsentMethod;
import com.onemusic.privacy.events.ConsentStatus;
import com.onemusic.privacy.events.GuardianConsent;
import com.onemusic.privacy.local.LocalInfrastructure;
import com.onemusic.privacy.serde.AvroDeserializer;
import com.onemusic.privacy.serde.AvroSerdeConfig;
import com.onemusic.privacy.serde.AvroSerializer;
import com.onemusic.privacy.serde.WireFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Events the system writes are read by clients that are not ours, and theirs by ours: the
 * project's serde over the real broker and registry, {@code kcat}, and Confluent's own
 * Python client (Debian's {@code kcat}, {@code python3-confluent-kafka},
 * {@code python3-avro} and {@code python3-requests}, which the CI script installs).
 */
class ConfluentClientsInteropTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final LocalInfrastructure infrastructure = TestInfrastructure.get();

	private final String topic = "interop.consent-changed-" + UUID.randomUUID();

	@Test
	void theProjectsSerdeRoundTripsOverTheBrokerAndTheRegistryKnowsTheId() throws Exception {
		ConsentChanged sent = event("java-user");
		produce(sent);
		ConsumerRecord<String, byte[]> record = consumeRaw(this.topic);
		int id = WireFormat.schemaId(this.topic, record.value());
		RegistryHttp registry = new RegistryHttp(this.infrastructure.registryUrl());
		assertThat(registry.get("/subjects/" + this.topic + "-value/versions/latest").id()).isEqualTo(id);
		assertThat(registry.get("/schemas/ids/" + id).json().path("schema").asText())
			.isEqualTo(ConsentChanged.getClassSchema().toString());
		assertThat(deserializer().deserialize(this.topic, record.value())).isEqualTo(sent);
		assertThat(record.key()).isEqualTo("java-user");
	}

	@Test
	void kcatConsumesAnEventTheSystemProducedAndItsSchemaIdResolves() throws Exception {
		assumeThat(Path.of("/usr/bin/kcat")).as("kcat (Debian package kcat)").exists();
		ConsentChanged sent = event("kcat-user");
		produce(sent);
		Process kcat = new ProcessBuilder("/usr/bin/kcat", "-b", this.infrastructure.bootstrapServers(), "-C", "-t",
				this.topic, "-o", "beginning", "-c", "1", "-e", "-f", "%s")
			.redirectError(ProcessBuilder.Redirect.DISCARD)
			.start();
		byte[] value = readAll(kcat.getInputStream());
		assertThat(kcat.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(kcat.exitValue()).isZero();
		int id = WireFormat.schemaId(this.topic, value);
		RegistryHttp registry = new RegistryHttp(this.infrastructure.registryUrl());
		assertThat(registry.get("/schemas/ids/" + id).json().path("schema").asText())
			.isEqualTo(ConsentChanged.getClassSchema().toString());
		assertThat(deserializer().deserialize(this.topic, value)).isEqualTo(sent);
	}

	@Test
	void confluentsPythonClientUsesTheRegistryAndExchangesEventsWithTheSystem(@TempDir Path scripts) throws Exception {
		assumeThat(pythonClientAvailable()).as("python3 with confluent_kafka, avro and requests").isTrue();
		ConsentChanged sent = event("java-user");
		produce(sent);
		String pythonTopic = this.topic + "-from-python";
		String subject = "interop-python-" + UUID.randomUUID() + "-value";
		Path script = scripts.resolve("confluent_python_client.py");
		try (InputStream in = getClass().getResourceAsStream("/interop/confluent_python_client.py")) {
			Files.write(script, in.readAllBytes());
		}
		Process python = new ProcessBuilder("/usr/bin/python3", script.toString(),
				this.infrastructure.bootstrapServers(), this.infrastructure.registryUrl(), this.topic, pythonTopic,
				subject)
			.redirectErrorStream(false)
			.start();
		byte[] stdout = readAll(python.getInputStream());
		String stderr = new String(readAll(python.getErrorStream()), StandardCharsets.UTF_8);
		assertThat(python.waitFor(120, TimeUnit.SECONDS)).isTrue();
		assertThat(python.exitValue()).as(stderr).isZero();
		JsonNode out = JSON.readTree(stdout);

		assertThat(out.path("schema_by_id").asText()).contains("\"name\":\"Probe\"");
		assertThat(out.path("lookup_version").asInt()).isEqualTo(1);
		assertThat(out.path("latest_version").asInt()).isEqualTo(2);
		assertThat(out.path("latest_id").asInt()).isEqualTo(out.path("v2_id").asInt());
		assertThat(out.path("versions").toString()).isEqualTo("[1,2]");
		assertThat(out.path("breaking_compatible").asBoolean()).isFalse();
		assertThat(out.path("breaking_error").toString()).isEqualTo("[409,409]");
		assertThat(out.path("subject_level").asText()).isEqualTo("FULL");
		assertThat(out.path("unknown_id_error").toString()).isEqualTo("[404,40403]");
		assertThat(out.path("deleted_versions").toString()).isEqualTo("[1,2]");

		JsonNode consumed = out.path("consumed");
		assertThat(consumed.path("userId").asText()).isEqualTo("java-user");
		assertThat(out.path("consumed_key").asText()).isEqualTo("java-user");
		assertThat(consumed.path("scope").asText()).isEqualTo("permission.location");
		assertThat(consumed.path("status").asText()).isEqualTo("GRANTED");
		assertThat(consumed.path("guardian").path("relationship").asText()).isEqualTo("PARENT");
		assertThat(out.path("unflushed").asInt()).isZero();

		ConsumerRecord<String, byte[]> fromPython = consumeRaw(pythonTopic);
		ConsentChanged read = (ConsentChanged) deserializer().deserialize(pythonTopic, fromPython.value());
		assertThat(read.getUserId()).isEqualTo("python-user");
		assertThat(read.getStatus()).isEqualTo(ConsentStatus.WITHDRAWN);
		assertThat(read.getMethod()).isEqualTo(ConsentMethod.UNSUBSCRIBE_LINK);
		assertThat(read.getOccurredAt()).isEqualTo(Instant.parse("2026-03-01T08:00:00Z"));
		assertThat(read.getEventId()).isEqualTo(UUID.fromString("00000000-0000-0000-0000-0000000000aa"));
		assertThat(read.getReason()).isEqualTo("unsubscribed from the newsletter");
	}

	private static boolean pythonClientAvailable() throws InterruptedException {
		try {
			Process probe = new ProcessBuilder("/usr/bin/python3", "-c",
					"import confluent_kafka.avro, confluent_kafka.schema_registry, avro, requests")
				.redirectErrorStream(true)
				.start();
			readAll(probe.getInputStream());
			return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private ConsentChanged event(String userId) {
		return ConsentChanged.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(Instant.parse("2026-02-10T09:30:00.123Z"))
			.setUserId(userId)
			.setScope("permission.location")
			.setStatus(ConsentStatus.GRANTED)
			.setPolicyVersion("2026.01")
			.setMethod(ConsentMethod.GUARDIAN)
			.setSourceSystem("consent-service")
			.setSequence(3L)
			.setGuardian(new GuardianConsent("guardian-1", "PARENT"))
			.build();
	}

	private void produce(ConsentChanged event) throws Exception {
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				this.infrastructure.bootstrapServers(), AvroSerdeConfig.SCHEMA_REGISTRY_URL,
				this.infrastructure.registryUrl());
		try (KafkaProducer<String, ConsentChanged> producer = new KafkaProducer<>(config, new StringSerializer(),
				serializer())) {
			producer.send(new ProducerRecord<>(this.topic, event.getUserId(), event)).get(30, TimeUnit.SECONDS);
		}
	}

	private AvroSerializer<ConsentChanged> serializer() {
		AvroSerializer<ConsentChanged> serializer = new AvroSerializer<>();
		serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, this.infrastructure.registryUrl()), false);
		return serializer;
	}

	private AvroDeserializer<Object> deserializer() {
		AvroDeserializer<Object> deserializer = new AvroDeserializer<>();
		deserializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, this.infrastructure.registryUrl(),
				AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false);
		return deserializer;
	}

	private ConsumerRecord<String, byte[]> consumeRaw(String topic) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				this.infrastructure.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "interop-" + UUID.randomUUID(),
				ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(topic));
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (System.nanoTime() < deadline) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
					return record;
				}
			}
		}
		throw new AssertionError("No record on " + topic + " within 60 s");
	}

	private static byte[] readAll(InputStream in) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		in.transferTo(out);
		return out.toByteArray();
	}

}
