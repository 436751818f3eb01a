package com.onemusic.privacy.serde;

import java.net.ServerSocket;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import com.onemusic.privacy.events.ConsentChanged;
import com.onemusic.privacy.events.ConsentMethod;
import com.onemusic.privacy.events.ConsentStatus;
import com.onemusic.privacy.events.DeletionGround;
import com.onemusic.privacy.events.DeletionKind;
import com.onemusic.privacy.events.DeletionRequested;
import com.onemusic.privacy.events.GuardianConsent;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AvroSerdeTests {

	private static final String TOPIC = "privacy.consent-changed.v1";

	private static final Map<String, Object> CONFIG = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL,
			"http://registry.invalid:8081");

	private static final Map<String, Object> SPECIFIC = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL,
			"http://registry.invalid:8081", AvroSerdeConfig.SPECIFIC_AVRO_READER, "true");

	private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient(42);

	@Test
	void writesTheConfluentWireFormatOfAGeneratedRecordByteForByte() {
		ConsentChanged event = consentChanged();
		byte[] bytes = new AvroSerializer<ConsentChanged>(this.registry, CONFIG, false).serialize(TOPIC, event);
		String expected = "00" + "0000002a" // magic byte, schema id 42 big-endian
				+ "48" + hex("00000000-0000-0000-0000-000000000001") // eventId:
																		// zigzag(36)
				+ "80a0d5edee66" // occurredAt 2026-01-01T00:00:00Z: zigzag varint of
									// 1767225600000
				+ "04" + hex("u1") // userId
				+ "26" + hex("permission.location") // scope: zigzag(19) = 38
				+ "02" // status: enum index 1, WITHDRAWN
				+ "0e" + hex("2026.01") // policyVersion
				+ "06" // method: enum index 3, SETTINGS_TOGGLE
				+ "06" + hex("app") // sourceSystem
				+ "02" + "0e" // sequence: union branch 1 (long), zigzag(7)
				+ "00" // guardian: union branch 0, null
				+ "00" // receiptId: null
				+ "00"; // reason: null
		assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(expected);
		assertThat(this.registry.subjects()).containsExactly(TOPIC + "-value");
	}

	@Test
	void writesAGenericRecordByteForByte() {
		Schema schema = SchemaBuilder.record("Ping").fields().requiredInt("n").requiredString("s").endRecord();
		GenericRecord ping = new GenericData.Record(schema);
		ping.put("n", -1);
		ping.put("s", "hi");
		byte[] bytes = new AvroSerializer<GenericRecord>(this.registry, CONFIG, false).serialize("pings", ping);
		// magic, id 42, int -1 zigzags to 1, string length 2 zigzags to 4
		assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("00" + "0000002a" + "01" + "04" + "6869");
	}

	@Test
	void readsBackIntoTheGeneratedClass() {
		ConsentChanged event = ConsentChanged.newBuilder(consentChanged())
			.setGuardian(new GuardianConsent("guardian-9", "PARENT"))
			.build();
		byte[] bytes = new AvroSerializer<ConsentChanged>(this.registry, CONFIG, false).serialize(TOPIC, event);
		Object read = new AvroDeserializer<>(this.registry, SPECIFIC, false).deserialize(TOPIC, bytes);
		assertThat(read).isInstanceOf(ConsentChanged.class).isEqualTo(event);
	}

	@Test
	void readsAGenericRecordWithoutSpecificReader() {
		byte[] bytes = new AvroSerializer<ConsentChanged>(this.registry, CONFIG, false).serialize(TOPIC,
				consentChanged());
		Object read = new AvroDeserializer<>(this.registry, CONFIG, false).deserialize(TOPIC, bytes);
		assertThat(read).isInstanceOf(GenericRecord.class);
		assertThat(((GenericRecord) read).get("scope")).hasToString("permission.location");
	}

	@Test
	void nullIsATombstoneThatNeverTouchesTheRegistry() {
		assertThat(new AvroSerializer<ConsentChanged>(this.registry, CONFIG, false).serialize(TOPIC, null)).isNull();
		assertThat(new AvroDeserializer<>(this.registry, SPECIFIC, false).deserialize(TOPIC, null)).isNull();
		assertThat(new AvroDeserializer<>(this.registry, SPECIFIC, false).deserialize(TOPIC, new byte[0])).isNull();
		assertThat(this.registry.calls).hasValue(0);
	}

	@Test
	void cachesTheSchemaIdSoTheRegistryIsAskedOnce() {
		AvroSerializer<ConsentChanged> serializer = new AvroSerializer<>(this.registry, CONFIG, false);
		for (int i = 0; i < 100; i++) {
			serializer.serialize(TOPIC, consentChanged());
		}
		assertThat(this.registry.calls).hasValue(1);
	}

	@Test
	void aRecordFromAnOlderProducerIsReadWithDefaultsForTheNewFields() {
		Schema current = ConsentChanged.getClassSchema();
		Schema older = withoutField(withoutField(current, "reason"), "receiptId");
		ConsentChanged expected = consentChanged();
		GenericRecord old = asGeneric(expected, older);
		byte[] bytes = new AvroSerializer<GenericRecord>(this.registry, CONFIG, false).serialize(TOPIC, old);
		ConsentChanged read = (ConsentChanged) new AvroDeserializer<>(this.registry, SPECIFIC, false).deserialize(TOPIC,
				bytes);
		assertThat(read).isEqualTo(expected);
	}

	@Test
	void aRecordFromANewerProducerIsReadWithoutItsNewFields() {
		Schema current = ConsentChanged.getClassSchema();
		Schema newer = withExtraField(current);
		ConsentChanged expected = consentChanged();
		GenericRecord record = asGeneric(expected, newer);
		record.put("tenant", "onemusic");
		byte[] bytes = new AvroSerializer<GenericRecord>(this.registry, CONFIG, false).serialize(TOPIC, record);
		assertThat(new AvroDeserializer<>(this.registry, SPECIFIC, false).deserialize(TOPIC, bytes))
			.isEqualTo(expected);
	}

	@Test
	void aBadMagicByteIsRejectedWithItsValue() {
		byte[] bytes = HexFormat.of().parseHex("010000002a00");
		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> new AvroDeserializer<>(this.registry, SPECIFIC, false).deserialize(TOPIC, bytes))
			.withMessageContaining("Unknown magic byte 0x01");
	}

	@Test
	void aValueShorterThanTheHeaderIsRejected() {
		assertThatExceptionOfType(SerializationException.class).isThrownBy(
				() -> new AvroDeserializer<>(this.registry, SPECIFIC, false).deserialize(TOPIC, new byte[] { 0, 0, 1 }))
			.withMessageContaining("fewer than the 5");
	}

	@Test
	void anUnknownSchemaIdIsRejected() {
		byte[] bytes = HexFormat.of().parseHex("000000270f02");
		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> new AvroDeserializer<>(this.registry, SPECIFIC, false).deserialize(TOPIC, bytes))
			.withMessageContaining("Unknown schema id 9999");
	}

	@Test
	void corruptAvroIsRejected() {
		byte[] good = new AvroSerializer<ConsentChanged>(this.registry, CONFIG, false).serialize(TOPIC,
				consentChanged());
		byte[] truncated = java.util.Arrays.copyOf(good, 20);
		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> new AvroDeserializer<>(this.registry, SPECIFIC, false).deserialize(TOPIC, truncated))
			.withMessageContaining("Could not decode the Avro value")
			.withMessageContaining("schema id 42");
		byte[] padded = java.util.Arrays.copyOf(good, good.length + 3);
		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> new AvroDeserializer<>(this.registry, SPECIFIC, false).deserialize(TOPIC, padded))
			.withMessageContaining("bytes left over");
	}

	@Test
	void aRecordOfTheWrongTypeIsRejectedWhenTheTopicExpectsAnother() {
		byte[] bytes = new AvroSerializer<DeletionRequested>(this.registry, CONFIG, false).serialize(TOPIC,
				deletionRequested());
		Map<String, Object> fixedType = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://registry.invalid:8081",
				AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, ConsentChanged.class.getName());
		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> new AvroDeserializer<>(this.registry, fixedType, false).deserialize(TOPIC, bytes))
			.withMessageContaining("cannot be read as com.onemusic.privacy.events.ConsentChanged");
	}

	@Test
	void anUnregisteredSchemaIsRejectedWhenAutoRegistrationIsOff() {
		Map<String, Object> noAutoRegister = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://registry.invalid:8081",
				AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false);
		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> new AvroSerializer<ConsentChanged>(this.registry, noAutoRegister, false).serialize(TOPIC,
					consentChanged()))
			.withMessageContaining("is not registered under subject " + TOPIC + "-value");
	}

	@Test
	void anUnreachableRegistryIsNamedInTheError() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		Map<String, Object> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + closedPort + "/",
				AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
		AvroSerializer<ConsentChanged> serializer = new AvroSerializer<>();
		serializer.configure(config, false);
		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> serializer.serialize(TOPIC, consentChanged()))
			.withMessageContaining("Schema registry unreachable at [http://127.0.0.1:" + closedPort + "]");
		AvroDeserializer<Object> deserializer = new AvroDeserializer<>();
		deserializer.configure(config, false);
		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> deserializer.deserialize(TOPIC, HexFormat.of().parseHex("000000000102")))
			.withMessageContaining("Could not fetch schema id 1")
			.withMessageContaining("unreachable");
	}

	@Test
	void subjectNameStrategiesAcceptConfluentClassNames() {
		AvroSerializer<ConsentChanged> record = new AvroSerializer<>(this.registry,
				Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://r:1", AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY,
						"io.confluent.kafka.serializers.subject.RecordNameStrategy"),
				false);
		record.serialize(TOPIC, consentChanged());
		AvroSerializer<ConsentChanged> topicRecord = new AvroSerializer<>(this.registry,
				Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://r:1", AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY,
						"io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"),
				false);
		topicRecord.serialize(TOPIC, consentChanged());
		AvroSerializer<ConsentChanged> key = new AvroSerializer<>(this.registry,
				Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://r:1"), true);
		key.serialize(TOPIC, consentChanged());
		assertThat(this.registry.subjects()).containsExactlyInAnyOrder("com.onemusic.privacy.events.ConsentChanged",
				TOPIC + "-com.onemusic.privacy.events.ConsentChanged", TOPIC + "-key");
	}

	@Test
	void malformedConfigurationIsAConfigException() {
		assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> AvroSerdeConfig.from(Map.of(), false))
			.withMessageContaining("schema.registry.url");
		assertThatExceptionOfType(ConfigException.class)
			.isThrownBy(() -> AvroSerdeConfig.from(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://r:1",
					AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "SubjectPerMoonPhase"), false))
			.withMessageContaining("Unknown subject name strategy");
		assertThatExceptionOfType(ConfigException.class)
			.isThrownBy(() -> AvroSerdeConfig.from(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://r:1",
					AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "yes"), false))
			.withMessageContaining("auto.register.schemas");
		AvroSerdeConfig defaults = AvroSerdeConfig.from(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://r:1"),
				false);
		assertThat(defaults.autoRegisterSchemas()).isTrue();
		assertThat(defaults.useLatestVersion()).isFalse();
		assertThat(defaults.specificAvroReader()).isFalse();
		assertThat(defaults.subjectNameStrategy()).isEqualTo(SubjectNameStrategy.TOPIC_NAME);
	}

	@Test
	void useLatestVersionWritesWithTheLatestRegisteredSchema() {
		Schema current = ConsentChanged.getClassSchema();
		Schema newer = withExtraField(current);
		int newerId = this.registry.register(TOPIC + "-value", newer);
		Map<String, Object> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://r:1",
				AvroSerdeConfig.USE_LATEST_VERSION, true, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false);
		byte[] bytes = new AvroSerializer<ConsentChanged>(this.registry, config, false).serialize(TOPIC,
				consentChanged());
		assertThat(WireFormat.schemaId(TOPIC, bytes)).isEqualTo(newerId);
		GenericRecord read = (GenericRecord) new AvroDeserializer<>(this.registry, CONFIG, false).deserialize(TOPIC,
				bytes);
		assertThat(read.get("tenant")).hasToString("none");
		assertThat(read.get("userId")).hasToString("u1");
	}

	private static ConsentChanged consentChanged() {
		return ConsentChanged.newBuilder()
			.setEventId(UUID.fromString("00000000-0000-0000-0000-000000000001"))
			.setOccurredAt(Instant.parse("2026-01-01T00:00:00Z"))
			.setUserId("u1")
			.setScope("permission.location")
			.setStatus(ConsentStatus.WITHDRAWN)
			.setPolicyVersion("2026.01")
			.setMethod(ConsentMethod.SETTINGS_TOGGLE)
			.setSourceSystem("app")
			.setSequence(7L)
			.build();
	}

	private static DeletionRequested deletionRequested() {
		return DeletionRequested.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(Instant.now())
			.setUserId("u1")
			.setRequestId("r1")
			.setKind(DeletionKind.DELETION)
			.setGround(DeletionGround.UNLAWFUL_PROCESSING)
			.setVerifiedAt(Instant.now())
			.setDueDate(java.time.LocalDate.of(2026, 3, 9))
			.build();
	}

	/** The record as a producer on another schema would hold it, by Avro resolution. */
	private static GenericRecord asGeneric(ConsentChanged event, Schema schema) {
		try {
			java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
			org.apache.avro.io.BinaryEncoder encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
			new org.apache.avro.specific.SpecificDatumWriter<ConsentChanged>(ConsentChanged.getClassSchema())
				.write(event, encoder);
			encoder.flush();
			return new org.apache.avro.generic.GenericDatumReader<GenericRecord>(ConsentChanged.getClassSchema(),
					schema)
				.read(null, org.apache.avro.io.DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Schema withoutField(Schema schema, String name) {
		return rebuild(schema, schema.getFields().stream().filter((field) -> !field.name().equals(name)).toList());
	}

	private static Schema withExtraField(Schema schema) {
		java.util.List<Schema.Field> fields = new java.util.ArrayList<>(schema.getFields());
		fields.add(new Schema.Field("tenant", Schema.create(Schema.Type.STRING), null, "none"));
		return rebuild(schema, fields);
	}

	private static Schema rebuild(Schema schema, java.util.List<Schema.Field> fields) {
		Schema copy = Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false);
		copy.setFields(fields.stream().map((field) -> new Schema.Field(field, field.schema())).toList());
		return copy;
	}

	private static String hex(String text) {
		return HexFormat.of().formatHex(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

}
