package com.onemusic.privacy.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes Avro records (generated specific records or generic records) into the
 * Confluent wire format, registering or looking up their schema in a Schema Registry as
 * Confluent's {@code KafkaAvroSerializer} does. A {@code null} value is written as
 * {@code null} (a tombstone) without touching the registry.
 *
 * @param <T> the record type
 */
public class AvroSerializer<T> implements Serializer<T> {

	private SchemaRegistryClient registry;

	private AvroSerdeConfig config;

	private boolean isKey;

	private final Map<Schema, Integer> idsBySchema = new ConcurrentHashMap<>();

	private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

	/** Creates a serializer that is configured by Kafka from the client properties. */
	public AvroSerializer() {
	}

	/**
	 * Creates a configured serializer.
	 * @param registry the registry client, or {@code null} for the shared client of the
	 * configured {@code schema.registry.url}
	 * @param configs the serde configuration, see {@link AvroSerdeConfig}
	 * @param isKey whether it serializes keys
	 */
	public AvroSerializer(SchemaRegistryClient registry, Map<String, ?> configs, boolean isKey) {
		this.registry = registry;
		configure(configs, isKey);
	}

	@Override
	public void configure(Map<String, ?> configs, boolean isKey) {
		this.config = AvroSerdeConfig.from(configs, isKey);
		this.isKey = isKey;
		if (this.registry == null) {
			this.registry = SchemaRegistryClients.forConfig(this.config);
		}
	}

	@Override
	public byte[] serialize(String topic, T data) {
		if (data == null) {
			return null;
		}
		if (this.config == null) {
			throw new IllegalStateException("AvroSerializer is not configured");
		}
		if (!(data instanceof GenericContainer container)) {
			throw new SerializationException("AvroSerializer writes Avro records only, not " + data.getClass().getName()
					+ " (topic " + topic + ")");
		}
		Schema schema = container.getSchema();
		String subject = this.config.subjectNameStrategy().subject(topic, this.isKey, schema);
		try {
			if (this.config.useLatestVersion()) {
				RegisteredSchema latest = this.registry.latest(subject);
				return write(latest.id(), latest.schema(), convert(data, schema, latest.schema(), subject));
			}
			return write(schemaId(subject, schema), schema, data);
		}
		catch (SchemaRegistryException ex) {
			throw new SerializationException(describe(ex, subject, schema), ex);
		}
	}

	private int schemaId(String subject, Schema schema) {
		if (!this.config.subjectNameStrategy().dependsOnRecord()) {
			Integer cached = this.idsBySchema.get(schema);
			if (cached != null) {
				return cached;
			}
		}
		int id = this.config.autoRegisterSchemas() ? this.registry.register(subject, schema)
				: this.registry.lookup(subject, schema);
		if (!this.config.subjectNameStrategy().dependsOnRecord()) {
			this.idsBySchema.put(schema, id);
		}
		return id;
	}

	private byte[] write(int id, Schema schema, Object data) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(128);
		out.writeBytes(WireFormat.header(id));
		BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
		try {
			writer(schema, data).write(data, encoder);
			encoder.flush();
		}
		catch (IOException | RuntimeException ex) {
			throw new SerializationException(
					"Could not encode " + schema.getFullName() + " with schema id " + id + ": " + ex.getMessage(), ex);
		}
		return out.toByteArray();
	}

	private DatumWriter<Object> writer(Schema schema, Object data) {
		if (data instanceof SpecificRecord) {
			return this.writers.computeIfAbsent(schema,
					(key) -> new SpecificDatumWriter<>(key, SpecificData.getForSchema(key)));
		}
		return new GenericDatumWriter<>(schema);
	}

	/**
	 * Rewrites a record into the latest registered schema (use.latest.version), by Avro
	 * schema resolution: the latest schema must be able to read the record's schema.
	 */
	private Object convert(Object data, Schema own, Schema latest, String subject) {
		if (own.equals(latest)) {
			return data;
		}
		byte[] ownBytes = write(0, own, data);
		try {
			GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(own, latest);
			return reader.read(null, DecoderFactory.get()
				.binaryDecoder(ownBytes, WireFormat.HEADER_LENGTH, ownBytes.length - WireFormat.HEADER_LENGTH, null));
		}
		catch (IOException | RuntimeException ex) {
			throw new SerializationException("Record " + own.getFullName()
					+ " is incompatible with the latest schema of subject " + subject + ": " + ex.getMessage(), ex);
		}
	}

	private static String describe(SchemaRegistryException ex, String subject, Schema schema) {
		if (ex.errorCode() == 409) {
			return "Schema " + schema.getFullName() + " is incompatible with the schemas registered under subject "
					+ subject + ": " + ex.getMessage();
		}
		if (ex.errorCode() == 40401 || ex.errorCode() == 40403) {
			return "Schema " + schema.getFullName() + " is not registered under subject " + subject
					+ " and auto.register.schemas is false: " + ex.getMessage();
		}
		return "Could not get a schema id for " + schema.getFullName() + " under subject " + subject + ": "
				+ ex.getMessage();
	}

}
