package com.onemusic.privacy.serde;

import java.nio.ByteBuffer;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format: one magic byte {@code 0x00}, the schema id as a 4-byte
 * big-endian int, then the Avro binary encoding of the value.
 */
public final class WireFormat {

	/** The only magic byte defined. */
	public static final byte MAGIC_BYTE = 0x0;

	/** Length of the magic byte and the schema id. */
	public static final int HEADER_LENGTH = 5;

	private WireFormat() {
	}

	/**
	 * Reads the header of a serialized value.
	 * @param topic the topic, for error messages
	 * @param data the serialized value, at least {@link #HEADER_LENGTH} bytes
	 * @return the schema id of the writer's schema; the Avro payload starts at
	 * {@link #HEADER_LENGTH}
	 * @throws SerializationException for a value too short or with another magic byte
	 */
	public static int schemaId(String topic, byte[] data) {
		if (data.length < HEADER_LENGTH) {
			throw new SerializationException("Record on topic " + topic + " has " + data.length
					+ " bytes, fewer than the 5 of the Confluent wire-format header");
		}
		if (data[0] != MAGIC_BYTE) {
			throw new SerializationException(String.format(
					"Unknown magic byte 0x%02x on topic %s: expected 0x00 (Confluent wire format)", data[0], topic));
		}
		return ByteBuffer.wrap(data, 1, 4).getInt();
	}

	/**
	 * Writes the header.
	 * @param schemaId the schema id
	 * @return the five header bytes
	 */
	public static byte[] header(int schemaId) {
		return ByteBuffer.allocate(HEADER_LENGTH).put(MAGIC_BYTE).putInt(schemaId).array();
	}

}
