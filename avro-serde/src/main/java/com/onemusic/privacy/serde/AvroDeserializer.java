package com.onemusic.privacy.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads values in the Confluent wire format: finds the writer's schema by its id in the
 * registry (cached), then decodes with Avro schema resolution into the generated class
 * ({@code specific.avro.reader=true}, or a fixed {@code specific.avro.value.type}) or
 * into a generic record. So an older or newer compatible producer is read correctly. An
 * empty or {@code null} value is a tombstone and reads as {@code null}.
 *
 * <p>
 * Every failure is a {@link SerializationException} that says what was wrong: a bad magic
 * byte, an unknown schema id, an unreachable registry, a writer schema the reader cannot
 * resolve, or corrupt Avro. Use it behind Spring's {@code ErrorHandlingDeserializer} so
 * that such a record goes to a dead-letter topic instead of looping.
 *
 * @param <T> the type read
 */
public class AvroDeserializer<T> implements Deserializer<T> {

	private SchemaRegistryClient registry;

	private AvroSerdeConfig config;

	private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();

	/** Creates a deserializer that is configured by Kafka from the client properties. */
	public AvroDeserializer() {
	}

	/**
	 * Creates a configured deserializer.
	 * @param registry the registry client, or {@code null} for the shared client of the
	 * configured {@code schema.registry.url}
	 * @param configs the serde configuration, see {@link AvroSerdeConfig}
	 * @param isKey whether it deserializes keys
	 */
	public AvroDeserializer(SchemaRegistryClient registry, Map<String, ?> configs, boolean isKey) {
		this.registry = registry;
		configure(configs, isKey);
	}

	@Override
	public void configure(Map<String, ?> configs, boolean isKey) {
		this.config = AvroSerdeConfig.from(configs, isKey);
		if (this.registry == null) {
			this.registry = SchemaRegistryClients.forConfig(this.config);
		}
	}

	@Override
	@SuppressWarnings("unchecked")
	public T deserialize(String topic, byte[] data) {
		if (data == null || data.length == 0) {
			return null;
		}
		if (this.config == null) {
			throw new IllegalStateException("AvroDeserializer is not configured");
		}
		int id = WireFormat.schemaId(topic, data);
		DatumReader<Object> reader = this.readers.computeIfAbsent(id, (key) -> reader(topic, key));
		BinaryDecoder decoder = DecoderFactory.get()
			.binaryDecoder(data, WireFormat.HEADER_LENGTH, data.length - WireFormat.HEADER_LENGTH, null);
		try {
			Object value = reader.read(null, decoder);
			if (!decoder.isEnd()) {
				throw new SerializationException("Record on topic " + topic + " with schema id " + id
						+ " has bytes left over after the Avro value: corrupt or written with another schema");
			}
			return (T) value;
		}
		catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | ClassCastException
				| NegativeArraySizeException ex) {
			throw new SerializationException(
					"Could not decode the Avro value on topic " + topic + " with schema id " + id + ": " + ex, ex);
		}
	}

	private DatumReader<Object> reader(String topic, int id) {
		Schema writer;
		try {
			writer = this.registry.schemaById(id);
		}
		catch (SchemaRegistryException ex) {
			if (ex.errorCode() == 40403 || ex.status() == 404) {
				throw new SerializationException(
						"Unknown schema id " + id + " on topic " + topic + ": the registry has no such schema", ex);
			}
			throw new SerializationException(
					"Could not fetch schema id " + id + " for topic " + topic + ": " + ex.getMessage(), ex);
		}
		Class<?> type = this.config.specificType();
		if (type == null && this.config.specificAvroReader() && writer.getType() == Schema.Type.RECORD) {
			type = SpecificData.get().getClass(writer);
			if (type == null) {
				throw new SerializationException("specific.avro.reader is set but no generated class "
						+ writer.getFullName() + " (schema id " + id + ", topic " + topic + ") is on the class path");
			}
		}
		if (type == null) {
			return new GenericDatumReader<>(writer);
		}
		SpecificData model = SpecificData.getForClass(type);
		Schema reader = model.getSchema(type);
		SchemaCompatibility.SchemaPairCompatibility compatibility = SchemaCompatibility
			.checkReaderWriterCompatibility(reader, writer);
		if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
			throw new SerializationException(
					"Writer schema " + writer.getFullName() + " (id " + id + ", topic " + topic + ") cannot be read as "
							+ reader.getFullName() + ": " + compatibility.getResult().getIncompatibilities());
		}
		try {
			return new SpecificDatumReader<>(writer, reader, model);
		}
		catch (AvroTypeException ex) {
			throw new SerializationException(
					"Writer schema id " + id + " cannot be resolved to " + type.getName() + ": " + ex.getMessage(), ex);
		}
	}

}
